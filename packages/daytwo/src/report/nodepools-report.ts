import { buildNodePools, NODE_COLUMNS, type NodePool, type NodeRow, POOL_COLUMNS } from '../domain/pools.js';
import type { KubeletSkew } from '../domain/skew.js';
import type { AppState } from '../store/app-store.js';
import { type ReportDocument, renderTable } from './format.js';

function skewJson(skew: KubeletSkew | undefined) {
  return skew ? { minorsBehind: skew.minorsBehind, supported: skew.supported, ...(skew.reason ? { reason: skew.reason } : {}) } : null;
}

/** One node of a pool in `daytwo report nodepools -o json`; nodes are cluster-scoped (namespace ''). */
function nodeJson(row: NodeRow, pool: NodePool) {
  return {
    namespace: '',
    name: row.name,
    pool: pool.name,
    poolLabel: pool.label ?? null,
    status: row.status,
    ready: row.readiness === 'Ready',
    cordoned: row.cordoned,
    roles: row.roles,
    kubeletVersion: row.kubeletVersion,
    skew: skewJson(row.skew),
    age: row.age,
    creationTimestamp: row.creationTimestamp ?? null,
    instanceType: row.instanceType ?? null,
    zone: row.zone ?? null,
    pods: row.pods,
    cpuRequestedMillis: row.cpuRequestedMillis,
    cpuAllocatableMillis: row.cpuAllocatableMillis,
    cpuRequestRatio: row.cpuRequestRatio ?? null,
    memoryRequestedBytes: row.memoryRequestedBytes,
    memoryAllocatableBytes: row.memoryAllocatableBytes,
    memoryRequestRatio: row.memoryRequestRatio ?? null,
    pressure: row.pressure,
    taints: row.taints,
  };
}

/** One pool in `daytwo report nodepools -o json`, with its nodes. */
function poolJson(pool: NodePool) {
  return {
    namespace: '',
    name: pool.name,
    pool: pool.name,
    poolLabel: pool.label ?? null,
    nodeCount: pool.nodes.length,
    ready: pool.ready,
    notReady: pool.notReady,
    cordoned: pool.cordoned,
    kubeletVersions: pool.kubeletVersions,
    mixedVersions: pool.mixedVersions,
    skew: skewJson(pool.worstSkew),
    instanceTypes: pool.instanceTypes,
    zones: pool.zones,
    pods: pool.pods,
    cpuRequestedMillis: pool.cpuRequestedMillis,
    cpuAllocatableMillis: pool.cpuAllocatableMillis,
    cpuRequestRatio: pool.cpuRequestRatio ?? null,
    memoryRequestedBytes: pool.memoryRequestedBytes,
    memoryAllocatableBytes: pool.memoryAllocatableBytes,
    memoryRequestRatio: pool.memoryRequestRatio ?? null,
    taints: pool.taints,
    nodes: pool.nodes.map((n) => nodeJson(n, pool)),
  };
}

/** `daytwo report nodepools`: the pools table then every node, or the pools with their nodes as JSON/YAML. */
export function buildNodePoolsReport(state: AppState, now = Date.now()): { document: ReportDocument; table: string } {
  const apiServerVersion = state.cluster.version;
  const pools = buildNodePools(state.objects.nodes.values(), state.objects.pods.values(), { apiServerVersion, now });
  const nodes = pools.flatMap((p) => p.nodes).sort((a, b) => a.name.localeCompare(b.name));
  return {
    document: { kind: 'nodepools', apiServerVersion: apiServerVersion ?? null, items: pools.map(poolJson) },
    table: `${renderTable(POOL_COLUMNS, pools)}\n${renderTable(NODE_COLUMNS, nodes)}`,
  };
}
