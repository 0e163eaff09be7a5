/**
 * The pure model behind `components/Table.tsx`: preparing cells, filtering, sorting,
 * windowing, cursor movement and fitting columns to the terminal width. No React here, so
 * `daytwo report` can lay out the same columns and the tests need no terminal.
 */

import { spliceSorted } from './incremental.js';

/** Horizontal alignment of a column's cells. */
export type Align = 'left' | 'right';

/**
 * One column of a table, as pure data: what the header says and how a row becomes a cell.
 * Shared by the TUI and the non-interactive reports.
 */
export interface ColumnDef<R> {
  readonly id: string;
  readonly header: string;
  /** The cell text. */
  readonly value: (row: R) => string;
  /** Sort key; defaults to the cell text compared naturally (`web-2` before `web-10`). */
  readonly sortValue?: (row: R) => number | string;
  readonly align?: Align;
  /** The narrowest a flexible column may shrink to; defaults to the header's width. */
  readonly minWidth?: number;
  /** Cells wider than this are truncated even when there is room. */
  readonly maxWidth?: number;
  /** Flexible columns (names, messages) give up their width first when the terminal is narrow. */
  readonly flex?: boolean;
  /**
   * Part of the row's identity with the columns before it (KIND and NAME after NAMESPACE):
   * stays on screen, like the first column, when the columns are scrolled.
   */
  readonly pinned?: boolean;
}

/** How many leading columns stay on screen when scrolling: the first, and the pinned ones right after it. */
export function pinnedCount<R>(columns: readonly ColumnDef<R>[]): number {
  let n = Math.min(1, columns.length);
  while (n < columns.length && columns[n].pinned) n++;
  return n;
}

/** What a cell shows when its value comes from objects the user may not read. */
export const UNKNOWN_CELL = '?';

/**
 * The columns with those in `ids` showing {@link UNKNOWN_CELL}: for values derived from a
 * kind the server refuses to list, where a computed 0 or "none" would be a false answer.
 */
export function unknownColumns<R>(columns: readonly ColumnDef<R>[], ids: readonly string[]): ColumnDef<R>[] {
  return columns.map((c) => (ids.includes(c.id) ? { ...c, value: () => UNKNOWN_CELL, sortValue: () => 0 } : c));
}

/** A row with its key and its cell texts computed once. */
export interface PreparedRow<R> {
  readonly key: string;
  readonly row: R;
  readonly cells: readonly string[];
}

/** Which column the rows are sorted by. */
export interface SortSpec {
  readonly column: string;
  readonly descending: boolean;
}

/** A row with its key and its cells' text, as the table draws, filters and sorts them. */
export function prepareRow<R>(row: R, columns: readonly ColumnDef<R>[], keyOf: (row: R) => string): PreparedRow<R> {
  return { key: keyOf(row), row, cells: columns.map((c) => c.value(row)) };
}

/** Computes every cell once, so filtering, sorting and width fitting reuse the strings. */
export function prepareRows<R>(
  rows: readonly R[],
  columns: readonly ColumnDef<R>[],
  keyOf: (row: R) => string,
  /** Prepared rows by row object, for rows that are immutable and whose cells depend on nothing else. */
  cache?: WeakMap<R & object, PreparedRow<R>>,
): PreparedRow<R>[] {
  const prepare = (row: R) => prepareRow(row, columns, keyOf);
  if (!cache) return rows.map(prepare);
  return rows.map((row) => {
    const at = row as R & object;
    let prepared = cache.get(at);
    if (!prepared) {
      prepared = prepare(row);
      cache.set(at, prepared);
    }
    return prepared;
  });
}

/** A compiled `/` filter. */
export type RowFilter =
  | { readonly ok: true; readonly active: boolean; readonly test: (text: string) => boolean }
  | { readonly ok: false; readonly error: string };

const MATCH_ALL: RowFilter = { ok: true, active: false, test: () => true };

/**
 * Compiles a filter query: a case-insensitive substring, or a case-insensitive regular
 * expression when wrapped in slashes (`/^web-\d+/`). A bad expression yields an error
 * instead of throwing.
 */
export function compileFilter(query: string): RowFilter {
  if (query === '') return MATCH_ALL;
  const regex = /^\/(.+)\/$/.exec(query);
  if (regex) {
    try {
      const re = new RegExp(regex[1], 'i');
      return { ok: true, active: true, test: (text) => re.test(text) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
  const needle = query.toLowerCase();
  return { ok: true, active: true, test: (text) => text.toLowerCase().includes(needle) };
}

/** Rows with at least one cell matching the filter; the same array when nothing filters. */
export function filterRows<R>(rows: readonly PreparedRow<R>[], filter: RowFilter): readonly PreparedRow<R>[] {
  if (!filter.ok || !filter.active) return rows;
  return rows.filter((r) => r.cells.some((cell) => filter.test(cell)));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * Row order for a sort: by the column's value, ties by key compared naturally, then by key
 * code unit by code unit, so that the order is total (`web-01` and `web-1` collate equal).
 */
function rowComparator<R>(column: ColumnDef<R>, index: number, descending: boolean): (a: PreparedRow<R>, b: PreparedRow<R>) => number {
  const value = (r: PreparedRow<R>) => (column.sortValue ? column.sortValue(r.row) : r.cells[index]);
  const sign = descending ? -1 : 1;
  return (a, b) => sign * compareValues(value(a), value(b)) || compareValues(a.key, b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The last sort of a column set: the input and output, to sort the next input from what changed. */
interface SortMemo<R> {
  readonly column: string;
  readonly descending: boolean;
  readonly input: readonly PreparedRow<R>[];
  readonly output: readonly PreparedRow<R>[];
}

const lastSorts = new WeakMap<readonly ColumnDef<never>[], SortMemo<never>>();

/**
 * Rows sorted by a column (ties broken by row key so the order never flickers). Returns the
 * input when the column is unknown.
 *
 * When the previous call sorted the same columns the same way and the rows are mostly the
 * same objects (tables of immutable rows, `stableRows`), the previous result is updated from
 * the rows that changed, placed by binary search, instead of sorting every row again: on a
 * 30,000-pod table a flush that changed three pods costs a few dozen comparisons.
 */
export function sortRows<R>(
  rows: readonly PreparedRow<R>[],
  columns: readonly ColumnDef<R>[],
  sort: SortSpec | undefined,
): readonly PreparedRow<R>[] {
  if (!sort) return rows;
  const index = columns.findIndex((c) => c.id === sort.column);
  if (index < 0) return rows;
  const compare = rowComparator(columns[index], index, sort.descending);
  const memoKey = columns as readonly ColumnDef<never>[];
  const last = lastSorts.get(memoKey) as SortMemo<R> | undefined;
  let output: readonly PreparedRow<R>[] | undefined;
  if (last && last.column === sort.column && last.descending === sort.descending) {
    if (last.input === rows) return last.output;
    const diff = rowDiff(last.input, rows);
    if (diff && diff.removed.length + diff.added.length <= rows.length / 8) output = spliceSorted(last.output, diff.removed, diff.added, compare);
  }
  output ??= [...rows].sort(compare);
  lastSorts.set(memoKey, { column: sort.column, descending: sort.descending, input: rows, output } as SortMemo<never>);
  return output;
}

/**
 * The rows of `prev` not in `next` and those of `next` not in `prev` (by identity), when both
 * are in key order (as a table's rows usually come); undefined otherwise. One pass, comparing
 * keys only where the two differ.
 */
function rowDiff<R>(
  prev: readonly PreparedRow<R>[],
  next: readonly PreparedRow<R>[],
): { removed: PreparedRow<R>[]; added: PreparedRow<R>[] } | undefined {
  const removed: PreparedRow<R>[] = [];
  const added: PreparedRow<R>[] = [];
  let i = 0;
  let j = 0;
  while (i < prev.length && j < next.length) {
    const a = prev[i];
    const b = next[j];
    if (a === b) {
      i++;
      j++;
      continue;
    }
    if ((i > 0 && prev[i - 1].key >= a.key) || (j > 0 && next[j - 1].key >= b.key)) return undefined;
    if (a.key === b.key) {
      removed.push(a);
      added.push(b);
      i++;
      j++;
    } else if (a.key < b.key) {
      removed.push(a);
      i++;
    } else {
      added.push(b);
      j++;
    }
  }
  for (; i < prev.length; i++) removed.push(prev[i]);
  for (; j < next.length; j++) added.push(next[j]);
  return { removed, added };
}

/** Cursor movements of a table. */
export type CursorMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** The cursor index after a move, clamped to the rows; -1 when there are no rows. */
export function moveCursor(cursor: number, count: number, move: CursorMove, pageSize: number): number {
  if (count === 0) return -1;
  const page = Math.max(1, pageSize);
  const next = {
    up: cursor - 1,
    down: cursor + 1,
    pageUp: cursor - page,
    pageDown: cursor + page,
    top: 0,
    bottom: count - 1,
  }[move];
  return clamp(next, 0, count - 1);
}

/**
 * Where the cursor is after the rows changed: on the row with the same key if it is still
 * there, else at the same position (clamped), so a deleted row hands the cursor to its neighbour.
 * The row is looked for outwards from its last position, where a flush that changed a few
 * rows leaves it or its near neighbourhood: no key index is built over every row per flush
 * (on 30,000 rows, a 30,000-entry Map of garbage each time).
 */
export function followKey<R>(rows: readonly PreparedRow<R>[], key: string | undefined, lastIndex: number): number {
  if (rows.length === 0) return -1;
  const from = clamp(lastIndex, 0, rows.length - 1);
  if (key !== undefined) {
    for (let d = 0; from - d >= 0 || from + d < rows.length; d++) {
      if (from + d < rows.length && rows[from + d].key === key) return from + d;
      if (d > 0 && from - d >= 0 && rows[from - d].key === key) return from - d;
    }
  }
  return from;
}

/**
 * The first visible row: the previous offset when the cursor is still inside the window,
 * else the least scrolling that brings it back in view.
 */
export function scrollOffset(prevOffset: number, cursor: number, height: number, count: number): number {
  if (height <= 0 || count <= height) return 0;
  let offset = clamp(prevOffset, 0, count - height);
  if (cursor < offset) offset = cursor;
  else if (cursor >= offset + height) offset = cursor - height + 1;
  return clamp(offset, 0, count - height);
}

/** Display width of a text (code points; terminal cells for the ASCII that Kubernetes names use). */
export function textWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /^[\x00-\x7f]*$/.test(text) ? text.length : Array.from(text).length;
}

/** Cuts a text to a width, marking the cut with an ellipsis `…`. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  return `${Array.from(text)
    .slice(0, width - 1)
    .join('')}…`;
}

/** Truncates or pads a text to exactly `width` cells. */
export function fitCell(text: string, width: number, align: Align = 'left'): string {
  const cut = truncate(text, width);
  const fill = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'right' ? fill + cut : cut + fill;
}

/**
 * The width each column would like: its widest cell or header (plus `headerExtra` cells,
 * e.g. room for a sort indicator), capped by `maxWidth`.
 */
export function naturalWidths<R>(
  columns: readonly ColumnDef<R>[],
  rows: readonly PreparedRow<R>[],
  headerExtra = 0,
): number[] {
  const widths = columns.map((c) => textWidth(c.header) + headerExtra);
  for (const r of rows) {
    const cells = cellWidths(r);
    for (let i = 0; i < widths.length; i++) {
      const w = cells[i] ?? 0;
      if (w > widths[i]) widths[i] = w;
    }
  }
  return widths.map((w, i) => Math.min(w, columns[i].maxWidth ?? Number.POSITIVE_INFINITY));
}

/** Cell widths by prepared row: its cells never change, and measuring them is most of a width pass. */
const cellWidthCache = new WeakMap<PreparedRow<unknown>, number[]>();

function cellWidths<R>(row: PreparedRow<R>): number[] {
  let widths = cellWidthCache.get(row);
  if (!widths) {
    widths = row.cells.map(textWidth);
    cellWidthCache.set(row, widths);
  }
  return widths;
}

/**
 * The narrowest each column may be drawn. A flexible column (names, messages) may shrink to
 * its minimum; a rigid one (numbers, ages, states) keeps its content width, since a cut
 * `380d` reading `38…` would be a different, wrong value.
 */
function columnFloors<R>(columns: readonly ColumnDef<R>[], natural: readonly number[]): number[] {
  return columns.map((c, i) => (c.flex ? Math.min(natural[i], Math.max(1, c.minWidth ?? textWidth(c.header))) : natural[i]));
}

/**
 * The `pinned` leading columns (always shown), then the others from scroll position `first`
 * (1 = not scrolled) on, for as long as their floors fit.
 */
function visibleColumns(floors: readonly number[], totalWidth: number, gap: number, first: number, pinned: number): number[] {
  if (floors.length === 0) return [];
  const shown = [0];
  let used = floors[0];
  for (let i = 1; i < pinned && used + gap + floors[i] <= totalWidth; i++) {
    shown.push(i);
    used += gap + floors[i];
  }
  if (shown.length < pinned) return shown;
  for (let i = pinned + Math.max(1, first) - 1; i < floors.length; i++) {
    if (used + gap + floors[i] > totalWidth) break;
    shown.push(i);
    used += gap + floors[i];
  }
  return shown;
}

/**
 * Column widths that fit `totalWidth` with `gap` spaces between columns. The first column
 * is always shown; the others are shown from `firstScrolled` (the horizontal scroll
 * position, 1 = not scrolled) on, as many as fit at their floors. Flexible columns shrink
 * first (widest first, down to their minimum); rigid columns keep their width. Columns that
 * do not fit get width 0 (hidden): {@link columnWindow} tells which, for the title line.
 */
export function fitColumns<R>(
  columns: readonly ColumnDef<R>[],
  natural: readonly number[],
  totalWidth: number,
  gap = 2,
  firstScrolled = 1,
): number[] {
  const floors = columnFloors(columns, natural);
  const shownIdx = visibleColumns(floors, totalWidth, gap, firstScrolled, pinnedCount(columns));
  const shown = shownIdx.length;
  const budget = Math.max(0, totalWidth - gap * Math.max(0, shown - 1));
  const widths = shownIdx.map((i) => natural[i]);
  const shownFloors = shownIdx.map((i) => floors[i]);
  const flex = shownIdx.map((i) => columns[i].flex === true);
  const rigid = flex.map((f) => !f);
  shrink(widths, shownFloors, flex, budget - sumWhere(widths, rigid));
  shrink(widths, shownFloors, rigid, budget - sumWhere(widths, flex));
  if (shown === 1) widths[0] = Math.min(widths[0], budget);
  const all = new Array<number>(columns.length).fill(0);
  shownIdx.forEach((col, n) => {
    all[col] = widths[n];
  });
  return all;
}

/**
 * The largest useful horizontal scroll position: the first `firstScrolled` at which the
 * last column is shown. 1 when every column fits.
 */
export function maxColumnScroll<R>(columns: readonly ColumnDef<R>[], natural: readonly number[], totalWidth: number, gap = 2): number {
  const floors = columnFloors(columns, natural);
  const pinned = pinnedCount(columns);
  for (let first = 1; pinned + first - 1 < columns.length; first++) {
    if (visibleColumns(floors, totalWidth, gap, first, pinned).includes(columns.length - 1)) return first;
  }
  return Math.max(1, columns.length - pinned);
}

/** Which columns a table shows, for its title line (`cols 1-9/12 →`). */
export interface ColumnWindow {
  /** 1-based numbers of the first and last shown columns after the pinned first one (1 when it is alone). */
  readonly first: number;
  readonly last: number;
  readonly total: number;
  /** Columns hidden left of `first` (scrolled past) and right of `last`. */
  readonly hiddenLeft: boolean;
  readonly hiddenRight: boolean;
}

/** The window `fitColumns` widths describe, for a table whose first `pinned` columns stay. */
export function columnWindow(widths: readonly number[], pinned = 1): ColumnWindow {
  const shown = widths.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= pinned);
  const first = shown.length > 0 ? shown[0] : pinned;
  const last = shown.length > 0 ? shown[shown.length - 1] : pinned - 1;
  return {
    first: shown.length > 0 && first > pinned ? first + 1 : 1,
    last: last + 1,
    total: widths.length,
    hiddenLeft: first > pinned,
    hiddenRight: last < widths.length - 1,
  };
}

/** `cols 1-9/12 →`, `← cols 4-12/12`, or '' when every column is shown. */
export function columnWindowText(w: ColumnWindow): string {
  if (!w.hiddenLeft && !w.hiddenRight) return '';
  return `${w.hiddenLeft ? '← ' : ''}cols ${w.first}-${w.last}/${w.total}${w.hiddenRight ? ' →' : ''}`;
}

/**
 * Lowers the selected widths to a common ceiling (never below their floor) so that they sum
 * to at most `budget`: the widest columns give up width first.
 */
function shrink(widths: number[], floors: readonly number[], selected: readonly boolean[], budget: number): void {
  const idx = widths.map((_, i) => i).filter((i) => selected[i]);
  const total = () => idx.reduce((s, i) => s + widths[i], 0);
  if (idx.length === 0 || total() <= budget) return;
  const at = (level: number) => idx.reduce((s, i) => s + Math.min(widths[i], Math.max(level, floors[i])), 0);
  let lo = 0;
  let hi = Math.max(...idx.map((i) => widths[i]));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (at(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const original = idx.map((i) => widths[i]);
  for (const i of idx) widths[i] = Math.min(widths[i], Math.max(lo, floors[i]));
  // Hand out what the integer ceiling left unused, left to right.
  let spare = budget - total();
  idx.forEach((i, n) => {
    if (spare > 0 && widths[i] < original[n]) {
      widths[i]++;
      spare--;
    }
  });
}

/** One table line: cells fitted to their widths and joined with the gap; hidden columns skipped. */
export function formatLine(
  cells: readonly string[],
  widths: readonly number[],
  aligns: readonly (Align | undefined)[],
  gap = 2,
): string {
  const parts: string[] = [];
  for (let i = 0; i < widths.length; i++) {
    if (widths[i] > 0) parts.push(fitCell(cells[i] ?? '', widths[i], aligns[i]));
  }
  return parts.join(' '.repeat(gap)).trimEnd();
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}

function sumWhere(ns: readonly number[], pick: readonly boolean[]): number {
  return ns.reduce((s, n, i) => (pick[i] ? s + n : s), 0);
}
