/**
 * Whether the rest of the cluster has room for pods that a drain would evict: a
 * first-fit-decreasing placement that applies the scheduler's basic filters
 * (NodeUnschedulable, TaintToleration, NodeAffinity incl. nodeSelector, NodeResourcesFit)
 * to Ready nodes, against allocatable minus what is already bound.
 *
 * Not modelled: inter-pod (anti-)affinity, topology spread, host ports, volumes,
 * preemption. A "fits" answer is therefore necessary, not sufficient.
 */

import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import { matchesNodeSelectorAndAffinity } from '@daytwo/k8s/node-affinity.js';
import { addAmounts, isTerminated, podRequests, type ResourceAmounts, resourceAmounts } from '@daytwo/k8s/pod-requests.js';
import { firstUntoleratedTaint, formatTaint, type Taint, toleratesTaint } from '@daytwo/k8s/taints.js';
import { controllerOf, type DrainPlan } from './drain-plan.js';

/** Where one pod could go. */
export interface PodPlacement {
  readonly namespace: string;
  readonly name: string;
  readonly fits: boolean;
  /** The node chosen by the simulation. */
  readonly node?: string;
  /** Why no node fits, e.g. `no node tolerates taint dedicated=gpu:NoSchedule`, `insufficient memory`. */
  readonly reason?: string;
}

export interface CapacityResult {
  /** True when every pod found a node. */
  readonly fits: boolean;
  /** In the order the pods were given. */
  readonly pods: readonly PodPlacement[];
}

export interface CapacityInput {
  /** Pods to place (e.g. the pods a drain evicts that a controller will recreate). */
  readonly pods: readonly PodRecord[];
  readonly nodes: readonly NodeRecord[];
  /** Every pod in the cluster; non-terminated ones bound to candidate nodes use up room. */
  readonly boundPods: Iterable<PodRecord>;
  /** Nodes that cannot take pods (the node being drained). */
  readonly excludeNodes?: readonly string[];
  /**
   * What `boundPods` already use per node, from {@link boundRequestsByNode}: callers that
   * simulate many drains over the same cluster compute it once instead of once per drain.
   */
  readonly boundRequests?: ReadonlyMap<string, BoundRequests>;
}

/** The requests of the non-terminated pods bound to one node, and their count. */
export interface BoundRequests {
  readonly requests: ResourceAmounts;
  readonly pods: number;
}

/** Per node: what its non-terminated pods request (see CapacityInput.boundRequests). */
export function boundRequestsByNode(pods: Iterable<PodRecord>): Map<string, BoundRequests> {
  const out = new Map<string, { requests: ResourceAmounts; pods: number }>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || isTerminated(pod)) continue;
    let entry = out.get(node);
    if (!entry) {
      entry = { requests: new Map(), pods: 0 };
      out.set(node, entry);
    }
    addAmounts(entry.requests, podRequests(pod));
    entry.pods++;
  }
  return out;
}

/**
 * Parsed allocatable by node object: store objects are replaced, never mutated, so the
 * object identifies its status (a readiness check simulates a drain of every node).
 */
const allocatableCache = new WeakMap<NodeRecord, ResourceAmounts>();

function allocatableOf(node: NodeRecord): ResourceAmounts {
  let amounts = allocatableCache.get(node);
  if (!amounts) {
    amounts = resourceAmounts(node.status?.allocatable);
    allocatableCache.set(node, amounts);
  }
  return amounts;
}

/** The taint the node lifecycle puts on cordoned nodes; tolerating it lets a pod in anyway. */
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

function isNodeReady(node: NodeRecord): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A candidate node with the room left on it. */
interface NodeRoom {
  readonly node: NodeRecord;
  readonly name: string;
  readonly allocatable: ResourceAmounts;
  readonly used: ResourceAmounts;
  podCount: number;
}

/** Why a node cannot take a pod; `undefined` when it can. Checks run in the scheduler's filter order. */
function rejection(pod: PodRecord, room: NodeRoom, requests: ResourceAmounts): string | undefined {
  if (!isNodeReady(room.node)) return 'node not ready';
  const tolerations = pod.spec?.tolerations ?? [];
  if (room.node.spec?.unschedulable && !tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT))) return 'node unschedulable';
  const taint = firstUntoleratedTaint(room.node.spec?.taints, tolerations);
  if (taint) return `untolerated taint ${formatTaint(taint)}`;
  if (!matchesNodeSelectorAndAffinity(pod, room.node)) return "node affinity/selector doesn't match";
  const maxPods = room.allocatable.get('pods');
  if (maxPods !== undefined && BigInt(room.podCount + 1) * 1_000_000_000n > maxPods) return 'too many pods';
  // NodeResourcesFit only checks what the pod requests (non-zero).
  const insufficient: string[] = [];
  for (const [resource, amount] of [...requests].sort(([a], [b]) => a.localeCompare(b))) {
    if (resource === 'pods' || amount <= 0n) continue;
    const free = (room.allocatable.get(resource) ?? 0n) - (room.used.get(resource) ?? 0n);
    if (amount > free) insufficient.push(resource);
  }
  return insufficient.length > 0 ? `insufficient ${insufficient.join(', ')}` : undefined;
}

/**
 * Turns per-node rejections into one reason: the reason itself when every node gave the
 * same one (`untolerated taint X` reads `no node tolerates taint X`), else a count per
 * reason like the scheduler's `0/N nodes are available` message.
 */
function summarize(rejections: readonly string[]): string {
  if (rejections.length === 0) return 'no candidate nodes';
  const counts = new Map<string, number>();
  for (const r of rejections) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (counts.size === 1) {
    const only = rejections[0];
    return only.startsWith('untolerated taint ') ? `no node tolerates taint ${only.slice('untolerated taint '.length)}` : only;
  }
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${n} ${r}`);
  return `0/${rejections.length} nodes are available: ${parts.join(', ')}`;
}

/** Bigger pods first (memory, then cpu), so large pods are not stranded by fragmentation. */
function decreasing(a: { req: ResourceAmounts; key: string }, b: { req: ResourceAmounts; key: string }): number {
  const mem = (b.req.get('memory') ?? 0n) - (a.req.get('memory') ?? 0n);
  if (mem !== 0n) return mem > 0n ? 1 : -1;
  const cpu = (b.req.get('cpu') ?? 0n) - (a.req.get('cpu') ?? 0n);
  if (cpu !== 0n) return cpu > 0n ? 1 : -1;
  return a.key.localeCompare(b.key);
}

/**
 * Places each pod on the first node (by name) that passes every filter, biggest pods first,
 * reserving its requests there so later pods see the room that is left.
 */
export function simulateCapacity(input: CapacityInput): CapacityResult {
  const excluded = new Set(input.excludeNodes ?? []);
  const rooms: NodeRoom[] = input.nodes
    .filter((n) => !excluded.has(n.metadata.name ?? ''))
    .map((node) => ({
      node,
      name: node.metadata.name ?? '',
      allocatable: allocatableOf(node),
      used: new Map(),
      podCount: 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(rooms.map((r) => [r.name, r]));
  if (input.boundRequests) {
    for (const room of rooms) {
      const bound = input.boundRequests.get(room.name);
      if (!bound) continue;
      addAmounts(room.used, bound.requests);
      room.podCount = bound.pods;
    }
  } else {
    for (const pod of input.boundPods) {
      const room = byName.get(pod.spec?.nodeName ?? '');
      if (!room || isTerminated(pod)) continue;
      addAmounts(room.used, podRequests(pod));
      room.podCount++;
    }
  }

  const queue = input.pods
    .map((pod, index) => ({ pod, index, req: podRequests(pod), key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}` }))
    .sort(decreasing);
  const placements: PodPlacement[] = new Array(input.pods.length);
  for (const { pod, index, req } of queue) {
    const base = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
    const rejections: string[] = [];
    const chosen = rooms.find((room) => {
      const why = rejection(pod, room, req);
      if (why) rejections.push(why);
      return !why;
    });
    if (chosen) {
      addAmounts(chosen.used, req);
      chosen.podCount++;
      placements[index] = { ...base, fits: true, node: chosen.name };
    } else {
      placements[index] = { ...base, fits: false, reason: summarize(rejections) };
    }
  }
  return { fits: placements.every((p) => p.fits), pods: placements };
}

/**
 * The pods a drain plan evicts that their controller will recreate elsewhere: evicted,
 * still running (finished pods are not replaced) and controlled by something other than
 * a DaemonSet. Pods deleted under `--force` without a controller are gone for good.
 */
export function podsToReschedule<P extends PodRecord>(plan: DrainPlan, pods: Iterable<P>): P[] {
  const evicted = new Set(plan.items.filter((i) => i.verdict === 'evict').map((i) => `${i.namespace}/${i.name}`));
  return [...pods].filter((pod) => {
    if (pod.spec?.nodeName !== plan.node || isTerminated(pod)) return false;
    if (!evicted.has(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`)) return false;
    const ref = controllerOf(pod);
    return ref !== undefined && ref.kind !== 'DaemonSet';
  });
}
