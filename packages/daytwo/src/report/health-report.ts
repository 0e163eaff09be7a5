import { ago, ALERT_COLUMNS, evaluateAlerts } from '../domain/alerts.js';
import type { AppState } from '../store/app-store.js';
import { renderTable } from './format.js';
import type { ReportView } from './view-types.js';

/**
 * `daytwo report health`: the alerts at this moment, exit 1 when there is any. One-shot, so
 * durations come from the objects' own timestamps (condition transitions, creation); a
 * workload kind without an `Available` condition (StatefulSet, DaemonSet) is judged against
 * its deadline only by the console, which watches it over time. Volume usage is not read here.
 */
export const healthReport: ReportView = {
  name: 'health',
  aliases: ['alerts'],
  kinds: ['nodes', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'persistentvolumeclaims'],
  build(state: AppState) {
    const now = Date.now();
    const o = state.objects;
    const { alerts } = evaluateAlerts(
      {
        pods: o.pods.values(),
        deployments: o.deployments.values(),
        statefulsets: o.statefulsets.values(),
        daemonsets: o.daemonsets.values(),
        nodes: o.nodes.values(),
        jobs: o.jobs.values(),
        cronjobs: o.cronjobs.values(),
        persistentvolumeclaims: o.persistentvolumeclaims.values(),
      },
      now,
    );
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
    };
  },
};
