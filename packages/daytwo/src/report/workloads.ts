import { WORKLOAD_COLUMNS, type WorkloadRow, workloadRows } from '../domain/workloads.js';
import { renderTable } from './format.js';
import type { ReportView } from './view-types.js';

/** One item of `daytwo report workloads -o json|yaml`. */
function workloadItem(row: WorkloadRow) {
  return {
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    ready: row.ready,
    desired: row.desired,
    upToDate: row.upToDate,
    available: row.available,
    revision: row.revision ?? null,
    images: row.images,
    rolloutStatus: { state: row.status.state, message: row.status.message },
    createdAt: row.createdAt ?? null,
    history: row.history.map((h) => ({
      revision: h.revision,
      name: h.name,
      changeCause: h.changeCause ?? null,
      images: h.images,
      createdAt: h.createdAt ?? null,
      current: h.current,
      ...(h.replicas !== undefined ? { replicas: h.replicas, readyReplicas: h.readyReplicas ?? 0 } : {}),
    })),
  };
}

/** `daytwo report workloads`: Deployments, StatefulSets and DaemonSets with revision, images, rollout status and history. */
export const workloadsReport: ReportView = {
  name: 'workloads',
  aliases: ['workload', 'wl', 'deploy', 'deployments'],
  kinds: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'controllerrevisions'],
  build(state) {
    const rows = workloadRows(state.objects).sort(
      (a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    );
    return {
      document: { kind: 'workloads', items: rows.map(workloadItem) },
      table: renderTable(WORKLOAD_COLUMNS, rows),
    };
  },
};
