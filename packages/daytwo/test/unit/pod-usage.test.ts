import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { indexPodMetrics, type PodUsageState, podUsageFromMetrics, usageOf } from '../../src/domain/pod-usage.js';
import { nodeEvictionOrder } from '../../src/domain/qos-detail.js';
import { evictionRank, type PodLike } from '@daytwo/k8s/qos.js';
import { formatQuantity, parseQuantity } from '@daytwo/k8s/quantity.js';

describe('podUsageFromMetrics / indexPodMetrics', () => {
  it('reads metrics-server quantities and sums the containers', () => {
    const usage = podUsageFromMetrics({
      metadata: { name: 'web-1', namespace: 'shop' },
      containers: [
        { name: 'app', usage: { cpu: '12500000n', memory: '34816Ki' } },
        { name: 'proxy', usage: { cpu: '2m', memory: '10Mi' } },
      ],
    });
    expect(usage.containers.map((c) => [c.name, formatQuantity(c.cpu!), formatQuantity(c.memory!)])).toEqual([
      ['app', '12500u', '34Mi'],
      ['proxy', '2m', '10Mi'],
    ]);
    expect(formatQuantity(usage.cpu!)).toBe('14500u');
    expect(formatQuantity(usage.memory!)).toBe('44Mi');
  });

  it('counts an unparsable quantity as not reported', () => {
    const usage = podUsageFromMetrics({ containers: [{ name: 'app', usage: { cpu: 'lots', memory: '1Gi' } }] });
    expect(usage.cpu).toBeUndefined();
    expect(usage.containers[0].cpu).toBeUndefined();
    expect(formatQuantity(usage.memory!)).toBe('1Gi');
  });

  it('indexes by namespace/name and answers only when metrics are available', () => {
    const pods = indexPodMetrics([
      { metadata: { name: 'a', namespace: 'x' }, containers: [{ name: 'c', usage: { memory: '1Mi' } }] },
      { metadata: { namespace: 'x' }, containers: [] },
    ]);
    expect([...pods.keys()]).toEqual(['x/a']);
    expect(usageOf({ status: 'available', pods }, 'x/a')?.memory?.nanos).toBe(parseQuantity('1Mi').nanos);
    expect(usageOf({ status: 'unavailable', reason: 'no metrics-server' }, 'x/a')).toBeUndefined();
  });
});

// pkg/kubelet/eviction/helpers.go rankMemoryPressure:
// orderedBy(exceedMemoryRequests(stats), priority, memory(stats)), inside each QoS class.
describe('evictionRank with memory usage (kubelet rankMemoryPressure)', () => {
  function burstable(name: string, memoryRequest: string, priority = 0): PodLike {
    return {
      metadata: { name, namespace: 'default' },
      spec: { priority, containers: [{ name: 'app', resources: { requests: { memory: memoryRequest } } }] },
      status: { qosClass: 'Burstable' },
    };
  }
  const rank = (pods: PodLike[], usage: Record<string, string>) =>
    evictionRank(pods, (p) => (usage[p.metadata?.name ?? ''] ? parseQuantity(usage[p.metadata?.name ?? '']) : undefined)).map(
      (p) => p.metadata?.name,
    );

  it('puts a pod over its request before one under it, whatever their priorities', () => {
    const over = burstable('over', '100Mi', 1000);
    const under = burstable('under', '1Gi', 0);
    expect(rank([under, over], { over: '101Mi', under: '900Mi' })).toEqual(['over', 'under']);
  });

  it('ranks by priority before the amount over the request', () => {
    const slightlyOverLow = burstable('slightly-over-low', '100Mi', 0);
    const farOverHigh = burstable('far-over-high', '100Mi', 10);
    expect(rank([farOverHigh, slightlyOverLow], { 'slightly-over-low': '110Mi', 'far-over-high': '2Gi' })).toEqual([
      'slightly-over-low',
      'far-over-high',
    ]);
  });

  it('then the largest usage minus request first, also among pods under their request', () => {
    const pods = [burstable('a', '1Gi'), burstable('b', '64Mi'), burstable('c', '256Mi'), burstable('d', '128Mi')];
    // over: c +44Mi, d +2Mi; under: b -54Mi, a -124Mi.
    expect(rank(pods, { a: '900Mi', b: '10Mi', c: '300Mi', d: '130Mi' })).toEqual(['c', 'd', 'b', 'a']);
  });

  it('puts a pod without stats first when the others have them', () => {
    const pods = [burstable('measured', '100Mi'), burstable('unmeasured', '1Gi', 100)];
    expect(rank(pods, { measured: '500Mi' })).toEqual(['unmeasured', 'measured']);
  });

  it('keeps QoS class as the outer key: BestEffort first, Guaranteed last', () => {
    const bestEffort: PodLike = { metadata: { name: 'be', namespace: 'default' }, spec: { priority: 1000, containers: [{ name: 'app' }] } };
    const guaranteed: PodLike = {
      metadata: { name: 'g', namespace: 'default' },
      spec: { containers: [{ name: 'app', resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } } }] },
    };
    const hog = burstable('hog', '64Mi');
    expect(rank([guaranteed, hog, bestEffort], { be: '1Mi', hog: '4Gi', g: '64Mi' })).toEqual(['be', 'hog', 'g']);
  });
});

describe('nodeEvictionOrder with usage', () => {
  const pod = (name: string, memoryRequest: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', resources: { requests: { memory: memoryRequest } } }] },
    status: { phase: 'Running', qosClass: 'Burstable' },
  });
  const small = pod('small', '64Mi');
  const big = pod('big', '1Gi');

  it('orders by usage and carries it when the metrics API answered', () => {
    const usage: PodUsageState = {
      status: 'available',
      pods: indexPodMetrics([
        { metadata: { name: 'small', namespace: 'shop' }, containers: [{ name: 'app', usage: { memory: '32Mi' } }] },
        { metadata: { name: 'big', namespace: 'shop' }, containers: [{ name: 'app', usage: { memory: '1200Mi' } }] },
      ]),
    };
    const order = nodeEvictionOrder(small, [small, big], usage)!;
    expect(order.usageKnown).toBe(true);
    expect(order.entries.map((e) => [e.key, formatQuantity(e.memoryUsage!)])).toEqual([
      ['shop/big', '1200Mi'],
      ['shop/small', '32Mi'],
    ]);
    expect(order.position).toBe(1);
  });

  it('falls back to the smaller memory request first without metrics', () => {
    const order = nodeEvictionOrder(small, [big, small], { status: 'unavailable', reason: 'no metrics-server' })!;
    expect(order.usageKnown).toBe(false);
    expect(order.entries.map((e) => e.key)).toEqual(['shop/small', 'shop/big']);
    expect(order.entries[0].memoryUsage).toBeUndefined();
  });
});
