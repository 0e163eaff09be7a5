import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import { evaluateGate, gateWaitingText, workloadOfPod } from '../../src/domain/migration-gate.js';
import { migrationPreflight, PoolNotFoundError } from '../../src/domain/migration-preflight.js';

const POOL = 'eks.amazonaws.com/nodegroup';

interface NodeOptions {
  cpu?: string;
  memory?: string;
  version?: string;
  taints?: { key: string; value?: string; effect: string }[];
  labels?: Record<string, string>;
  unschedulable?: boolean;
}

function node(name: string, pool: string, o: NodeOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [POOL]: pool, 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeletVersion: o.version ?? 'v1.30.2' },
    },
  };
}

interface PodOptions {
  owner?: { kind: string; name: string };
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  emptyDir?: boolean;
  phase?: string;
  ready?: boolean;
  deleting?: boolean;
}

function pod(name: string, nodeName: string | undefined, o: PodOptions = {}): KubeObject {
  const owner = o.owner === undefined ? { kind: 'ReplicaSet', name: 'web-abc' } : o.owner;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ownerReferences: owner.kind ? [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true }] : [],
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: o.cpu ?? '500m', memory: o.memory ?? '1Gi' } } }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

function pdb(name: string, app: string, status: Record<string, number>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'shop', generation: 1 },
    spec: { selector: { matchLabels: { app } } },
    status: { observedGeneration: 1, ...status },
  };
}

const rs = (name: string, deployment: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: `uid-${deployment}`, controller: true }] },
  spec: { replicas: 3 },
});

const workload = (kind: string, name: string, replicas: number, availableReplicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'shop' },
  spec: { replicas },
  status: { availableReplicas },
});

describe('migration preflight', () => {
  const nodes = [node('old-1', 'old'), node('old-2', 'old'), node('new-1', 'new'), node('gpu-1', 'gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })];

  it('fits the source pool pods on the target pool and lists every eviction', () => {
    const pods = [pod('a', 'old-1'), pod('b', 'old-2'), pod('c', 'new-1')];
    const result = migrationPreflight({ nodes, pods, from: 'old', to: ['new'], apiServerVersion: 'v1.30.4' });
    expect(result.sourceNodes).toEqual(['old-1', 'old-2']);
    expect(result.targetNodes).toEqual(['new-1']);
    expect(result.evictions).toEqual(['shop/a', 'shop/b']);
    expect(result.requested).toEqual({ cpuMillis: 1000, memoryBytes: 2 * 1024 ** 3 });
    // new-1: 4 CPU and 8Gi allocatable, 500m and 1Gi used by c.
    expect(result.free).toEqual({ cpuMillis: 3500, memoryBytes: 7 * 1024 ** 3 });
    expect(result.unplaced).toEqual([]);
    expect(result.blockers).toEqual([]);
  });

  it('reports pods that no longer fit the target pool by their requests', () => {
    const pods = [pod('a', 'old-1', { memory: '5Gi' }), pod('b', 'old-2', { memory: '5Gi' })];
    const result = migrationPreflight({ nodes, pods, from: 'old', to: ['new'] });
    expect(result.unplaced).toEqual([{ namespace: 'shop', name: 'b', reason: 'insufficient memory', sourceOnly: false }]);
    expect(result.blockers).toEqual(['pod shop/b would stay Pending: insufficient memory']);
  });

  it('flags pods whose nodeSelector or tolerations fit only the source pool', () => {
    const pinned = pod('pinned', 'old-1', { nodeSelector: { [POOL]: 'old' } });
    const result = migrationPreflight({ nodes, pods: [pinned, pod('free', 'old-2')], from: 'old' });
    // "any other node": new-1 and the tainted gpu-1; the pinned pod fits neither.
    expect(result.targetNodes).toEqual(['new-1', 'gpu-1']);
    expect(result.unplaced).toEqual([{ namespace: 'shop', name: 'pinned', reason: "0/2 nodes are available: 1 node affinity/selector doesn't match, 1 untolerated taint gpu=true:NoSchedule", sourceOnly: true }]);
    expect(result.blockers).toEqual(['pod shop/pinned would stay Pending: it fits only the source pool']);
  });

  it('does not call a pod source-only when it fits a target node that is merely full', () => {
    const big = pod('big', 'old-1', { cpu: '5' });
    const result = migrationPreflight({ nodes, pods: [big], from: 'old', to: ['new'] });
    expect(result.unplaced).toEqual([{ namespace: 'shop', name: 'big', reason: 'insufficient cpu', sourceOnly: false }]);
  });

  it('lists PDB blockers, and calls a budget that can never allow a disruption a blocker', () => {
    const pods = [pod('w1', 'old-1', { labels: { app: 'web' } }), pod('d1', 'old-2', { labels: { app: 'db' }, owner: { kind: 'StatefulSet', name: 'db' } })];
    const pdbs = [
      pdb('web', 'web', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 }),
      pdb('db', 'db', { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 }),
    ];
    const result = migrationPreflight({ nodes, pods, pdbs, from: 'old', to: ['new'] });
    expect(result.pdbBlockers.map((b) => [b.name, b.pods, b.permanent])).toEqual([
      ['web', ['shop/w1'], false],
      ['db', ['shop/d1'], true],
    ]);
    expect(result.warnings).toEqual(['PodDisruptionBudget shop/web allows 0 disruptions now: 1 pod waits for it']);
    expect(result.blockers).toEqual(['PodDisruptionBudget shop/db never allows a disruption (1 pod cannot be evicted)']);
  });

  it('reports the pods a default drain refuses, with kubectl errors', () => {
    const pods = [pod('scratch', 'old-1', { emptyDir: true }), pod('bare', 'old-2', { owner: { kind: '', name: '' } })];
    const result = migrationPreflight({ nodes, pods, from: 'old', to: ['new'] });
    expect(result.refusals).toEqual([
      'node/old-1: cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/scratch',
      'node/old-2: cannot delete cannot delete Pods that declare no controller (use --force to override): shop/bare',
    ]);
    expect(result.evictions).toEqual([]);
    const forced = migrationPreflight({ nodes, pods, from: 'old', to: ['new'], drain: { deleteEmptyDirData: true, force: true } });
    expect(forced.refusals).toEqual([]);
    expect(forced.evictions).toEqual(['shop/scratch', 'shop/bare']);
  });

  it('leaves DaemonSet pods in place', () => {
    const result = migrationPreflight({ nodes, pods: [pod('agent', 'old-1', { owner: { kind: 'DaemonSet', name: 'agent' } })], from: 'old', to: ['new'] });
    expect(result.evictions).toEqual([]);
    expect(result.refusals).toEqual([]);
  });

  it('reports the target pools kubelet skew and blocks on an unsupported one', () => {
    const skewed = [node('old-1', 'old'), node('new-1', 'new', { version: 'v1.31.0' })];
    const result = migrationPreflight({ nodes: skewed, pods: [], from: 'old', to: ['new'], apiServerVersion: 'v1.30.4' });
    expect(result.skew).toEqual([{ pool: 'new', kubeletVersions: ['v1.31.0'], skew: { minorsBehind: -1, supported: false, reason: 'kubelet 1.31 is newer than kube-apiserver 1.30' } }]);
    expect(result.blockers).toEqual(['pool new: kubelet 1.31 is newer than kube-apiserver 1.30']);
  });

  it('skips cordoned target nodes and says when none is left', () => {
    const result = migrationPreflight({ nodes: [node('old-1', 'old'), node('new-1', 'new', { unschedulable: true })], pods: [], from: 'old', to: ['new'] });
    expect(result.targetNodes).toEqual([]);
    expect(result.blockers).toEqual(['no Ready, schedulable target node']);
  });

  it('refuses unknown pools and a target equal to the source', () => {
    expect(() => migrationPreflight({ nodes, pods: [], from: 'nope' })).toThrow(new PoolNotFoundError('node pool "nope" not found (pools: gpu, new, old)'));
    expect(() => migrationPreflight({ nodes, pods: [], from: 'old', to: ['old'] })).toThrow('is the source pool');
  });
});

describe('availability gate', () => {
  const replicasets = [rs('web-abc', 'web')];
  const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
  const db = { kind: 'StatefulSet', namespace: 'shop', name: 'db' };
  const dbPod = (name: string, o: PodOptions = {}) => pod(name, 'new-1', { owner: { kind: 'StatefulSet', name: 'db' }, ...o });

  it('lifts a ReplicaSet pod to its Deployment', () => {
    expect(workloadOfPod(pod('a', 'n'), new Map(replicasets.map((r) => [`shop/${r.metadata.name}`, r])))).toEqual(web);
    expect(workloadOfPod(dbPod('db-0'), new Map())).toEqual(db);
    expect(workloadOfPod(pod('bare', 'n', { owner: { kind: '', name: '' } }), new Map())).toBeUndefined();
  });

  it('opens when every workload has its desired replicas Ready and available, and nothing Pending', () => {
    const gate = evaluateGate([web, db], {
      pods: [pod('a', 'n'), pod('b', 'n'), pod('c', 'n'), dbPod('db-0'), dbPod('db-1')],
      replicasets,
      deployments: [workload('Deployment', 'web', 3, 3)],
      statefulsets: [workload('StatefulSet', 'db', 2, 2)],
    });
    expect(gate.open).toBe(true);
    expect(gate.workloads.map((w) => [w.workload.name, w.desired, w.available, w.satisfied])).toEqual([
      ['web', 3, 3, true],
      ['db', 2, 2, true],
    ]);
  });

  it('holds while a replacement is Pending, unready, or the controller has not counted it yet', () => {
    const objects = {
      pods: [pod('a', 'n'), pod('b', 'n'), pod('c', undefined, { phase: 'Pending', ready: false }), dbPod('db-0'), dbPod('db-1', { ready: false })],
      replicasets,
      deployments: [workload('Deployment', 'web', 3, 2)],
      statefulsets: [workload('StatefulSet', 'db', 2, 2)],
    };
    const gate = evaluateGate([web, db], objects);
    expect(gate.open).toBe(false);
    expect(gate.workloads.map((w) => [w.workload.name, w.reason, w.pending])).toEqual([
      ['web', '2/3 available, 1 Pending', ['shop/c']],
      ['db', '1/2 available', []],
    ]);
    expect(gateWaitingText(gate)).toBe('waiting for Deployment shop/web (2/3 available, 1 Pending), StatefulSet shop/db (1/2 available)');
    // Pods all Ready, but the StatefulSet's status still counts one short (minReadySeconds, or not synced yet).
    const lagging = evaluateGate([db], { ...objects, pods: [dbPod('db-0'), dbPod('db-1')], statefulsets: [workload('StatefulSet', 'db', 2, 1)] });
    expect(lagging.open).toBe(false);
  });

  it('does not count a terminating pod as available', () => {
    const gate = evaluateGate([web], {
      pods: [pod('a', 'n'), pod('b', 'n'), pod('c', 'old-1', { deleting: true })],
      replicasets,
      deployments: [workload('Deployment', 'web', 3, 3)],
      statefulsets: [],
    });
    expect(gate.workloads[0]).toMatchObject({ available: 2, satisfied: false, reason: '2/3 available' });
  });

  it('lets a deleted workload go, and holds other controllers only on Pending pods', () => {
    const job = { kind: 'Job', namespace: 'shop', name: 'batch' };
    const jobPod = (name: string, phase: string) => pod(name, phase === 'Pending' ? undefined : 'n', { owner: { kind: 'Job', name: 'batch' }, phase });
    const objects = { replicasets, deployments: [], statefulsets: [] };
    expect(evaluateGate([web, job], { ...objects, pods: [jobPod('j1', 'Running')] }).open).toBe(true);
    expect(evaluateGate([job], { ...objects, pods: [jobPod('j1', 'Pending')] }).workloads[0]).toMatchObject({ satisfied: false, reason: '1 Pending' });
  });
});
