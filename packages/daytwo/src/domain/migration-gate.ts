/**
 * The availability gate of a node pool migration: after a node is drained, the next one
 * waits until every workload that lost a pod has its desired replicas available again and
 * no Pending pod. Pure: it reads objects, the runner re-evaluates it on every store change.
 */

import type { PodRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Deployment, ReplicaSet, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { controllerOf } from './drain-plan.js';

/** A workload as the gate follows it: a pod's controller, with a ReplicaSet lifted to its Deployment. */
export interface WorkloadRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The objects the gate reads, each a map or list of the cluster's current objects. */
export interface GateObjects {
  readonly pods: Iterable<PodRecord>;
  readonly replicasets: Iterable<ReplicaSet>;
  readonly deployments: Iterable<Deployment>;
  readonly statefulsets: Iterable<StatefulSet>;
}

/** One workload's standing at the gate. */
export interface GateWorkload {
  readonly workload: WorkloadRef;
  /** spec.replicas; undefined for kinds whose desired count the gate does not know (Jobs, custom controllers). */
  readonly desired?: number;
  /** Ready pods not terminating, capped by the controller's own availableReplicas. */
  readonly available: number;
  /** `namespace/name` of its Pending pods. */
  readonly pending: readonly string[];
  readonly satisfied: boolean;
  /** Why it holds the gate, e.g. `2/3 available, 1 Pending`. */
  readonly reason?: string;
}

export interface GateResult {
  /** True when every workload is satisfied. */
  readonly open: boolean;
  readonly workloads: readonly GateWorkload[];
}

export const workloadKey = (w: WorkloadRef): string => `${w.kind}/${w.namespace}/${w.name}`;

const byKey = <T extends KubeObject>(objects: Iterable<T>) => new Map([...objects].map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o]));

/**
 * The workload a pod belongs to: its controller, and for a ReplicaSet the Deployment that
 * controls it (when the ReplicaSet is known and has one). Undefined for pods without a
 * controller.
 */
export function workloadOfPod(pod: KubeObject, replicasets: ReadonlyMap<string, ReplicaSet>): WorkloadRef | undefined {
  const ref = controllerOf(pod);
  if (!ref) return undefined;
  const namespace = pod.metadata.namespace ?? '';
  if (ref.kind === 'ReplicaSet') {
    const owner = controllerOf(replicasets.get(`${namespace}/${ref.name}`) ?? { metadata: {} });
    if (owner?.kind === 'Deployment') return { kind: 'Deployment', namespace, name: owner.name };
  }
  return { kind: ref.kind, namespace, name: ref.name };
}

/** Builds the ReplicaSet index {@link workloadOfPod} takes. */
export function replicaSetIndex(replicasets: Iterable<ReplicaSet>): Map<string, ReplicaSet> {
  return byKey(replicasets);
}

function isReady(pod: PodRecord): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The controller's desired and available counts; undefined when it is not a kind with replicas or is gone. */
function controllerCounts(w: WorkloadRef, objects: { deployments: Map<string, Deployment>; statefulsets: Map<string, StatefulSet>; replicasets: Map<string, ReplicaSet> }) {
  const key = `${w.namespace}/${w.name}`;
  const obj =
    w.kind === 'Deployment' ? objects.deployments.get(key) : w.kind === 'StatefulSet' ? objects.statefulsets.get(key) : w.kind === 'ReplicaSet' ? objects.replicasets.get(key) : undefined;
  if (!obj) return undefined;
  // spec.replicas defaults to 1 for all three kinds.
  return { desired: obj.spec?.replicas ?? 1, statusAvailable: obj.status?.availableReplicas ?? 0 };
}

/**
 * Evaluates the gate for `workloads`. A Deployment, StatefulSet or ReplicaSet is satisfied
 * when as many of its pods are Ready (and not terminating) as it wants, its own status
 * agrees (availableReplicas, which honours minReadySeconds), and none of its pods is
 * Pending. Other controllers (Jobs, custom ones) are satisfied when none of their pods is
 * Pending. A workload that no longer exists does not hold the gate.
 */
export function evaluateGate(workloads: readonly WorkloadRef[], objects: GateObjects): GateResult {
  const replicasets = byKey(objects.replicasets);
  const indexes = { deployments: byKey(objects.deployments), statefulsets: byKey(objects.statefulsets), replicasets };
  const wanted = new Map(workloads.map((w) => [workloadKey(w), w]));
  const ready = new Map<string, number>();
  const pending = new Map<string, string[]>();
  for (const pod of objects.pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const w = workloadOfPod(pod, replicasets);
    if (!w) continue;
    const key = workloadKey(w);
    if (!wanted.has(key)) continue;
    if (pod.status?.phase === 'Pending') pending.set(key, [...(pending.get(key) ?? []), `${w.namespace}/${pod.metadata.name ?? ''}`]);
    else if (pod.status?.phase === 'Running' && isReady(pod)) ready.set(key, (ready.get(key) ?? 0) + 1);
  }
  const out: GateWorkload[] = [...wanted].map(([key, workload]) => {
    const pendingPods = pending.get(key) ?? [];
    const counts = controllerCounts(workload, indexes);
    const readyPods = ready.get(key) ?? 0;
    const knownKind = ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(workload.kind);
    if (knownKind && !counts) return { workload, available: readyPods, pending: pendingPods, satisfied: true, reason: 'no longer exists' };
    const available = counts ? Math.min(readyPods, counts.statusAvailable) : readyPods;
    const short = counts ? available < counts.desired : false;
    const parts: string[] = [];
    if (counts && short) parts.push(`${available}/${counts.desired} available`);
    if (pendingPods.length > 0) parts.push(`${pendingPods.length} Pending`);
    const satisfied = !short && pendingPods.length === 0;
    return {
      workload,
      ...(counts ? { desired: counts.desired } : {}),
      available,
      pending: pendingPods,
      satisfied,
      ...(satisfied ? {} : { reason: parts.join(', ') }),
    };
  });
  return { open: out.every((w) => w.satisfied), workloads: out };
}

/** One line for a closed gate: `waiting for Deployment shop/web (2/3 available), StatefulSet shop/db (1 Pending)`. */
export function gateWaitingText(gate: GateResult): string {
  const waiting = gate.workloads.filter((w) => !w.satisfied);
  if (waiting.length === 0) return 'every workload is available';
  return `waiting for ${waiting.map((w) => `${w.workload.kind} ${w.workload.namespace}/${w.workload.name} (${w.reason})`).join(', ')}`;
}
