import { useContext, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { createPreparedRows, type PreparedVersion } from '../domain/prepared-rows.js';
import {
  type ColumnDef,
  type ColumnWindow,
  type CursorMove,
  columnWindow,
  compileFilter,
  filterRows,
  fitColumns,
  followKey,
  maxColumnScroll,
  moveCursor,
  naturalWidths,
  type PreparedRow,
  pinnedCount,
  prepareRows,
  type RowFilter,
  type SortSpec,
  scrollOffset,
  sortRows,
  textWidth,
} from '../domain/table.js';
import type { TableState } from '../store/ui-store.js';
import { TableScopeContext, useUiStoreApi } from './use-ui-store.js';

/** Inputs of {@link useTable}. */
export interface UseTableOptions<R> {
  /** The rows; filtering, sorting and width fitting are recomputed only when this array changes. */
  readonly rows: readonly R[];
  /** Must be stable (module-level or memoised): a new array recomputes every cell. */
  readonly columns: readonly ColumnDef<R>[];
  /** Stable key of a row (`namespace/name`); the cursor follows it when rows move. */
  readonly keyOf: (row: R) => string;
  /** The `/` filter query. */
  readonly filter: string;
  /** Rows of the data window (excluding the table's title and header lines). */
  readonly height: number;
  /** Width available to the columns. */
  readonly width: number;
  readonly initialSort?: SortSpec;
  /** The key of the row the cursor starts on (e.g. a preselected revision); the first row otherwise. */
  readonly initialKey?: string;
  /**
   * The rows are immutable objects, kept while unchanged, and their cells depend on nothing
   * else (no clock): their cells are then computed once per row object, not on every update,
   * which on 30,000 rows is most of the garbage a store flush makes.
   */
  readonly stableRows?: boolean;
  /** Names the table when its view has more than one (its state in the UI store is kept per view and name). */
  readonly id?: string;
}

/** Everything a `<Table>` shows and the actions its keymap calls. */
export interface TableController<R> {
  readonly columns: readonly ColumnDef<R>[];
  /** Rows after filtering and sorting. */
  readonly rows: readonly PreparedRow<R>[];
  readonly total: number;
  /** Index of the cursor in `rows`, -1 when empty. */
  readonly cursor: number;
  readonly selected: R | undefined;
  readonly offset: number;
  readonly height: number;
  /** Width of each column; 0 for a hidden one. */
  readonly widths: readonly number[];
  /** Which columns are shown, for the title's `cols 1-9/12 →`. */
  readonly columnWindow: ColumnWindow;
  /** The horizontal scroll position (`fitColumns`' `firstScrolled`), for panels that scroll along. */
  readonly columnScroll: number;
  readonly sort: SortSpec | undefined;
  /** The filter query as typed. */
  readonly query: string;
  readonly filter: RowFilter;
  /** Keys of the rows marked with space (kept while a filter hides them). */
  readonly marked: ReadonlySet<string>;
  /** The marked rows that still exist, for actions on several objects. */
  readonly markedRows: readonly R[];
  move(move: CursorMove): void;
  /** Shifts the columns after the first (which stays) by one to the left (-1) or right (+1). */
  scrollColumns(step: 1 | -1): void;
  /** Sorts by the next (+1) or previous (-1) column. */
  cycleSort(step: 1 | -1): void;
  reverseSort(): void;
  toggleMark(): void;
  clearMarks(): void;
}

/** Width of the marker columns in front of every row: `>` on the cursor row, `*` on marked rows, a space. */
export const MARKER_WIDTH = 3;

/**
 * The state of a windowed table: filter and sort are memoised on the rows' identity, the
 * cursor follows its row by key, and only the visible window is handed to the renderer.
 *
 * The cursor, sort, marks and column scroll live in the UI store (see `store/ui-store.ts`),
 * and `cursor`, `selected`, `sort`, `marked` and `markedRows` read it when asked: a key
 * binding that runs right after a cursor move, before React rendered it, acts on the row the
 * move selected.
 */
export function useTable<R>(opts: UseTableOptions<R>): TableController<R> {
  const { rows, columns, keyOf, filter: query, height, width } = opts;
  const ui = useUiStoreApi();
  const id = `${useContext(TableScopeContext)}:${opts.id ?? 'table'}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the state before the first key is the one of the first render
  const initial = useMemo<TableState>(() => ({ key: opts.initialKey, sort: opts.initialSort, marked: NO_MARKS, scrollWish: 1 }), [id]);
  const state = useStore(ui, (s) => s.tables[id]) ?? initial;
  // Prepared rows are only valid for these columns and keys.
  const preparedOf = useMemo(() => (opts.stableRows ? createPreparedRows(columns, keyOf) : undefined), [opts.stableRows, columns, keyOf]);
  const version = useMemo(
    () => preparedOf?.(rows) ?? fullyPrepared(rows, columns, keyOf),
    [preparedOf, rows, columns, keyOf],
  );
  const prepared = version.rows;
  const filter = useMemo(() => compileFilter(query), [query]);
  const filtered = useMemo(() => filterRows(prepared, filter), [prepared, filter]);
  // Widths come from every row, not just the filtered or visible ones, so columns do not jump while scrolling or typing a filter.
  const natural = version.natural;
  const sized = useMemo(() => withSortIndicator(columns, natural, state.sort), [columns, natural, state.sort]);
  const maxScroll = useMemo(() => maxColumnScroll(columns, sized, width - MARKER_WIDTH), [columns, sized, width]);
  // The wish is kept as asked; a wider terminal or narrower data simply clamps it.
  const firstScrolled = Math.min(state.scrollWish, maxScroll);
  const widths = useMemo(
    () => fitColumns(columns, sized, width - MARKER_WIDTH, 2, firstScrolled),
    [columns, sized, width, firstScrolled],
  );
  const shownColumns = useMemo(() => columnWindow(widths, pinnedCount(columns)), [widths, columns]);

  // What the last render saw, for keys that arrive before the next one.
  const latest = useRef({ filtered, prepared, columns, height, maxScroll });
  latest.current = { filtered, prepared, columns, height, maxScroll };
  const derived = useRef(createDerivations<R>()).current;
  // When the selected row disappears, the cursor stays where it was last drawn.
  const lastCursor = useRef(0);
  const live = () => {
    const now = ui.getState().tables[id] ?? initial;
    const { filtered: list, columns: cols, prepared: all } = latest.current;
    const sorted = derived.sorted(list, cols, now.sort);
    const cursor = derived.cursor(sorted, now.key, lastCursor.current);
    return { state: now, sorted, cursor, markedRows: derived.markedRows(all, now.marked) };
  };
  const update = (change: (s: TableState) => TableState) => ui.getState().updateTable(id, initial, change);

  const drawn = live();
  if (drawn.cursor >= 0) lastCursor.current = drawn.cursor;
  const offsetRef = useRef(0);
  const offset = scrollOffset(offsetRef.current, drawn.cursor, height, drawn.sorted.length);
  offsetRef.current = offset;

  const move = (m: CursorMove) => {
    const { sorted, cursor } = live();
    const to = moveCursor(cursor, sorted.length, m, latest.current.height);
    if (to < 0) return;
    lastCursor.current = to;
    update((s) => ({ ...s, key: sorted[to].key }));
  };
  return {
    columns,
    rows: drawn.sorted,
    total: prepared.length,
    get cursor() {
      return live().cursor;
    },
    get selected() {
      const { sorted, cursor } = live();
      return cursor >= 0 ? sorted[cursor].row : undefined;
    },
    offset,
    height,
    widths,
    columnWindow: shownColumns,
    columnScroll: firstScrolled,
    get sort() {
      return live().state.sort;
    },
    query,
    filter,
    get marked() {
      return live().state.marked;
    },
    get markedRows() {
      return live().markedRows;
    },
    move,
    scrollColumns: (step) =>
      update((s) => {
        const most = latest.current.maxScroll;
        return { ...s, scrollWish: Math.max(1, Math.min(most, Math.min(s.scrollWish, most) + step)) };
      }),
    cycleSort: (step) =>
      update((s) => {
        const cols = latest.current.columns;
        const at = s.sort ? cols.findIndex((c) => c.id === s.sort?.column) : -1;
        return { ...s, sort: { column: cols[(at + step + cols.length) % cols.length].id, descending: false } };
      }),
    reverseSort: () =>
      update((s) => ({ ...s, sort: { column: s.sort?.column ?? latest.current.columns[0].id, descending: !(s.sort?.descending ?? false) } })),
    toggleMark: () => {
      const { sorted, cursor } = live();
      if (cursor < 0) return;
      const key = sorted[cursor].key;
      update((s) => {
        const marked = new Set(s.marked);
        if (!marked.delete(key)) marked.add(key);
        return { ...s, marked };
      });
    },
    clearMarks: () => update((s) => ({ ...s, marked: NO_MARKS })),
  };
}

const NO_MARKS: ReadonlySet<string> = new Set();

/** Rows whose cells may change with anything (a clock): prepared and measured in full. */
function fullyPrepared<R>(rows: readonly R[], columns: readonly ColumnDef<R>[], keyOf: (row: R) => string): PreparedVersion<R> {
  const prepared = prepareRows(rows, columns, keyOf);
  return { rows: prepared, natural: naturalWidths(columns, prepared) };
}

/** The sort, cursor position and marked rows, each recomputed only when its inputs change. */
function createDerivations<R>() {
  const sorted = memoLast((rows: readonly PreparedRow<R>[], columns: readonly ColumnDef<R>[], sort: SortSpec | undefined) =>
    sortRows(rows, columns, sort),
  );
  const cursor = memoLast((rows: readonly PreparedRow<R>[], key: string | undefined, lastIndex: number) => followKey(rows, key, lastIndex));
  const markedRows = memoLast((rows: readonly PreparedRow<R>[], marked: ReadonlySet<string>) =>
    marked.size === 0 ? [] : rows.filter((r) => marked.has(r.key)).map((r) => r.row),
  );
  return { sorted, cursor, markedRows };
}

/** `fn` remembering its last arguments and result: called again with the same arguments, it returns the same result. */
function memoLast<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
  let last: { args: A; value: T } | undefined;
  return (...args) => {
    if (!last || args.length !== last.args.length || args.some((a, i) => !Object.is(a, last?.args[i]))) {
      last = { args, value: fn(...args) };
    }
    return last.value;
  };
}

/** Natural widths with one more cell for the sorted column's header, room for its `↑`/`↓`. */
function withSortIndicator<R>(
  columns: readonly ColumnDef<R>[],
  natural: readonly number[],
  sort: SortSpec | undefined,
): number[] {
  return natural.map((w, i) =>
    columns[i].id === sort?.column ? Math.max(w, textWidth(columns[i].header) + 1) : w,
  );
}
