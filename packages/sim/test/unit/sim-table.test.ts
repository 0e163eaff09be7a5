import { describe, expect, it } from 'vitest';
import { humanDuration, toTable, wantsTable } from '../../src/api/table.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** What these tests read of a meta.k8s.io/v1 Table. */
type Table = { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[]; object?: unknown }[] };

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it('formats like kubectl AGE columns', () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    const d = 24 * h;
    expect(humanDuration(5 * s)).toBe('5s');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(2 * m)).toBe('2m');
    expect(humanDuration(2 * m + 5 * s)).toBe('2m5s');
    expect(humanDuration(45 * m)).toBe('45m');
    expect(humanDuration(3 * h + 15 * m)).toBe('3h15m');
    expect(humanDuration(3 * h)).toBe('3h');
    expect(humanDuration(30 * h)).toBe('30h');
    expect(humanDuration(3 * d + 4 * h)).toBe('3d4h');
    expect(humanDuration(40 * d)).toBe('40d');
    expect(humanDuration(3 * 365 * d + 10 * d)).toBe('3y10d');
    expect(humanDuration(-500)).toBe('0s');
    expect(humanDuration(-5 * s)).toBe('<invalid>');
  });
});

describe('wantsTable', () => {
  it('recognises kubectl get Accept headers only', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
    expect(wantsTable('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe(false);
  });
});

describe('toTable', () => {
  it('prints pods as the API server does (ready, status, restarts with last restart)', () => {
    const pod = {
      metadata: { name: 'web-1', namespace: 'shop', creationTimestamp: ago(3 * 3600_000) },
      spec: { nodeName: 'node-a', containers: [{ name: 'app' }, { name: 'side' }] },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.7' }],
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'app', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'side',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { finishedAt: ago(90_000) } },
          },
        ],
      },
    };
    const table = toTable('pods', [pod], { resourceVersion: '7' }, null, now) as Table;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates',
    ]);
    expect(table.rows[0].cells).toEqual(['web-1', '1/2', 'CrashLoopBackOff', '4 (90s ago)', '3h', '10.0.0.7', 'node-a', '<none>', '<none>']);
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  });

  it('prints terminating pods as Terminating and nodes with SchedulingDisabled', () => {
    const pod = { metadata: { name: 'p', deletionTimestamp: ago(0) }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } };
    expect((toTable('pods', [pod], {}, 'None', now) as Table).rows[0].cells[2]).toBe('Terminating');
    const node = {
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' }, creationTimestamp: ago(50 * 3600_000) },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.2' }, addresses: [{ type: 'InternalIP', address: '10.1.1.1' }] },
    };
    const row = (toTable('nodes', [node], {}, null, now) as Table).rows[0].cells;
    expect(row.slice(0, 6)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane', '2d2h', 'v1.30.2', '10.1.1.1']);
  });
});

describe('toTable events', () => {
  it('prints a series without a count as 0, as the internal int32 does (printEvent)', () => {
    const ev = {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'BackOff',
      count: 5,
      series: { lastObservedTime: ago(60_000) },
    };
    const cells = toTable('events', [ev], {}, 'None', now).rows as { cells: unknown[] }[];
    expect(cells[0].cells[8]).toBe(0);
    expect(cells[0].cells[0]).toBe('60s');
  });
});
