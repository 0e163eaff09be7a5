import { useCallback, useMemo, useRef, useState } from 'react';
import {
  type ColumnDef,
  type ColumnWindow,
  columnWindow,
  type CursorMove,
  compileFilter,
  filterRows,
  fitColumns,
  followKey,
  indexRows,
  maxColumnScroll,
  moveCursor,
  naturalWidths,
  pinnedCount,
  type PreparedRow,
  prepareRows,
  type RowFilter,
  type SortSpec,
  scrollOffset,
  sortRows,
  textWidth,
} from '../domain/table.js';

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
 */
export function useTable<R>(opts: UseTableOptions<R>): TableController<R> {
  const { rows, columns, keyOf, filter: query, height, width } = opts;
  // biome-ignore lint/correctness/useExhaustiveDependencies: cached cells are only valid for these columns and keys
  const rowCache = useMemo(() => (opts.stableRows ? new WeakMap<R & object, PreparedRow<R>>() : undefined), [opts.stableRows, columns, keyOf]);
  const prepared = useMemo(() => prepareRows(rows, columns, keyOf, rowCache), [rows, columns, keyOf, rowCache]);
  const filter = useMemo(() => compileFilter(query), [query]);
  const filtered = useMemo(() => filterRows(prepared, filter), [prepared, filter]);
  const [sort, setSort] = useState<SortSpec | undefined>(opts.initialSort);
  const sorted = useMemo(() => sortRows(filtered, columns, sort), [filtered, columns, sort]);
  const indexByKey = useMemo(() => indexRows(sorted), [sorted]);
  // Widths come from every row, not just the filtered or visible ones, so columns do not jump while scrolling or typing a filter.
  const natural = useMemo(() => naturalWidths(columns, prepared), [columns, prepared]);
  const sized = useMemo(() => withSortIndicator(columns, natural, sort), [columns, natural, sort]);
  const maxScroll = useMemo(() => maxColumnScroll(columns, sized, width - MARKER_WIDTH), [columns, sized, width]);
  // The wish is kept as asked; a wider terminal or narrower data simply clamps it.
  const [scrollWish, setScrollWish] = useState(1);
  const firstScrolled = Math.min(scrollWish, maxScroll);
  const widths = useMemo(
    () => fitColumns(columns, sized, width - MARKER_WIDTH, 2, firstScrolled),
    [columns, sized, width, firstScrolled],
  );
  const shownColumns = useMemo(() => columnWindow(widths, pinnedCount(columns)), [widths, columns]);

  const [selection, setSelection] = useState<{ key?: string }>({ key: opts.initialKey });
  // When the selected row disappears, the cursor stays where it was last drawn.
  const lastCursor = useRef(0);
  const cursor = followKey(sorted, indexByKey, selection.key, lastCursor.current);
  if (cursor >= 0) lastCursor.current = cursor;
  const offsetRef = useRef(0);
  const offset = scrollOffset(offsetRef.current, cursor, height, sorted.length);
  offsetRef.current = offset;

  const latest = useRef({ sorted, indexByKey, height, cursor, maxScroll });
  latest.current = { sorted, indexByKey, height, cursor, maxScroll };

  const scrollColumns = useCallback((step: 1 | -1) => {
    setScrollWish((prev) => {
      const most = latest.current.maxScroll;
      return Math.max(1, Math.min(most, Math.min(prev, most) + step));
    });
  }, []);

  const move = useCallback((m: CursorMove) => {
    setSelection((prev) => {
      const { sorted: list, indexByKey: index, height: page } = latest.current;
      const from = followKey(list, index, prev.key, lastCursor.current);
      const to = moveCursor(from, list.length, m, page);
      return to < 0 ? prev : { key: list[to].key };
    });
  }, []);

  const cycleSort = useCallback(
    (step: 1 | -1) =>
      setSort((prev) => {
        const at = prev ? columns.findIndex((c) => c.id === prev.column) : -1;
        const next = (at + step + columns.length) % columns.length;
        return { column: columns[next].id, descending: false };
      }),
    [columns],
  );

  const reverseSort = useCallback(
    () => setSort((prev) => ({ column: prev?.column ?? columns[0].id, descending: !(prev?.descending ?? false) })),
    [columns],
  );

  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const toggleMark = useCallback(() => {
    const { sorted: list, cursor: at } = latest.current;
    if (at < 0) return;
    const key = list[at].key;
    setMarked((m) => {
      const next = new Set(m);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);
  const clearMarks = useCallback(() => setMarked(new Set()), []);
  const markedRows = useMemo(
    () => (marked.size === 0 ? [] : prepared.filter((r) => marked.has(r.key)).map((r) => r.row)),
    [prepared, marked],
  );

  return {
    columns,
    rows: sorted,
    total: prepared.length,
    cursor,
    selected: cursor >= 0 ? sorted[cursor].row : undefined,
    offset,
    height,
    widths,
    columnWindow: shownColumns,
    columnScroll: firstScrolled,
    sort,
    query,
    filter,
    marked,
    markedRows,
    move,
    scrollColumns,
    cycleSort,
    reverseSort,
    toggleMark,
    clearMarks,
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
