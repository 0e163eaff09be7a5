/**
 * A table's prepared rows and natural column widths kept up to date from the rows that
 * changed. A table of immutable rows (`useTable`'s `stableRows`) gets a new rows array per
 * store flush that mostly holds the same objects: preparing and measuring all 30,000 of them
 * again (a cache lookup per row, a width pass over every cell) was most of what a flush cost
 * the QoS view. Here the previous array is walked alongside the new one, unchanged rows keep
 * their prepared row, and the widths come from per-column tallies that only the changed rows
 * update.
 */

import { type ColumnDef, naturalWidths, type PreparedRow, prepareRow, prepareRows, textWidth } from './table.js';

/** One version of a table's rows, prepared. */
export interface PreparedVersion<R> {
  readonly rows: readonly PreparedRow<R>[];
  /** `naturalWidths(columns, rows)`; the same array as the previous version's while equal. */
  readonly natural: readonly number[];
}

/**
 * Per column, how many cells have each width: the widest is known after rows come and go
 * without measuring the others again.
 */
export class WidthTally {
  private counts: number[][] = [];
  private widest: number[] = [];

  constructor(private readonly columns: readonly ColumnDef<never>[]) {
    this.clear();
  }

  clear(): void {
    this.counts = this.columns.map(() => []);
    this.widest = this.columns.map(() => 0);
  }

  add(cells: readonly string[]): void {
    for (let i = 0; i < this.counts.length; i++) {
      const w = textWidth(cells[i] ?? '');
      this.counts[i][w] = (this.counts[i][w] ?? 0) + 1;
      if (w > this.widest[i]) this.widest[i] = w;
    }
  }

  /** Takes out cells added before (the caller's invariant). */
  remove(cells: readonly string[]): void {
    for (let i = 0; i < this.counts.length; i++) {
      const counts = this.counts[i];
      const w = textWidth(cells[i] ?? '');
      counts[w] = (counts[w] ?? 0) - 1;
      if (w === this.widest[i]) while (this.widest[i] > 0 && !counts[this.widest[i]]) this.widest[i]--;
    }
  }

  /** What {@link naturalWidths} says of the cells counted. */
  natural(): number[] {
    return this.columns.map((c, i) => Math.min(Math.max(textWidth(c.header), this.widest[i]), c.maxWidth ?? Number.POSITIVE_INFINITY));
  }
}

/** The prepared rows of `rows`, reusing those of `prev` for the same row objects, with what left and what came. */
interface Aligned<R> {
  readonly rows: PreparedRow<R>[];
  readonly removed: PreparedRow<R>[];
  readonly added: PreparedRow<R>[];
}

/**
 * Walks `prev` (in ascending key order) and `rows` together: a row object found at the walk's
 * position keeps its prepared row; other rows are prepared. Undefined when `rows` is not in
 * ascending key order (keys compared code unit by code unit), which the walk relies on.
 */
function alignByKey<R>(
  prev: readonly PreparedRow<R>[],
  rows: readonly R[],
  keyOf: (row: R) => string,
  prepare: (row: R) => PreparedRow<R>,
): Aligned<R> | undefined {
  const out = new Array<PreparedRow<R>>(rows.length);
  const removed: PreparedRow<R>[] = [];
  const added: PreparedRow<R>[] = [];
  let i = 0;
  let lastKey: string | undefined;
  for (let j = 0; j < rows.length; j++) {
    const row = rows[j];
    let next: PreparedRow<R>;
    if (i < prev.length && prev[i].row === row) next = prev[i++];
    else {
      const key = keyOf(row);
      while (i < prev.length && prev[i].key < key) removed.push(prev[i++]);
      if (i < prev.length && prev[i].key === key && prev[i].row === row) next = prev[i++];
      else {
        if (i < prev.length && prev[i].key === key) removed.push(prev[i++]);
        next = prepare(row);
        added.push(next);
      }
    }
    if (lastKey !== undefined && !(lastKey < next.key)) return undefined;
    lastKey = next.key;
    out[j] = next;
  }
  while (i < prev.length) removed.push(prev[i++]);
  return { rows: out, removed, added };
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * Prepares successive versions of a table's immutable rows: called with each new rows array,
 * it returns their prepared rows and natural widths at the cost of the rows that changed
 * since the previous call, when rows come in ascending key order (the QoS index's). Rows in
 * any other order are prepared through a cache by row object and measured in full.
 */
export function createPreparedRows<R>(columns: readonly ColumnDef<R>[], keyOf: (row: R) => string): (rows: readonly R[]) => PreparedVersion<R> {
  const prepare = (row: R) => prepareRow(row, columns, keyOf);
  const tally = new WidthTally(columns as readonly ColumnDef<never>[]);
  let lastRows: readonly R[] | undefined;
  let last: PreparedVersion<R> = { rows: [], natural: tally.natural() };
  // Only once rows came out of key order: then the previous rows cannot be walked alongside.
  let unordered: WeakMap<R & object, PreparedRow<R>> | undefined;
  return (rows) => {
    if (rows === lastRows) return last;
    lastRows = rows;
    const aligned = unordered ? undefined : alignByKey(last.rows, rows, keyOf, prepare);
    if (!aligned) {
      unordered ??= new WeakMap();
      const prepared = prepareRows(rows, columns, keyOf, unordered);
      last = { rows: prepared, natural: naturalWidths(columns, prepared) };
      return last;
    }
    for (const r of aligned.removed) tally.remove(r.cells);
    for (const r of aligned.added) tally.add(r.cells);
    const natural = tally.natural();
    last = { rows: aligned.rows, natural: sameNumbers(natural, last.natural) ? last.natural : natural };
    return last;
  };
}
