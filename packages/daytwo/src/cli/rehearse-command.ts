import { parseArgs } from 'node:util';
import { PoolNotFoundError } from '../domain/migration-preflight.js';
import { KubeHttp } from '../kube/http.js';
import { type LiveSnapshot, readLiveSnapshot } from '../kube/rehearsal/live-snapshot.js';
import { rehearseDrain, UNBOUNDED_DRAIN_LIMIT_SECONDS } from '../kube/rehearsal/rehearse-drain.js';
import { rehearseMigration } from '../kube/rehearsal/rehearse-migration.js';
import { DEFAULT_REHEARSAL_SPEED } from '../kube/rehearsal/simulated-copy.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { DRAIN_OPTIONS, drainFlagsFrom } from '../options/drain-options.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/format.js';
import { drainRehearsalExitCode, rehearsalExitCode, renderDrainRehearsal, renderRehearsal } from '../report/rehearsal-report.js';
import { connect } from './connect.js';
import { type CommandOutput, withKubectlExitCodes } from './drain-command.js';
import { DEFAULT_GATE_TIMEOUT, gateTimeoutSeconds, MIGRATION_OPTIONS, migrationArgs } from './migrate-command.js';

const PROCESS_OUTPUT: CommandOutput = { out: process.stdout, err: process.stderr };

export const REHEARSE_USAGE = `Usage: daytwo rehearse migrate --from POOL [--to POOL]... [--gate-timeout D] [--speed N]
                              [-o table|json|yaml] [drain flags] [connection options]
       daytwo rehearse drain NODE... [--ignore-daemonsets] [--delete-emptydir-data] [--force]
                              [--grace-period S] [--timeout D] [--pod-selector SEL]
                              [--skip-wait-for-delete-timeout S] [--speed N] [-o table|json|yaml]
                              [connection options]
Read the cluster once (GET lists only: nodes, pods, workloads, PDBs, LimitRanges, quotas,
priority classes, volumes), load it into the built-in simulated cluster and run the same
migration (or drain, with daytwo drain's code and kubectl drain's flags) there, N times faster
(default ${DEFAULT_REHEARSAL_SPEED}): which pods are evicted, which go Pending and why, which
PodDisruptionBudgets hold evictions and for how long, how many evictions, and how long it would
take at the live cluster's pace. A drain with --timeout 0 (kubectl's default: wait forever) is
given ${UNBOUNDED_DRAIN_LIMIT_SECONDS / 60}m in the copy. Nothing is written to the cluster.
Exit code 0 when the rehearsed migration (drain) completes with no pod left Pending, 1 otherwise.
`;

const REHEARSE_OPTIONS = {
  speed: { type: 'string' },
  output: { type: 'string', short: 'o', default: 'table' },
} as const;

/** `daytwo rehearse migrate|drain ...`. */
export function runRehearseCommand(argv: readonly string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  return withKubectlExitCodes('rehearse', output, () => rehearseCommand(argv, output));
}

function formatAndSpeed(values: { output?: string; speed?: string }): { format: OutputFormat; speed: number } {
  const format = values.output as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`unknown output format "${values.output}" (formats: ${OUTPUT_FORMATS.join(', ')})`);
  const speed = values.speed === undefined ? DEFAULT_REHEARSAL_SPEED : Number(values.speed);
  if (!Number.isFinite(speed) || speed < 1 || speed > 1000) throw new UsageError(`--speed must be a number from 1 to 1000, got "${values.speed}"`);
  return { format, speed };
}

/** Reads the live cluster once, with no session and no watch, then leaves it alone; `run` works on the copy. */
async function onSnapshot(values: Readonly<Record<string, unknown>>, output: CommandOutput, run: (snapshot: LiveSnapshot) => Promise<number>): Promise<number> {
  const conn = await connect({ ...connectionOptions(values), namespace: undefined });
  const http = new KubeHttp(conn.session.kc);
  try {
    const snapshot = await readLiveSnapshot(http);
    if (snapshot.skipped.length > 0) output.err.write(`Warning: not permitted to list ${snapshot.skipped.join(', ')}: the copy goes without them\n`);
    return await run(snapshot);
  } finally {
    http.close();
    await conn.close();
  }
}

async function rehearseCommand(argv: readonly string[], output: CommandOutput): Promise<number> {
  if (argv[0] === 'drain') return rehearseDrainCommand(argv.slice(1), output);
  const { values, positionals } = parseArgs({ args: migrationArgs(argv), allowPositionals: true, options: { ...MIGRATION_OPTIONS, ...REHEARSE_OPTIONS } });
  if (values.help) {
    output.out.write(REHEARSE_USAGE);
    return 0;
  }
  if (positionals[0] !== 'migrate' || positionals.length > 1) {
    throw new UsageError(`rehearse what? "daytwo rehearse migrate --from POOL" or "daytwo rehearse drain NODE" (got "${positionals.join(' ')}")`);
  }
  if (!values.from) throw new UsageError('--from POOL is required');
  const { format, speed } = formatAndSpeed(values);
  const gate = gateTimeoutSeconds(values['gate-timeout'] ?? DEFAULT_GATE_TIMEOUT);
  const drain = drainFlagsFrom(values);
  const to = (values.to ?? []).flatMap((t) => t.split(',')).filter(Boolean);
  const from = values.from;
  return onSnapshot(values, output, async (snapshot) => {
    try {
      const result = await rehearseMigration(snapshot, { from, to, gateTimeoutSeconds: gate, drain, speed });
      output.out.write(renderRehearsal(result, format));
      return rehearsalExitCode(result);
    } catch (e) {
      if (!(e instanceof PoolNotFoundError)) throw e;
      output.err.write(`error: ${e.message}\n`);
      return 1;
    }
  });
}

/** `daytwo rehearse drain NODE... [kubectl drain's flags]`. */
async function rehearseDrainCommand(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: migrationArgs(argv),
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, ...DRAIN_OPTIONS, ...REHEARSE_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    output.out.write(REHEARSE_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('USAGE: rehearse drain NODE... [flags]');
  const { format, speed } = formatAndSpeed(values);
  const flags = drainFlagsFrom(values);
  return onSnapshot(values, output, async (snapshot) => {
    const result = await rehearseDrain(snapshot, { nodes: positionals, flags, speed });
    output.out.write(renderDrainRehearsal(result, format));
    return drainRehearsalExitCode(result);
  });
}
