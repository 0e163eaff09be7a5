import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { OUTPUT_FORMATS, type OutputFormat, renderDocument } from '../report/format.js';
import { findReportView, REPORT_VIEWS, type ReportArgs, type ReportResult, type ReportView } from '../report/views.js';
import type { AppStore } from '../store/app-store.js';
import { connect } from './connect.js';
import { loadForReport, loadOffline } from './report-loads.js';
import { SYNC_TIMEOUT_MS, syncForCommand, writeDenied } from './sync-lists.js';

/** How long a report waits for its lists before giving up. */

const COMMON_OPTIONS = { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o', default: 'table' } } as const satisfies ParseArgsConfig['options'];

/**
 * `daytwo report <view> [-o table|json|yaml] [view options] [connection options]`. Every
 * view's own options are parsed together (the view is only known once parsed); an option
 * that belongs to another view is then refused.
 */
export async function runReportCommand(argv: readonly string[]): Promise<number> {
  const viewOptions = Object.assign({}, ...REPORT_VIEWS.map((v) => v.options ?? {})) as NonNullable<ParseArgsConfig['options']>;
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...viewOptions, ...COMMON_OPTIONS },
  });
  const names = REPORT_VIEWS.map((v) => v.name).join(', ');
  if (positionals.length !== 1) throw new UsageError(`report needs one view: daytwo report <view> (views: ${names})`);
  const view = findReportView(positionals[0]);
  if (!view) throw new UsageError(`unknown view "${positionals[0]}" (views: ${names})`);
  const output = values.output as string;
  if (!OUTPUT_FORMATS.includes(output as OutputFormat)) {
    throw new UsageError(`unknown output format "${output}" (formats: ${OUTPUT_FORMATS.join(', ')})`);
  }
  const args = viewArgs(view, values);
  // --demo brings its own Git source, which `report drift` reads when no --git is given.
  const demoDrift = view.name === 'drift' && values.demo === true && args.git === undefined;
  if (!demoDrift) view.checkArgs?.(args);
  if (view.offline?.when(args)) return printResult(view.offline.build(args, await loadOffline(view, args)), output);
  const options = connectionOptions(values);
  // A node-level view answers for whole nodes: scoping its pods to -n would understate them.
  const conn = await connect(view.nodeLevel ? { ...options, namespace: undefined } : options);
  try {
    conn.session.start(view.kinds);
    // Like kubectl, a list the server refuses fails the command: printing what was not read as zeros would lie.
    const denied = await syncForCommand(conn.session, view.kinds);
    if (denied.length > 0) {
      writeDenied(denied);
      return 1;
    }
    if (view.needsServerVersion) await waitForServerVersion(conn.session.store, SYNC_TIMEOUT_MS);
    const effective = demoDrift && conn.demoGit ? { ...args, git: conn.demoGit.location, 'git-namespace': conn.demoGit.namespace } : args;
    const loaded = await loadForReport(view, conn.session, effective);
    const result = view.build(conn.session.store.getState(), effective, loaded);
    return printResult(result, output);
  } finally {
    await conn.close();
  }
}

/** Writes a report's output (or its error lines) and answers its exit code. */
function printResult(result: ReportResult, output: string): number {
  if (result.errors && result.errors.length > 0) {
    for (const line of result.errors) process.stderr.write(`${line}\n`);
    return result.exitCode ?? 1;
  }
  for (const line of result.warnings ?? []) process.stderr.write(`daytwo: ${line}\n`);
  process.stdout.write(output === 'table' ? result.table : renderDocument(result.document, output as 'json' | 'yaml'));
  return result.exitCode ?? 0;
}

/** The parsed values of the view's own options; refuses options of other views. */
function viewArgs(view: ReportView, values: Record<string, unknown>): ReportArgs {
  const own = view.options ?? {};
  const args: Record<string, ReportArgs[string]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name in COMMON_OPTIONS || value === undefined) continue;
    if (!(name in own)) throw new UsageError(`--${name} is not an option of report ${view.name}`);
    args[name] = value as ReportArgs[string];
  }
  return args;
}

/** Resolves once `/version` has answered (the session fetches it when it starts). */
function waitForServerVersion(store: AppStore, timeoutMs: number): Promise<void> {
  if (store.getState().cluster.version) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('the API server did not report its version (/version)'));
    }, timeoutMs);
    const unsubscribe = store.subscribe((s) => {
      if (!s.cluster.version) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}


