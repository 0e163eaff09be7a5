import type { KeyBinding, Keymap } from '../hooks/keymap.js';
import type { TableController } from '../hooks/use-table.js';

/** The key context of any view built on a `<Table>`. */
export interface TableContext {
  readonly table: Pick<TableController<unknown>, 'move' | 'scrollColumns' | 'cycleSort' | 'reverseSort' | 'toggleMark' | 'clearMarks'>;
}

/** Cursor, sort and mark keys shared by every table view; views append their own bindings. */
export const TABLE_KEYMAP: Keymap<TableContext> = [
  { id: 'nav.down', keys: ['j', 'down'], description: 'Move down', category: 'Navigation', action: (c) => c.table.move('down') },
  { id: 'nav.up', keys: ['k', 'up'], description: 'Move up', category: 'Navigation', action: (c) => c.table.move('up') },
  {
    id: 'nav.pageDown',
    keys: ['pagedown', 'ctrl+f'],
    description: 'Page down',
    category: 'Navigation',
    action: (c) => c.table.move('pageDown'),
  },
  {
    id: 'nav.pageUp',
    keys: ['pageup', 'ctrl+b'],
    description: 'Page up',
    category: 'Navigation',
    action: (c) => c.table.move('pageUp'),
  },
  { id: 'nav.top', keys: ['g', 'home'], description: 'First row', category: 'Navigation', action: (c) => c.table.move('top') },
  {
    id: 'nav.bottom',
    keys: ['G', 'end'],
    description: 'Last row',
    category: 'Navigation',
    action: (c) => c.table.move('bottom'),
  },
  {
    id: 'nav.columnsRight',
    keys: ['right'],
    description: 'Scroll the columns right (the columns naming the row stay)',
    category: 'Navigation',
    action: (c) => c.table.scrollColumns(1),
  },
  {
    id: 'nav.columnsLeft',
    keys: ['left'],
    description: 'Scroll the columns left',
    category: 'Navigation',
    action: (c) => c.table.scrollColumns(-1),
  },
  {
    id: 'table.sortNext',
    keys: ['>'],
    description: 'Sort by the next column',
    category: 'Table',
    action: (c) => c.table.cycleSort(1),
    hint: 'sort',
  },
  {
    id: 'table.sortPrevious',
    keys: ['<'],
    description: 'Sort by the previous column',
    category: 'Table',
    action: (c) => c.table.cycleSort(-1),
  },
  {
    id: 'table.sortReverse',
    keys: ['r'],
    description: 'Reverse the sort order',
    category: 'Table',
    action: (c) => c.table.reverseSort(),
  },
  {
    id: 'table.mark',
    keys: ['space'],
    description: 'Mark or unmark the row (for actions on several objects)',
    category: 'Table',
    action: (c) => c.table.toggleMark(),
  },
  {
    id: 'table.clearMarks',
    keys: ['ctrl+u'],
    description: 'Unmark every row',
    category: 'Table',
    action: (c) => c.table.clearMarks(),
  },
];

/**
 * Where `r` is k9s's (restart on workloads, drain on nodes) or the view's own, reversing
 * the sort moves to `R`; `rDoes` says what `r` does there. Every other table key is the shared one.
 */
export function tableKeysWithoutR<C extends TableContext>(rDoes: string): Keymap<C> {
  return TABLE_KEYMAP.map((b) =>
    b.id === 'table.sortReverse' ? { ...b, keys: ['R'], description: `Reverse the sort order (r ${rDoes} in this view)` } : b,
  ) as readonly KeyBinding<C>[];
}
