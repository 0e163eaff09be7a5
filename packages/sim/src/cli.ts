/**
 * `daytwo sim`: runs the simulated cluster in the foreground and writes a kubeconfig
 * for it. Argument parsing and validation are pure (`parseSimArgs`); `runSimCommand`
 * does the I/O.
 */

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVER_VERSION_PATTERN } from './api/discovery.js';
import { SIM_USERS } from './auth.js';
import { FAULT_NAMES, FaultSpecError, parseFaults } from './faults.js';
import { type ScenarioName, type SimOptions, defaultServerVersion, startSim } from './index.js';
import { simContextName, writeKubeconfig } from './kubeconfig.js';
import { isSizedScenario, SCENARIOS } from './scenarios/index.js';

const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

export const SIM_USAGE = `Usage: daytwo sim [options]

Runs a simulated Kubernetes API server on loopback and writes a kubeconfig for it.

Options:
  --scenario NAME         the cluster to start from (default demo):
${SCENARIOS.map((s) => `                            ${s.name}: ${s.description}`).join('\n')}
  --nodes N               nodes of the large and xlarge scenarios (default 1000; 5000)
  --pods M                pods of the large and xlarge scenarios (default 30000; 150000)
  --fixture FILE          load objects from a YAML/JSON file (repeatable)
  --server-version V      version reported by /version, e.g. v1.31.5-eks-abc
  --controllers all|none  run the controllers (default all) or serve a frozen state
  --port N                port to listen on (default 0: any free port)
  --kubeconfig-out FILE   where to write the kubeconfig (default $TMPDIR/daytwo-sim-<port>.kubeconfig)
  --user USER             user of the kubeconfig's current context: admin (default), viewer,
                            operator, restricted (reads namespace shop only)
  --speed X               controller speed factor (default 1)
  --fault SPEC            inject a fault (repeatable):
${Object.values(FAULT_NAMES)
  .map((d) => `                            ${d}`)
  .join('\n')}
  --seed N                seed for deterministic randomness (default 1)
  -h, --help              show this help
`;

/** A command-line mistake; the message is one line. */
export class SimUsageError extends Error {
  override name = 'SimUsageError';
}

export type ParsedSimArgs = { help: true } | { help: false; options: SimOptions & { port: number } };

function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new SimUsageError(`--${flag}: "${text}" is not a whole number between ${min} and ${max}`);
  }
  return Number(text);
}

function oneOf<T extends string>(flag: string, text: string | undefined, valid: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!valid.includes(text as T)) throw new SimUsageError(`--${flag}: unknown value "${text}" (valid: ${valid.join(', ')})`);
  return text as T;
}

/** Parses and validates `daytwo sim` arguments. Throws `SimUsageError`. */
export function parseSimArgs(argv: readonly string[]): ParsedSimArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        nodes: { type: 'string' },
        pods: { type: 'string' },
        fixture: { type: 'string', multiple: true },
        'server-version': { type: 'string' },
        controllers: { type: 'string' },
        port: { type: 'string' },
        'kubeconfig-out': { type: 'string' },
        user: { type: 'string' },
        speed: { type: 'string' },
        fault: { type: 'string', multiple: true },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new SimUsageError((err as Error).message.split('\n')[0]);
  }
  if (values.help) return { help: true };
  const str = (name: string) => values[name] as string | undefined;
  const scenario = oneOf<ScenarioName>('scenario', str('scenario'), SCENARIO_NAMES);
  const serverVersion = str('server-version');
  if (serverVersion !== undefined && !SERVER_VERSION_PATTERN.test(serverVersion)) {
    throw new SimUsageError(`--server-version: "${serverVersion}" is not a version like v1.31.0 or v1.31.5-eks-abc`);
  }
  const speedText = str('speed');
  const speed = speedText === undefined ? undefined : Number(speedText);
  if (speed !== undefined && (!Number.isFinite(speed) || speed <= 0 || !/^\d*\.?\d+$/.test(speedText!))) {
    throw new SimUsageError(`--speed: "${speedText}" is not a positive number`);
  }
  const faults = (values.fault as string[] | undefined) ?? [];
  try {
    parseFaults(faults);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new SimUsageError(`--fault: ${err.message}`);
    throw err;
  }
  const options: SimOptions & { port: number } = {
    scenario,
    nodes: integer('nodes', str('nodes'), 1),
    pods: integer('pods', str('pods'), 0),
    fixtures: (values.fixture as string[] | undefined) ?? [],
    serverVersion,
    controllers: oneOf('controllers', str('controllers'), ['all', 'none'] as const),
    port: integer('port', str('port'), 0, 65535) ?? 0,
    kubeconfigOut: str('kubeconfig-out'),
    user: oneOf('user', str('user'), SIM_USERS),
    speed,
    faults,
    seed: integer('seed', str('seed'), 0),
  };
  for (const flag of ['nodes', 'pods'] as const) {
    // The other scenarios have a fixed shape: the flag would be silently ignored.
    if (options[flag] !== undefined && !isSizedScenario(scenario)) {
      throw new SimUsageError(`--${flag} applies only to --scenario large and xlarge (the ${scenario ?? 'demo'} scenario has a fixed size)`);
    }
  }
  for (const key of Object.keys(options) as (keyof SimOptions)[]) if (options[key] === undefined) delete options[key];
  return { help: false, options };
}

export interface SimCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Stops the sim when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** Runs `daytwo sim`; resolves with the exit code once stopped. */
export async function runSimCommand(
  argv: string[],
  io: SimCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed: ParsedSimArgs;
  try {
    parsed = parseSimArgs(argv);
  } catch (err) {
    if (!(err instanceof SimUsageError)) throw err;
    io.stderr.write(`daytwo sim: ${err.message}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(SIM_USAGE);
    return 0;
  }
  const { options } = parsed;
  let sim: Awaited<ReturnType<typeof startSim>>;
  try {
    sim = await startSim(options);
  } catch (err) {
    io.stderr.write(`daytwo sim: ${(err as Error).message}\n`);
    return 1;
  }
  const kubeconfigPath = options.kubeconfigOut ?? join(tmpdir(), `daytwo-sim-${sim.port}.kubeconfig`);
  writeKubeconfig(kubeconfigPath, sim.kubeconfig(options.user ?? 'admin'));
  const scenario = options.scenario ?? 'demo';
  io.stdout.write(
    `daytwo sim: scenario ${scenario}, Kubernetes ${options.serverVersion ?? defaultServerVersion(scenario)}, serving ${sim.httpsUrl} (also plain http)\n` +
      `kubeconfig: ${kubeconfigPath} (user ${options.user ?? 'admin'}; contexts ${SIM_USERS.map(simContextName).join(', ')})\n` +
      `  export KUBECONFIG=${kubeconfigPath}\n` +
      'Press Ctrl-C to stop.\n',
  );
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    io.signal?.addEventListener('abort', done, { once: true });
  });
  await sim.stop();
  io.stdout.write('daytwo sim: stopped\n');
  return 0;
}
