import { ago, ALERT_COLUMNS, evaluateAlerts } from '../domain/alerts.js';
import type { VolumeStatsState } from '../domain/volume-usage.js';
import { alertInputs } from '../store/alert-tracker.js';
import type { AppState } from '../store/app-store.js';
import { renderTable } from './format.js';
import type { ReportView } from './view-types.js';

/**
 * `daytwo report health`: the alerts at this moment, exit 1 when there is any. One-shot, so
 * durations come from the objects' own timestamps (condition transitions, creation); a
 * workload kind without an `Available` condition (StatefulSet, DaemonSet) is judged against
 * its deadline only by the console, which watches it over time. Volume usage is read once from
 * the kubelets of the nodes running pods with claims; when the node proxy is forbidden the
 * report says so on stderr and raises no VolumeFilling. Under `-n` it answers for that
 * namespace only (node alerts are left out).
 */
export const healthReport: ReportView = {
  name: 'health',
  aliases: ['alerts'],
  kinds: ['nodes', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'persistentvolumeclaims'],
  loads: 'volume-stats',
  build(state: AppState, _args, loaded) {
    const now = Date.now();
    const volumeStats = (loaded as VolumeStatsState | undefined) ?? state.volumeStats;
    const only = state.cluster.namespace;
    // `-n` asks about one namespace: its alerts only, not the cluster-scoped nodes'.
    const alerts = evaluateAlerts(alertInputs({ ...state, volumeStats }), now).alerts.filter((a) => !only || a.namespace === only);
    const rows = alerts.map((a) => ({ ...a, age: ago(now - a.since) }));
    return {
      document: {
        kind: 'health',
        items: alerts.map((a) => ({
          severity: a.severity,
          alert: a.rule,
          kind: a.kind,
          namespace: a.namespace ?? null,
          name: a.name,
          since: new Date(a.since).toISOString(),
          evidence: a.evidence,
        })),
      },
      table: rows.length > 0 ? renderTable(ALERT_COLUMNS, rows) : 'No alerts.\n',
      exitCode: alerts.length > 0 ? 1 : 0,
      ...(volumeStats.status === 'unavailable' ? { warnings: [volumeStats.reason] } : {}),
    };
  },
};
