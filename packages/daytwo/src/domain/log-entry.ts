/**
 * The entries of a merged log stream: lines read from containers, and markers the stream
 * engine inserts (a pod joined or left, a stream dropped and resumed, a container
 * restarted). Also the pure rules the engine follows: splitting the API server's
 * `timestamps=true` prefix, and skipping what a resumed stream repeats.
 */

/** One entry of the merged stream. */
export interface LogEntry {
  readonly kind: 'line' | 'marker';
  readonly namespace: string;
  readonly pod: string;
  /** Empty for a marker about the whole pod. */
  readonly container: string;
  /** The API server's RFC3339Nano timestamp of a line; markers carry the local time they were made. */
  readonly time?: string;
  readonly text: string;
}

/** What the stream engine is asked for; every field is optional. */
export interface LogStreamOptions {
  /** Keep streaming new lines (`follow=true`); false reads what is there and ends. */
  readonly follow?: boolean;
  /** Lines per container to start with (`tailLines`); -1 reads all, undefined means {@link DEFAULT_TAIL_LINES} (see {@link startingPoint}). */
  readonly tailLines?: number;
  /** Start this many seconds back (`sinceSeconds`). */
  readonly sinceSeconds?: number;
  /** Read the previous (terminated) instance of each restarted container (`previous=true`); implies no follow. */
  readonly previous?: boolean;
  /** Only this container of each pod. */
  readonly container?: string;
}

/** Lines per container a stream starts with unless told otherwise. */
export const DEFAULT_TAIL_LINES = 100;

/** How far back a stream starts, as the user set it (undefined: not set). */
export interface StartRequest {
  /** Lines per container; -1 reads all. */
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
}

/**
 * Where a stream starts. Without a since window it is the last {@link DEFAULT_TAIL_LINES}
 * lines per container; a since window lifts that default (everything within the window,
 * as `kubectl logs --since` reads with no `--tail`) unless a tail was set too, and then
 * the server applies both. `tailLines` -1 means all.
 */
export function startingPoint(request: StartRequest): { readonly tailLines: number; readonly sinceSeconds?: number } {
  const { tailLines, sinceSeconds } = request;
  const since = sinceSeconds !== undefined && sinceSeconds > 0 ? sinceSeconds : undefined;
  return { tailLines: tailLines ?? (since === undefined ? DEFAULT_TAIL_LINES : -1), ...(since === undefined ? {} : { sinceSeconds: since }) };
}

/** A since window as a person writes it: `30s`, `1m`, `5m`, `1h`, `1h30m`, `24h`. */
export function formatSince(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts: [number, string][] = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const text = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
  return text || '0s';
}

/** Lines the console's ring buffer keeps unless `--log-buffer N` says otherwise. */
export const DEFAULT_LOG_BUFFER_LINES = 10_000;

/** A line of a `timestamps=true` stream: the RFC3339Nano timestamp, a space, the content. */
export function splitTimestamp(raw: string): { time?: string; text: string } {
  const space = raw.indexOf(' ');
  // RFC3339 is at least `2006-01-02T15:04:05Z` (20 characters).
  if (space >= 20 && raw.charCodeAt(4) === 45 /* - */ && raw[10] === 'T') {
    return { time: raw.slice(0, space), text: raw.slice(space + 1) };
  }
  return { text: raw };
}

/** Epoch nanoseconds of an RFC3339(Nano) timestamp as a bigint, or undefined when malformed. */
export function timestampNanos(time: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * Where a container's stream got to: the timestamp of the last line seen and every line
 * content seen at that timestamp. A resumed stream is requested with `sinceTime` = that
 * timestamp and skips lines up to and including it (the server may truncate sinceTime, and
 * several lines can share a timestamp, so content decides at the boundary).
 */
export class ResumePoint {
  private lastNanos: bigint | undefined;
  private lastTime: string | undefined;
  // Usually one line per timestamp: an array is cheaper than a Set at thousands of lines per second.
  private contentsAtLast: string[] = [];
  private resuming = false;

  /** The sinceTime to resume from, or undefined before any timestamped line. */
  get sinceTime(): string | undefined {
    return this.lastTime;
  }

  /** Records a line as shown. */
  record(time: string | undefined, text: string): void {
    const nanos = time === undefined ? undefined : timestampNanos(time);
    if (time === undefined || nanos === undefined) return;
    if (this.lastNanos === undefined || nanos > this.lastNanos) {
      this.lastNanos = nanos;
      this.lastTime = time;
      this.contentsAtLast = [text];
    } else if (nanos === this.lastNanos && !this.contentsAtLast.includes(text)) {
      this.contentsAtLast.push(text);
    }
  }

  /**
   * Called as a stream opens. Only a stream reopened from `sinceTime` repeats lines, and only
   * until it passes the last one shown: a runtime writes stdout and stderr lines with their own
   * timestamps, so a first stream may run slightly out of order and must lose nothing.
   */
  beginStream(): void {
    this.resuming = this.lastNanos !== undefined;
  }

  /** Whether a line of a resumed stream was already shown (older, or the same timestamp and content). */
  isRepeat(time: string | undefined, text: string): boolean {
    if (!this.resuming || this.lastNanos === undefined || time === undefined) return false;
    const nanos = timestampNanos(time);
    if (nanos === undefined) return false;
    if (nanos < this.lastNanos) return true;
    if (nanos === this.lastNanos) return this.contentsAtLast.includes(text);
    this.resuming = false;
    return false;
  }
}

/** Colours a prefix may get; Ink colour names, readable on dark and light backgrounds. */
export const PREFIX_COLOURS = ['cyan', 'green', 'yellow', 'magenta', 'blue', 'red', 'cyanBright', 'greenBright', 'yellowBright', 'magentaBright', 'blueBright', 'redBright'] as const;
export type PrefixColour = (typeof PREFIX_COLOURS)[number];

/** The `pod/container` prefix of an entry (just `pod` for a pod-wide marker). */
export function entryPrefix(entry: Pick<LogEntry, 'pod' | 'container'>): string {
  return entry.container ? `${entry.pod}/${entry.container}` : entry.pod;
}

/** A colour that depends only on the prefix, so a pod/container keeps it across restarts and runs (FNV-1a hash). */
export function prefixColour(prefix: string): PrefixColour {
  let hash = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) {
    hash ^= prefix.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return PREFIX_COLOURS[(hash >>> 0) % PREFIX_COLOURS.length];
}

/** How an entry is turned into one line of text. */
export interface EntryFormat {
  /** Show the line's timestamp before the prefix (kubectl's `--timestamps` form). */
  readonly timestamps?: boolean;
}

/** The text of an entry as shown and saved: `[time ]pod/container line`, markers as `pod/container ── text`. */
export function formatEntry(entry: LogEntry, format: EntryFormat = {}): string {
  const time = format.timestamps && entry.time ? `${entry.time} ` : '';
  return entry.kind === 'marker' ? `${time}${entryPrefix(entry)} ── ${entry.text}` : `${time}${entryPrefix(entry)} ${entry.text}`;
}

/** A marker entry at `now`. */
export function marker(ref: { namespace: string; pod: string; container?: string }, text: string, now: Date = new Date()): LogEntry {
  return { kind: 'marker', namespace: ref.namespace, pod: ref.pod, container: ref.container ?? '', time: now.toISOString(), text };
}

/** A running merged stream. */
export interface LogStreamHandle {
  /** Ends every stream and stops following pods. */
  stop(): void;
  /** Resolves when the stream has ended: stopped, or (without follow) every container read. */
  readonly done: Promise<void>;
}
