import type { ParseArgsConfig } from 'node:util';
import { NAMESPACE_COLUMNS, summarizeNamespaces } from '../domain/namespaces.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { AppState, AppStore } from '../store/app-store.js';
import type { KindName } from '../store/kinds.js';
import { type ReportDocument, renderTable } from './format.js';
import type { PodUsageState } from '../domain/pod-usage.js';
import { buildQosReport, loadQosUsage } from './qos-report.js';
import { buildDrainPlanReport, checkDrainPlanArgs, DRAIN_PLAN_OPTIONS } from './drain-plan-report.js';
import { buildNodePoolsReport } from './nodepools-report.js';
import { workloadsReport } from './workloads.js';
import { driftReport } from './drift-report.js';
import { healthReport } from './health-report.js';
import { upgradeReport } from './upgrade-report.js';

export interface ReportResult {
  readonly document: ReportDocument;
  readonly table: string;
  /** Non-zero where the view's answer is itself a verdict (drift: 1 when anything drifted). */
  readonly exitCode?: number;
  /** kubectl-style error lines for stderr (`Error from server (NotFound): ...`): nothing is printed to stdout and the report exits 1. */
  readonly errors?: readonly string[];
  /** Lines for stderr about what the report could not read (the output is still printed). */
  readonly warnings?: readonly string[];
}

/** The values of a report view's own options, as `parseArgs` returns them. */
export type ReportArgs = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** What a report view's `load` may use: the session's credentials and store. */
export interface ReportLoadContext {
  readonly kc: KubeConfig;
  readonly store: AppStore;
}

/** A view of `daytwo report`: which kinds it lists and how it turns them into output. */
export interface ReportView {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kinds: readonly KindName[];
  /**
   * The view answers for whole nodes (pods per node, what a drain evicts), so it lists its
   * kinds in every namespace whatever `-n` says, as `kubectl drain` does.
   */
  readonly nodeLevel?: boolean;
  /**
   * The view's own command-line options (e.g. drain-plan's `--node`), in `parseArgs` form.
   * Declare no `default`: an option is offered to every view's parse, and a default would
   * look given. Names must not clash with another view's option of a different type.
   */
  readonly options?: ParseArgsConfig['options'];
  /** Checks the view's options before connecting; throws `UsageError` (one line) when they are wrong. */
  checkArgs?(args: ReportArgs): void;
  /** Waits for the API server's version (`cluster.version`) before building, e.g. for kubelet skew. */
  readonly needsServerVersion?: boolean;
  /**
   * Reads what the store does not hold before `build` (drift: the Git source and the full
   * live objects); `build` receives the answer as `loaded`.
   */
  load?(ctx: ReportLoadContext, args: ReportArgs): Promise<unknown>;
  /** The whole report without a cluster when the options allow it (upgrade's `-f` alone); undefined to connect as usual. */
  standalone?(args: ReportArgs): Promise<ReportResult> | undefined;
  build(state: AppState, args: ReportArgs, loaded?: unknown): ReportResult;
}

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
  load: (ctx) => loadQosUsage(ctx.kc, ctx.store.getState().scope ?? ctx.store.getState().cluster.namespace),
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
