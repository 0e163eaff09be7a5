/**
 * Node pools: nodes grouped by the label their provisioner sets, with per-pool and per-node
 * health, kubelet skew and request totals. Backs the Node pools view and
 * `daytwo report nodepools`.
 */

import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { cpuMillis, isTerminated, memoryBytes, podRequests, type ResourceAmounts, resourceAmounts } from '@daytwo/k8s/pod-requests.js';
import { formatCpu, formatMemory } from '@daytwo/k8s/quantity.js';
import { formatTaint, } from '@daytwo/k8s/taints.js';
import { formatAge, formatPercent } from './format.js';
import { type FoldSpec, incrementalFold } from './incremental.js';
import { type KubeletSkew, kubeletSkew, worseSkew } from './skew.js';
import type { ColumnDef } from './table.js';

/** Pool labels in order of preference: the first one a node carries names its pool. */
export const POOL_LABELS = [
  'karpenter.sh/nodepool',
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
] as const;

export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** The pool of nodes that carry neither a pool label nor an instance type. */
export const NO_POOL = '(none)';

/** The Ready condition as kubectl reads it: no condition at all is Unknown. */
export type NodeReadiness = 'Ready' | 'NotReady' | 'Unknown';

/** Pressure conditions that are reported when True. */
export const PRESSURE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** One node, as a row of the Node pools view. */
export interface NodeRow {
  readonly name: string;
  readonly pool: string;
  /** kubectl's STATUS column: `Ready`, `NotReady`, `Unknown`, plus `,SchedulingDisabled`. */
  readonly status: string;
  readonly readiness: NodeReadiness;
  readonly cordoned: boolean;
  /** kubectl's ROLES column: sorted roles joined by commas, or `<none>`. */
  readonly roles: string;
  readonly kubeletVersion: string;
  /** Undefined until the API server's version is known. */
  readonly skew?: KubeletSkew;
  /** kubectl's AGE column. */
  readonly age: string;
  readonly creationTimestamp?: string;
  readonly instanceType?: string;
  readonly zone?: string;
  /** Non-terminated pods bound to the node. */
  readonly pods: number;
  readonly cpuRequestedMillis: number;
  readonly cpuAllocatableMillis: number;
  readonly memoryRequestedBytes: number;
  readonly memoryAllocatableBytes: number;
  /** Requested / allocatable; undefined when nothing is allocatable. */
  readonly cpuRequestRatio?: number;
  readonly memoryRequestRatio?: number;
  /** Pressure conditions that are True. */
  readonly pressure: readonly string[];
  readonly taints: readonly string[];
}

/** One pool with its nodes and totals. */
export interface NodePool {
  readonly name: string;
  /** The label that named the pool (`node.kubernetes.io/instance-type` for the fallback); undefined for `(none)`. */
  readonly label?: string;
  readonly nodes: readonly NodeRow[];
  readonly ready: number;
  /** NotReady and Unknown nodes. */
  readonly notReady: number;
  readonly cordoned: number;
  /** Distinct kubelet versions, sorted. */
  readonly kubeletVersions: readonly string[];
  readonly mixedVersions: boolean;
  readonly instanceTypes: readonly string[];
  readonly zones: readonly string[];
  readonly pods: number;
  readonly cpuAllocatableMillis: number;
  readonly memoryAllocatableBytes: number;
  readonly cpuRequestedMillis: number;
  readonly memoryRequestedBytes: number;
  readonly cpuRequestRatio?: number;
  readonly memoryRequestRatio?: number;
  /** Distinct taints across the pool's nodes, as `key=value:Effect`. */
  readonly taints: readonly string[];
  /** The worst kubelet skew among the pool's nodes. */
  readonly worstSkew?: KubeletSkew;
}

export interface NodePoolOptions {
  /** kube-apiserver version (`/version` gitVersion) for skew; skew is omitted without it. */
  readonly apiServerVersion?: string;
  /** Epoch ms used for ages; defaults to now. */
  readonly now?: number;
}

/** The pool a node belongs to and the label that decided it. */
export function poolOf(node: KubeObject): { name: string; label?: string } {
  const labels = node.metadata?.labels ?? {};
  for (const label of POOL_LABELS) {
    const value = labels[label];
    if (value) return { name: value, label };
  }
  const instanceType = labels[INSTANCE_TYPE_LABEL];
  return instanceType ? { name: instanceType, label: INSTANCE_TYPE_LABEL } : { name: NO_POOL };
}

/**
 * The node's STATUS as `kubectl get nodes` prints it (printers.go `printNode`): the Ready
 * condition as `Ready` or `NotReady` (False and Unknown alike), `Unknown` when the node has
 * no Ready condition, then `SchedulingDisabled` when cordoned.
 */
export function nodeStatus(node: NodeRecord): { status: string; readiness: NodeReadiness } {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const readiness: NodeReadiness = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  const parts: string[] = [readiness];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return { status: parts.join(','), readiness };
}

/**
 * The node's ROLES as kubectl prints them (`findNodeRoles`): every `node-role.kubernetes.io/<role>`
 * label and a non-empty `kubernetes.io/role` label, sorted, or `<none>`.
 */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** Pressure conditions (MemoryPressure, DiskPressure, PIDPressure) whose status is True. */
export function nodePressure(node: NodeRecord): string[] {
  const conditions = node.status?.conditions ?? [];
  return PRESSURE_CONDITIONS.filter((type) => conditions.some((c) => c.type === type && c.status === 'True'));
}

function ratio(requested: number, allocatable: number): number | undefined {
  return allocatable > 0 ? requested / allocatable : undefined;
}

/** What the pods bound to a node add up to. */
export interface NodeUsage {
  /** Non-terminated pods. */
  readonly pods: number;
  /** Their requests summed (podRequests). */
  readonly requested: ReadonlyMap<string, bigint>;
}

const NO_USAGE: NodeUsage = { pods: 0, requested: new Map() };

/** Requests of a pod record, parsed once per record (records are replaced, never changed). */
const requestsOf = (() => {
  const cache = new WeakMap<PodRecord, ResourceAmounts>();
  return (pod: PodRecord): ResourceAmounts => {
    let amounts = cache.get(pod);
    if (!amounts) {
      amounts = podRequests(pod);
      cache.set(pod, amounts);
    }
    return amounts;
  };
})();

/** Adds a bound, non-terminated pod to its node's usage (`sign` 1) or takes it out (-1); each change makes a new NodeUsage. */
function addPodUsage(usage: Map<string, NodeUsage>, pod: PodRecord, sign: 1 | -1): void {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName || isTerminated(pod)) return;
  const prev = usage.get(nodeName) ?? NO_USAGE;
  const requested = new Map(prev.requested);
  for (const [name, v] of requestsOf(pod)) requested.set(name, (requested.get(name) ?? 0n) + BigInt(sign) * v);
  const pods = prev.pods + sign;
  if (pods === 0) usage.delete(nodeName);
  else usage.set(nodeName, { pods, requested });
}

/** Usage per node name, as a fold kept up to date from the pods a flush changed. */
const NODE_USAGE: FoldSpec<PodRecord, Map<string, NodeUsage>> = {
  init: () => new Map(),
  add: (usage, pod) => addPodUsage(usage, pod, 1),
  remove: (usage, pod) => addPodUsage(usage, pod, -1),
};

/** Usage per node of every bound, non-terminated pod. */
export function usageByNode(pods: Iterable<PodRecord>): Map<string, NodeUsage> {
  const usage = new Map<string, NodeUsage>();
  for (const pod of pods) addPodUsage(usage, pod, 1);
  return usage;
}

function nodeRow(node: NodeRecord, usage: NodeUsage, opts: NodePoolOptions): NodeRow {
  const { status, readiness } = nodeStatus(node);
  const labels = node.metadata?.labels ?? {};
  const requested = usage.requested;
  const allocatable = resourceAmounts(node.status?.allocatable);
  const kubeletVersion = node.status?.nodeInfo?.kubeletVersion ?? '';
  const cpuRequestedMillis = cpuMillis(requested);
  const cpuAllocatableMillis = cpuMillis(allocatable);
  const memoryRequestedBytes = memoryBytes(requested);
  const memoryAllocatableBytes = memoryBytes(allocatable);
  return {
    name: node.metadata.name ?? '',
    pool: poolOf(node).name,
    status,
    readiness,
    cordoned: node.spec?.unschedulable === true,
    roles: nodeRoles(node),
    kubeletVersion,
    ...(opts.apiServerVersion ? { skew: kubeletSkew(opts.apiServerVersion, kubeletVersion) } : {}),
    age: formatAge(node.metadata.creationTimestamp, opts.now),
    ...(node.metadata.creationTimestamp ? { creationTimestamp: node.metadata.creationTimestamp } : {}),
    ...(labels[INSTANCE_TYPE_LABEL] ? { instanceType: labels[INSTANCE_TYPE_LABEL] } : {}),
    ...(labels[ZONE_LABEL] ? { zone: labels[ZONE_LABEL] } : {}),
    pods: usage.pods,
    cpuRequestedMillis,
    cpuAllocatableMillis,
    memoryRequestedBytes,
    memoryAllocatableBytes,
    cpuRequestRatio: ratio(cpuRequestedMillis, cpuAllocatableMillis),
    memoryRequestRatio: ratio(memoryRequestedBytes, memoryAllocatableBytes),
    pressure: nodePressure(node),
    taints: (node.spec?.taints ?? []).map(formatTaint),
  };
}

/** Non-terminated pods by the node they are bound to (`spec.nodeName`). */
export function podsByNode<P extends PodRecord>(pods: Iterable<P>): Map<string, P[]> {
  const out = new Map<string, P[]>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isTerminated(pod)) continue;
    let list = out.get(nodeName);
    if (!list) {
      list = [];
      out.set(nodeName, list);
    }
    list.push(pod);
  }
  return out;
}

const sortedDistinct = (values: Iterable<string | undefined>): string[] =>
  [...new Set([...values].filter((v): v is string => !!v))].sort();

/** Rows for every node, sorted by name. */
export function nodeRows(nodes: Iterable<NodeRecord>, pods: Iterable<PodRecord>, opts: NodePoolOptions = {}): NodeRow[] {
  return rowsFromUsage(nodes, usageByNode(pods), opts);
}

function rowsFromUsage(
  nodes: Iterable<NodeRecord>,
  usage: ReadonlyMap<string, NodeUsage>,
  opts: NodePoolOptions,
  rowOf: (node: NodeRecord, usage: NodeUsage) => NodeRow = (n, u) => nodeRow(n, u, opts),
): NodeRow[] {
  return [...nodes].map((n) => rowOf(n, usage.get(n.metadata.name ?? '') ?? NO_USAGE)).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Groups nodes into pools (see `poolOf`) and totals each pool. Pools are keyed by label
 * and value, so a Karpenter pool and an EKS node group that share a name stay apart.
 * Sorted by pool name, then label.
 */
export function buildNodePools(nodes: Iterable<NodeRecord>, pods: Iterable<PodRecord>, opts: NodePoolOptions = {}): NodePool[] {
  const list = [...nodes];
  return poolsFromRows(list, nodeRows(list, pods, opts));
}

function poolsFromRows(nodes: Iterable<KubeObject>, rows: readonly NodeRow[]): NodePool[] {
  const poolByNode = new Map([...nodes].map((n) => [n.metadata.name ?? '', poolOf(n)]));
  const groups = new Map<string, { name: string; label?: string; rows: NodeRow[] }>();
  for (const row of rows) {
    const pool = poolByNode.get(row.name)!;
    const key = `${pool.label ?? ''}\u0000${pool.name}`;
    let group = groups.get(key);
    if (!group) {
      group = { ...pool, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()]
    .map((g) => summarizePool(g.name, g.label, g.rows))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.label ?? '').localeCompare(b.label ?? ''));
}

/**
 * Node rows and pools for one console: the pods' requests per node are updated from the pods
 * each flush changed (not summed again over every pod), and a node's row is rebuilt only when
 * the node, its usage, the clock or the API server version changed.
 */
export function createNodePoolDerivation(): {
  nodeRows(nodes: ReadonlyMap<string, NodeRecord>, pods: ReadonlyMap<string, PodRecord>, opts?: NodePoolOptions): NodeRow[];
  pools(nodes: ReadonlyMap<string, NodeRecord>, pods: ReadonlyMap<string, PodRecord>, opts?: NodePoolOptions): NodePool[];
} {
  const usageOf = incrementalFold(NODE_USAGE);
  let rowCache = new WeakMap<NodeRecord, { usage: NodeUsage; row: NodeRow }>();
  let cachedFor: NodePoolOptions = {};
  const rows = (nodes: ReadonlyMap<string, NodeRecord>, pods: ReadonlyMap<string, PodRecord>, opts: NodePoolOptions = {}) => {
    if (opts.now !== cachedFor.now || opts.apiServerVersion !== cachedFor.apiServerVersion) {
      rowCache = new WeakMap();
      cachedFor = opts;
    }
    return rowsFromUsage(nodes.values(), usageOf(pods), opts, (node, usage) => {
      const hit = rowCache.get(node);
      if (hit?.usage === usage) return hit.row;
      const row = nodeRow(node, usage, opts);
      rowCache.set(node, { usage, row });
      return row;
    });
  };
  return { nodeRows: rows, pools: (nodes, pods, opts) => poolsFromRows(nodes.values(), rows(nodes, pods, opts)) };
}

function summarizePool(name: string, label: string | undefined, rows: NodeRow[]): NodePool {
  const sum = (f: (r: NodeRow) => number) => rows.reduce((acc, r) => acc + f(r), 0);
  const kubeletVersions = sortedDistinct(rows.map((r) => r.kubeletVersion));
  const cpuAllocatableMillis = sum((r) => r.cpuAllocatableMillis);
  const memoryAllocatableBytes = sum((r) => r.memoryAllocatableBytes);
  const cpuRequestedMillis = sum((r) => r.cpuRequestedMillis);
  const memoryRequestedBytes = sum((r) => r.memoryRequestedBytes);
  return {
    name,
    ...(label ? { label } : {}),
    nodes: rows,
    ready: rows.filter((r) => r.readiness === 'Ready').length,
    notReady: rows.filter((r) => r.readiness !== 'Ready').length,
    cordoned: rows.filter((r) => r.cordoned).length,
    kubeletVersions,
    mixedVersions: kubeletVersions.length > 1,
    instanceTypes: sortedDistinct(rows.map((r) => r.instanceType)),
    zones: sortedDistinct(rows.map((r) => r.zone)),
    pods: sum((r) => r.pods),
    cpuAllocatableMillis,
    memoryAllocatableBytes,
    cpuRequestedMillis,
    memoryRequestedBytes,
    cpuRequestRatio: ratio(cpuRequestedMillis, cpuAllocatableMillis),
    memoryRequestRatio: ratio(memoryRequestedBytes, memoryAllocatableBytes),
    taints: sortedDistinct(rows.flatMap((r) => r.taints)),
    worstSkew: rows.reduce<KubeletSkew | undefined>((acc, r) => worseSkew(acc, r.skew), undefined),
  };
}

function skewCell(skew: KubeletSkew | undefined): string {
  if (!skew) return '-';
  if (!skew.supported) return skew.minorsBehind < 0 ? `+${-skew.minorsBehind} (unsupported)` : `-${skew.minorsBehind} (unsupported)`;
  return skew.minorsBehind === 0 ? '0' : `-${skew.minorsBehind}`;
}

const cpuText = (millis: number) => formatCpu(`${millis}m`);
const memoryText = (bytes: number) => formatMemory(String(bytes));
const listText = (values: readonly string[]) => (values.length === 0 ? '<none>' : values.join(','));

/** Columns of the per-node table, shared by the view and `daytwo report nodepools`. */
export const NODE_COLUMNS: readonly ColumnDef<NodeRow>[] = [
  // Node names are long FQDNs: keep enough of them to tell nodes apart on a narrow terminal.
  { id: 'name', header: 'NAME', value: (r) => r.name, flex: true, minWidth: 28 },
  { id: 'pool', header: 'POOL', value: (r) => r.pool, flex: true },
  { id: 'status', header: 'STATUS', value: (r) => r.status },
  { id: 'roles', header: 'ROLES', value: (r) => r.roles },
  { id: 'age', header: 'AGE', value: (r) => r.age, sortValue: (r) => -(Date.parse(r.creationTimestamp ?? '') || 0) },
  { id: 'version', header: 'VERSION', value: (r) => r.kubeletVersion },
  { id: 'skew', header: 'SKEW', value: (r) => skewCell(r.skew), sortValue: (r) => r.skew?.minorsBehind ?? 0 },
  { id: 'pods', header: 'PODS', value: (r) => String(r.pods), sortValue: (r) => r.pods, align: 'right' },
  { id: 'cpu', header: 'CPU REQ', value: (r) => formatPercent(r.cpuRequestRatio), sortValue: (r) => r.cpuRequestRatio ?? -1, align: 'right' },
  { id: 'memory', header: 'MEM REQ', value: (r) => formatPercent(r.memoryRequestRatio), sortValue: (r) => r.memoryRequestRatio ?? -1, align: 'right' },
  { id: 'pressure', header: 'PRESSURE', value: (r) => listText(r.pressure), flex: true },
];

/** Columns of the per-pool table, shared by the view and `daytwo report nodepools`. */
export const POOL_COLUMNS: readonly ColumnDef<NodePool>[] = [
  // The pool's name and the label that named it keep their width; lists shrink first on a narrow terminal.
  { id: 'pool', header: 'POOL', value: (p) => p.name },
  { id: 'label', header: 'LABEL', value: (p) => p.label ?? '<none>', minWidth: 32 },
  { id: 'nodes', header: 'NODES', value: (p) => String(p.nodes.length), sortValue: (p) => p.nodes.length, align: 'right' },
  { id: 'ready', header: 'READY', value: (p) => `${p.ready}/${p.nodes.length}`, sortValue: (p) => p.ready, align: 'right' },
  { id: 'notready', header: 'NOTREADY', value: (p) => String(p.notReady), sortValue: (p) => p.notReady, align: 'right' },
  { id: 'cordoned', header: 'CORDONED', value: (p) => String(p.cordoned), sortValue: (p) => p.cordoned, align: 'right' },
  { id: 'versions', header: 'VERSIONS', value: (p) => (p.mixedVersions ? `${p.kubeletVersions.join(',')} (mixed)` : listText(p.kubeletVersions)), minWidth: 19 },
  { id: 'skew', header: 'SKEW', value: (p) => skewCell(p.worstSkew), sortValue: (p) => p.worstSkew?.minorsBehind ?? 0 },
  { id: 'types', header: 'INSTANCE TYPES', value: (p) => listText(p.instanceTypes), flex: true },
  { id: 'zones', header: 'ZONES', value: (p) => listText(p.zones), flex: true },
  { id: 'pods', header: 'PODS', value: (p) => String(p.pods), sortValue: (p) => p.pods, align: 'right' },
  { id: 'cpu', header: 'CPU REQ/ALLOC', value: (p) => `${cpuText(p.cpuRequestedMillis)}/${cpuText(p.cpuAllocatableMillis)}`, sortValue: (p) => p.cpuRequestedMillis },
  { id: 'cpu%', header: 'CPU%', value: (p) => formatPercent(p.cpuRequestRatio), sortValue: (p) => p.cpuRequestRatio ?? -1, align: 'right' },
  { id: 'memory', header: 'MEM REQ/ALLOC', value: (p) => `${memoryText(p.memoryRequestedBytes)}/${memoryText(p.memoryAllocatableBytes)}`, sortValue: (p) => p.memoryRequestedBytes },
  { id: 'memory%', header: 'MEM%', value: (p) => formatPercent(p.memoryRequestRatio), sortValue: (p) => p.memoryRequestRatio ?? -1, align: 'right' },
  { id: 'taints', header: 'TAINTS', value: (p) => listText(p.taints), flex: true },
];
