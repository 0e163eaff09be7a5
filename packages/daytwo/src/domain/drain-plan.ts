/**
 * What `kubectl drain` would do to a node's pods, decided without touching the cluster:
 * kubectl's pod filters (k8s.io/kubectl/pkg/drain/filters.go) in kubectl's order, its
 * aggregated error and warning texts, and which PodDisruptionBudget would refuse an
 * eviction now (pkg/registry/core/pod/storage/eviction.go).
 */

import type { PodRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { labelSelectorMatches, parseSelector, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { isPodReady } from '@daytwo/k8s/pod-ready.js';
import { isTerminated } from '@daytwo/k8s/pod-requests.js';
import type { PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';

/** kubectl drain's flags that shape the plan. */
export interface DrainOptions {
  /** `--ignore-daemonsets`; daytwo defaults it to true. */
  readonly ignoreDaemonSets?: boolean;
  /** `--delete-emptydir-data` */
  readonly deleteEmptyDirData?: boolean;
  /** `--force` */
  readonly force?: boolean;
  /** `--grace-period`: -1 (the default) uses each pod's terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds?: number;
  /** `--timeout` in seconds: 0 (the default) waits forever. */
  readonly timeoutSeconds?: number;
  /** `--skip-wait-for-delete-timeout`: pods deleted longer ago than this are skipped (0 = off). */
  readonly skipWaitForDeleteTimeoutSeconds?: number;
  /** `--pod-selector`: only pods whose labels match are considered. */
  readonly podSelector?: string;
  /**
   * The DaemonSets that exist. kubectl GETs a pod's controlling DaemonSet by namespace and
   * name; omit this to assume every referenced DaemonSet exists.
   */
  readonly daemonSets?: Iterable<KubeObject>;
  /** PodDisruptionBudgets (policy/v1), any namespace. */
  readonly pdbs?: Iterable<PodDisruptionBudget>;
  /** Epoch ms for the deletion-timestamp age check; defaults to now. */
  readonly now?: number;
}

export type DrainVerdict = 'evict' | 'skip' | 'blocked';

/** A PodDisruptionBudget that would refuse the pod's eviction if it were tried now. */
export interface PdbRefusal {
  readonly name: string;
  readonly disruptionsAllowed: number;
  /** What the API server would answer. */
  readonly message: string;
}

export interface DrainPlanItem {
  readonly namespace: string;
  readonly name: string;
  readonly verdict: DrainVerdict;
  /** Why, in a few words. */
  readonly reason: string;
  /** kubectl's warning for this pod, when its last filter left one. */
  readonly warning?: string;
  /** Set when an eviction would be refused now (kubectl retries it until `--timeout`). */
  readonly pdb?: PdbRefusal;
}

export interface DrainPlan {
  readonly node: string;
  /** Pods on the node (after `podSelector`), in input order. */
  readonly items: readonly DrainPlanItem[];
  /** True when kubectl would refuse to drain (any item blocked). */
  readonly blocked: boolean;
  /** kubectl's errors, one per message: `cannot delete <what>: ns/a, ns/b`. */
  readonly errors: readonly string[];
  /** kubectl's warnings, one per message: `<what>: ns/a, ns/b` (kubectl joins them with `; `). */
  readonly warnings: readonly string[];
  /** Items that would be evicted but a PodDisruptionBudget refuses now. */
  readonly pdbRefusals: number;
  readonly gracePeriodSeconds: number;
  readonly timeoutSeconds: number;
}

// Upstream's message constants (filters.go), so the aggregated texts read the same.
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

/** kubectl's `PodDeleteStatus`, with daytwo's short reason for the view. */
interface FilterStatus {
  delete: boolean;
  kind: 'okay' | 'skip' | 'warning' | 'error';
  message?: string;
  reason: string;
}

const okay = (reason: string): FilterStatus => ({ delete: true, kind: 'okay', reason });

interface FilterContext {
  readonly opts: DrainOptions;
  readonly daemonSetExists: (namespace: string, name: string) => boolean;
  readonly now: number;
}

type PodFilter = (pod: PodRecord, ctx: FilterContext) => FilterStatus;

/** The controlling owner reference (`metav1.GetControllerOf`). */
export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string; apiVersion: string } | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

function skipDeletedFilter(pod: PodRecord, ctx: FilterContext): FilterStatus {
  const timeout = ctx.opts.skipWaitForDeleteTimeoutSeconds ?? 0;
  const deletedAt = pod.metadata?.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : Number.NaN;
  if (timeout > 0 && !Number.isNaN(deletedAt) && Math.trunc((ctx.now - deletedAt) / 1000) > timeout) {
    return { delete: false, kind: 'skip', reason: `deleted more than ${timeout}s ago` };
  }
  return okay('');
}

function daemonSetFilter(pod: PodRecord, ctx: FilterContext): FilterStatus {
  const ref = controllerOf(pod);
  if (ref?.kind !== 'DaemonSet') return okay('');
  if (isTerminated(pod)) return okay('finished');
  const namespace = pod.metadata.namespace ?? '';
  if (!ctx.daemonSetExists(namespace, ref.name)) {
    // The API's NotFound text, which kubectl passes through as the message.
    const notFound = `daemonsets.apps "${ref.name}" not found`;
    if (ctx.opts.force) return { delete: true, kind: 'warning', message: notFound, reason: 'orphaned DaemonSet pod (--force)' };
    return { delete: false, kind: 'error', message: notFound, reason: `DaemonSet ${ref.name} not found (use --force)` };
  }
  if (!(ctx.opts.ignoreDaemonSets ?? true)) {
    return { delete: false, kind: 'error', message: DAEMONSET_FATAL, reason: 'DaemonSet-managed (use --ignore-daemonsets)' };
  }
  return { delete: false, kind: 'warning', message: DAEMONSET_WARNING, reason: 'DaemonSet-managed' };
}

function mirrorPodFilter(pod: PodRecord): FilterStatus {
  if (pod.metadata?.annotations && Object.hasOwn(pod.metadata.annotations, 'kubernetes.io/config.mirror')) {
    return { delete: false, kind: 'skip', reason: 'mirror pod (static pod)' };
  }
  return okay('');
}

function hasLocalStorage(pod: PodRecord): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.emptyDir != null);
}

function localStorageFilter(pod: PodRecord, ctx: FilterContext): FilterStatus {
  if (!hasLocalStorage(pod)) return okay('');
  if (isTerminated(pod)) return okay('finished');
  if (!ctx.opts.deleteEmptyDirData) {
    return { delete: false, kind: 'error', message: LOCAL_STORAGE_FATAL, reason: 'emptyDir data (use --delete-emptydir-data)' };
  }
  return { delete: true, kind: 'warning', message: LOCAL_STORAGE_WARNING, reason: 'emptyDir data will be lost' };
}

function unreplicatedFilter(pod: PodRecord, ctx: FilterContext): FilterStatus {
  if (isTerminated(pod)) return okay('finished');
  if (controllerOf(pod)) return okay('');
  if (ctx.opts.force) return { delete: true, kind: 'warning', message: UNMANAGED_WARNING, reason: 'no controller: will not come back (--force)' };
  return { delete: false, kind: 'error', message: UNMANAGED_FATAL, reason: 'no controller (use --force)' };
}

/** kubectl's filter order (`makeFilters`); the first filter that refuses deletion ends the run. */
const FILTERS: readonly PodFilter[] = [skipDeletedFilter, daemonSetFilter, mirrorPodFilter, localStorageFilter, unreplicatedFilter];

/**
 * Runs the filters as kubectl's `filterPods` does: stop at the first status that does not
 * delete; otherwise the last filter's status stands (so an earlier warning is dropped, as
 * upstream's own TODO notes). daytwo keeps the most telling reason along the way.
 */
function runFilters(pod: PodRecord, ctx: FilterContext): FilterStatus {
  let status: FilterStatus = okay('');
  let reason = '';
  for (const filter of FILTERS) {
    status = filter(pod, ctx);
    if (status.reason && (status.kind !== 'okay' || !reason)) reason = status.reason;
    if (!status.delete) break;
  }
  return { ...status, reason };
}

/** eviction.go `MaxDisruptedPodSize`: evictions approved but not yet seen by the disruption controller. */
const MAX_DISRUPTED_POD_SIZE = 2000;

/**
 * The PodDisruptionBudgets that cover a pod: same namespace, selector matching its labels.
 * policy/v1: a null selector matches no pods, an empty one (`{}`) every pod in the namespace
 * (PodDisruptionBudgetSpec.selector in the API reference).
 */
export function pdbsForPod(pod: KubeObject, pdbs: Iterable<PodDisruptionBudget>): PodDisruptionBudget[] {
  const namespace = pod.metadata?.namespace;
  return [...pdbs].filter(
    (pdb) => pdb.metadata?.namespace === namespace && labelSelectorMatches(pdb.spec?.selector, pod.metadata?.labels),
  );
}

/**
 * Whether the eviction subresource would refuse this pod now, following eviction.go:
 * terminal, Pending and already-deleting pods bypass budgets (`canIgnorePDB`); more than
 * one budget is an error; an unready pod may go when the budget is healthy or its
 * `unhealthyPodEvictionPolicy` is AlwaysAllow; otherwise `checkAndDecrement` needs an
 * observed generation, a bounded `disruptedPods` map and `disruptionsAllowed` above 0.
 */
export function pdbRefusal(pod: PodRecord, pdbs: Iterable<PodDisruptionBudget>): PdbRefusal | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp) return undefined;
  const matching = pdbsForPod(pod, pdbs);
  if (matching.length === 0) return undefined;
  if (matching.length > 1) {
    return {
      name: matching.map((p) => p.metadata.name).join(','),
      disruptionsAllowed: Math.min(...matching.map((p) => p.status?.disruptionsAllowed ?? 0)),
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    };
  }
  const pdb = matching[0];
  const status: Partial<NonNullable<PodDisruptionBudget['status']>> = pdb.status ?? {};
  const name = pdb.metadata.name ?? '';
  const disruptionsAllowed = status.disruptionsAllowed ?? 0;
  const currentHealthy = status.currentHealthy ?? 0;
  const desiredHealthy = status.desiredHealthy ?? 0;
  if (!isPodReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return undefined;
    if (currentHealthy >= desiredHealthy && desiredHealthy > 0) return undefined;
  }
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    return { name, disruptionsAllowed, message: `The disruption budget ${name} is still being processed by the server.` };
  }
  if (disruptionsAllowed < 0) return { name, disruptionsAllowed, message: 'pdb disruptions allowed is negative' };
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    return { name, disruptionsAllowed, message: 'DisruptedPods map too big - too many evictions not confirmed by PDB controller' };
  }
  if (disruptionsAllowed === 0) {
    return {
      name,
      disruptionsAllowed,
      message: `Cannot evict pod as it would violate the pod's disruption budget. The disruption budget ${name} needs ${desiredHealthy} healthy pods and has ${currentHealthy} currently`,
    };
  }
  return undefined;
}

/** Groups `ns/name` by message in first-seen order (kubectl uses a Go map, so its order varies). */
function aggregate(entries: { message: string; pod: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { message, pod } of entries) {
    const list = out.get(message);
    if (list) list.push(pod);
    else out.set(message, [pod]);
  }
  return out;
}

/**
 * Plans a drain of `node`: every pod bound to it (and matching `podSelector`) gets kubectl's
 * verdict. Throws SelectorParseError for a malformed `podSelector`.
 */
export function planDrain(node: KubeObject | string, pods: Iterable<PodRecord>, opts: DrainOptions = {}): DrainPlan {
  const nodeName = typeof node === 'string' ? node : (node.metadata.name ?? '');
  const selector = opts.podSelector ? parseSelector(opts.podSelector) : [];
  const existing = opts.daemonSets ? new Set([...opts.daemonSets].map((ds) => `${ds.metadata.namespace ?? ''}/${ds.metadata.name ?? ''}`)) : undefined;
  const ctx: FilterContext = {
    opts,
    daemonSetExists: (ns, name) => !existing || existing.has(`${ns}/${name}`),
    now: opts.now ?? Date.now(),
  };
  const pdbs = [...(opts.pdbs ?? [])];

  const items: DrainPlanItem[] = [];
  const errors: { message: string; pod: string }[] = [];
  const warnings: { message: string; pod: string }[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName || !requirementsMatch(selector, pod.metadata?.labels)) continue;
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const status = runFilters(pod, ctx);
    const id = `${namespace}/${name}`;
    if (status.kind === 'error') errors.push({ message: status.message || 'unexpected error', pod: id });
    if (status.kind === 'warning' && status.message) warnings.push({ message: status.message, pod: id });
    const verdict: DrainVerdict = status.delete ? 'evict' : status.kind === 'error' ? 'blocked' : 'skip';
    const refusal = verdict === 'evict' ? pdbRefusal(pod, pdbs) : undefined;
    items.push({
      namespace,
      name,
      verdict,
      reason: status.reason || (verdict === 'evict' ? 'managed by a controller' : ''),
      ...(status.kind === 'warning' && status.message ? { warning: status.message } : {}),
      ...(refusal ? { pdb: refusal } : {}),
    });
  }

  // filters.go errors() prefixes every message, even the one that already starts with
  // "cannot delete" (kubectl 1.32 prints "cannot delete cannot delete Pods that declare no controller").
  const errorTexts = [...aggregate(errors)].map(([message, list]) => `cannot delete ${message}: ${list.join(', ')}`);
  const warningTexts = [...aggregate(warnings)].map(([message, list]) => `${message}: ${list.join(', ')}`);
  return {
    node: nodeName,
    items,
    blocked: items.some((i) => i.verdict === 'blocked'),
    errors: errorTexts,
    warnings: warningTexts,
    pdbRefusals: items.filter((i) => i.pdb).length,
    gracePeriodSeconds: opts.gracePeriodSeconds ?? -1,
    timeoutSeconds: opts.timeoutSeconds ?? 0,
  };
}
