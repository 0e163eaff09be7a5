import { parseArgs } from 'node:util';
import { joinNegativeOptionValues } from './negative-option-values.js';
import { formatGoDuration } from '@daytwo/k8s/duration.js';
import { type DrainEvent, DrainFailed, drainNodes } from '../kube/actions/drain.js';
import { ActionCancelled, ActionRefused } from '../kube/actions/guard.js';
import { ApiRequestError } from '../kube/errors.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { DRAIN_OPTIONS, drainFlagsFrom } from '../options/drain-options.js';
import { cliAudit } from './audit-env.js';
import { syncForCommand } from './sync-lists.js';

/** Where a command writes; the process's streams by default, buffers in tests. */
export interface CommandOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const PROCESS_OUTPUT: CommandOutput = { out: process.stdout, err: process.stderr };

/** Exit code of a shell for a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130;

/** A retry wait (at most a few seconds) as Go's time.Duration prints it: `1s`, `1.5s`, `370ms`. */
export function goDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole > 0 && whole < 1000) return `${whole}ms`;
  if (whole % 1000 === 0) return formatGoDuration(whole / 1000);
  return `${(whole / 1000).toFixed(3).replace(/0+$/, '')}s`;
}

/** kubectl accepts a bare `--dry-run` as `--dry-run=client`. */
function normalizeDryRun(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '--dry-run' ? '--dry-run=client' : a));
}

/** kubectl's line for an API error: `Error from server (NotFound): nodes "x" not found`. */
export function serverErrorLine(e: ApiRequestError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `error: ${e.message}`;
}

/** `utilerrors.NewAggregate(errs).Error()`: one message as is, several as `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

const DRAIN_USAGE = `Usage: daytwo drain NODE... [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period S]
                    [--timeout D] [--pod-selector SEL] [--skip-wait-for-delete-timeout S] [--dry-run]
                    [--kubeconfig FILE] [--context NAME] [--demo] [--readonly]
Cordon the nodes, then evict their pods through the Eviction API one node at a time, as kubectl
drain does. Exit code 0 when every node was drained, 1 otherwise (bad flags included, as kubectl),
130 when interrupted (the nodes stay cordoned).
`;

/**
 * Runs a node command with kubectl's exit codes: kubectl reports every error through
 * cmdutil.CheckErr, which exits with DefaultErrorExitCode (1), bad flags and missing
 * arguments included (cobra's flag errors get "See '... --help' for usage.").
 */
export async function withKubectlExitCodes(command: string, output: CommandOutput, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    output.err.write(e instanceof ApiRequestError ? `${serverErrorLine(e)}\n` : `error: ${message}\n`);
    const code = (e as { code?: unknown }).code;
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      output.err.write(`See 'daytwo ${command} --help' for usage.\n`);
    }
    return 1;
  }
}

/**
 * `daytwo drain NODE... [--ignore-daemonsets] [--delete-emptydir-data] [--force]
 * [--grace-period S] [--timeout D] [--pod-selector SEL] [--dry-run] [connection options]`:
 * kubectl drain's lines, on the same streams, and its exit codes (0 drained, 1 otherwise,
 * bad arguments included; 130 when interrupted: the nodes stay cordoned).
 */
export function runDrainCommand(argv: readonly string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  return withKubectlExitCodes('drain', output, () => drainCommand(argv, output));
}

async function drainCommand(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinNegativeOptionValues(normalizeDryRun(argv), ['--timeout', '--skip-wait-for-delete-timeout']),
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, ...DRAIN_OPTIONS, 'dry-run': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    output.out.write(DRAIN_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('USAGE: drain NODE... [flags]');
  const dryRun = values['dry-run'] ?? 'none';
  if (!['none', 'client', 'server'].includes(dryRun)) {
    throw new UsageError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  }
  if (dryRun === 'server') throw new UsageError('--dry-run=server is not supported; use --dry-run (client)');
  const flags = drainFlagsFrom(values);
  const suffix = dryRun === 'client' ? ' (dry run)' : '';
  const { out, err } = output;

  // Like kubectl drain, -n does not apply: the node's pods, DaemonSets and PDBs are in every namespace.
  const conn = await connect({ ...connectionOptions(values), namespace: undefined });
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once('SIGINT', interrupt);
  try {
    const kinds = ['pods', 'daemonsets', 'poddisruptionbudgets'] as const;
    conn.session.start(kinds);
    // Stops at once on refused credentials or an unreachable server, as report and logs do.
    await syncForCommand(conn.session, kinds);
    const env = { kc: conn.session.kc, store: conn.session.store, ...cliAudit(err) };
    const failedErrors: string[] = [];
    const onEvent = (e: DrainEvent) => {
      switch (e.type) {
        case 'cordoned':
          out.write(`node/${e.node} ${e.outcome}${suffix}\n`);
          return;
        case 'warning':
          err.write(`Warning: ${e.text}\n`);
          return;
        case 'evicting':
          out.write(`evicting pod ${e.namespace}/${e.name}${suffix}\n`);
          return;
        case 'retry':
          err.write(`error when evicting pods/"${e.name}" -n "${e.namespace}" (will retry after ${goDuration(e.delayMs)}): ${e.message}\n`);
          return;
        case 'evicted':
          out.write(`pod/${e.name} evicted\n`);
          return;
        case 'drained':
          out.write(`node/${e.node} drained${suffix}\n`);
          return;
        case 'failed':
          if (e.pending.length > 0 && !e.errors.some((x) => x.startsWith('cannot delete'))) {
            err.write(`There are pending pods in node "${e.node}" when an error occurred: ${aggregate(e.errors)}\n`);
            for (const key of e.pending) err.write(`pod/${key.split('/')[1]}\n`);
          }
          err.write(`error: unable to drain node "${e.node}" due to error:${aggregate(e.errors)}, continuing command...\n`);
          err.write(`There are pending nodes to be drained:\n ${e.node}\n`);
          failedErrors.push(...e.errors);
          return;
      }
    };
    try {
      const summary = await drainNodes(env, { nodes: positionals, flags, dryRun: dryRun === 'client', signal: abort.signal, onEvent });
      // A dry run is not guarded, so its failures come back in the summary rather than thrown.
      for (const line of new Set(failedErrors)) err.write(`${line}\n`);
      return summary.failed.length > 0 ? 1 : 0;
    } catch (e) {
      if (e instanceof ActionCancelled) {
        err.write(`${e.message}\n`);
        return EXIT_INTERRUPTED;
      }
      if (failedErrors.length > 0) {
        for (const line of new Set(failedErrors)) err.write(`${line}\n`);
        // kubectl stops here; once pods were evicted (or the API server was lost) the lines alone leave it unclear what moved.
        if (e instanceof DrainFailed && (e.summary.unknown.length > 0 || e.summary.moved.length > 0)) err.write(`summary: ${e.summary.counts}\n`);
        return 1;
      }
      if (e instanceof ActionRefused) {
        err.write(`error: ${e.message}\n`);
        return 1;
      }
      if (e instanceof ApiRequestError) {
        err.write(`${serverErrorLine(e)}\n`);
        return 1;
      }
      throw e;
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    await conn.close();
  }
}
