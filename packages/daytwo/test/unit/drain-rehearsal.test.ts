import type { Deployment, Pod, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import {
  buildDrainRehearsal,
  type DrainRehearsalObservations,
  drainRehearsalExitCode,
  drainRehearsalRows,
  drainRehearsalSummary,
  estimateDrainSeconds,
  schedulingSettled,
} from '../../src/domain/drain-rehearsal.js';

const flags = { ignoreDaemonSets: true, deleteEmptyDirData: false, force: false, gracePeriodSeconds: -1, timeoutSeconds: 0 };

const obs: DrainRehearsalObservations = {
  nodes: ['n1'],
  flags,
  drained: true,
  message: 'drained node/n1: 3 pods moved, 0 not moved',
  errors: [],
  notMoved: [],
  evictions: ['shop/web-1', 'shop/web-2', 'shop/pinned-1'],
  refusals: new Map([['shop/web-2', { firstMs: 100, acceptedMs: 600, pdb: 'shop/web' }]]),
  pending: new Map([
    ['shop/pinned-2', { workload: 'Deployment shop/pinned', reason: '0/6 nodes are available', firstMs: 500, lastMs: 900, stillPending: true, before: false }],
    ['ops/old', { reason: 'no nodes', firstMs: 0, lastMs: 900, stillPending: true, before: true }],
  ]),
  drainEndMs: 800,
  endMs: 1000,
  timeoutAssumedSeconds: 600,
};

describe('drain rehearsal report', () => {
  it('turns wall-clock observations into simulated seconds: the drain up to its end, Pending pods up to the last look', () => {
    const r = buildDrainRehearsal(obs, 10);
    expect(r.result).toBe('drained');
    expect(r.simulatedSeconds).toBe(8);
    expect(r.evictions).toBe(3);
    expect(r.pdbBlocks).toEqual([{ pod: 'shop/web-2', pdb: 'shop/web', seconds: 5, evicted: true }]);
    expect(r.pending).toEqual([
      { pod: 'shop/pinned-2', workload: 'Deployment shop/pinned', reason: '0/6 nodes are available', stillPending: true, beforeDrain: false, seconds: 5 },
      { pod: 'ops/old', reason: 'no nodes', stillPending: true, beforeDrain: true, seconds: 10 },
    ]);
    expect(r.estimatedSeconds).toBe(8);
    // Left Pending by the drain: the rehearsal fails.
    expect(drainRehearsalExitCode(r)).toBe(1);
    expect(drainRehearsalExitCode({ ...r, pending: r.pending.filter((p) => p.beforeDrain) })).toBe(0);
    expect(drainRehearsalExitCode({ ...r, result: 'failed', pending: [] })).toBe(1);
  });

  it('stretches each budget to the live startup, the longest budget counting', () => {
    const holds = [
      { pod: 'a/1', pdb: 'a/web', seconds: 4, evicted: true },
      { pod: 'a/2', pdb: 'a/web', seconds: 6, evicted: true },
      { pod: 'b/1', pdb: 'b/db', seconds: 12, evicted: true },
      { pod: 'c/1', pdb: 'c/stuck', seconds: 100, evicted: false },
    ];
    // a/web: 10 simulated, 2 x 30 live; b/db: 12 simulated, 30 live. Longest live 60, longest simulated 12.
    expect(estimateDrainSeconds(20, holds, 30)).toBe(68);
    // Live pods faster than the copy's: never below the simulated drain.
    expect(estimateDrainSeconds(20, holds, 1)).toBe(20);
    expect(estimateDrainSeconds(20, holds, undefined)).toBe(20);
  });

  it('lists evictions, pods left behind, Pending pods and holds, and says what the drain of the node did', () => {
    const r = buildDrainRehearsal({ ...obs, drained: false, notMoved: ['shop/web-3'], errors: ['error when evicting pods/"web-3" -n "shop": global timeout reached: 600s'] }, 10, 30);
    expect(drainRehearsalRows(r).map((row) => [row.what, row.name, row.seconds])).toEqual([
      ['evict', 'shop/web-1', '0'],
      ['evict', 'shop/web-2', '5'],
      ['evict', 'shop/pinned-1', '0'],
      ['stays', 'shop/web-3', ''],
      ['pending', 'shop/pinned-2', '5'],
      ['pending', 'ops/old', '10'],
      ['pdb-hold', 'shop/web-2', '5'],
    ]);
    const summary = drainRehearsalSummary(r);
    expect(summary[0]).toBe('Rehearsal of the drain of node/n1 on a simulated copy (10x): failed');
    expect(summary).toContain('  evictions: 3; pods Pending: 2 (2 still Pending at the end, 1 already before the drain); PDB holds: 1');
    expect(summary).toContain('  --timeout 0 would wait forever: the rehearsal gave up after 10m');
    expect(summary.at(-1)).toBe('  error: error when evicting pods/"web-3" -n "shop": global timeout reached: 600s');
    expect(summary.join('\n')).not.toMatch(/migration/);
  });
});

describe('scheduling settled after a drain', () => {
  const rs: ReplicaSet = { metadata: { namespace: 'shop', name: 'web-abc', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true, apiVersion: 'apps/v1', uid: 'd' }] } };
  const deploy: Deployment = { metadata: { namespace: 'shop', name: 'web' }, spec: { replicas: 2, selector: {}, template: {} }, status: { availableReplicas: 1 } };
  const pod = (name: string, extra: { nodeName?: string; unschedulable?: boolean; terminating?: boolean }): Pod => ({
    metadata: {
      namespace: 'shop',
      name,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true, apiVersion: 'apps/v1', uid: 'r' }],
      ...(extra.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
    status: { phase: extra.nodeName ? 'Running' : 'Pending', conditions: extra.unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] : [] },
  });
  const settled = (pods: Pod[]) =>
    schedulingSettled([{ kind: 'Deployment', namespace: 'shop', name: 'web' }], { pods, replicasets: [rs], deployments: [deploy], statefulsets: [] });

  it('waits for the replacement to exist and for the scheduler to place or refuse it', () => {
    // The evicted pod terminating, no replacement yet.
    expect(settled([pod('a', { nodeName: 'n2' }), pod('b', { nodeName: 'n1', terminating: true })])).toBe(false);
    // The replacement exists, not looked at by the scheduler yet.
    expect(settled([pod('a', { nodeName: 'n2' }), pod('c', {})])).toBe(false);
    // Refused: settled (the report has it as Pending).
    expect(settled([pod('a', { nodeName: 'n2' }), pod('c', { unschedulable: true })])).toBe(true);
    // Placed: settled.
    expect(settled([pod('a', { nodeName: 'n2' }), pod('c', { nodeName: 'n3' })])).toBe(true);
  });
});
