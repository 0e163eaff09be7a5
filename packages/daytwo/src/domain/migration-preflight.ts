/**
 * The preflight of a node pool migration, computed without changing anything: whether the
 * target pools have room for the source pool's pods, which pods can only run on the source
 * pool, which PodDisruptionBudgets refuse an eviction now, which pods a drain refuses, and
 * the target pools' kubelet skew.
 */

import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import { matchesNodeSelectorAndAffinity } from '@daytwo/k8s/node-affinity.js';
import { addAmounts, cpuMillis, memoryBytes, podRequests, type ResourceAmounts, resourceAmounts } from '@daytwo/k8s/pod-requests.js';
import { firstUntoleratedTaint, formatTaint } from '@daytwo/k8s/taints.js';
import type { DaemonSet, PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { boundRequestsByNode, podsToReschedule, simulateCapacity } from './capacity.js';
import { type DrainOptions, type DrainPlan, planDrain } from './drain-plan.js';
import { buildNodePools, poolOf } from './pools.js';
import type { KubeletSkew } from './skew.js';

/** What the preflight reads. */
export interface MigrationPreflightInput {
  readonly nodes: readonly NodeRecord[];
  readonly pods: readonly PodRecord[];
  readonly pdbs?: Iterable<PodDisruptionBudget>;
  readonly daemonSets?: Iterable<DaemonSet>;
  /** The pool to empty. */
  readonly from: string;
  /** Target pools; empty means any other schedulable node. */
  readonly to?: readonly string[];
  /** kube-apiserver gitVersion, for the target pools' kubelet skew. */
  readonly apiServerVersion?: string;
  /** The drain flags the migration uses; DaemonSet pods are always left in place. */
  readonly drain?: DrainOptions;
  readonly now?: number;
}

/** A pod that would not find a node once the source pool is drained. */
export interface UnplacedPod {
  readonly namespace: string;
  readonly name: string;
  /** The scheduler-like reason (`insufficient memory`, `no node tolerates taint ...`). */
  readonly reason: string;
  /** Its nodeSelector, affinity or tolerations match the source pool but no target node. */
  readonly sourceOnly: boolean;
}

/** A PodDisruptionBudget that refuses an eviction now, with the pods it holds. */
export interface PdbBlocker {
  readonly namespace: string;
  readonly name: string;
  readonly disruptionsAllowed: number;
  readonly message: string;
  readonly pods: readonly string[];
  /**
   * The budget wants every pod it expects healthy (desiredHealthy >= expectedPods, e.g.
   * maxUnavailable 0 or minAvailable 100%): no eviction will ever pass, so the drain waits
   * until its timeout.
   */
  readonly permanent: boolean;
}

export interface TargetPoolSkew {
  readonly pool: string;
  readonly kubeletVersions: readonly string[];
  readonly skew?: KubeletSkew;
}

export interface MigrationPreflight {
  readonly from: string;
  /** Target pools named; empty for any other schedulable node. */
  readonly to: readonly string[];
  readonly sourceNodes: readonly string[];
  /** Ready, schedulable nodes of the target pools. */
  readonly targetNodes: readonly string[];
  /** `namespace/name` of every pod the drains evict, in node order. */
  readonly evictions: readonly string[];
  /** What the evicted pods that come back elsewhere request, and what the target nodes have free. */
  readonly requested: { readonly cpuMillis: number; readonly memoryBytes: number };
  readonly free: { readonly cpuMillis: number; readonly memoryBytes: number };
  readonly unplaced: readonly UnplacedPod[];
  readonly pdbBlockers: readonly PdbBlocker[];
  /** kubectl's errors for the pods the drain refuses (`cannot delete ...`). */
  readonly refusals: readonly string[];
  readonly skew: readonly TargetPoolSkew[];
  /** One line per reason the migration would not complete as it stands; empty when it would. */
  readonly blockers: readonly string[];
  /** One line per thing worth knowing that does not stop the migration. */
  readonly warnings: readonly string[];
  readonly plans: readonly DrainPlan[];
}

/** The source pool does not exist, or a target pool does not. */
export class PoolNotFoundError extends Error {}

/** The drain flags of a migration: DaemonSet pods stay on their nodes (they go with the nodes). */
export function migrationDrainOptions(drain: DrainOptions = {}): DrainOptions {
  return { ...drain, ignoreDaemonSets: true };
}

function isReadySchedulable(node: NodeRecord): boolean {
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  return ready && node.spec?.unschedulable !== true;
}

/** Why `node` cannot take `pod` whatever its free room, or undefined when it can. */
function placementRule(pod: PodRecord, node: NodeRecord): string | undefined {
  const taint = firstUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations);
  if (taint) return `untolerated taint ${formatTaint(taint)}`;
  if (!matchesNodeSelectorAndAffinity(pod, node)) return "node affinity/selector doesn't match";
  return undefined;
}

/** The pools' nodes, split into the source pool and the targets. Throws PoolNotFoundError for unknown pools. */
export function migrationNodes<N extends NodeRecord>(nodes: readonly N[], from: string, to: readonly string[] = []): { source: N[]; targets: N[] } {
  const pools = new Set(nodes.map((n) => poolOf(n).name));
  const known = () => [...pools].sort().join(', ') || 'none';
  if (!pools.has(from)) throw new PoolNotFoundError(`node pool "${from}" not found (pools: ${known()})`);
  for (const pool of to) {
    if (!pools.has(pool)) throw new PoolNotFoundError(`node pool "${pool}" not found (pools: ${known()})`);
    if (pool === from) throw new PoolNotFoundError(`node pool "${pool}" is the source pool; choose another target`);
  }
  const source = nodes.filter((n) => poolOf(n).name === from).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const targets = nodes.filter((n) => {
    const pool = poolOf(n).name;
    return pool !== from && (to.length === 0 || to.includes(pool));
  });
  return { source, targets };
}

const sumOf = (amounts: ResourceAmounts) => ({ cpuMillis: cpuMillis(amounts), memoryBytes: memoryBytes(amounts) });

/** Runs every check of the preflight. Throws PoolNotFoundError for an unknown pool. */
export function migrationPreflight(input: MigrationPreflightInput): MigrationPreflight {
  const to = input.to ?? [];
  const { source, targets } = migrationNodes(input.nodes, input.from, to);
  const usable = targets.filter(isReadySchedulable);
  const pdbs = [...(input.pdbs ?? [])];
  const daemonSets = input.daemonSets ? [...input.daemonSets] : undefined;
  const opts: DrainOptions = { ...migrationDrainOptions(input.drain), pdbs, ...(daemonSets ? { daemonSets } : {}), now: input.now };
  const plans = source.map((node) => planDrain(node, input.pods, opts));
  const moving = plans.flatMap((plan) => podsToReschedule(plan, input.pods));

  const bound = boundRequestsByNode(input.pods);
  const capacity = simulateCapacity({ pods: moving, nodes: usable, boundPods: [], boundRequests: bound });
  const unplaced: UnplacedPod[] = capacity.pods.flatMap((placement, i) => {
    if (placement.fits) return [];
    const pod = moving[i];
    const sourceOnly = !usable.some((n) => !placementRule(pod, n)) && source.some((n) => !placementRule(pod, n));
    return [{ namespace: placement.namespace, name: placement.name, reason: placement.reason ?? 'no node fits', sourceOnly }];
  });

  const requested: ResourceAmounts = new Map();
  for (const pod of moving) addAmounts(requested, podRequests(pod));
  const free: ResourceAmounts = new Map();
  for (const node of usable) {
    const allocatable = resourceAmounts(node.status?.allocatable);
    const used = bound.get(node.metadata.name ?? '')?.requests ?? new Map<string, bigint>();
    for (const resource of ['cpu', 'memory']) {
      const left = (allocatable.get(resource) ?? 0n) - (used.get(resource) ?? 0n);
      free.set(resource, (free.get(resource) ?? 0n) + (left > 0n ? left : 0n));
    }
  }

  const pdbBlockers = new Map<string, PdbBlocker & { pods: string[] }>();
  for (const item of plans.flatMap((p) => p.items)) {
    if (!item.pdb) continue;
    const key = `${item.namespace}/${item.pdb.name}`;
    const status: Partial<NonNullable<PodDisruptionBudget['status']>> = pdbs.find((b) => b.metadata.namespace === item.namespace && b.metadata.name === item.pdb?.name)?.status ?? {};
    const permanent = (status.expectedPods ?? 0) > 0 && (status.desiredHealthy ?? 0) >= (status.expectedPods ?? 0);
    const entry = pdbBlockers.get(key) ?? { namespace: item.namespace, name: item.pdb.name, disruptionsAllowed: item.pdb.disruptionsAllowed, message: item.pdb.message, pods: [], permanent };
    entry.pods.push(`${item.namespace}/${item.name}`);
    pdbBlockers.set(key, entry);
  }

  const targetPools = buildNodePools(targets, input.pods, { apiServerVersion: input.apiServerVersion });
  const skew: TargetPoolSkew[] = targetPools.map((p) => ({ pool: p.name, kubeletVersions: p.kubeletVersions, ...(p.worstSkew ? { skew: p.worstSkew } : {}) }));
  const refusals = plans.flatMap((p) => p.errors.map((e) => `node/${p.node}: ${e}`));

  const blockers: string[] = [];
  if (source.length === 0) blockers.push(`node pool "${input.from}" has no nodes`);
  if (usable.length === 0) blockers.push('no Ready, schedulable target node');
  blockers.push(...refusals);
  for (const u of unplaced) blockers.push(`pod ${u.namespace}/${u.name} would stay Pending: ${u.sourceOnly ? 'it fits only the source pool' : u.reason}`);
  for (const s of skew) if (s.skew && !s.skew.supported) blockers.push(`pool ${s.pool}: ${s.skew.reason}`);
  for (const b of pdbBlockers.values()) {
    if (b.permanent) blockers.push(`PodDisruptionBudget ${b.namespace}/${b.name} never allows a disruption (${b.pods.length} pod${b.pods.length === 1 ? '' : 's'} cannot be evicted)`);
  }
  const warnings = [...pdbBlockers.values()].filter((b) => !b.permanent).map(
    (b) => `PodDisruptionBudget ${b.namespace}/${b.name} allows ${b.disruptionsAllowed} disruption${b.disruptionsAllowed === 1 ? '' : 's'} now: ${b.pods.length} ${b.pods.length === 1 ? 'pod waits' : 'pods wait'} for it`,
  );

  return {
    from: input.from,
    to,
    sourceNodes: source.map((n) => n.metadata.name ?? ''),
    targetNodes: usable.map((n) => n.metadata.name ?? ''),
    evictions: plans.flatMap((p) => p.items.filter((i) => i.verdict === 'evict').map((i) => `${i.namespace}/${i.name}`)),
    requested: sumOf(requested),
    free: sumOf(free),
    unplaced,
    pdbBlockers: [...pdbBlockers.values()],
    refusals,
    skew,
    blockers,
    warnings,
    plans,
  };
}
