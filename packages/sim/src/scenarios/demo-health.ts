/**
 * What the demo's Health view shows besides the crash loop, the failed Job and the filling
 * volume the demo already has: a Deployment that cannot get capacity (its rollout has
 * exceeded its progress deadline) and an old node whose kubelet stopped reporting (Unknown
 * and tainted unreachable for twelve minutes), so that all five conditions are there from the
 * first second. Both keep their state live: the node's kubelet stays stopped, the pod stays
 * unschedulable.
 */

import type { Deployment, Node } from '@daytwo/k8s/wire-types.js';
import { KUBELET_ANNOTATION } from '../controllers/node-heartbeat.js';
import { GR, rfc3339, updateWithRetry } from '../controllers/objects.js';
import type { ObjectStore } from '../types.js';
import { deployment, eksNode, ensure, type NodePool, ZONES } from './builders.js';

const MIN = 60_000;

/** Loads the silent node (before the scenario settles) and the Deployment that cannot fit. */
export function loadHealthConditions(store: ObjectStore, pool: NodePool, random: () => number, now: Date): void {
  const ago = (ms: number) => rfc3339(new Date(now.getTime() - ms));
  const node = eksNode({ pool, index: 7, zone: ZONES[2], random, createdAt: new Date(now.getTime() - 41 * 24 * 60 * MIN) }) as Node;
  node.metadata.annotations = { ...node.metadata.annotations, [KUBELET_ANNOTATION]: 'stopped' };
  const silent = { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: ago(12 * MIN + 40_000), lastTransitionTime: ago(12 * MIN) };
  node.status!.conditions = node.status!.conditions!.map((c) => (c.type === 'NetworkUnavailable' ? c : { ...c, ...silent }));
  node.spec!.taints = [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: ago(12 * MIN) },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: ago(12 * MIN) },
  ];
  ensure(store, GR.nodes, node);

  const compactor = deployment({
    name: 'thanos-compactor',
    namespace: 'monitoring',
    containers: [{ name: 'compactor', image: 'quay.io/thanos/thanos:v0.35.1', args: ['compact', '--wait'], requests: { cpu: '6', memory: '24Gi' } }],
  });
  compactor.metadata.creationTimestamp = ago(40 * MIN);
  ensure(store, GR.deployments, compactor);
}

/**
 * After the scenario settled: the compactor's rollout timed out 30 minutes ago, as the
 * deployment controller says once `progressDeadlineSeconds` (600) has passed without progress.
 */
export function expireCompactorRollout(store: ObjectStore, now: Date): void {
  const at = rfc3339(new Date(now.getTime() - 30 * MIN));
  const since = rfc3339(new Date(now.getTime() - 40 * MIN));
  updateWithRetry(store, GR.deployments, 'monitoring', 'thanos-compactor', (d: Deployment) => {
    const rs = (d.status?.conditions ?? []).find((c) => c.type === 'Progressing')?.message?.match(/ReplicaSet "[^"]+"/)?.[0];
    d.status!.conditions = [
      { type: 'Available', status: 'False', lastUpdateTime: since, lastTransitionTime: since, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'ProgressDeadlineExceeded', message: `${rs ?? 'ReplicaSet'} has timed out progressing.` },
    ];
    return true;
  }, { fieldManager: 'kube-controller-manager', subresource: 'status' });
}
