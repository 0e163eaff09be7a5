import { NAMESPACE_COLUMNS, summarizeNamespaces } from '../domain/namespaces.js';
import type { AppState } from '../store/app-store.js';
import type { KindName } from '../store/kinds.js';
import { type ReportDocument, renderTable } from './format.js';

export interface ReportResult {
  readonly document: ReportDocument;
  readonly table: string;
  /** Non-zero where the view's answer is itself a verdict (drift: 1 when anything drifted). */
  readonly exitCode?: number;
}

/** A view of `daytwo report`: which kinds it lists and how it turns them into output. */
export interface ReportView {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kinds: readonly KindName[];
  build(state: AppState): ReportResult;
}

const namespacesReport: ReportView = {
  name: 'namespaces',
  aliases: ['ns', 'namespace'],
  kinds: ['namespaces', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'limitranges', 'resourcequotas'],
  build(state) {
    const rows = summarizeNamespaces(state.objects);
    return {
      document: { kind: 'namespaces', items: rows.map((row) => ({ namespace: row.name, ...row })) },
      table: renderTable(NAMESPACE_COLUMNS, rows),
    };
  },
};

export const REPORT_VIEWS: readonly ReportView[] = [namespacesReport];

export function findReportView(name: string): ReportView | undefined {
  return REPORT_VIEWS.find((v) => v.name === name || v.aliases.includes(name));
}
