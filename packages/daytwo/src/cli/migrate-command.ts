import { parseArgs } from 'node:util';
import { DurationParseError, parseGoDuration } from '@daytwo/k8s/duration.js';
import { gateWaitingText } from '../domain/migration-gate.js';
import { PoolNotFoundError } from '../domain/migration-preflight.js';
import { plural, preflightLines } from '../domain/migration-text.js';
import { ActionRefused } from '../kube/actions/guard.js';
import { type MigrationEvent, startMigration } from '../kube/actions/migrate.js';
import { AuditLog } from '../kube/audit.js';
import { KubeHttp } from '../kube/http.js';
import { fetchServerVersion } from '../kube/version.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { DRAIN_OPTIONS, drainFlagsFrom } from '../options/drain-options.js';
import { connect } from './connect.js';
import { type CommandOutput, goDuration, withKubectlExitCodes } from './drain-command.js';
import { joinNegativeOptionValues } from './negative-option-values.js';

const PROCESS_OUTPUT: CommandOutput = { out: process.stdout, err: process.stderr };
const EXIT_INTERRUPTED = 130;
const SYNC_TIMEOUT_MS = 60_000;
/** How long the gate may hold after a node by default. */
export const DEFAULT_GATE_TIMEOUT = '10m';

/** The options `daytwo migrate` and `daytwo rehearse migrate` share: connection, drain flags, pools, gate. */
export const MIGRATION_OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...DRAIN_OPTIONS,
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  'gate-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The arguments with negative durations joined to their flag (`--timeout -5s` is a value, not a flag). */
export function migrationArgs(argv: readonly string[]): string[] {
  return joinNegativeOptionValues([...argv], ['--timeout', '--gate-timeout']);
}

/** The kinds a migration reads: the preflight's and the gate's. */
export const MIGRATION_KINDS = ['nodes', 'pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'poddisruptionbudgets'] as const;

export const MIGRATE_USAGE = `Usage: daytwo migrate --from POOL [--to POOL]... [--gate-timeout D] [--dry-run] [--resume]
                      [--ignore-preflight] [--delete-emptydir-data] [--force] [--grace-period S]
                      [--timeout D] [connection options]
Move every pod off a node pool: a preflight (target capacity, pods that fit only the source
pool, PodDisruptionBudgets, pods a drain refuses, kubelet skew), then cordon every node of the
pool and drain them one at a time; after each node, wait until every workload that lost a pod
is available again (--gate-timeout, default ${DEFAULT_GATE_TIMEOUT}; 0 waits forever). Without --to, pods may go
to any other schedulable node. The journal ($XDG_STATE_HOME/daytwo/migrations) is written
after every step; --resume continues an interrupted migration without evicting a pod twice.
Exit code 0 when the pool is migrated, 1 otherwise (preflight blockers, a gate timeout, a
refused or failed drain, bad flags), 130 when interrupted (the nodes stay cordoned).
`;

/** `daytwo migrate`: kubectl-like lines and exit codes (0 migrated, 1 otherwise, 130 interrupted). */
export function runMigrateCommand(argv: readonly string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  return withKubectlExitCodes('migrate', output, () => migrateCommand(argv, output));
}

/** `--gate-timeout` in seconds (0 waits forever); a UsageError for a bad duration. */
export function gateTimeoutSeconds(text: string): number {
  try {
    const ms = parseGoDuration(text);
    if (ms < 0) throw new UsageError(`invalid argument "${text}" for "--gate-timeout" flag: cannot be negative (0 waits forever)`);
    return ms / 1000;
  } catch (err) {
    if (err instanceof DurationParseError) throw new UsageError(`invalid argument "${text}" for "--gate-timeout" flag: ${err.message}`);
    throw err;
  }
}

async function migrateCommand(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: migrationArgs(argv),
    allowPositionals: true,
    options: {
      ...MIGRATION_OPTIONS,
      'dry-run': { type: 'boolean' },
      resume: { type: 'boolean' },
      'ignore-preflight': { type: 'boolean' },
    },
  });
  const { out, err } = output;
  if (values.help) {
    out.write(MIGRATE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": name the pool with --from`);
  if (!values.from) throw new UsageError('--from POOL is required');
  const to = (values.to ?? []).flatMap((t) => t.split(',')).filter(Boolean);
  const gateTimeout = gateTimeoutSeconds(values['gate-timeout'] ?? DEFAULT_GATE_TIMEOUT);
  const flags = drainFlagsFrom(values);
  const dryRun = values['dry-run'] === true;
  const suffix = dryRun ? ' (dry run)' : '';

  const conn = await connect({ ...connectionOptions(values), namespace: undefined });
  try {
    conn.session.start(MIGRATION_KINDS);
    await conn.session.waitForSync(MIGRATION_KINDS, SYNC_TIMEOUT_MS);
    const { store, kc } = conn.session;
    if (!store.getState().cluster.version) {
      const http = new KubeHttp(kc);
      try {
        store.getState().setCluster({ version: (await fetchServerVersion(http)).gitVersion });
      } catch {
        // The skew check is skipped without the version; the rest of the preflight stands.
      } finally {
        http.close();
      }
    }
    const onEvent = (e: MigrationEvent) => {
      switch (e.type) {
        case 'preflight': {
          const lines = preflightLines(e.preflight);
          for (const l of lines.out) out.write(`${l}\n`);
          for (const l of lines.err) err.write(`${l}\n`);
          return;
        }
        case 'resuming':
          out.write(`resuming the migration started ${e.journal.startedAt} (${e.journal.state}): ${e.journal.nodes.filter((n) => n.state === 'done').length}/${e.journal.nodes.length} nodes done, ${plural(e.journal.evicted.filter((x) => x.accepted).length, 'pod')} already moved\n`);
          return;
        case 'cordoned':
          out.write(`node/${e.node} ${e.outcome}${suffix}\n`);
          return;
        case 'draining':
          return;
        case 'drain': {
          const d = e.event;
          if (d.type === 'evicting') out.write(`evicting pod ${d.namespace}/${d.name}${suffix}\n`);
          else if (d.type === 'evicted') out.write(`pod/${d.name} evicted\n`);
          else if (d.type === 'drained') out.write(`node/${d.node} drained${suffix}\n`);
          else if (d.type === 'warning') err.write(`Warning: ${d.text}\n`);
          else if (d.type === 'retry') err.write(`error when evicting pods/"${d.name}" -n "${d.namespace}" (will retry after ${goDuration(d.delayMs)}): ${d.message}\n`);
          else if (d.type === 'failed') err.write(`error: unable to drain node "${d.node}" due to error:${d.errors.join(', ')}\n`);
          return;
        }
        case 'node-done':
          if (e.reason) out.write(`node/${e.node} ${e.reason}\n`);
          return;
        case 'gate':
          if (!e.gate.open) out.write(`gate: node/${e.node}: ${gateWaitingText(e.gate)}\n`);
          return;
        case 'gate-open':
          out.write(`gate: node/${e.node}: every workload is available again (${goDuration(Math.round(e.waitedMs / 100) * 100)})\n`);
          return;
        case 'paused':
        case 'resumed':
          out.write(`migration ${e.type}\n`);
          return;
      }
    };
    const handle = startMigration(
      { kc, store, audit: new AuditLog() },
      { from: values.from, to, gateTimeoutSeconds: gateTimeout, drain: flags, dryRun, resume: values.resume === true, ignorePreflight: values['ignore-preflight'] === true, onEvent },
    );
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
      handle.control.abort();
    };
    process.once('SIGINT', interrupt);
    try {
      const summary = await handle.done;
      if (summary.state === 'succeeded') {
        out.write(`${summary.message}\n`);
        return 0;
      }
      err.write(`${summary.state === 'aborted' ? '' : 'error: '}${summary.message}\n`);
      return summary.state === 'aborted' && interrupted ? EXIT_INTERRUPTED : 1;
    } catch (e) {
      if (e instanceof ActionRefused || e instanceof PoolNotFoundError) {
        err.write(`error: ${e.message}\n`);
        return 1;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  } finally {
    await conn.close();
  }
}
