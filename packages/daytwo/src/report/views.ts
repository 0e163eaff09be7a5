import { NAMESPACE_COLUMNS, summarizeNamespaces } from '../domain/namespaces.js';
import { renderTable } from './format.js';
import type { ReportView } from './view-types.js';
import type { PodUsageState } from '../domain/pod-usage.js';
import { buildQosReport } from './qos-report.js';
import { buildDrainPlanReport, checkDrainPlanArgs, DRAIN_PLAN_OPTIONS } from './drain-plan-report.js';
import { buildNodePoolsReport } from './nodepools-report.js';
import { workloadsReport } from './workloads.js';
import { driftReport } from './drift-report.js';
import { healthReport } from './health-report.js';
import { upgradeReport } from './upgrade-report.js';

export type { ReportArgs, ReportLoad, ReportResult, ReportView } from './view-types.js';

const namespacesReport: ReportView = {
  name: 'namespaces',
  aliases: ['ns', 'namespace'],
  kinds: ['namespaces', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'limitranges', 'resourcequotas'],
  build(state) {
    const only = state.cluster.namespace;
    const rows = summarizeNamespaces(state.objects, only);
    // `-n shop` asks for one namespace, as `kubectl get namespace shop` does, and fails the same way.
    if (only && rows.length === 0) return { document: { kind: 'namespaces', items: [] }, table: '', errors: [`Error from server (NotFound): namespaces "${only}" not found`] };
    return {
      document: { kind: 'namespaces', items: rows.map((row) => ({ namespace: row.name, ...row })) },
      table: renderTable(NAMESPACE_COLUMNS, rows),
    };
  },
};

const qosReport: ReportView = {
  name: 'qos',
  aliases: [],
  kinds: ['pods', 'limitranges'],
  loads: 'pod-usage',
  build: (state, _args, loaded) => buildQosReport(state, loaded as PodUsageState | undefined),
};

const nodePoolsReport: ReportView = {
  name: 'nodepools',
  aliases: ['pools', 'np'],
  kinds: ['nodes', 'pods'],
  nodeLevel: true,
  needsServerVersion: true,
  build: (state) => buildNodePoolsReport(state),
};

const drainPlanReport: ReportView = {
  name: 'drain-plan',
  aliases: [],
  kinds: ['nodes', 'pods', 'daemonsets', 'poddisruptionbudgets'],
  nodeLevel: true,
  options: DRAIN_PLAN_OPTIONS,
  checkArgs: checkDrainPlanArgs,
  build: buildDrainPlanReport,
};

export const REPORT_VIEWS: readonly ReportView[] = [namespacesReport, qosReport, workloadsReport, nodePoolsReport, drainPlanReport, driftReport, upgradeReport, healthReport];

export function findReportView(name: string): ReportView | undefined {
  return REPORT_VIEWS.find((v) => v.name === name || v.aliases.includes(name));
}
