import { parseArgs } from 'node:util';
import { entryPrefix, formatEntry, type LogEntry, prefixColour, startingPoint } from '../domain/log-entry.js';
import {
  invalidContainer,
  type LogTarget,
  LogTargetError,
  parseSince,
  parseTargetArgs,
  podsOfTarget,
  targetKinds,
  targetMissing,
  targetNotFound,
} from '../domain/log-target.js';
import { KubeHttp } from '../kube/http.js';
import { noPreviousInstance } from '../kube/logs/container-state.js';
import { followLogs } from '../kube/logs/log-follower.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { joinNegativeOptionValues } from './negative-option-values.js';
import { syncForCommand, writeDenied } from './sync-lists.js';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  container: { type: 'string', short: 'c' },
  selector: { type: 'string', short: 'l' },
  follow: { type: 'boolean', short: 'f' },
  since: { type: 'string' },
  tail: { type: 'string' },
  timestamps: { type: 'boolean' },
  previous: { type: 'boolean', short: 'p' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  // kubectl's flag; daytwo reads every container of each pod unless -c names one.
  'all-containers': { type: 'boolean' },
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
 * `daytwo logs TARGET [-c CONTAINER] [-l SELECTOR [-A]] [-f] [--since D] [--tail N] [--timestamps] [-p]`:
 * the merged stream of a pod, a workload's pods or a selector's, each line prefixed
 * `pod/container` (coloured on a terminal), like stern. With `-f` it follows pods as they
 * come and go until interrupted. Starts from the last 100 lines per container, or with
 * `--since` from everything in that window (`--tail` still applies when given; `-1`: all).
 * Without `-n` it reads the context's namespace, as kubectl does.
 * Exit codes: 0 done, 1 target (or its container) not found, 2 bad arguments.
 */
export async function runLogsCommand(argv: readonly string[]): Promise<number> {
  const args = joinNegativeOptionValues(argv, ['--tail']);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (positionals.length > 1) throw new UsageError('logs takes one TARGET (pod/NAME, deployment/NAME, ...) or -l SELECTOR');
  const opts = connectionOptions(values);
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && (values.tail === '' || !Number.isInteger(tail) || tail < -1)) {
    throw new UsageError(`--tail must be an integer >= -1, got "${values.tail}"`);
  }
  if (values['all-containers'] && values.container !== undefined) {
    throw new UsageError(`--all-containers=true should not be specified with container name ${values.container}`);
  }
  const allNamespaces = values['all-namespaces'] === true;
  if (allNamespaces && opts.namespace !== undefined) throw new UsageError('give either -n NAMESPACE or -A, not both');
  let sinceSeconds: number | undefined;
  let spec: Parameters<typeof parseTargetArgs>[0];
  try {
    sinceSeconds = values.since === undefined ? undefined : parseSince(values.since);
    spec = { target: positionals[0], selector: values.selector, container: values.container, namespace: opts.namespace, allNamespaces };
    parseTargetArgs(spec);
  } catch (err) {
    if (err instanceof LogTargetError) throw new UsageError(err.message);
    throw err;
  }
  const start = startingPoint({ tailLines: tail, sinceSeconds });
  const timestamps = values.timestamps === true;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;

  const conn = await connect(opts);
  try {
    const { session } = conn;
    // Without -n, a target or a selector lives in the context's namespace, as with kubectl.
    const target: LogTarget = parseTargetArgs({ ...spec, namespace: opts.namespace ?? session.context.namespace ?? 'default' });
    const kinds = targetKinds(target);
    session.start(kinds);
    const denied = await syncForCommand(session, kinds);
    if (denied.length > 0) {
      writeDenied(denied);
      return 1;
    }
    const objects = session.store.getState().objects;
    // A named pod or workload that does not exist is an error even with -f, as in kubectl.
    if (targetMissing(target, objects)) {
      process.stderr.write(`daytwo: ${targetNotFound(target)}\n`);
      return 1;
    }
    const badContainer = target.container === undefined ? undefined : invalidContainer(podsOfTarget(target, objects), target.container);
    if (badContainer) {
      process.stderr.write(`error: ${badContainer}\n`);
      return 1;
    }
    const noPrevious = values.previous === true ? noPreviousInstance(podsOfTarget(target, objects), target.container) : undefined;
    if (noPrevious) {
      process.stderr.write(`${noPrevious}\n`);
      return 1;
    }
    const handle = followLogs(
      { http: new KubeHttp(session.kc), store: session.store },
      target,
      { follow: values.follow === true, ...start, previous: values.previous === true },
      (entries) => {
        let out = '';
        for (const e of entries) {
          // Across namespaces a pod name alone is ambiguous: the prefix reads namespace/pod/container.
          const shown = allNamespaces ? { ...e, pod: `${e.namespace}/${e.pod}` } : e;
          if (shown.kind === 'marker') process.stderr.write(`${printedEntry(shown, { timestamps, colour: process.stderr.isTTY === true && colour })}\n`);
          else out += `${printedEntry(shown, { timestamps, colour })}\n`;
        }
        if (out) process.stdout.write(out);
      },
    );
    const interrupt = () => handle.stop();
    // `daytwo logs ... | head`: a reader that goes away ends the stream, quietly (EPIPE).
    const closed = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') handle.stop();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    process.stdout.on('error', closed);
    try {
      await handle.done;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.stdout.off('error', closed);
      handle.stop();
    }
    return 0;
  } finally {
    await conn.close();
  }
}

