import { describe, expect, it } from 'vitest';
import { statsSummary } from '../../src/api/node-proxy.js';
import { parseApiPath } from '../../src/api/paths.js';
import { createControllers } from '../../src/controllers/index.js';
import { LEASES, NODE_LEASE_NAMESPACE } from '../../src/controllers/node-heartbeat.js';
import { reconcileNodeTaints, silentNodeConditions } from '../../src/controllers/node-lifecycle.js';
import { loadScenario } from '../../src/scenarios/index.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';
import { listAs } from '../helpers/kinds.js';

const NOW = new Date('2026-03-01T12:00:00Z');

/** What the tests read of the kubelet's stats Summary (stats/v1alpha1). */
type Summary = { node: { nodeName: string }; pods: { podRef: { name: string; namespace: string }; volume?: Record<string, unknown>[] }[] };

const node = (ready: string, taints?: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1' },
  spec: taints ? { taints } : {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: '2026-03-01T11:00:00Z', lastTransitionTime: '2026-02-01T00:00:00Z' },
      { type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: '2026-03-01T11:00:00Z', lastTransitionTime: '2026-02-01T00:00:00Z' },
    ],
  },
});

describe('the node proxy path', () => {
  it('keeps what follows the proxy subresource', () => {
    expect(parseApiPath('/api/v1/nodes/n1/proxy/stats/summary')).toMatchObject({ resource: 'nodes', name: 'n1', subresource: 'proxy', proxyPath: 'stats/summary' });
    expect(parseApiPath('/api/v1/nodes/n1/status')).not.toHaveProperty('proxyPath');
  });
});

describe('node lifecycle: a kubelet that stopped reporting', () => {
  it('sets Ready and the pressure conditions Unknown, keeping the last heartbeat', () => {
    const conditions = silentNodeConditions(node('True'), NOW)!;
    expect(conditions).toEqual([
      expect.objectContaining({ type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: '2026-03-01T11:00:00Z', lastTransitionTime: '2026-03-01T12:00:00Z' }),
      expect.objectContaining({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: '2026-03-01T12:00:00Z' }),
    ]);
    expect(silentNodeConditions({ ...node('True'), status: { conditions } }, NOW)).toBeUndefined();
  });
  it('taints an Unknown node unreachable (NoSchedule and NoExecute), a False one not-ready, and a Ready one neither', () => {
    expect(reconcileNodeTaints(node('Unknown'), NOW)).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-03-01T12:00:00Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-03-01T12:00:00Z' },
    ]);
    expect(reconcileNodeTaints(node('False'), NOW)?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    const recovered = node('True', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    expect(reconcileNodeTaints(recovered, NOW)).toEqual([{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    expect(reconcileNodeTaints(node('True'), NOW)).toBeUndefined();
  });
});

describe('the demo cluster', () => {
  const store = new MemoryStore();
  loadScenario('demo', store, { controllers: createControllers(), seed: 7 });
  it('gives every node a Lease in kube-node-lease, held by its kubelet', () => {
    for (const n of store.list('nodes')) {
      const lease = store.get(LEASES, NODE_LEASE_NAMESPACE, n.metadata.name ?? '');
      expect(lease?.spec).toMatchObject({ holderIdentity: n.metadata.name, leaseDurationSeconds: 40, renewTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) });
    }
  });
  it("serves each node's Summary with the claim-backed volumes of its running pods", () => {
    const pod = listAs(store, 'pods').find((p) => p.metadata.name === 'prometheus-0')!;
    const summary = statsSummary(store, store.get('nodes', undefined, pod.spec!.nodeName!)!, NOW) as Summary;
    expect(summary.node.nodeName).toBe(pod.spec!.nodeName);
    const volumes = summary.pods.find((p) => p.podRef.name === 'prometheus-0')!.volume;
    const capacity = 50 * 1024 ** 3;
    expect(volumes).toEqual([
      { time: '2026-03-01T12:00:00Z', availableBytes: capacity - Math.round(capacity * 0.92), capacityBytes: capacity, usedBytes: Math.round(capacity * 0.92), name: expect.any(String), pvcRef: { name: 'data-prometheus-0', namespace: 'monitoring' } },
    ]);
  });
});
