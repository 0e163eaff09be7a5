import { parseArgs } from 'node:util';
import { DEFAULT_TAIL_LINES, entryPrefix, formatEntry, type LogEntry, prefixColour } from '../domain/log-entry.js';
import { LogTargetError, type LogTarget, parseSince, parseTargetArgs, targetKinds, targetMissing } from '../domain/log-target.js';
import { KubeHttp } from '../kube/http.js';
import { followLogs } from '../kube/logs/log-follower.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from './connection-options.js';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  container: { type: 'string', short: 'c' },
  selector: { type: 'string', short: 'l' },
  follow: { type: 'boolean', short: 'f' },
  since: { type: 'string' },
  tail: { type: 'string' },
  timestamps: { type: 'boolean' },
  previous: { type: 'boolean', short: 'p' },
} as const;

/** ANSI foreground codes of the prefix colours (Ink's names, as chalk maps them). */
const ANSI: Readonly<Record<string, number>> = {
  red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36,
  redBright: 91, greenBright: 92, yellowBright: 93, blueBright: 94, magentaBright: 95, cyanBright: 96,
};

/** One entry as printed: lines to stdout, markers (joined, left, reconnected) to stderr, as stern does. */
export function printedEntry(entry: LogEntry, opts: { timestamps: boolean; colour: boolean }): string {
  const text = formatEntry(entry, { timestamps: opts.timestamps });
  if (!opts.colour) return text;
  const prefix = entryPrefix(entry);
  const at = text.indexOf(prefix);
  return `${text.slice(0, at)}\u001b[${ANSI[prefixColour(prefix)]}m${prefix}\u001b[39m${text.slice(at + prefix.length)}`;
}

/**
 * `daytwo logs TARGET [-c CONTAINER] [-l SELECTOR] [-f] [--since D] [--tail N] [--timestamps] [-p]`:
 * the merged stream of a pod, a workload's pods or a selector's, each line prefixed
 * `pod/container` (coloured on a terminal), like stern. With `-f` it follows pods as they
 * come and go until interrupted. Starts from the last 100 lines per container
 * (`--tail -1`: all). Exit codes: 0 done, 1 target not found, 2 bad arguments.
 */
export async function runLogsCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  if (positionals.length > 1) throw new UsageError('logs takes one TARGET (pod/NAME, deployment/NAME, ...) or -l SELECTOR');
  const opts = connectionOptions(values);
  const tail = values.tail === undefined ? DEFAULT_TAIL_LINES : Number(values.tail);
  if (!Number.isInteger(tail) || tail < -1) throw new UsageError(`--tail must be an integer >= -1, got "${values.tail}"`);
  let sinceSeconds: number | undefined;
  let spec: Parameters<typeof parseTargetArgs>[0];
  try {
    sinceSeconds = values.since === undefined ? undefined : parseSince(values.since);
    spec = { target: positionals[0], selector: values.selector, container: values.container, namespace: opts.namespace };
    parseTargetArgs(spec);
  } catch (err) {
    if (err instanceof LogTargetError) throw new UsageError(err.message);
    throw err;
  }
  const timestamps = values.timestamps === true;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;

  const conn = await connect(opts);
  try {
    const { session } = conn;
    // A named target without -n lives in the context's namespace, as with kubectl.
    const target: LogTarget = parseTargetArgs({ ...spec, namespace: opts.namespace ?? (spec.selector === undefined ? (session.context.namespace ?? 'default') : undefined) });
    const kinds = targetKinds(target);
    session.start(kinds);
    await session.waitForSync(kinds);
    if (!values.follow && targetMissing(target, session.store.getState().objects)) {
      process.stderr.write(`daytwo: ${notFound(target)}\n`);
      return 1;
    }
    const handle = followLogs(
      { http: new KubeHttp(session.kc), store: session.store },
      target,
      { follow: values.follow === true, tailLines: tail, sinceSeconds, previous: values.previous === true },
      (entries) => {
        let out = '';
        for (const e of entries) {
          if (e.kind === 'marker') process.stderr.write(`${printedEntry(e, { timestamps, colour: process.stderr.isTTY === true && colour })}\n`);
          else out += `${printedEntry(e, { timestamps, colour })}\n`;
        }
        if (out) process.stdout.write(out);
      },
    );
    const interrupt = () => handle.stop();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      await handle.done;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      handle.stop();
    }
    return 0;
  } finally {
    await conn.close();
  }
}

/** kubectl's NotFound wording: `pods "x" not found`, `deployments.apps "x" not found`. */
function notFound(target: LogTarget): string {
  if (target.type === 'pod') return `pods "${target.name}" not found`;
  if (target.type === 'workload') {
    const resource = { Deployment: 'deployments.apps', StatefulSet: 'statefulsets.apps', DaemonSet: 'daemonsets.apps', Job: 'jobs.batch' }[target.kind];
    return `${resource} "${target.name}" not found`;
  }
  return 'no pods';
}
