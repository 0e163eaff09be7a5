/**
 * The QoS view and `daytwo report qos`: one row per pod (its computed class, the rule that
 * decided it, its cpu/memory sums and gaps) and one summary per namespace (pods per class,
 * pods without a memory limit or any request, the LimitRange defaults).
 */

import { createInterner, type PodRecord } from '@daytwo/k8s/compact.js';
import { explainQos, type QosClass, type QosExplanation, type QosResource, type QosResources } from '@daytwo/k8s/qos.js';
import { formatCpu, formatMemory, formatQuantity, type Quantity, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { LimitRange } from '@daytwo/k8s/wire-types.js';
import { mapChanges, spliceSorted } from './incremental.js';
import type { ColumnDef } from './table.js';

/** The classes, in the order the kubelet evicts them under memory pressure. */
export const QOS_CLASSES: readonly QosClass[] = ['BestEffort', 'Burstable', 'Guaranteed'];

/** One pod of the QoS view. */
export interface QosPodRow {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** `spec.nodeName`; empty while unscheduled. */
  readonly node: string;
  readonly phase: string;
  readonly creationTimestamp?: string;
  /** The class as the API server computes it. */
  readonly qosClass: QosClass;
  /** `status.qosClass`, when recorded. */
  readonly statusQosClass?: string;
  /** `status.qosClass` is present and differs from the computed class. */
  readonly mismatch: boolean;
  /** The deciding rule in one line. */
  readonly reason: string;
  /** Positive cpu/memory requests summed as the QoS rules sum them (containers, init containers included; or pod-level). */
  readonly requests: QosResources;
  readonly limits: QosResources;
  /** Some container can use memory without bound: no positive memory limit, and none at pod level. */
  readonly withoutMemoryLimit: boolean;
  /** Neither any container nor the pod requests cpu or memory. */
  readonly withoutRequests: boolean;
  /** The full explanation, computed on each read. */
  readonly explanation: QosExplanation;
  readonly pod: PodRecord;
}

function isPositive(q: Quantity | undefined): q is Quantity {
  return q !== undefined && q.sign() > 0;
}

function hasUnboundedMemory(e: QosExplanation): boolean {
  if (isPositive(e.podLevel?.limits.memory)) return false;
  return e.containers.some((c) => !isPositive(c.limits.memory));
}

function requestsNothing(e: QosExplanation): boolean {
  const positive = (list: QosResources) => isPositive(list.cpu) || isPositive(list.memory);
  return !positive(e.totals.requests) && !e.containers.some((c) => positive(c.requests));
}

/**
 * Equal reasons and equal totals, one copy each, so the rows of one workload's pods share
 * them (a Burstable pod's reason names its container, `container app: no memory limit`, the
 * same for every replica; its totals give one cell text). Bounded: past 10,000 distinct
 * ones the pool starts again, and what was shared stays shared.
 */
const rowPool = createInterner(10_000, 10_000);

function sharedTotals(totals: QosResources): QosResources {
  let key = '';
  for (const [name, q] of Object.entries(totals)) if (q) key += `${name}=${q.nanos}:${q.format};`;
  return rowPool.value!(key, () => totals) as QosResources;
}

/**
 * A {@link QosPodRow} as a class: every row has the same shape (V8 keeps its fields in the
 * object), and `explanation` is a getter on the prototype that explains the pod again when
 * asked (the pod detail, the report) rather than keeping per-container quantities on 30,000
 * rows that nobody reads while scrolling.
 */
class PodQosRow implements QosPodRow {
  readonly key: string;
  readonly qosClass: QosClass;
  readonly mismatch: boolean;
  readonly reason: string;
  readonly requests: QosResources;
  readonly limits: QosResources;
  readonly withoutMemoryLimit: boolean;
  readonly withoutRequests: boolean;

  constructor(
    readonly pod: PodRecord,
    e: QosExplanation,
    key?: string,
  ) {
    this.key = key ?? `${this.namespace}/${this.name}`;
    this.qosClass = e.qosClass;
    this.mismatch = e.mismatch;
    this.reason = rowPool(e.reason);
    this.requests = sharedTotals(e.totals.requests);
    this.limits = sharedTotals(e.totals.limits);
    this.withoutMemoryLimit = hasUnboundedMemory(e);
    this.withoutRequests = requestsNothing(e);
  }

  // Read from the pod's record rather than copied onto each of 30,000 rows.
  get namespace(): string {
    return this.pod.metadata.namespace ?? '';
  }

  get name(): string {
    return this.pod.metadata.name ?? '';
  }

  get node(): string {
    return typeof this.pod.spec?.nodeName === 'string' ? this.pod.spec.nodeName : '';
  }

  get phase(): string {
    return typeof this.pod.status?.phase === 'string' ? this.pod.status.phase : '';
  }

  get creationTimestamp(): string | undefined {
    return this.pod.metadata.creationTimestamp;
  }

  /** As `explainQos` reads it. */
  get statusQosClass(): string | undefined {
    return this.pod.status?.qosClass || undefined;
  }

  get explanation(): QosExplanation {
    return explainQos(this.pod);
  }
}

/**
 * The QoS row of one pod; `key`, its `namespace/name`, when the caller holds that string
 * already (the store's key), so 30,000 rows do not each build another copy.
 */
export function qosPodRow(pod: PodRecord, key?: string): QosPodRow {
  return new PodQosRow(pod, explainQos(pod), key);
}

/** What the pod list shows. */
export interface QosPodFilter {
  /** Only pods of this namespace (the console's scope); all when undefined. */
  readonly namespace?: string;
  /** Only pods of this class; all when undefined. */
  readonly qosClass?: QosClass;
  /** Only pods with a container that has no memory limit. */
  readonly withoutMemoryLimit?: boolean;
}

/** The QoS rows of the pods that pass the filter, in namespace/name order. */
export function qosPodRows(pods: Iterable<PodRecord>, filter: QosPodFilter = {}): QosPodRow[] {
  const rows: QosPodRow[] = [];
  for (const pod of pods) {
    if (filter.namespace !== undefined && pod.metadata.namespace !== filter.namespace) continue;
    const row = qosPodRow(pod);
    if (filter.qosClass !== undefined && row.qosClass !== filter.qosClass) continue;
    if (filter.withoutMemoryLimit && !row.withoutMemoryLimit) continue;
    rows.push(row);
  }
  return rows.sort(compareRowKeys);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of {@link qosPodRows}: by `namespace/name`. */
function compareRowKeys(a: QosPodRow, b: QosPodRow): number {
  return compareText(a.key, b.key);
}

/** Pods of one namespace by class and gap, what a {@link QosNamespaceSummary} counts. */
export interface QosTally {
  pods: number;
  byClass: Record<QosClass, number>;
  noMemoryLimit: number;
  noRequests: number;
  mismatched: number;
}

function tallyRow(tallies: Map<string, QosTally>, row: QosPodRow, sign: 1 | -1): void {
  let t = tallies.get(row.namespace);
  if (!t) {
    t = { pods: 0, byClass: { Guaranteed: 0, Burstable: 0, BestEffort: 0 }, noMemoryLimit: 0, noRequests: 0, mismatched: 0 };
    tallies.set(row.namespace, t);
  }
  t.pods += sign;
  t.byClass[row.qosClass] += sign;
  if (row.withoutMemoryLimit) t.noMemoryLimit += sign;
  if (row.withoutRequests) t.noRequests += sign;
  if (row.mismatch) t.mismatched += sign;
  if (t.pods === 0) tallies.delete(row.namespace);
}

/** Every pod's QoS row in `namespace/name` order and the tallies per namespace, at one version of the pods. */
export interface QosIndex {
  readonly rows: readonly QosPodRow[];
  /** Updated in place by the next call: read it with these rows. */
  readonly tallies: ReadonlyMap<string, QosTally>;
}

/**
 * The QoS rows and tallies of a console, kept up to date from the pods that changed since the
 * previous call: a changed pod's row is explained again and put in its place by binary
 * search, and the tallies take out its old row (found by key in the rows, so no cache by pod
 * is kept) and add the new one.
 */
export function createQosIndex(): (pods: ReadonlyMap<string, PodRecord>) => QosIndex {
  let last: ReadonlyMap<string, PodRecord> | undefined;
  let index: QosIndex = { rows: [], tallies: new Map() };
  const tallies = new Map<string, QosTally>();
  const fromScratch = (pods: ReadonlyMap<string, PodRecord>): QosIndex => {
    tallies.clear();
    const rows: QosPodRow[] = [];
    for (const [key, pod] of pods) rows.push(qosPodRow(pod, key));
    rows.sort(compareRowKeys);
    for (const row of rows) tallyRow(tallies, row, 1);
    return { rows, tallies };
  };
  return (pods) => {
    if (pods === last) return index;
    const changes = last === undefined ? undefined : mapChanges(last, pods);
    last = pods;
    if (changes === undefined || changes.length > pods.size / 2) {
      index = fromScratch(pods);
      return index;
    }
    const removed: QosPodRow[] = [];
    const added: QosPodRow[] = [];
    for (const [key, before, after] of changes) {
      if (before !== undefined) {
        const row = index.rows[lowerBoundKey(index.rows, key)];
        if (row?.pod !== before) {
          index = fromScratch(pods);
          return index;
        }
        removed.push(row);
      }
      if (after !== undefined) added.push(qosPodRow(after, key));
    }
    const rows = spliceSorted(index.rows, removed, added, compareRowKeys);
    if (!rows) {
      index = fromScratch(pods);
      return index;
    }
    for (const row of removed) tallyRow(tallies, row, -1);
    for (const row of added) tallyRow(tallies, row, 1);
    index = { rows, tallies };
    return index;
  };
}

/** The rows of one namespace (all when undefined): a slice, since rows are in `namespace/name` order. */
export function rowsInNamespace(rows: readonly QosPodRow[], namespace: string | undefined): readonly QosPodRow[] {
  if (namespace === undefined) return rows;
  const prefix = `${namespace}/`;
  const start = lowerBoundKey(rows, prefix);
  let end = start;
  while (end < rows.length && rows[end].key.startsWith(prefix)) end++;
  return rows.slice(start, end);
}

function lowerBoundKey(rows: readonly QosPodRow[], key: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The container defaults of a namespace's LimitRanges (`type: Container` items). */
export interface LimitRangeDefaults {
  /** `defaultRequest`: what a container that requests nothing gets. */
  readonly defaultRequest: QosResources;
  /** `default`: the limit a container without one gets. */
  readonly defaultLimit: QosResources;
  /** The LimitRanges these come from, by name. */
  readonly limitRanges: readonly string[];
}

type ResourceMap = Record<string, unknown>;

function asResourceMap(value: unknown): ResourceMap {
  return value !== null && typeof value === 'object' ? (value as ResourceMap) : {};
}

/**
 * One LimitRange's container defaults, as the LimitRanger admission plugin reads them
 * (`defaultContainerResourceRequirements`, plugin/pkg/admission/limitranger/admission.go):
 * each `type: Container` item in turn, a later item overriding an earlier one. Each item is
 * first defaulted as the API server stores it (`SetDefaults_LimitRangeItem`,
 * pkg/apis/core/v1/defaults.go): `default` from `max`, then `defaultRequest` from
 * `default`, then from `min`; on a stored LimitRange that is a no-op.
 */
function containerDefaults(limitRange: LimitRange): { requests: ResourceMap; limits: ResourceMap } {
  const requests: ResourceMap = {};
  const limits: ResourceMap = {};
  const items: unknown[] = Array.isArray(limitRange.spec?.limits) ? limitRange.spec.limits : [];
  for (const raw of items) {
    const item = asResourceMap(raw);
    if (item.type !== 'Container') continue;
    const defaultLimit = { ...asResourceMap(item.max), ...asResourceMap(item.default) };
    const defaultRequest = { ...asResourceMap(item.min), ...defaultLimit, ...asResourceMap(item.defaultRequest) };
    Object.assign(requests, defaultRequest);
    Object.assign(limits, defaultLimit);
  }
  return { requests, limits };
}

const QOS_RESOURCES: readonly QosResource[] = ['cpu', 'memory'];

/**
 * The cpu/memory container defaults the LimitRanges of one namespace apply, or undefined
 * when none sets any ("none"). With several LimitRanges, LimitRanger applies each in turn
 * and only fills what is still unset, so the first one wins per resource; the API server
 * takes them in its cache's order, which is not defined: daytwo takes them by name.
 */
export function limitRangeDefaults(limitRanges: Iterable<LimitRange>): LimitRangeDefaults | undefined {
  const sorted = [...limitRanges].sort((a, b) => compareText(a.metadata.name ?? '', b.metadata.name ?? ''));
  const defaultRequest: Partial<Record<QosResource, Quantity>> = {};
  const defaultLimit: Partial<Record<QosResource, Quantity>> = {};
  const sources: string[] = [];
  for (const lr of sorted) {
    const { requests, limits } = containerDefaults(lr);
    let contributed = false;
    for (const r of QOS_RESOURCES) {
      const request = tryParseQuantity(requests[r] as string | number | undefined);
      if (request && !defaultRequest[r]) {
        defaultRequest[r] = request;
        contributed = true;
      }
      const limit = tryParseQuantity(limits[r] as string | number | undefined);
      if (limit && !defaultLimit[r]) {
        defaultLimit[r] = limit;
        contributed = true;
      }
    }
    if (contributed) sources.push(lr.metadata.name ?? '');
  }
  return sources.length === 0 ? undefined : { defaultRequest, defaultLimit, limitRanges: sources };
}

/** One namespace of the QoS summary. */
export interface QosNamespaceSummary {
  readonly namespace: string;
  readonly pods: number;
  readonly guaranteed: number;
  readonly burstable: number;
  readonly bestEffort: number;
  readonly withoutMemoryLimit: number;
  readonly withoutRequests: number;
  /** Pods whose `status.qosClass` differs from the computed class. */
  readonly mismatched: number;
  /** Undefined: no LimitRange sets a cpu or memory container default ("none"). */
  readonly limitRangeDefaults?: LimitRangeDefaults;
}

/**
 * One summary per namespace that has pods or a LimitRange (optionally only `namespace`),
 * in name order. Counts use the computed class.
 */
export function summarizeQos(
  rows: readonly QosPodRow[],
  limitRanges: Iterable<LimitRange>,
  namespace?: string,
): QosNamespaceSummary[] {
  const tallies = new Map<string, QosTally>();
  for (const row of rows) if (namespace === undefined || row.namespace === namespace) tallyRow(tallies, row, 1);
  return summarizeQosTallies(tallies, limitRanges, namespace);
}

/** {@link summarizeQos} from tallies already counted (a {@link QosIndex}'s). */
export function summarizeQosTallies(
  tallies: ReadonlyMap<string, QosTally>,
  limitRanges: Iterable<LimitRange>,
  namespace?: string,
): QosNamespaceSummary[] {
  const rangesByNamespace = new Map<string, LimitRange[]>();
  for (const lr of limitRanges) {
    const ns = lr.metadata.namespace ?? '';
    if (namespace !== undefined && ns !== namespace) continue;
    rangesByNamespace.set(ns, [...(rangesByNamespace.get(ns) ?? []), lr]);
  }
  const namespaces = new Set(rangesByNamespace.keys());
  for (const ns of tallies.keys()) if (namespace === undefined || ns === namespace) namespaces.add(ns);
  return [...namespaces]
    .sort(compareText)
    .map((ns) => {
      const t = tallies.get(ns);
      const defaults = limitRangeDefaults(rangesByNamespace.get(ns) ?? []);
      return {
        namespace: ns,
        pods: t?.pods ?? 0,
        guaranteed: t?.byClass.Guaranteed ?? 0,
        burstable: t?.byClass.Burstable ?? 0,
        bestEffort: t?.byClass.BestEffort ?? 0,
        withoutMemoryLimit: t?.noMemoryLimit ?? 0,
        withoutRequests: t?.noRequests ?? 0,
        mismatched: t?.mismatched ?? 0,
        ...(defaults ? { limitRangeDefaults: defaults } : {}),
      };
    });
}

/** Canonical quantity strings (`{cpu: "450m", memory: "550Mi"}`), as the API prints them. */
export function quantitiesJson(list: QosResources): Partial<Record<QosResource, string>> {
  const out: Partial<Record<QosResource, string>> = {};
  for (const r of QOS_RESOURCES) {
    const q = list[r];
    if (q) out[r] = formatQuantity(q);
  }
  return out;
}

/** `req cpu 100m mem 128Mi · lim cpu 500m mem 512Mi`, or `none`. */
export function formatLimitRangeDefaults(d: LimitRangeDefaults | undefined): string {
  if (!d) return 'none';
  const part = (label: string, list: QosResources) => {
    const cpu = list.cpu ? `cpu ${formatCpu(list.cpu)}` : '';
    const memory = list.memory ? `mem ${formatMemory(list.memory)}` : '';
    const amounts = [cpu, memory].filter(Boolean).join(' ');
    return amounts ? `${label} ${amounts}` : '';
  };
  return [part('req', d.defaultRequest), part('lim', d.defaultLimit)].filter(Boolean).join(' · ');
}

// Rows are cached per pod, and the table prepares every row's cells again whenever any pod
// changes: formatting (bigint arithmetic) 120,000 amounts per flush on a 30,000-pod cluster
// was most of the garbage the QoS view made. Quantities are immutable, so their text is kept.
const cpuTexts = new WeakMap<Quantity, string>();
const memoryTexts = new WeakMap<Quantity, string>();

function memoised(cache: WeakMap<Quantity, string>, q: Quantity, format: (q: Quantity) => string): string {
  let text = cache.get(q);
  if (text === undefined) {
    text = format(q);
    cache.set(q, text);
  }
  return text;
}

/** A cpu amount for a cell; `-` when not set. */
export function cpuCell(q: Quantity | undefined): string {
  return q ? memoised(cpuTexts, q, formatCpu) : '-';
}

/** A memory amount for a cell; `-` when not set. */
export function memoryCell(q: Quantity | undefined): string {
  return q ? memoised(memoryTexts, q, formatMemory) : '-';
}

/** Sort key of an amount: unset sorts below zero. */
function amountSortValue(q: Quantity | undefined): number {
  return q ? q.toNumber() : -1;
}

/** The CLASS cell: the computed class, flagged `!` when `status.qosClass` disagrees. */
export function classCell(row: Pick<QosPodRow, 'qosClass' | 'mismatch'>): string {
  return row.mismatch ? `${row.qosClass}!` : row.qosClass;
}

/** The REASON cell: the deciding rule, after what `status.qosClass` says when it disagrees. */
export function reasonCell(row: Pick<QosPodRow, 'reason' | 'mismatch' | 'statusQosClass'>): string {
  return row.mismatch ? `status.qosClass says ${row.statusQosClass}; ${row.reason}` : row.reason;
}

/** Ascending class order is the eviction order: BestEffort, Burstable, Guaranteed. */
function classSortValue(row: QosPodRow): number {
  return QOS_CLASSES.indexOf(row.qosClass);
}

/**
 * Columns of the QoS view's pod list and of `daytwo report qos`. NODE comes last: on a
 * narrow terminal it is the first to go, before the reason.
 */
export const QOS_POD_COLUMNS: readonly ColumnDef<QosPodRow>[] = [
  { id: 'namespace', header: 'NAMESPACE', value: (r) => r.namespace, flex: true, minWidth: 9 },
  { id: 'name', header: 'NAME', value: (r) => r.name, flex: true, minWidth: 16, pinned: true },
  { id: 'class', header: 'CLASS', value: classCell, sortValue: classSortValue, minWidth: 'Guaranteed!'.length },
  { id: 'cpuRequest', header: 'CPU REQ', value: (r) => cpuCell(r.requests.cpu), sortValue: (r) => amountSortValue(r.requests.cpu), align: 'right' },
  { id: 'cpuLimit', header: 'CPU LIM', value: (r) => cpuCell(r.limits.cpu), sortValue: (r) => amountSortValue(r.limits.cpu), align: 'right' },
  { id: 'memoryRequest', header: 'MEM REQ', value: (r) => memoryCell(r.requests.memory), sortValue: (r) => amountSortValue(r.requests.memory), align: 'right' },
  { id: 'memoryLimit', header: 'MEM LIM', value: (r) => memoryCell(r.limits.memory), sortValue: (r) => amountSortValue(r.limits.memory), align: 'right' },
  { id: 'reason', header: 'REASON', value: reasonCell, flex: true, minWidth: 16 },
  // Cloud node names are long (`ip-10-0-16-13.eu-west-1.compute.internal`); their start tells them apart.
  { id: 'node', header: 'NODE', value: (r) => r.node || '<none>', flex: true, minWidth: 8, maxWidth: 24 },
];

/** Columns of the per-namespace QoS summary (the view's top panel and the report's second table). */
export const QOS_NAMESPACE_COLUMNS: readonly ColumnDef<QosNamespaceSummary>[] = [
  { id: 'namespace', header: 'NAMESPACE', value: (s) => s.namespace, flex: true, minWidth: 9 },
  { id: 'pods', header: 'PODS', value: (s) => String(s.pods), sortValue: (s) => s.pods, align: 'right' },
  { id: 'guaranteed', header: 'GUARANTEED', value: (s) => String(s.guaranteed), sortValue: (s) => s.guaranteed, align: 'right' },
  { id: 'burstable', header: 'BURSTABLE', value: (s) => String(s.burstable), sortValue: (s) => s.burstable, align: 'right' },
  { id: 'bestEffort', header: 'BESTEFFORT', value: (s) => String(s.bestEffort), sortValue: (s) => s.bestEffort, align: 'right' },
  { id: 'noMemoryLimit', header: 'NO MEM LIMIT', value: (s) => String(s.withoutMemoryLimit), sortValue: (s) => s.withoutMemoryLimit, align: 'right' },
  { id: 'noRequests', header: 'NO REQUESTS', value: (s) => String(s.withoutRequests), sortValue: (s) => s.withoutRequests, align: 'right' },
  { id: 'limitRange', header: 'LIMITRANGE DEFAULTS', value: (s) => formatLimitRangeDefaults(s.limitRangeDefaults), flex: true, minWidth: 4 },
];
