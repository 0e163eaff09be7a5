import { describe, expect, it } from 'vitest';
import {
  type ColumnDef,
  columnWindow,
  columnWindowText,
  compileFilter,
  filterRows,
  fitCell,
  fitColumns,
  followKey,
  formatLine,
  maxColumnScroll,
  moveCursor,
  naturalWidths,
  pinnedCount,
  prepareRows,
  scrollOffset,
  sortRows,
  truncate,
  unknownColumns,
} from '../../src/domain/table.js';

interface Item {
  name: string;
  count: number;
}

const columns: ColumnDef<Item>[] = [
  { id: 'name', header: 'NAME', value: (r) => r.name, flex: true },
  { id: 'count', header: 'COUNT', value: (r) => String(r.count), sortValue: (r) => r.count, align: 'right' },
];

const items: Item[] = [
  { name: 'web-10', count: 3 },
  { name: 'web-2', count: 30 },
  { name: 'api', count: 7 },
  { name: 'Worker', count: 3 },
];
const prepared = prepareRows(items, columns, (r) => r.name);
const names = (rows: readonly { row: Item }[]) => rows.map((r) => r.row.name);

describe('prepareRows', () => {
  it('computes every cell once with the row key', () => {
    expect(prepared[1]).toEqual({ key: 'web-2', row: items[1], cells: ['web-2', '30'] });
  });

  it('with a cache, computes the cells of a row object once and those of a new object afresh', () => {
    const cache = new WeakMap();
    let calls = 0;
    const counted: ColumnDef<Item>[] = [{ id: 'name', header: 'NAME', value: (r) => `${++calls}:${r.name}` }];
    const first = prepareRows(items, counted, (r) => r.name, cache);
    const changed = { name: 'api', count: 8 };
    const second = prepareRows([items[0], items[1], changed, items[3]], counted, (r) => r.name, cache);
    expect(calls).toBe(5);
    expect(second[0]).toBe(first[0]);
    expect(second[2].cells).toEqual(['5:api']);
    expect(second[2].row).toBe(changed);
  });
});

describe('compileFilter and filterRows', () => {
  it('matches a case-insensitive substring in any cell', () => {
    expect(names(filterRows(prepared, compileFilter('WEB')))).toEqual(['web-10', 'web-2']);
    expect(names(filterRows(prepared, compileFilter('30')))).toEqual(['web-2']);
  });

  it('treats a query wrapped in slashes as a case-insensitive regular expression', () => {
    expect(names(filterRows(prepared, compileFilter('/^web-\\d$/')))).toEqual(['web-2']);
    expect(names(filterRows(prepared, compileFilter('/^w/')))).toEqual(['web-10', 'web-2', 'Worker']);
  });

  it('reports a bad regular expression instead of throwing, and filters nothing out', () => {
    const filter = compileFilter('/web-(/');
    expect(filter.ok).toBe(false);
    if (!filter.ok) expect(filter.error).toMatch(/unterminated group|Invalid regular expression/i);
    expect(filterRows(prepared, filter)).toBe(prepared);
  });

  it('returns the same array when the query is empty', () => {
    expect(filterRows(prepared, compileFilter(''))).toBe(prepared);
  });

  it('takes a lone slash as a substring', () => {
    expect(filterRows(prepared, compileFilter('/'))).toEqual([]);
  });
});

describe('sortRows', () => {
  it('sorts text naturally, so web-2 comes before web-10', () => {
    expect(names(sortRows(prepared, columns, { column: 'name', descending: false }))).toEqual([
      'api',
      'web-2',
      'web-10',
      'Worker',
    ]);
  });

  it('sorts by the sort value and breaks ties by key, in both directions', () => {
    expect(names(sortRows(prepared, columns, { column: 'count', descending: false }))).toEqual([
      'web-10',
      'Worker',
      'api',
      'web-2',
    ]);
    expect(names(sortRows(prepared, columns, { column: 'count', descending: true }))).toEqual([
      'web-2',
      'api',
      'web-10',
      'Worker',
    ]);
  });

  it('leaves the rows as they are for an unknown column or no sort', () => {
    expect(sortRows(prepared, columns, { column: 'nope', descending: false })).toBe(prepared);
    expect(sortRows(prepared, columns, undefined)).toBe(prepared);
  });
});

describe('moveCursor', () => {
  it('moves by one, by a page and to the ends, clamped to the rows', () => {
    expect(moveCursor(0, 10, 'down', 4)).toBe(1);
    expect(moveCursor(0, 10, 'up', 4)).toBe(0);
    expect(moveCursor(2, 10, 'pageDown', 4)).toBe(6);
    expect(moveCursor(8, 10, 'pageDown', 4)).toBe(9);
    expect(moveCursor(3, 10, 'pageUp', 4)).toBe(0);
    expect(moveCursor(3, 10, 'bottom', 4)).toBe(9);
    expect(moveCursor(3, 10, 'top', 4)).toBe(0);
  });

  it('has no position without rows', () => {
    expect(moveCursor(0, 0, 'down', 4)).toBe(-1);
  });
});

describe('followKey', () => {
  const sorted = sortRows(prepared, columns, { column: 'name', descending: false });
  it('finds the selected row by key after the rows moved', () => {
    expect(followKey(sorted, 'web-10', 0)).toBe(2);
    expect(followKey(sorted, sorted[0].key, 3)).toBe(0);
  });

  it('stays at the same position (clamped) when the selected row is gone', () => {
    expect(followKey(sorted, 'deleted', 1)).toBe(1);
    expect(followKey(sorted, 'deleted', 99)).toBe(3);
    expect(followKey([], 'x', 3)).toBe(-1);
  });
});

describe('scrollOffset', () => {
  it('keeps the window while the cursor is inside it', () => {
    expect(scrollOffset(5, 7, 4, 100)).toBe(5);
  });

  it('scrolls as little as possible to bring the cursor back in view', () => {
    expect(scrollOffset(5, 9, 4, 100)).toBe(6);
    expect(scrollOffset(5, 2, 4, 100)).toBe(2);
  });

  it('never scrolls past the last full window or when everything fits', () => {
    expect(scrollOffset(98, 99, 4, 100)).toBe(96);
    expect(scrollOffset(3, 2, 10, 5)).toBe(0);
  });

  it('renders only the window of a 30,000-row table: the offset is all the slice needs', () => {
    const offset = scrollOffset(0, 29_999, 20, 30_000);
    expect(offset).toBe(29_980);
  });
});

describe('truncate and fitCell', () => {
  it('cuts with an ellipsis only when the text is too wide', () => {
    expect(truncate('kube-system', 11)).toBe('kube-system');
    expect(truncate('kube-system', 6)).toBe('kube-…');
    expect(truncate('kube-system', 1)).toBe('…');
    expect(truncate('kube-system', 0)).toBe('');
  });

  it('pads to the width on the side given by the alignment', () => {
    expect(fitCell('7', 3, 'right')).toBe('  7');
    expect(fitCell('api', 5)).toBe('api  ');
    expect(fitCell('äöü-long', 4)).toBe('äöü…');
  });
});

describe('naturalWidths and fitColumns', () => {
  it('takes the widest of the header and the cells, capped by maxWidth', () => {
    expect(naturalWidths(columns, prepared)).toEqual([6, 5]);
    expect(naturalWidths([{ ...columns[0], maxWidth: 4 }, columns[1]], prepared)).toEqual([4, 5]);
    expect(naturalWidths(columns, prepared, 1)).toEqual([6, 6]);
  });

  const wide: ColumnDef<Item>[] = [
    { id: 'a', header: 'NAME', value: () => '', flex: true, minWidth: 4 },
    { id: 'b', header: 'STATUS', value: () => '' },
    { id: 'c', header: 'MESSAGE', value: () => '', flex: true, minWidth: 7 },
  ];

  it('keeps natural widths when they fit', () => {
    expect(fitColumns(wide, [10, 6, 20], 40)).toEqual([10, 6, 20]);
  });

  it('shrinks the widest flexible column first', () => {
    // 10 + 6 + 20 + 2 gaps of 2 = 40 wanted, 30 available: MESSAGE gives up 10 first.
    expect(fitColumns(wide, [10, 6, 20], 30)).toEqual([10, 6, 10]);
    // 20 available: both flexible columns meet at a common width.
    expect(fitColumns(wide, [10, 6, 20], 24)).toEqual([7, 6, 7]);
  });

  it('never cuts a rigid column: a column is hidden instead', () => {
    // STATUS cells are 12 wide: 4 + 12 + 7 + gaps = 27 > 25, so MESSAGE goes and NAME takes the room left.
    expect(fitColumns(wide, [10, 12, 20], 25)).toEqual([10, 12, 0]);
    // An AGE of `380d` at a width of 3 would read `38…`, a different value.
    const aged: ColumnDef<Item>[] = [
      { id: 'name', header: 'NAME', value: () => '', flex: true, minWidth: 4 },
      { id: 'age', header: 'AGE', value: () => '', align: 'right' },
      { id: 'pods', header: 'PODS', value: () => '', align: 'right' },
    ];
    expect(fitColumns(aged, [12, 4, 6], 14)).toEqual([8, 4, 0]);
  });

  it('hides columns from the right when even their minimums do not fit', () => {
    expect(fitColumns(wide, [10, 6, 20], 12)).toEqual([4, 6, 0]);
  });

  it('keeps the pinned identity columns after the first on screen when scrolling', () => {
    const identity: ColumnDef<Item>[] = [
      { id: 'ns', header: 'NS', value: () => 'ns' },
      { id: 'name', header: 'NAME', value: () => 'n', pinned: true },
      ...['a', 'b', 'c'].map((id) => ({ id, header: id.toUpperCase(), value: () => id })),
    ];
    expect(pinnedCount(identity)).toBe(2);
    expect(fitColumns(identity, [4, 4, 3, 3, 3], 17)).toEqual([4, 4, 3, 0, 0]);
    expect(fitColumns(identity, [4, 4, 3, 3, 3], 17, 2, 2)).toEqual([4, 4, 0, 3, 0]);
    expect(columnWindowText(columnWindow([4, 4, 0, 3, 0], 2))).toBe('← cols 4-4/5 →');
    expect(maxColumnScroll(identity, [4, 4, 3, 3, 3], 17)).toBe(3);
    expect(fitColumns(identity, [4, 4, 3, 3, 3], 17, 2, 3)).toEqual([4, 4, 0, 0, 3]);
    expect(pinnedCount(columns)).toBe(1);
  });

  it('scrolls: the first column stays, the others start at `firstScrolled`', () => {
    const many: ColumnDef<Item>[] = ['NAME', 'A', 'B', 'C', 'D'].map((h, i) => ({ id: h, header: h, value: () => '', flex: i === 0, minWidth: 4 }));
    // 6 + 4 * (2 + 3) = 26 wanted; 18 fits the name and two more.
    expect(fitColumns(many, [6, 3, 3, 3, 3], 18)).toEqual([6, 3, 3, 0, 0]);
    expect(columnWindowText(columnWindow([6, 3, 3, 0, 0]))).toBe('cols 1-3/5 →');
    expect(fitColumns(many, [6, 3, 3, 3, 3], 18, 2, 2)).toEqual([6, 0, 3, 3, 0]);
    expect(columnWindowText(columnWindow([6, 0, 3, 3, 0]))).toBe('← cols 3-4/5 →');
    expect(maxColumnScroll(many, [6, 3, 3, 3, 3], 18)).toBe(3);
    expect(fitColumns(many, [6, 3, 3, 3, 3], 18, 2, 3)).toEqual([6, 0, 0, 3, 3]);
    expect(columnWindowText(columnWindow([6, 0, 0, 3, 3]))).toBe('← cols 4-5/5');
    // Everything fits: no scrolling, no indicator.
    expect(maxColumnScroll(many, [6, 3, 3, 3, 3], 40)).toBe(1);
    expect(columnWindowText(columnWindow(fitColumns(many, [6, 3, 3, 3, 3], 40)))).toBe('');
  });

  it('shows `?` for columns computed from kinds that cannot be read', () => {
    const [name, status] = unknownColumns(columns, [columns[1].id]);
    expect(name.value(items[0])).toBe(columns[0].value(items[0]));
    expect(status.value(items[0])).toBe('?');
  });

  it('formats a line from fitted cells, skipping hidden columns', () => {
    expect(formatLine(['kube-system', 'Active', 'x'], [6, 6, 0], ['left', 'right'])).toBe('kube-…  Active');
  });
});
