import { describe, expect, it } from 'vitest';
import { parseAuditLines } from '../../src/domain/audit-entries.js';
import { previewDrain } from '../../src/domain/drain-preview.js';
import { drainPlanText, drainProgressCounts, drainProgressItems } from '../../src/domain/drain-text.js';
import { type KubeObject, objectKey } from '@daytwo/k8s/kube-object.js';
import type { Operation } from '../../src/domain/operations.js';

function node(name: string, opts: { unschedulable?: boolean; cpu?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: opts.unschedulable ? { unschedulable: true } : {},
    status: { allocatable: { cpu: opts.cpu ?? '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, nodeName: string, opts: { owner?: string; cpu?: string; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: opts.labels ?? {},
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: opts.owner, name: 'web', uid: 'rs-uid', controller: true }] } : {}),
    },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: opts.cpu ?? '500m' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const byKey = (objects: KubeObject[]) => new Map(objects.map((o) => [objectKey(o), o]));

function input(nodes: KubeObject[], pods: KubeObject[], pdbs: KubeObject[] = []) {
  return { nodes: byKey(nodes), pods: byKey(pods), daemonsets: new Map<string, KubeObject>(), poddisruptionbudgets: byKey(pdbs) };
}

describe('previewDrain', () => {
  it('plans every node and checks capacity without the drained nodes', () => {
    const objects = input(
      [node('a'), node('b'), node('c', { cpu: '1' })],
      [pod('web-1', 'a', { owner: 'ReplicaSet', cpu: '800m' }), pod('web-2', 'b', { owner: 'ReplicaSet', cpu: '800m' }), pod('bare', 'a')],
    );
    const preview = previewDrain(['a', 'b'], objects, { force: true });
    expect(preview.plans.map((p) => p.node)).toEqual(['a', 'b']);
    expect(preview.blocked).toBe(false);
    // Only c is left, with room for one 800m pod; the forced bare pod is not recreated.
    expect(preview.capacity.fits).toBe(false);
    expect(preview.capacity.pods.map((p) => [p.name, p.fits, p.node ?? p.reason])).toEqual([
      ['web-1', true, 'c'],
      ['web-2', false, 'insufficient cpu'],
    ]);
  });

  it('is blocked when kubectl would refuse a node', () => {
    const preview = previewDrain(['a'], input([node('a'), node('b')], [pod('bare', 'a')]));
    expect(preview.blocked).toBe(true);
    expect(drainPlanText(preview)).toEqual({
      summary: [
        '0 to evict, 0 skipped, 1 blocked',
        'refused: cannot delete cannot delete Pods that declare no controller (use --force to override): shop/bare',
        'capacity: room on the other nodes for the 0 pods to reschedule',
      ],
      details: ['  BLOCKED shop/bare  no controller (use --force)'],
    });
  });
});

describe('drainPlanText', () => {
  const pdb: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop', generation: 1 },
    spec: { selector: { matchLabels: { app: 'web' } } },
    status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, observedGeneration: 1 },
  };

  it('summarises several nodes in one line and lists every pod per node, blocked and PDB-held first, in the details', () => {
    const objects = input(
      [node('a.example'), node('b.example'), node('c.example', { cpu: '100m' })],
      [pod('p1', 'a.example', { owner: 'ReplicaSet' }), pod('p2', 'a.example', { owner: 'ReplicaSet', labels: { app: 'web' } }), pod('p3', 'b.example', { owner: 'ReplicaSet' })],
      [pdb],
    );
    expect(drainPlanText(previewDrain(['a.example', 'b.example'], objects))).toEqual({
      summary: [
        '2 nodes: 3 to evict, 0 skipped, 0 blocked, 1 held by a PDB now',
        'capacity: NO ROOM for shop/p1 (insufficient cpu), shop/p2 (insufficient cpu), shop/p3 (insufficient cpu)',
      ],
      details: [
        'a: 2 to evict, 0 skipped, 0 blocked, 1 held by a PDB now',
        '  evict   shop/p2  PDB web: 0 allowed now',
        '  evict   shop/p1  managed by a controller',
        'b: 1 to evict, 0 skipped, 0 blocked',
        '  evict   shop/p3  managed by a controller',
        'no room: shop/p1 (insufficient cpu)',
        'no room: shop/p2 (insufficient cpu)',
        'no room: shop/p3 (insufficient cpu)',
      ],
    });
  });

  it('keeps the summary of a 30-node pool to a few lines, whatever the pods, and cuts lines to the width', () => {
    const names = Array.from({ length: 30 }, (_, i) => `n${i}.example`);
    const pods = names.flatMap((n, i) => [pod(`web-${i}`, n, { owner: 'ReplicaSet' }), pod(`bare-${i}`, n)]);
    const text = drainPlanText(previewDrain(names, input([...names.map((n) => node(n)), node('spare', { cpu: '64' })], pods)), 40);
    expect(text.summary).toEqual([
      '30 nodes: 30 to evict, 0 skipped, 30 bl…',
      'refused: 30 of 30 nodes (n0, n1, n2 +27…',
      'capacity: room on the other nodes for t…',
    ]);
    // Every pod is in the details: none is left out as "… and N more".
    expect(text.details.filter((l) => /^ {2}(evict|BLOCKED)/.test(l))).toHaveLength(60);
    expect(text.details.every((l) => l.length <= 40)).toBe(true);
  });
});

describe('drain progress', () => {
  const op: Operation = {
    id: 'd',
    action: 'drain',
    target: 'node/a',
    state: 'running',
    startedAt: 0,
    items: [
      { key: 'shop/done', state: 'running-elsewhere', message: 'running again on b as done-x' },
      { key: 'node/a', state: 'draining' },
      { key: 'kube-system/ds', state: 'skipped' },
      { key: 'shop/held', state: 'waiting-for-pdb' },
      { key: 'shop/gone', state: 'terminated' },
      { key: 'shop/going', state: 'evicting' },
      { key: 'shop/stuck', state: 'not-evicted' },
    ],
  };

  it('counts moved, waiting, in-flight and not-moved pods', () => {
    expect(drainProgressCounts(op)).toEqual({ moved: 2, waiting: 1, inFlight: 1, notMoved: 1 });
  });

  it('orders nodes, then waiting, moving, stuck and moved pods, without skipped ones', () => {
    expect(drainProgressItems(op).map((i) => i.key)).toEqual(['node/a', 'shop/held', 'shop/going', 'shop/stuck', 'shop/done', 'shop/gone']);
  });
});

describe('parseAuditLines', () => {
  it('turns JSON lines into rows, newest first, and keeps unreadable lines visible', () => {
    const rows = parseAuditLines([
      JSON.stringify({ time: '2026-11-21T10:00:00Z', context: 'prod', user: 'me', action: 'cordon', target: 'node/a', phase: 'start' }),
      'not json',
      JSON.stringify({ time: '2026-11-21T10:00:01Z', context: 'prod', user: 'me', action: 'drain', target: 'node/a', phase: 'end', result: 'cancelled', options: { force: true }, message: 'drain cancelled' }),
    ]);
    expect(rows.map((r) => [r.index, r.action, r.phase, r.result, r.options, r.message])).toEqual([
      [2, 'drain', 'end', 'cancelled', '{"force":true}', 'drain cancelled'],
      [1, '', '', 'unreadable', '', 'not json'],
      [0, 'cordon', 'start', '', '', ''],
    ]);
  });
});
