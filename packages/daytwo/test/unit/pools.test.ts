import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { podRequests } from '@daytwo/k8s/pod-requests.js';
import {
  buildNodePools,
  NODE_COLUMNS,
  nodeRoles,
  nodeRows,
  nodeStatus,
  POOL_COLUMNS,
  poolOf,
} from '../../src/domain/pools.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

interface NodeSpec {
  labels?: Record<string, string>;
  ready?: 'True' | 'False' | 'Unknown' | null;
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: string }[];
  kubelet?: string;
  cpu?: string;
  memory?: string;
  created?: string;
  pressure?: string[];
}

/** A Node as the API server returns it (trimmed to the fields read). */
function node(name: string, s: NodeSpec = {}): KubeObject {
  const conditions: { type: string; status: string; reason: string }[] = [
    'MemoryPressure',
    'DiskPressure',
    'PIDPressure',
  ].map((type) => ({ type, status: s.pressure?.includes(type) ? 'True' : 'False', reason: `KubeletHas${type}` }));
  if (s.ready !== null) conditions.push({ type: 'Ready', status: s.ready ?? 'True', reason: 'KubeletReady' });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '1234',
      creationTimestamp: s.created ?? '2026-11-01T12:00:00Z',
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...s.labels,
      },
    },
    spec: {
      providerID: `aws:///eu-west-1a/i-${name}`,
      ...(s.unschedulable ? { unschedulable: true } : {}),
      ...(s.taints ? { taints: s.taints } : {}),
    },
    status: {
      capacity: { cpu: '4', memory: '16094620Ki', pods: '110', 'ephemeral-storage': '83873772Ki' },
      allocatable: { cpu: s.cpu ?? '3920m', memory: s.memory ?? '15944220Ki', pods: '110', 'ephemeral-storage': '77298068Ki' },
      conditions,
      nodeInfo: { kubeletVersion: s.kubelet ?? 'v1.30.4', containerRuntimeVersion: 'containerd://1.7.22', osImage: 'Amazon Linux 2023' },
    },
  };
}

interface PodSpec {
  node?: string;
  phase?: string;
  containers?: { cpu?: string; memory?: string }[];
  init?: { cpu?: string; memory?: string; sidecar?: boolean }[];
  overhead?: Record<string, string>;
  podLevel?: Record<string, string>;
}

function pod(name: string, s: PodSpec = {}): KubeObject {
  const resources = (r: { cpu?: string; memory?: string }) => ({
    requests: { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}) },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-11-20T00:00:00Z' },
    spec: {
      ...(s.node ? { nodeName: s.node } : {}),
      containers: (s.containers ?? [{}]).map((c, i) => ({ name: `c${i}`, image: 'nginx:1.27', resources: resources(c) })),
      ...(s.init
        ? {
            initContainers: s.init.map((c, i) => ({
              name: `init${i}`,
              image: 'busybox:1.36',
              resources: resources(c),
              ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
            })),
          }
        : {}),
      ...(s.overhead ? { overhead: s.overhead } : {}),
      ...(s.podLevel ? { resources: { requests: s.podLevel } } : {}),
    },
    status: { phase: s.phase ?? 'Running' },
  };
}

const millicores = (p: KubeObject) => Number((podRequests(p).get('cpu') ?? 0n) / 1_000_000n);

describe('podRequests (resourcehelper.PodRequests)', () => {
  it('sums app containers', () => {
    expect(millicores(pod('a', { containers: [{ cpu: '100m' }, { cpu: '0.25' }] }))).toBe(350);
  });

  it('takes the larger of the containers sum and the biggest init container', () => {
    expect(millicores(pod('a', { containers: [{ cpu: '100m' }], init: [{ cpu: '500m' }, { cpu: '200m' }] }))).toBe(500);
    expect(millicores(pod('a', { containers: [{ cpu: '600m' }], init: [{ cpu: '500m' }] }))).toBe(600);
  });

  it('adds sidecars to the app containers and to every later init container', () => {
    // sidecar 100m runs with the app (300m) => 400m; init after it needs 350m + 100m = 450m.
    const p = pod('a', { containers: [{ cpu: '300m' }], init: [{ cpu: '100m', sidecar: true }, { cpu: '350m' }] });
    expect(millicores(p)).toBe(450);
    const before = pod('a', { containers: [{ cpu: '300m' }], init: [{ cpu: '350m' }, { cpu: '100m', sidecar: true }] });
    expect(millicores(before)).toBe(400);
  });

  it('adds overhead and lets pod-level requests override cpu and memory', () => {
    expect(millicores(pod('a', { containers: [{ cpu: '100m' }], overhead: { cpu: '250m' } }))).toBe(350);
    const p = pod('a', { containers: [{ cpu: '100m', memory: '64Mi' }], podLevel: { cpu: '1' } });
    expect(millicores(p)).toBe(1000);
    expect(podRequests(p).get('memory')).toBe(64n * 1024n * 1024n * 1_000_000_000n);
  });
});

describe('poolOf', () => {
  it('uses the first pool label present, in the documented order', () => {
    const n = node('n1', {
      labels: { 'eks.amazonaws.com/nodegroup': 'ng-1', 'karpenter.sh/nodepool': 'default', agentpool: 'x' },
    });
    expect(poolOf(n)).toEqual({ name: 'default', label: 'karpenter.sh/nodepool' });
    expect(poolOf(node('n2', { labels: { 'cloud.google.com/gke-nodepool': 'pool-1', agentpool: 'x' } }))).toEqual({
      name: 'pool-1',
      label: 'cloud.google.com/gke-nodepool',
    });
    expect(poolOf(node('n3', { labels: { agentpool: 'nodepool1' } }))).toEqual({ name: 'nodepool1', label: 'agentpool' });
  });

  it('falls back to the instance type, then (none)', () => {
    expect(poolOf(node('n1', { labels: { 'node.kubernetes.io/instance-type': 'm5.large' } }))).toEqual({
      name: 'm5.large',
      label: 'node.kubernetes.io/instance-type',
    });
    expect(poolOf(node('n2'))).toEqual({ name: '(none)' });
  });
});

describe('nodeStatus and nodeRoles (kubectl get nodes)', () => {
  it('prints Ready, NotReady (False or Unknown) and Unknown (no condition), plus SchedulingDisabled', () => {
    expect(nodeStatus(node('a')).status).toBe('Ready');
    expect(nodeStatus(node('a', { ready: 'False' })).status).toBe('NotReady');
    expect(nodeStatus(node('a', { ready: 'Unknown' }))).toEqual({ status: 'NotReady', readiness: 'NotReady' });
    expect(nodeStatus(node('a', { ready: null }))).toEqual({ status: 'Unknown', readiness: 'Unknown' });
    expect(nodeStatus(node('a', { unschedulable: true })).status).toBe('Ready,SchedulingDisabled');
    expect(nodeStatus(node('a', { ready: 'False', unschedulable: true })).status).toBe('NotReady,SchedulingDisabled');
  });

  it('lists node-role labels sorted, plus kubernetes.io/role, or <none>', () => {
    const n = node('a', {
      labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': 'x' },
    });
    expect(nodeRoles(n)).toBe('control-plane,worker');
    expect(nodeRoles(node('b', { labels: { 'kubernetes.io/role': 'master' } }))).toBe('master');
    expect(nodeRoles(node('c', { labels: { 'kubernetes.io/role': '' } }))).toBe('<none>');
  });
});

describe('buildNodePools', () => {
  const nodes = [
    node('ip-10-0-1-10', {
      labels: { 'karpenter.sh/nodepool': 'general', 'node.kubernetes.io/instance-type': 'm5.xlarge', 'topology.kubernetes.io/zone': 'eu-west-1a' },
      kubelet: 'v1.30.4-eks-a737599',
    }),
    node('ip-10-0-2-20', {
      labels: { 'karpenter.sh/nodepool': 'general', 'node.kubernetes.io/instance-type': 'm5.2xlarge', 'topology.kubernetes.io/zone': 'eu-west-1b' },
      kubelet: 'v1.27.9-eks-5e0fdde',
      unschedulable: true,
      pressure: ['DiskPressure'],
      cpu: '7910m',
      memory: '31Gi',
    }),
    node('ip-10-0-3-30', {
      labels: { 'eks.amazonaws.com/nodegroup': 'gpu', 'node.kubernetes.io/instance-type': 'g5.xlarge', 'topology.kubernetes.io/zone': 'eu-west-1a' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      ready: 'False',
    }),
    node('ip-10-0-4-40', { labels: { 'node.kubernetes.io/instance-type': 't3.medium' }, ready: null }),
  ];
  const pods = [
    pod('web-1', { node: 'ip-10-0-1-10', containers: [{ cpu: '500m', memory: '512Mi' }] }),
    pod('web-2', { node: 'ip-10-0-1-10', containers: [{ cpu: '1', memory: '1Gi' }] }),
    pod('job-done', { node: 'ip-10-0-1-10', phase: 'Succeeded', containers: [{ cpu: '2' }] }),
    pod('pending', { containers: [{ cpu: '2' }] }),
    pod('db-0', { node: 'ip-10-0-2-20', containers: [{ cpu: '2', memory: '8Gi' }] }),
  ];
  const pools = buildNodePools(nodes, pods, { apiServerVersion: 'v1.31.2-eks-7f9249a', now: NOW });

  it('groups nodes by pool label, with instance types and zones', () => {
    expect(pools.map((p) => [p.name, p.label, p.nodes.map((n) => n.name)])).toEqual([
      ['general', 'karpenter.sh/nodepool', ['ip-10-0-1-10', 'ip-10-0-2-20']],
      ['gpu', 'eks.amazonaws.com/nodegroup', ['ip-10-0-3-30']],
      ['t3.medium', 'node.kubernetes.io/instance-type', ['ip-10-0-4-40']],
    ]);
    expect(pools[0].instanceTypes).toEqual(['m5.2xlarge', 'm5.xlarge']);
    expect(pools[0].zones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('counts Ready, NotReady and cordoned nodes', () => {
    expect([pools[0].ready, pools[0].notReady, pools[0].cordoned]).toEqual([2, 0, 1]);
    expect([pools[1].ready, pools[1].notReady]).toEqual([0, 1]);
    expect([pools[2].ready, pools[2].notReady]).toEqual([0, 1]);
  });

  it('flags mixed kubelet versions and reports the worst skew', () => {
    expect(pools[0].kubeletVersions).toEqual(['v1.27.9-eks-5e0fdde', 'v1.30.4-eks-a737599']);
    expect(pools[0].mixedVersions).toBe(true);
    expect(pools[0].worstSkew).toMatchObject({ minorsBehind: 4, supported: false });
    expect(pools[1].mixedVersions).toBe(false);
    expect(pools[1].worstSkew).toEqual({ minorsBehind: 1, supported: true });
  });

  it('sums allocatable and the requests of non-terminated pods bound to the pool', () => {
    const general = pools[0];
    expect(general.cpuAllocatableMillis).toBe(3920 + 7910);
    expect(general.memoryAllocatableBytes).toBe(15944220 * 1024 + 31 * 1024 ** 3);
    expect(general.cpuRequestedMillis).toBe(500 + 1000 + 2000);
    expect(general.memoryRequestedBytes).toBe((512 + 1024 + 8192) * 1024 * 1024);
    expect(general.cpuRequestRatio).toBeCloseTo(3500 / 11830, 10);
    expect(general.pods).toBe(3);
    expect(pools[1].pods).toBe(0);
    expect(pools[1].cpuRequestRatio).toBe(0);
  });

  it('collects taints as key=value:Effect', () => {
    expect(pools[1].taints).toEqual(['nvidia.com/gpu=true:NoSchedule']);
    expect(pools[0].taints).toEqual([]);
  });

  it('builds per-node rows like kubectl', () => {
    const rows = nodeRows(nodes, pods, { apiServerVersion: 'v1.31.2', now: NOW });
    const cordoned = rows.find((r) => r.name === 'ip-10-0-2-20')!;
    expect(cordoned).toMatchObject({
      status: 'Ready,SchedulingDisabled',
      cordoned: true,
      roles: '<none>',
      age: '20d',
      pods: 1,
      pressure: ['DiskPressure'],
      skew: { minorsBehind: 4, supported: false },
    });
    expect(cordoned.memoryRequestRatio).toBeCloseTo(8 / 31, 10);
    const first = rows.find((r) => r.name === 'ip-10-0-1-10')!;
    expect(first.pods).toBe(2);
    expect(first.cpuRequestedMillis).toBe(1500);
  });

  it('omits skew without an API server version', () => {
    expect(nodeRows(nodes, [], { now: NOW })[0].skew).toBeUndefined();
  });

  it('keeps pools with the same name from different labels apart', () => {
    const split = buildNodePools(
      [node('a', { labels: { 'karpenter.sh/nodepool': 'default' } }), node('b', { labels: { agentpool: 'default' } })],
      [],
      { now: NOW },
    );
    expect(split.map((p) => [p.name, p.label])).toEqual([
      ['default', 'agentpool'],
      ['default', 'karpenter.sh/nodepool'],
    ]);
  });
});

describe('column definitions', () => {
  const rows = nodeRows(
    [node('n1', { unschedulable: true, pressure: ['MemoryPressure', 'PIDPressure'], kubelet: 'v1.29.8' })],
    [pod('p', { node: 'n1', containers: [{ cpu: '1960m', memory: '1Gi' }] })],
    { apiServerVersion: 'v1.30.4', now: NOW },
  );

  it('render node cells', () => {
    const cells = Object.fromEntries(NODE_COLUMNS.map((c) => [c.header, c.value(rows[0])]));
    expect(cells).toMatchObject({
      NAME: 'n1',
      STATUS: 'Ready,SchedulingDisabled',
      ROLES: '<none>',
      AGE: '20d',
      VERSION: 'v1.29.8',
      SKEW: '-1',
      PODS: '1',
      'CPU REQ': '50%',
      PRESSURE: 'MemoryPressure,PIDPressure',
    });
  });

  it('render pool cells', () => {
    const [pool] = buildNodePools(
      [node('n1', { kubelet: 'v1.29.8' }), node('n2', { kubelet: 'v1.30.4' })],
      [pod('p', { node: 'n1', containers: [{ cpu: '1960m', memory: '1Gi' }] })],
      { apiServerVersion: 'v1.30.4', now: NOW },
    );
    const cells = Object.fromEntries(POOL_COLUMNS.map((c) => [c.header, c.value(pool)]));
    expect(cells).toMatchObject({
      POOL: '(none)',
      LABEL: '<none>',
      NODES: '2',
      READY: '2/2',
      VERSIONS: 'v1.29.8,v1.30.4 (mixed)',
      'CPU REQ/ALLOC': '1.96/7.84',
      'CPU%': '25%',
      TAINTS: '<none>',
    });
  });
});
