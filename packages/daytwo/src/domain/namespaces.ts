/**
 * The Namespaces view and `daytwo report namespaces`: one summary row per namespace,
 * computed from the store's objects, and the column definitions both print.
 */

import type { PodRecord } from '@daytwo/k8s/compact.js';
import { getPodQosClass, type QosClass } from '@daytwo/k8s/qos.js';
import { tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { ResourceQuota } from '@daytwo/k8s/wire-types.js';
import { formatAge, formatCounts, formatPercent } from './format.js';
import { COUNT_BY_NAMESPACE, type FoldSpec, incrementalFold } from './incremental.js';
import type { KindMaps } from './kinds.js';
import type { ColumnDef } from './table.js';

/** The kinds a namespace summary reads, keyed like the store (`namespace/name`). */
export type NamespaceInputs = KindMaps<
  'namespaces' | 'pods' | 'deployments' | 'statefulsets' | 'daemonsets' | 'jobs' | 'cronjobs' | 'limitranges' | 'resourcequotas'
>;

/** The workload kinds counted in a namespace's WORKLOADS column. */
export const WORKLOAD_KINDS = ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'] as const;

/** Pods of a namespace by `status.phase`. */
export interface PodPhaseCounts {
  readonly running: number;
  readonly pending: number;
  readonly failed: number;
  readonly succeeded: number;
  readonly unknown: number;
  readonly total: number;
}

/** Pods of a namespace by QoS class (`status.qosClass`, computed when not recorded yet). */
export interface QosMix {
  readonly guaranteed: number;
  readonly burstable: number;
  readonly bestEffort: number;
}

/** The fullest quota resource of a namespace. */
export interface QuotaUsage {
  /** used / hard, e.g. 0.87. */
  readonly ratio: number;
  /** The ResourceQuota it comes from. */
  readonly quota: string;
  /** The resource, e.g. `requests.cpu`. */
  readonly resource: string;
}

/** One row of the Namespaces view. */
export interface NamespaceRow {
  readonly name: string;
  /** `status.phase`: Active or Terminating. */
  readonly phase: string;
  readonly creationTimestamp?: string;
  readonly pods: PodPhaseCounts;
  /** Sum of the restartCount of every container (init containers included) of the namespace's pods. */
  readonly restarts: number;
  /** Deployments + StatefulSets + DaemonSets + Jobs + CronJobs. */
  readonly workloads: number;
  readonly qos: QosMix;
  readonly hasLimitRange: boolean;
  /** The highest used/hard ratio across the namespace's quotas and resources; undefined without quotas. */
  readonly quota?: QuotaUsage;
}

/** What a namespace's pods add up to: counts by phase and QoS class, and restarts. */
interface PodTally {
  running: number;
  pending: number;
  failed: number;
  succeeded: number;
  unknown: number;
  restarts: number;
  guaranteed: number;
  burstable: number;
  bestEffort: number;
}

function emptyPodTally(): PodTally {
  return { running: 0, pending: 0, failed: 0, succeeded: 0, unknown: 0, restarts: 0, guaranteed: 0, burstable: 0, bestEffort: 0 };
}

/** Adds a pod to its namespace's tally (`sign` 1), or takes it out (-1). */
function tallyPod(tallies: Map<string, PodTally>, pod: PodRecord, sign: 1 | -1): void {
  const ns = pod.metadata.namespace ?? '';
  let t = tallies.get(ns);
  if (!t) {
    t = emptyPodTally();
    tallies.set(ns, t);
  }
  countPhase(t, pod.status?.phase, sign);
  t.restarts += sign * podRestarts(pod);
  countQos(t, getPodQosClass(pod), sign);
}

/** Pod tallies per namespace, as a fold: kept up to date from the pods a flush changed. */
const POD_TALLIES: FoldSpec<PodRecord, Map<string, PodTally>> = {
  init: () => new Map(),
  add: (tallies, pod) => tallyPod(tallies, pod, 1),
  remove: (tallies, pod) => tallyPod(tallies, pod, -1),
};

/**
 * A namespace summariser for one console: {@link summarizeNamespaces}, with the pod tallies
 * and workload counts updated from the objects that changed since its previous call rather
 * than recounted over every pod.
 */
export function createNamespaceSummarizer(): (objects: NamespaceInputs, only?: string) => NamespaceRow[] {
  const pods = incrementalFold(POD_TALLIES);
  const workloads = WORKLOAD_KINDS.map(() => incrementalFold(COUNT_BY_NAMESPACE));
  return (objects, only) => {
    const podTallies = pods(objects.pods);
    const workloadCounts = WORKLOAD_KINDS.map((kind, i) => workloads[i](objects[kind]));
    return namespaceRows(objects, podTallies, workloadCounts, only);
  };
}

/**
 * Summarises every namespace: pods by phase and QoS class, restarts, workloads, LimitRanges
 * and the fullest ResourceQuota. Rows come in name order; objects in namespaces that are not
 * (or no longer) listed are ignored. `only` (the `-n` namespace) keeps just that namespace's
 * row, as `kubectl get namespace NAME` would.
 */
export function summarizeNamespaces(objects: NamespaceInputs, only?: string): NamespaceRow[] {
  return createNamespaceSummarizer()(objects, only);
}

function namespaceRows(
  objects: NamespaceInputs,
  podTallies: ReadonlyMap<string, PodTally>,
  workloadCounts: readonly ReadonlyMap<string, number>[],
  only: string | undefined,
): NamespaceRow[] {
  const hasLimitRange = new Set<string>();
  for (const lr of objects.limitranges.values()) hasLimitRange.add(lr.metadata.namespace ?? '');
  const quotas = new Map<string, QuotaUsage>();
  for (const rq of objects.resourcequotas.values()) {
    const ns = rq.metadata.namespace ?? '';
    const usage = quotaUsage(rq);
    const best = quotas.get(ns);
    if (usage && (!best || usage.ratio > best.ratio)) quotas.set(ns, usage);
  }
  const rows: NamespaceRow[] = [];
  for (const ns of objects.namespaces.values()) {
    const name = ns.metadata.name;
    if (!name || (only !== undefined && name !== only)) continue;
    const t = podTallies.get(name) ?? emptyPodTally();
    const quota = quotas.get(name);
    rows.push({
      name,
      phase: ns.status?.phase ?? '',
      creationTimestamp: ns.metadata.creationTimestamp,
      pods: {
        running: t.running,
        pending: t.pending,
        failed: t.failed,
        succeeded: t.succeeded,
        unknown: t.unknown,
        total: t.running + t.pending + t.failed + t.succeeded + t.unknown,
      },
      restarts: t.restarts,
      workloads: workloadCounts.reduce((sum, counts) => sum + (counts.get(name) ?? 0), 0),
      qos: { guaranteed: t.guaranteed, burstable: t.burstable, bestEffort: t.bestEffort },
      hasLimitRange: hasLimitRange.has(name),
      ...(quota ? { quota } : {}),
    });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function countPhase(t: PodTally, phase: string | undefined, sign: 1 | -1): void {
  switch (phase) {
    case 'Running':
      t.running += sign;
      break;
    case 'Pending':
      t.pending += sign;
      break;
    case 'Failed':
      t.failed += sign;
      break;
    case 'Succeeded':
      t.succeeded += sign;
      break;
    default:
      t.unknown += sign;
  }
}

function countQos(t: PodTally, qos: QosClass, sign: 1 | -1): void {
  if (qos === 'Guaranteed') t.guaranteed += sign;
  else if (qos === 'Burstable') t.burstable += sign;
  else t.bestEffort += sign;
}

/** Restarts of every container of a pod, init containers included. */
export function podRestarts(pod: PodRecord): number {
  let sum = 0;
  for (const list of [pod.status?.initContainerStatuses, pod.status?.containerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) sum += typeof cs?.restartCount === 'number' ? cs.restartCount : 0;
  }
  return sum;
}

/**
 * The fullest resource of one ResourceQuota: max used/hard over `status.hard` (what the
 * quota controller enforces). A hard limit of 0 forbids a resource outright and is not a
 * usage level, so it is skipped, as are resources whose usage is not reported yet or
 * whose quantities do not parse.
 */
export function quotaUsage(quota: ResourceQuota): QuotaUsage | undefined {
  const hard: Record<string, string> = quota.status?.hard ?? {};
  const used: Record<string, string | undefined> = quota.status?.used ?? {};
  let best: QuotaUsage | undefined;
  for (const [resource, hardValue] of Object.entries(hard)) {
    const h = tryParseQuantity(hardValue);
    const u = tryParseQuantity(used[resource]);
    if (!h || !u || h.nanos <= 0n) continue;
    // bigint division keeps exactness for huge byte counts; 1e6 keeps four significant decimals of a percent.
    const ratio = Number((u.nanos * 1_000_000n) / h.nanos) / 1_000_000;
    if (!best || ratio > best.ratio) best = { ratio, quota: quota.metadata.name ?? '', resource };
  }
  return best;
}

/** The kinds each column of {@link NAMESPACE_COLUMNS} is computed from (besides the namespace itself). */
export const NAMESPACE_COLUMN_SOURCES: Readonly<Record<string, readonly string[]>> = {
  pods: ['pods'],
  restarts: ['pods'],
  qos: ['pods'],
  workloads: WORKLOAD_KINDS,
  limitrange: ['limitranges'],
  quota: ['resourcequotas'],
};

/** Ids of the columns computed from any of `kinds` (e.g. the kinds the server refuses to list). */
export function namespaceColumnsFrom(kinds: readonly string[]): string[] {
  return Object.entries(NAMESPACE_COLUMN_SOURCES)
    .filter(([, sources]) => sources.some((k) => kinds.includes(k)))
    .map(([id]) => id);
}

/** Key of a namespace row: its name. */
export function namespaceRowKey(row: NamespaceRow): string {
  return row.name;
}

/**
 * The columns of the Namespaces view and of `daytwo report namespaces`. AGE reads the
 * clock when printed, so a long-open console shows current ages.
 */
export const NAMESPACE_COLUMNS: readonly ColumnDef<NamespaceRow>[] = [
  { id: 'name', header: 'NAME', value: (r) => r.name, flex: true, minWidth: 8 },
  { id: 'status', header: 'STATUS', value: (r) => r.phase },
  {
    id: 'age',
    header: 'AGE',
    value: (r) => formatAge(r.creationTimestamp),
    // Ascending follows the printed ages: the youngest namespace first.
    sortValue: (r) => -(r.creationTimestamp ? Date.parse(r.creationTimestamp) : 0),
    align: 'right',
  },
  {
    id: 'pods',
    header: 'PODS R/P/F',
    value: (r) => formatCounts([r.pods.running, r.pods.pending, r.pods.failed]),
    sortValue: (r) => r.pods.total,
    align: 'right',
  },
  { id: 'restarts', header: 'RESTARTS', value: (r) => String(r.restarts), sortValue: (r) => r.restarts, align: 'right' },
  {
    id: 'workloads',
    header: 'WORKLOADS',
    value: (r) => String(r.workloads),
    sortValue: (r) => r.workloads,
    align: 'right',
  },
  {
    id: 'qos',
    header: 'QOS G/B/BE',
    value: (r) => formatCounts([r.qos.guaranteed, r.qos.burstable, r.qos.bestEffort]),
    sortValue: (r) => r.qos.bestEffort,
    align: 'right',
  },
  { id: 'limitrange', header: 'LIMITRANGE', value: (r) => (r.hasLimitRange ? 'yes' : 'no') },
  {
    id: 'quota',
    header: 'QUOTA',
    value: (r) => (r.quota ? `${formatPercent(r.quota.ratio)} ${r.quota.resource}` : '-'),
    sortValue: (r) => r.quota?.ratio ?? -1,
    flex: true,
    minWidth: 5,
  },
];
