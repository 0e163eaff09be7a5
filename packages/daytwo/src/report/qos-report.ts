import type { ContainerQos } from '@daytwo/k8s/qos.js';
import { formatQuantity } from '@daytwo/k8s/quantity.js';
import { type PodUsageState, usageOf } from '../domain/pod-usage.js';
import {
  QOS_NAMESPACE_COLUMNS,
  QOS_POD_COLUMNS,
  type QosNamespaceSummary,
  type QosPodRow,
  qosPodRows,
  quantitiesJson,
  summarizeQos,
} from '../domain/qos-summary.js';
import type { AppState } from '../store/app-store.js';
import { type ReportDocument, renderTable } from './format.js';

function containerJson(c: ContainerQos) {
  return {
    name: c.name,
    init: c.init,
    requests: quantitiesJson(c.requests),
    limits: quantitiesJson(c.limits),
    defaultedRequests: c.defaultedRequests,
  };
}

/** A pod's usage from the metrics API, canonical strings; null when unknown (no metrics-server, not running). */
function usageJson(usage: PodUsageState, key: string): { cpu: string | null; memory: string | null } | null {
  const pod = usageOf(usage, key);
  if (!pod) return null;
  return { cpu: pod.cpu ? formatQuantity(pod.cpu) : null, memory: pod.memory ? formatQuantity(pod.memory) : null };
}

/** One item of `daytwo report qos -o json`: a pod, quantities as canonical strings. */
export function qosPodJson(row: QosPodRow, usage: PodUsageState = { status: 'unknown' }) {
  const explanation = row.explanation;
  return {
    namespace: row.namespace,
    name: row.name,
    node: row.node || null,
    phase: row.phase || null,
    qosClass: row.qosClass,
    statusQosClass: row.statusQosClass ?? null,
    mismatch: row.mismatch,
    reason: row.reason,
    decidedBy: explanation.decidedBy,
    requests: quantitiesJson(row.requests),
    limits: quantitiesJson(row.limits),
    withoutMemoryLimit: row.withoutMemoryLimit,
    withoutRequests: row.withoutRequests,
    containers: explanation.containers.map(containerJson),
    usage: usageJson(usage, row.key),
  };
}

/** One entry of the document's `namespaces` summary; `limitRangeDefaults` is `"none"` without defaults. */
export function qosNamespaceJson(s: QosNamespaceSummary) {
  const d = s.limitRangeDefaults;
  return {
    namespace: s.namespace,
    pods: s.pods,
    guaranteed: s.guaranteed,
    burstable: s.burstable,
    bestEffort: s.bestEffort,
    withoutMemoryLimit: s.withoutMemoryLimit,
    withoutRequests: s.withoutRequests,
    mismatched: s.mismatched,
    limitRangeDefaults: d
      ? { defaultRequest: quantitiesJson(d.defaultRequest), default: quantitiesJson(d.defaultLimit), limitRanges: d.limitRanges }
      : 'none',
  };
}

/**
 * `daytwo report qos`: every pod (in the console's scope, if any) with its class and why,
 * and the per-namespace summary; as a table, the pods then the namespaces.
 */
export function buildQosReport(
  state: Pick<AppState, 'objects' | 'scope'>,
  usage: PodUsageState = { status: 'unknown' },
): { document: ReportDocument; table: string } {
  const rows = qosPodRows(state.objects.pods.values(), { namespace: state.scope });
  const summaries = summarizeQos(rows, state.objects.limitranges.values(), state.scope);
  return {
    document: { kind: 'qos', items: rows.map((row) => qosPodJson(row, usage)), namespaces: summaries.map(qosNamespaceJson) },
    table: `${renderTable(QOS_POD_COLUMNS, rows)}\n${renderTable(QOS_NAMESPACE_COLUMNS, summaries)}`,
  };
}
