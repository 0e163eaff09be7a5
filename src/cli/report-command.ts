import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AppStore } from '../store/app-store.js';
import { OUTPUT_FORMATS, type OutputFormat, renderDocument } from '../report/format.js';
import { findReportView, REPORT_VIEWS, type ReportArgs, type ReportView } from '../report/views.js';
import type { KubeSession } from '../kube/session.js';
import { deniedKinds } from '../store/denied-kinds.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from './connection-options.js';

/** How long a report waits for its lists before giving up. */
const SYNC_TIMEOUT_MS = 60_000;

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
  view.checkArgs?.(args);
  const options = connectionOptions(values);
  // A node-level view answers for whole nodes: scoping its pods to -n would understate them.
  const conn = await connect(view.nodeLevel ? { ...options, namespace: undefined } : options);
  try {
    conn.session.start(view.kinds);
    await Promise.race([conn.session.waitForSync(view.kinds, SYNC_TIMEOUT_MS), failWhenUnreachable(conn.session)]);
    // Like kubectl, a list the server refuses fails the command: printing what was not read as zeros would lie.
    const { connection, cluster } = conn.session.store.getState();
    const denied = deniedKinds(connection, view.kinds, cluster.namespace);
    if (denied.length > 0) {
      for (const d of denied) process.stderr.write(`Error from server (Forbidden): ${d.message}\n`);
      return 1;
    }
    if (view.needsServerVersion) await waitForServerVersion(conn.session.store, SYNC_TIMEOUT_MS);
    const loaded = view.load ? await view.load({ kc: conn.session.kc, store: conn.session.store }, args) : undefined;
    const result = view.build(conn.session.store.getState(), args, loaded);
    if (result.errors && result.errors.length > 0) {
      for (const line of result.errors) process.stderr.write(`${line}\n`);
      return result.exitCode ?? 1;
    }
    process.stdout.write(output === 'table' ? result.table : renderDocument(result.document, output as 'json' | 'yaml'));
    return result.exitCode ?? 0;
  } finally {
    await conn.close();
  }
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

/**
 * A report cannot wait for a server that is not there: like kubectl, it gives up as soon as
 * the server is known to be unreachable (the console, by contrast, stays up and retries).
 */
function failWhenUnreachable(session: KubeSession): Promise<never> {
  return new Promise((_, reject) => {
    const check = () => {
      const { cluster } = session.store.getState();
      if (cluster.reachable) return;
      unsubscribe();
      // The kinds record their errors right after the verdict: read them once they have.
      setImmediate(() => {
        const error = Object.values(session.store.getState().connection).find((c) => c.error)?.error ?? 'no answer';
        reject(new Error(`cannot reach the API server ${cluster.server} (context ${cluster.context}): ${error}`));
      });
    };
    const unsubscribe = session.store.subscribe(check);
  });
}
