import { describe, expect, it } from 'vitest';
import { matchesNodeSelectorAndAffinity, nodeSelectorTermMatches } from '@daytwo/k8s/node-affinity.js';
import { podsToReschedule, simulateCapacity } from '../../src/domain/capacity.js';
import { planDrain } from '../../src/domain/drain-plan.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { firstUntoleratedTaint, formatTaint, toleratesTaint } from '@daytwo/k8s/taints.js';

interface NodeOptions {
  labels?: Record<string, string>;
  ready?: boolean;
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: string }[];
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
}

function node(name: string, o: NodeOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...o.labels } },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: o.pods ?? '110', 'ephemeral-storage': '50Gi', ...o.extra },
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

interface PodOptions {
  node?: string;
  cpu?: string;
  memory?: string;
  gpu?: string;
  phase?: string;
  tolerations?: Record<string, unknown>[];
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
}

function pod(name: string, o: PodOptions = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  if (o.gpu) requests['nvidia.com/gpu'] = o.gpu;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      containers: [{ name: 'main', image: 'app:1', resources: { requests, ...(o.gpu ? { limits: { 'nvidia.com/gpu': o.gpu } } : {}) } }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ...(o.tolerations ?? []),
      ],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
    },
    status: { phase: o.phase ?? 'Running' },
  };
}

const required = (...terms: Record<string, unknown>[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});

describe('tolerations (ToleratesTaint)', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

  it('matches Equal on key, value and effect', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('matches Exists regardless of value, and an empty key with Exists matches every taint', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, taint)).toBe(false);
  });

  it('rejects unknown operators', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Gt', value: 'gpu' }, taint)).toBe(false);
  });

  it('ignores PreferNoSchedule taints when filtering', () => {
    expect(firstUntoleratedTaint([{ key: 'a', effect: 'PreferNoSchedule' }], [])).toBeUndefined();
    expect(firstUntoleratedTaint([{ key: 'a', effect: 'NoExecute' }], [])).toEqual({ key: 'a', effect: 'NoExecute' });
  });

  it('formats taints like kubectl', () => {
    expect(formatTaint(taint)).toBe('dedicated=gpu:NoSchedule');
    expect(formatTaint({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' })).toBe('node-role.kubernetes.io/control-plane:NoSchedule');
  });
});

describe('node affinity and nodeSelector', () => {
  const n = node('n1', { labels: { 'topology.kubernetes.io/zone': 'eu-west-1a', 'karpenter.k8s.aws/instance-cpu': '8' } });

  it('requires every nodeSelector label', () => {
    expect(matchesNodeSelectorAndAffinity(pod('p', { nodeSelector: { 'topology.kubernetes.io/zone': 'eu-west-1a' } }), n)).toBe(true);
    expect(matchesNodeSelectorAndAffinity(pod('p', { nodeSelector: { 'topology.kubernetes.io/zone': 'eu-west-1b' } }), n)).toBe(false);
  });

  it('implements each operator on labels', () => {
    const term = (key: string, operator: string, values?: string[]) => nodeSelectorTermMatches({ matchExpressions: [{ key, operator, values }] }, n);
    expect(term('topology.kubernetes.io/zone', 'In', ['eu-west-1a', 'eu-west-1b'])).toBe(true);
    expect(term('topology.kubernetes.io/zone', 'NotIn', ['eu-west-1a'])).toBe(false);
    expect(term('missing', 'NotIn', ['x'])).toBe(true);
    expect(term('topology.kubernetes.io/zone', 'Exists')).toBe(true);
    expect(term('missing', 'DoesNotExist')).toBe(true);
    expect(term('karpenter.k8s.aws/instance-cpu', 'Gt', ['4'])).toBe(true);
    expect(term('karpenter.k8s.aws/instance-cpu', 'Lt', ['8'])).toBe(false);
    expect(term('topology.kubernetes.io/zone', 'Gt', ['1'])).toBe(false);
    expect(term('topology.kubernetes.io/zone', 'In', [])).toBe(false);
  });

  it('matches metadata.name fields and never matches an empty term', () => {
    expect(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, n)).toBe(true);
    expect(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }, n)).toBe(false);
    expect(nodeSelectorTermMatches({}, n)).toBe(false);
  });

  it('ORs terms and ANDs requirements within a term', () => {
    const affinity = required(
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1b'] }] },
      {
        matchExpressions: [
          { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] },
          { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['2'] },
        ],
      },
    );
    expect(matchesNodeSelectorAndAffinity(pod('p', { affinity }), n)).toBe(true);
  });
});

describe('simulateCapacity', () => {
  it('places pods first-fit by node name and reserves their requests', () => {
    const nodes = [node('b', { cpu: '2' }), node('a', { cpu: '1' }), node('drained', { cpu: '8' })];
    const result = simulateCapacity({
      pods: [pod('small', { cpu: '500m' }), pod('big', { cpu: '1500m' }), pod('mid', { cpu: '800m' })],
      nodes,
      boundPods: [],
      excludeNodes: ['drained'],
    });
    // Decreasing: big -> b (2 cpu), mid -> a (1 cpu), small -> a? 800m used, 200m left, so b (500m left).
    expect(result.pods.map((p) => [p.name, p.node])).toEqual([
      ['small', 'b'],
      ['big', 'b'],
      ['mid', 'a'],
    ]);
    expect(result.fits).toBe(true);
  });

  it('counts requests of non-terminated pods already bound', () => {
    const result = simulateCapacity({
      pods: [pod('new', { memory: '3Gi' })],
      nodes: [node('a', { memory: '4Gi' })],
      boundPods: [pod('running', { node: 'a', memory: '2Gi' }), pod('done', { node: 'a', memory: '2Gi', phase: 'Succeeded' })],
    });
    expect(result.pods[0]).toEqual({ namespace: 'default', name: 'new', fits: false, reason: 'insufficient memory' });
    expect(result.fits).toBe(false);
  });

  it('checks extended resources and the pod count', () => {
    const gpu = simulateCapacity({ pods: [pod('train', { gpu: '1' })], nodes: [node('a')], boundPods: [] });
    expect(gpu.pods[0].reason).toBe('insufficient nvidia.com/gpu');
    const full = simulateCapacity({ pods: [pod('p')], nodes: [node('a', { pods: '1' })], boundPods: [pod('x', { node: 'a' })] });
    expect(full.pods[0].reason).toBe('too many pods');
  });

  it('skips NotReady and cordoned nodes unless the pod tolerates cordoning', () => {
    const nodes = [node('a', { ready: false }), node('b', { unschedulable: true })];
    const plain = simulateCapacity({ pods: [pod('p')], nodes, boundPods: [] });
    expect(plain.pods[0].reason).toBe('0/2 nodes are available: 1 node not ready, 1 node unschedulable');
    const tolerant = simulateCapacity({
      pods: [pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] })],
      nodes,
      boundPods: [],
    });
    expect(tolerant.pods[0]).toMatchObject({ fits: true, node: 'b' });
  });

  it('names the taint no node tolerates', () => {
    const nodes = [node('gpu-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), node('gpu-2', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })];
    const result = simulateCapacity({ pods: [pod('web', { cpu: '100m' })], nodes, boundPods: [] });
    expect(result.pods[0].reason).toBe('no node tolerates taint dedicated=gpu:NoSchedule');
    const tolerated = simulateCapacity({
      pods: [pod('train', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })],
      nodes,
      boundPods: [],
    });
    expect(tolerated.pods[0].node).toBe('gpu-1');
  });

  it('respects nodeSelector and required node affinity', () => {
    const nodes = [node('a', { labels: { zone: 'x' } }), node('b', { labels: { zone: 'y' } })];
    const bySelector = simulateCapacity({ pods: [pod('p', { nodeSelector: { zone: 'y' } })], nodes, boundPods: [] });
    expect(bySelector.pods[0].node).toBe('b');
    const byName = simulateCapacity({
      pods: [pod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['drained'] }] }) })],
      nodes,
      boundPods: [],
    });
    expect(byName.pods[0].reason).toBe("node affinity/selector doesn't match");
  });

  it('reports no candidate nodes when every node is excluded', () => {
    const result = simulateCapacity({ pods: [pod('p')], nodes: [node('a')], boundPods: [], excludeNodes: ['a'] });
    expect(result.pods[0]).toMatchObject({ fits: false, reason: 'no candidate nodes' });
  });

  it('is trivially fine with nothing to place', () => {
    expect(simulateCapacity({ pods: [], nodes: [], boundPods: [] })).toEqual({ fits: true, pods: [] });
  });
});

describe('podsToReschedule', () => {
  const owned = (p: KubeObject, kind: string, name: string) => ({
    ...p,
    metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] },
  });

  it('keeps evicted, running, controller-managed pods that are not DaemonSet pods', () => {
    const pods = [
      owned(pod('web-1', { node: 'n1', cpu: '1' }), 'ReplicaSet', 'web-abc'),
      owned(pod('agent-x', { node: 'n1' }), 'DaemonSet', 'agent'),
      owned(pod('job-done', { node: 'n1', phase: 'Succeeded' }), 'Job', 'batch'),
      pod('bare', { node: 'n1' }),
      owned(pod('web-2', { node: 'n2' }), 'ReplicaSet', 'web-abc'),
    ];
    const plan = planDrain('n1', pods, { force: true });
    expect(plan.items.map((i) => [i.name, i.verdict])).toEqual([
      ['web-1', 'evict'],
      ['agent-x', 'skip'],
      ['job-done', 'evict'],
      ['bare', 'evict'],
    ]);
    expect(podsToReschedule(plan, pods).map((p) => p.metadata.name)).toEqual(['web-1']);
    const result = simulateCapacity({ pods: podsToReschedule(plan, pods), nodes: [node('n1'), node('n2', { cpu: '500m' })], boundPods: pods, excludeNodes: ['n1'] });
    expect(result.pods[0]).toMatchObject({ name: 'web-1', fits: false, reason: 'insufficient cpu' });
  });
});
