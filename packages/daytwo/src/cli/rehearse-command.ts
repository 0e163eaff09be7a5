import { parseArgs } from 'node:util';
import { PoolNotFoundError } from '../domain/migration-preflight.js';
import { KubeHttp } from '../kube/http.js';
import { readLiveSnapshot } from '../kube/rehearsal/live-snapshot.js';
import { DEFAULT_REHEARSAL_SPEED, rehearseMigration } from '../kube/rehearsal/rehearse-migration.js';
import { connectionOptions, UsageError } from '../options/connection-options.js';
import { drainFlagsFrom } from '../options/drain-options.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/format.js';
import { rehearsalExitCode, renderRehearsal } from '../report/rehearsal-report.js';
import { connect } from './connect.js';
import { type CommandOutput, withKubectlExitCodes } from './drain-command.js';
import { DEFAULT_GATE_TIMEOUT, gateTimeoutSeconds, MIGRATION_OPTIONS, migrationArgs } from './migrate-command.js';

const PROCESS_OUTPUT: CommandOutput = { out: process.stdout, err: process.stderr };

export const REHEARSE_USAGE = `Usage: daytwo rehearse migrate --from POOL [--to POOL]... [--gate-timeout D] [--speed N]
                              [-o table|json|yaml] [drain flags] [connection options]
Read the cluster once (GET lists only: nodes, pods, workloads, PDBs, LimitRanges, quotas,
priority classes, volumes), load it into the built-in simulated cluster and run the same
migration there, N times faster (default ${DEFAULT_REHEARSAL_SPEED}): which pods go Pending and why, which
PodDisruptionBudgets hold evictions and for how long, how many evictions, and how long the
migration would take at the live cluster's pace. Nothing is written to the cluster.
Exit code 0 when the rehearsed migration completes with no pod left Pending, 1 otherwise.
`;

/** `daytwo rehearse migrate ...`. */
export function runRehearseCommand(argv: readonly string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  return withKubectlExitCodes('rehearse', output, () => rehearseCommand(argv, output));
}

async function rehearseCommand(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: migrationArgs(argv),
    allowPositionals: true,
    options: {
      ...MIGRATION_OPTIONS,
      speed: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
    },
  });
  if (values.help) {
    output.out.write(REHEARSE_USAGE);
    return 0;
  }
  if (positionals[0] !== 'migrate' || positionals.length > 1) throw new UsageError(`rehearse what? "daytwo rehearse migrate --from POOL" (got "${positionals.join(' ')}")`);
  if (!values.from) throw new UsageError('--from POOL is required');
  const format = values.output as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`unknown output format "${values.output}" (formats: ${OUTPUT_FORMATS.join(', ')})`);
  const speed = values.speed === undefined ? DEFAULT_REHEARSAL_SPEED : Number(values.speed);
  if (!Number.isFinite(speed) || speed < 1 || speed > 1000) throw new UsageError(`--speed must be a number from 1 to 1000, got "${values.speed}"`);
  const gate = gateTimeoutSeconds(values['gate-timeout'] ?? DEFAULT_GATE_TIMEOUT);
  const drain = drainFlagsFrom(values);
  const to = (values.to ?? []).flatMap((t) => t.split(',')).filter(Boolean);

  // No session and no watch on the live cluster: one GET pass, then it is left alone.
  const conn = await connect({ ...connectionOptions(values), namespace: undefined });
  const http = new KubeHttp(conn.session.kc);
  try {
    const snapshot = await readLiveSnapshot(http);
    if (snapshot.skipped.length > 0) output.err.write(`Warning: not permitted to list ${snapshot.skipped.join(', ')}: the copy goes without them\n`);
    const result = await rehearseMigration(snapshot, { from: values.from, to, gateTimeoutSeconds: gate, drain, speed });
    output.out.write(renderRehearsal(result, format));
    return rehearsalExitCode(result);
  } catch (e) {
    if (e instanceof PoolNotFoundError) {
      output.err.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    http.close();
    await conn.close();
  }
}
