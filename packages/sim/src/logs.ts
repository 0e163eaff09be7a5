/**
 * Synthetic container logs for the simulated cluster.
 *
 * Lines sit on an absolute time grid: at `rate` lines per second a container has one line
 * per slot of 1/rate seconds, and the content of a slot depends only on the pod's
 * namespace/name, the container name and the slot number. The same moment therefore
 * always yields the same line, whether it is read as history, followed live, or read
 * again after a reconnect with sinceTime.
 *
 * A container's history runs from its start (containerStatuses state.running.startedAt)
 * to now, or to its finish when terminated; `previous` reads the last terminated instance.
 */

import type { ContainerStatus, Pod } from '@daytwo/k8s/wire-types.js';
import { seededRandom } from './random.js';
import type { LogOptions, LogSink, LogSource } from './types.js';

/** Pod annotation overriding the lines per second of all its containers. */
export const LOG_RATE_ANNOTATION = 'sim.daytwo.dev/log-rate';

/**
 * Lines kept per container instance, standing in for the kubelet's log rotation
 * (containerLogMaxSize 10Mi: `kubectl logs` only reads the current file).
 */
const DEFAULT_MAX_LINES = 50_000;

/** Construction options of {@link SyntheticLogs}. */
export interface SyntheticLogsOptions {
  /** Multiplies every container's line rate (`--speed`). Default 1. */
  speed?: number;
  /** Lines per second per container before `speed`. Default 1. */
  rate?: number;
  /** Clock in epoch milliseconds. Default Date.now (fake timers replace it in tests). */
  now?: () => number;
  /** Extra delay before each line, in ms: the "slow logs" fault. A function is read per line. */
  slowLineDelayMs?: number | (() => number);
  /** Most lines served from one container instance's history. Default 50,000. */
  maxLines?: number;
  /** Ends every stream this many ms after it starts when > 0: the "drop-logs" fault. Read per stream. */
  dropAfterMs?: () => number;
}

/** One generated log line. */
export interface LogLine {
  /** Epoch milliseconds. */
  time: number;
  /** Nanoseconds within the millisecond, for the RFC3339Nano timestamp. */
  nanos: number;
  text: string;
}

/** The span of one container instance's logs; `end` undefined while it runs. */
interface LogWindow {
  start: number;
  end?: number;
}

/** The API server's answer when `previous=true` finds no earlier instance. */
export function previousNotFoundMessage(container: string, pod: string): string {
  return `previous terminated container "${container}" in pod "${pod}" not found`;
}

/**
 * Why the logs of a container cannot be served (the kubelet's and API server's 400
 * messages), or undefined when they can.
 */
export function logsUnavailableReason(pod: Pod, opts: Pick<LogOptions, 'container' | 'previous'>): string | undefined {
  const name = pod.metadata.name ?? '';
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  if (!containers.includes(opts.container)) return `container ${opts.container} is not valid for pod ${name}`;
  if (!pod.spec?.nodeName) return `pod ${name} does not have a host assigned`;
  const status = containerStatus(pod, opts.container);
  if (opts.previous) {
    return previousWindow(status) ? undefined : previousNotFoundMessage(opts.container, name);
  }
  if (!currentWindow(pod, status)) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    return `container "${opts.container}" in pod "${name}" is waiting to start: ${reason}`;
  }
  return undefined;
}

/** Whether the container has a previous (terminated) instance to read with `previous=true`. */
export function hasPreviousInstance(pod: Pod, container: string): boolean {
  return previousWindow(containerStatus(pod, container)) !== undefined;
}

type TerminatedState = NonNullable<NonNullable<ContainerStatus['state']>['terminated']>;

function containerStatus(pod: Pod, container: string): ContainerStatus | undefined {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.find((s) => s.name === container);
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function currentWindow(pod: Pod, status: ContainerStatus | undefined): LogWindow | undefined {
  const running = status?.state?.running;
  if (running) {
    const start = time(running.startedAt) ?? time(pod.status?.startTime);
    return start === undefined ? undefined : { start };
  }
  const terminated = status?.state?.terminated;
  if (terminated) return windowOf(terminated);
  // A container waiting to restart (CrashLoopBackOff) serves the logs of its last run.
  const last = status?.lastState?.terminated;
  if (status?.state?.waiting && last) return windowOf(last);
  return undefined;
}

/**
 * The kubelet's `previous=true` (validateContainerLogStatus): the instance recorded in
 * `lastState.terminated`, whatever the restart count, and only when it names a container
 * (`containerID`). While a crash-looping container waits to restart, that is also the
 * instance the current logs come from.
 */
function previousWindow(status: ContainerStatus | undefined): LogWindow | undefined {
  const last = status?.lastState?.terminated;
  if (!last?.containerID) return undefined;
  return windowOf(last);
}

function windowOf(terminated: TerminatedState): LogWindow | undefined {
  const end = time(terminated.finishedAt);
  const start = time(terminated.startedAt) ?? (end === undefined ? undefined : end - 60_000);
  if (start === undefined) return undefined;
  return { start, end: end ?? start };
}

/** Synthetic, deterministic, streamable container logs. */
export class SyntheticLogs implements LogSource {
  /** Extra delay per line in ms (the slow-logs fault); may be changed while streams run. */
  slowLineDelayMs: number | (() => number);
  private readonly speed: number;
  private readonly baseRate: number;
  private readonly now: () => number;
  private readonly maxLines: number;
  private readonly dropAfterMs: () => number;

  constructor(options: SyntheticLogsOptions = {}) {
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
    this.baseRate = options.rate !== undefined && options.rate >= 0 ? options.rate : 1;
    this.now = options.now ?? (() => Date.now());
    this.slowLineDelayMs = options.slowLineDelayMs ?? 0;
    this.maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
    this.dropAfterMs = options.dropAfterMs ?? (() => 0);
  }

  /** Lines per second of a pod's containers: the annotation or the default, times speed. */
  rateOf(pod: Pod): number {
    const annotated = Number.parseFloat(pod.metadata.annotations?.[LOG_RATE_ANNOTATION] ?? '');
    const rate = Number.isFinite(annotated) && annotated >= 0 ? annotated : this.baseRate;
    return rate * this.speed;
  }

  /**
   * The lines of one container instance up to now, after sinceSeconds/sinceTime and
   * tailLines, oldest first. Empty when the instance does not exist (see {@link logsUnavailableReason}).
   */
  history(pod: Pod, opts: LogOptions): LogLine[] {
    const range = this.slotRange(pod, opts);
    if (!range) return [];
    const lines: LogLine[] = [];
    for (let slot = range.first; slot <= range.last; slot++) lines.push(this.line(pod, opts.container, slot, range.period));
    return lines;
  }

  /** The slots of the lines written so far that the options select, and the slot period. */
  private slotRange(pod: Pod, opts: LogOptions): { first: number; last: number; period: number } | undefined {
    const window = this.windowFor(pod, opts);
    const period = this.periodOf(pod);
    if (!window || period === undefined) return undefined;
    const now = this.now();
    const end = Math.min(window.end ?? now, now);
    const since = sinceOf(opts, now);
    const from = since === undefined ? window.start : Math.max(window.start, since);
    // A slot's line sits after the slot's start: the slot under `from` may still hold a line at or after it.
    let first = Math.floor(from / period);
    let last = Math.floor(end / period);
    // A line sits somewhere inside its slot: drop edge slots whose line falls outside [from, end].
    if (last >= first && this.line(pod, opts.container, last, period).time > end) last--;
    if (last >= first && this.line(pod, opts.container, first, period).time < from) first++;
    const cap = opts.tailLines !== undefined && opts.tailLines >= 0 ? Math.min(opts.tailLines, this.maxLines) : this.maxLines;
    first = Math.max(first, last - cap + 1);
    return { first, last, period };
  }

  stream(pod: Pod, opts: LogOptions, sink: LogSink): () => void {
    const window = this.windowFor(pod, opts);
    const period = this.periodOf(pod);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dropTimer: ReturnType<typeof setTimeout> | undefined;
    let bytesLeft = opts.limitBytes !== undefined && opts.limitBytes > 0 ? opts.limitBytes : Number.POSITIVE_INFINITY;
    const stop = () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (dropTimer !== undefined) clearTimeout(dropTimer);
      timer = undefined;
    };
    const finish = () => {
      if (stopped) return;
      stop();
      sink.end();
    };
    /** Writes one line; false once limitBytes is used up (the line is cut, then the stream ends). */
    const write = (line: LogLine): boolean => {
      let text = opts.timestamps ? `${rfc3339Nano(line.time, line.nanos)} ${line.text}` : line.text;
      const bytes = Buffer.byteLength(text) + 1;
      if (bytes > bytesLeft) {
        text = Buffer.from(text).subarray(0, Math.max(0, bytesLeft)).toString();
        if (text) sink.write(text);
        bytesLeft = 0;
        return false;
      }
      bytesLeft -= bytes;
      sink.write(text);
      return true;
    };

    const backlog = this.history(pod, opts);
    const range = this.slotRange(pod, opts);
    let nextSlot = range ? range.last + 1 : undefined;
    const windowEnd = window?.end;

    const followNext = () => {
      if (stopped) return;
      if (!opts.follow || !window || period === undefined || nextSlot === undefined) return finish();
      // A terminated instance writes nothing more: its history already ran to its end.
      if (windowEnd !== undefined) return finish();
      const line = this.line(pod, opts.container, nextSlot, period);
      const wait = Math.max(0, line.time - this.now()) + this.slowDelay();
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        nextSlot = (nextSlot as number) + 1;
        if (!write(line)) return finish();
        followNext();
      }, wait);
    };

    const drain = (index: number) => {
      for (let i = index; i < backlog.length; i++) {
        if (stopped) return;
        const delay = this.slowDelay();
        if (delay > 0) {
          timer = setTimeout(() => {
            timer = undefined;
            if (stopped) return;
            if (!write(backlog[i])) return finish();
            drain(i + 1);
          }, delay);
          return;
        }
        if (!write(backlog[i])) return finish();
      }
      followNext();
    };
    const dropAfter = this.dropAfterMs();
    if (opts.follow && dropAfter > 0) dropTimer = setTimeout(finish, dropAfter);
    drain(0);
    return stop;
  }

  private slowDelay(): number {
    const d = typeof this.slowLineDelayMs === 'function' ? this.slowLineDelayMs() : this.slowLineDelayMs;
    return Math.max(d, 0);
  }

  private windowFor(pod: Pod, opts: LogOptions): LogWindow | undefined {
    const status = containerStatus(pod, opts.container);
    return opts.previous ? previousWindow(status) : currentWindow(pod, status);
  }

  /** Milliseconds between lines, or undefined for a silent pod (rate 0). */
  private periodOf(pod: Pod): number | undefined {
    const rate = this.rateOf(pod);
    return rate > 0 ? 1000 / rate : undefined;
  }

  /** The line of a slot: a pure function of pod identity, container, slot and period. */
  private line(pod: Pod, container: string, slot: number, period: number): LogLine {
    const seed = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}/${container}`;
    const random = seededRandom(fnv1a(`${seed}#${slot}`));
    const offset = Math.floor(random() * Math.max(1, Math.floor(period)));
    const t = Math.floor(slot * period) + offset;
    const nanos = Math.floor(random() * 1_000_000);
    const style = styleOf(pod, container);
    return { time: t, nanos, text: render(style, t, random, seed) };
  }
}

function sinceOf(opts: LogOptions, now: number): number | undefined {
  const sinceTime = opts.sinceTime ? Date.parse(opts.sinceTime) : Number.NaN;
  if (!Number.isNaN(sinceTime)) return sinceTime;
  if (opts.sinceSeconds !== undefined && opts.sinceSeconds > 0) return now - opts.sinceSeconds * 1000;
  return undefined;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds with trailing zeros removed. */
export function rfc3339Nano(ms: number, nanosInMs = 0): string {
  const iso = new Date(ms).toISOString(); // 2026-11-21T12:00:00.123Z
  const fraction = `${iso.slice(20, 23)}${String(nanosInMs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

// ---------------------------------------------------------------------------
// Content

type Style = 'access' | 'json' | 'database' | 'app';

function styleOf(pod: Pod, container: string): Style {
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (c: { name: string }) => c.name === container,
  );
  const id = `${spec?.image ?? ''} ${container}`.toLowerCase();
  if (/nginx|envoy|haproxy|traefik|ingress|httpd|caddy|gateway|frontend|web/.test(id)) return 'access';
  if (/postgres|mysql|mariadb|redis|mongo|kafka|zookeeper|etcd/.test(id)) return 'database';
  if (/api|payments|checkout|cart|orders|worker|json|exporter|prometheus|grafana|operator|controller/.test(id)) return 'json';
  return 'app';
}

const PATHS = ['/', '/healthz', '/api/v1/cart', '/api/v1/orders', '/api/v1/products?page=2', '/static/app.js', '/login', '/metrics'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0', 'kube-probe/1.30', 'Go-http-client/1.1', 'python-requests/2.31.0'];
const INFO = [
  'request completed',
  'cache refreshed',
  'connected to upstream',
  'processed batch',
  'health check passed',
  'config reloaded',
  'job scheduled',
];
const WARN = ['slow request', 'retrying connection to upstream', 'cache miss rate above threshold', 'deprecated header used'];
const ERROR = ['upstream timed out', 'connection refused by database', 'failed to decode payload', 'context deadline exceeded'];
const DB = [
  'checkpoint complete: wrote 142 buffers (0.9%)',
  'automatic vacuum of table "app.public.orders"',
  'connection received: host=10.0.1.23 port=51432',
  'duration: 12.482 ms  statement: SELECT 1',
  'background saving started',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

function level(random: () => number): 'info' | 'warn' | 'error' {
  const r = random();
  return r < 0.03 ? 'error' : r < 0.1 ? 'warn' : 'info';
}

function render(style: Style, t: number, random: () => number, seed: string): string {
  const lvl = level(random);
  const message = lvl === 'error' ? pick(ERROR, random) : lvl === 'warn' ? pick(WARN, random) : pick(INFO, random);
  const iso = new Date(t).toISOString();
  switch (style) {
    case 'access': {
      const ip = `10.${Math.floor(random() * 4)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
      const status = lvl === 'error' ? 502 : lvl === 'warn' ? 404 : random() < 0.9 ? 200 : 304;
      const size = Math.floor(random() * 20_000);
      return `${ip} - - [${clfTime(t)}] "${pick(METHODS, random)} ${pick(PATHS, random)} HTTP/1.1" ${status} ${size} "-" "${pick(AGENTS, random)}"`;
    }
    case 'json': {
      const requestId = Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
      const duration = Math.floor(random() * (lvl === 'info' ? 120 : 3000));
      return JSON.stringify({ level: lvl, ts: iso, logger: seed.split('/')[2], msg: message, request_id: requestId, duration_ms: duration });
    }
    case 'database': {
      const severity = lvl === 'error' ? 'ERROR' : lvl === 'warn' ? 'WARNING' : 'LOG';
      return `${iso.replace('T', ' ').replace('Z', ' UTC')} [${1 + Math.floor(random() * 900)}] ${severity}:  ${lvl === 'info' ? pick(DB, random) : message}`;
    }
    case 'app': {
      const thread = pick(['main', 'worker-1', 'worker-2', 'scheduler', 'http-nio-8080-exec-3'], random);
      return `${iso.replace('T', ' ').replace('Z', '')} ${lvl.toUpperCase().padEnd(5)} [${thread}] ${message} (${Math.floor(random() * 500)}ms)`;
    }
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Common Log Format time: `21/Nov/2026:12:00:00 +0000`. */
function clfTime(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

