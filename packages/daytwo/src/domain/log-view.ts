/**
 * The log view's window, computed purely from the ring buffer: which entries show, cut
 * into screen rows (wrapped or truncated), with the styled segments of each row. Only the
 * visible entries are formatted, so a frame costs the height of the screen, not the size
 * of the buffer (unless a filter skips many lines).
 */
import { entryPrefix, formatEntry, type LogEntry, type PrefixColour, prefixColour } from './log-entry.js';
import type { LogFilter, TextRange } from './log-filter.js';

/** Entries by sequence number: the ring buffer, or the entries a paused screen pinned. */
export interface LogSource {
  /** Sequence number of the oldest entry held. */
  readonly firstSeq: number;
  /** Sequence number of the newest entry held, or -1. */
  readonly lastSeq: number;
  at(seq: number): LogEntry | undefined;
}

/** How the window is laid out. */
export interface LogWindowSettings {
  readonly filter: LogFilter;
  readonly timestamps: boolean;
  readonly wrap: boolean;
  /** Columns per row. */
  readonly width: number;
  /** Rows available. */
  readonly rows: number;
}

/** A styled run of characters within a row. */
export interface RowSegment {
  readonly text: string;
  readonly style: 'time' | 'prefix' | 'text' | 'marker' | 'match';
}

/** One screen row. */
export interface LogRow {
  /** Unique per frame: entry sequence number and row within it. */
  readonly key: string;
  readonly seq: number;
  readonly colour: PrefixColour;
  readonly segments: readonly RowSegment[];
}

/** The rows of a frame and the entries they span. */
export interface LogWindow {
  readonly rows: readonly LogRow[];
  /** Sequence numbers of the first and last entry shown (-1 when nothing shows). */
  readonly topSeq: number;
  readonly bottomSeq: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI escape sequence starts with ESC
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The line as shown and saved. Control characters would move the terminal's cursor, and
 * an embedded ANSI colour would bleed into the next rows: both are dropped, tabs expanded.
 */
export function displayLine(entry: LogEntry, timestamps: boolean): string {
  const line = formatEntry(entry, { timestamps });
  if (!CONTROL.test(line)) return line;
  return line.replace(ANSI_SEQUENCE, '').replace(/\t/g, '    ').replace(CONTROL_ALL, '');
}

/** Whether an entry passes the filter (matched against its displayed line). */
export function entryMatches(entry: LogEntry, filter: LogFilter, timestamps: boolean): boolean {
  return !filter.ok || !filter.active || filter.test(displayLine(entry, timestamps));
}

/**
 * The sequence number `count` matching entries away from `from` (negative: older), stopping
 * at the oldest or newest matching entry. Returns `from` when nothing matches that way.
 */
export function stepSeq(buffer: LogSource, filter: LogFilter, timestamps: boolean, from: number, count: number): number {
  const dir = count < 0 ? -1 : 1;
  let left = Math.abs(count);
  let at = from;
  for (let seq = from + dir; left > 0 && seq >= buffer.firstSeq && seq <= buffer.lastSeq; seq += dir) {
    const entry = buffer.at(seq);
    if (entry && entryMatches(entry, filter, timestamps)) {
      at = seq;
      left--;
    }
  }
  return at;
}

/** The oldest matching entry, or -1. */
export function firstMatchingSeq(buffer: LogSource, filter: LogFilter, timestamps: boolean): number {
  for (let seq = buffer.firstSeq; seq <= buffer.lastSeq; seq++) {
    const entry = buffer.at(seq);
    if (entry && entryMatches(entry, filter, timestamps)) return seq;
  }
  return -1;
}

/**
 * The window whose last entry is `anchor` (the newest entry when undefined: follow mode).
 * When the entries up to the anchor do not fill the screen, newer ones fill it below, so a
 * view scrolled to the top still shows a full screen.
 */
export function logWindow(buffer: LogSource, settings: LogWindowSettings, anchor?: number): LogWindow {
  const height = settings.rows;
  const width = Math.max(1, settings.width);
  const bottom = anchor === undefined ? buffer.lastSeq : Math.min(Math.max(anchor, buffer.firstSeq), buffer.lastSeq);
  const above: LogRow[][] = [];
  let used = 0;
  let topSeq = -1;
  let bottomSeq = -1;
  for (let seq = bottom; seq >= buffer.firstSeq && used < height; seq--) {
    const rows = entryRows(buffer, seq, settings, width);
    if (!rows) continue;
    if (bottomSeq < 0) bottomSeq = seq;
    topSeq = seq;
    const fit = rows.slice(Math.max(0, rows.length - (height - used)));
    above.push(fit);
    used += fit.length;
  }
  const out = above.reverse().flat();
  for (let seq = bottom + 1; seq <= buffer.lastSeq && out.length < height; seq++) {
    const rows = entryRows(buffer, seq, settings, width);
    if (!rows) continue;
    if (topSeq < 0) topSeq = seq;
    bottomSeq = seq;
    out.push(...rows.slice(0, height - out.length));
  }
  return { rows: out, topSeq, bottomSeq };
}

/**
 * What a paused screen shows, kept so that it stays put: the ring overwrites its oldest
 * lines while new ones arrive, and a window recomputed from the ring alone would slide.
 */
export interface PausedPin {
  /** The ring the entries were read from (a restarted stream has a new one). */
  readonly ring: LogSource;
  /** The anchor (bottom entry) the screen was paused at. */
  readonly anchor: number;
  readonly topSeq: number;
  readonly bottomSeq: number;
  /** The entries on screen, by sequence number. */
  readonly entries: ReadonlyMap<number, LogEntry>;
}

/** A paused frame: its window, the pin to keep for the next frame, and how much of it the ring has dropped. */
export interface PausedFrame {
  readonly window: LogWindow;
  readonly pin: PausedPin;
  /**
   * Lines from the top of the screen on that have left the ring buffer (0 while the screen
   * is all still held). While above 0 the screen shows the pinned lines as they were.
   */
  readonly dropped: number;
}

/**
 * The frame of a view paused at `anchor`. While every line on screen is still in the ring
 * it is {@link logWindow}'s; once the top one has been overwritten, the screen keeps showing
 * the lines pinned by the previous frame instead of sliding, and says how many were dropped.
 */
export function pausedFrame(ring: LogSource, settings: LogWindowSettings, anchor: number, pin: PausedPin | undefined): PausedFrame {
  if (pin && pin.ring === ring && pin.anchor === anchor && pin.topSeq >= 0 && pin.topSeq < ring.firstSeq) {
    const pinned: LogSource = { firstSeq: pin.topSeq, lastSeq: pin.bottomSeq, at: (seq) => pin.entries.get(seq) };
    return { window: logWindow(pinned, settings, anchor), pin, dropped: ring.firstSeq - pin.topSeq };
  }
  const window = logWindow(ring, settings, anchor);
  const entries = new Map<number, LogEntry>();
  for (const row of window.rows) {
    const entry = ring.at(row.seq);
    if (entry) entries.set(row.seq, entry);
  }
  return { window, pin: { ring, anchor, topSeq: window.topSeq, bottomSeq: window.bottomSeq, entries }, dropped: 0 };
}

function entryRows(buffer: LogSource, seq: number, settings: LogWindowSettings, width: number): LogRow[] | undefined {
  const entry = buffer.at(seq);
  if (!entry) return undefined;
  const line = displayLine(entry, settings.timestamps);
  const { filter } = settings;
  if (filter.ok && filter.active && !filter.test(line)) return undefined;
  const matches = filter.ok && filter.active ? filter.ranges(line) : [];
  const timeEnd = settings.timestamps && entry.time ? entry.time.length + 1 : 0;
  const prefixEnd = timeEnd + entryPrefix(entry).length;
  const colour = prefixColour(entryPrefix(entry));
  const styleAt = (i: number): RowSegment['style'] => {
    if (matches.some(([s, e]) => i >= s && i < e)) return 'match';
    if (i < timeEnd) return 'time';
    if (i < prefixEnd) return 'prefix';
    return entry.kind === 'marker' ? 'marker' : 'text';
  };
  const rowCount = settings.wrap ? Math.max(1, Math.ceil(line.length / width)) : 1;
  const rows: LogRow[] = [];
  for (let r = 0; r < rowCount; r++) {
    const start = r * width;
    const end = Math.min(line.length, start + width);
    rows.push({ key: `${seq}:${r}`, seq, colour, segments: segmentsOf(line, start, end, matches, timeEnd, prefixEnd, styleAt) });
  }
  return rows;
}

/** Cuts `line[start, end)` where the style changes (at match, timestamp and prefix boundaries). */
function segmentsOf(
  line: string,
  start: number,
  end: number,
  matches: readonly TextRange[],
  timeEnd: number,
  prefixEnd: number,
  styleAt: (i: number) => RowSegment['style'],
): RowSegment[] {
  const cuts = new Set<number>([start, end]);
  for (const b of [timeEnd, prefixEnd, ...matches.flat()]) if (b > start && b < end) cuts.add(b);
  const points = [...cuts].sort((a, b) => a - b);
  const out: RowSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const text = line.slice(points[i], points[i + 1]);
    if (text) out.push({ text, style: styleAt(points[i]) });
  }
  return out;
}

/**
 * The entries a paused screen still shows that the ring no longer holds, oldest first: what
 * `s` saves before the ring's own, so that it saves the lines as shown.
 */
export function pinnedBeforeRing(ring: LogSource, pin: PausedPin | undefined): LogEntry[] {
  if (!pin || pin.ring !== ring) return [];
  return [...pin.entries]
    .filter(([seq]) => seq < ring.firstSeq)
    .sort((a, b) => a[0] - b[0])
    .map(([, entry]) => entry);
}

/** A scroll key of the Logs view: a line, a page, or the oldest line. */
export type LogScroll = -1 | 1 | 'page-up' | 'page-down' | 'top';

/**
 * Where a scroll key leaves the view: `{ anchor }` pauses on that bottom line (undefined:
 * follow again), undefined when the key changes nothing. `window` and `dropped` are the
 * frame the key acts on; `rows` is a page.
 */
export function scrollAnchor(
  buffer: LogSource,
  settings: Pick<LogWindowSettings, 'filter' | 'timestamps'>,
  frame: { readonly window: LogWindow; readonly dropped: number },
  delta: LogScroll,
  rows: number,
): { readonly anchor: number | undefined } | undefined {
  const { window, dropped } = frame;
  if (window.bottomSeq < 0) return undefined;
  const step = (from: number, count: number) => stepSeq(buffer, settings.filter, settings.timestamps, from, count);
  const oldest = { anchor: firstMatchingSeq(buffer, settings.filter, settings.timestamps) };
  if (delta === 'top') return oldest;
  const up = delta === -1 || delta === 'page-up';
  // The screen shows lines the ring no longer holds: nothing older is left, and newer starts at the oldest held.
  if (dropped > 0) return up ? undefined : oldest;
  if (up) {
    // Nothing older than the top row: stay, but stop following.
    if (step(window.topSeq, -1) === window.topSeq) return { anchor: window.bottomSeq };
    return { anchor: delta === -1 ? step(window.bottomSeq, -1) : step(window.topSeq, -1) };
  }
  const next = step(window.bottomSeq, delta === 'page-down' ? rows : 1);
  // Scrolling down onto the newest line follows again.
  return { anchor: step(next, 1) === next ? undefined : next };
}

/** The frame shown for an anchor: the newest lines when following, else the paused frame (with its pin). */
export function logFrame(
  buffer: LogSource,
  settings: LogWindowSettings,
  anchor: number | undefined,
  pin: PausedPin | undefined,
): { readonly window: LogWindow; readonly dropped: number; readonly pin: PausedPin | undefined } {
  if (anchor === undefined) return { window: logWindow(buffer, settings), dropped: 0, pin: undefined };
  return pausedFrame(buffer, settings, anchor, pin);
}
