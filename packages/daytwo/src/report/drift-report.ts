/**
 * `daytwo report drift --git PATH [--git-ref REF] [--git-path DIR] [--git-namespace NS]
 * [--prune-selector SEL] -o json`: every compared object with its status, diffs and live-only
 * edits. Exit code as `kubectl diff`'s: 0 when everything is Synced, 1 when anything
 * drifted, 2 on an error (a manifest that cannot be read, a list that failed, no source).
 */
import { countByStatus } from '../domain/drift/compare.js';
import { driftDiffLines } from '../domain/drift/diff-lines.js';
import { describeSource } from '../domain/drift/header.js';
import { DRIFT_COLUMNS, formatStatusCounts } from '../domain/drift/rows.js';
import type { DriftItem } from '../domain/drift/types.js';
import type { DriftState } from '../store/drift.js';
import { renderTable } from './format.js';
import type { ReportResult, ReportView } from './view-types.js';
import { DRIFT_OPTIONS, driftOptions } from '../options/drift-options.js';
import { UsageError } from '../options/connection-options.js';

/** One item of the JSON/YAML document. */
export function driftDocumentItem(i: DriftItem) {
  return {
    apiVersion: i.apiVersion,
    kind: i.kind,
    namespace: i.namespace ?? '',
    name: i.name,
    status: i.status,
    diffs: i.diffs.map((d) => ({ path: d.path, git: d.git ?? null, live: d.live ?? null, ...(d.manager ? { manager: d.manager } : {}) })),
    liveOnly: i.liveOnly.map((e) => ({ path: e.path, live: e.live, manager: e.manager, ...(e.time ? { time: e.time } : {}) })),
    ...(i.source ? { source: `${i.source.file}:${i.source.line}` } : {}),
  };
}

/** The report of one comparison. Throws (exit 2) when the source could not be read at all. */
export function buildDriftReport(state: DriftState, now: number = Date.now()): ReportResult {
  if (state.phase !== 'ready') throw new Error(state.error ?? 'drift: the comparison did not finish');
  const counts = countByStatus(state.items);
  const errors = state.manifestErrors.map((e) => `${e.file}:${e.line}: ${e.reason}`);
  const failed = errors.length > 0 || state.liveErrors.length > 0;
  const drifted = state.items.some((i) => i.status !== 'Synced');
  const lines = [
    `Git: ${state.source ? describeSource(state.source, now) : ''}`,
    formatStatusCounts(counts),
    '',
    renderTable(DRIFT_COLUMNS, state.items).trimEnd(),
  ];
  for (const item of state.items.filter((i) => i.diffs.length > 0 || i.liveOnly.length > 0)) {
    lines.push('', `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name} (${item.status})`);
    lines.push(...driftDiffLines(item).map((l) => (l.kind === 'header' ? `  ${l.text}` : `  ${l.text}`)));
  }
  if (failed) lines.push('', 'Errors:', ...errors.map((e) => `  ${e}`), ...state.liveErrors.map((e) => `  ${e}`));
  return {
    document: {
      kind: 'drift',
      source: state.source
        ? { ...state.source, ...(state.source.commit ? { commit: { ...state.source.commit, time: new Date(state.source.commit.time).toISOString() } } : {}) }
        : null,
      counts,
      items: state.items.map(driftDocumentItem),
      errors: state.manifestErrors,
      liveErrors: state.liveErrors,
    },
    table: `${lines.join('\n')}\n`,
    exitCode: failed ? 2 : drifted ? 1 : 0,
  };
}

/** The `drift` entry of `REPORT_VIEWS`: no watched kinds; the comparison is loaded. */
export const driftReport: ReportView = {
  name: 'drift',
  aliases: [],
  kinds: [],
  options: DRIFT_OPTIONS,
  checkArgs(args) {
    if (!driftOptions(args)) throw new UsageError('report drift needs --git PATH (a directory or a Git URL)');
  },
  loads: 'drift',
  build: (_state, _args, loaded) => buildDriftReport(loaded as DriftState),
};
