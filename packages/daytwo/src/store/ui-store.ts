import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SortSpec } from '../domain/table.js';
import type { DialogSpec } from './dialog-spec.js';

/**
 * The navigation state key handlers act on: the view stack, the open modal, filters and
 * every table's cursor, sort and marks. Key bindings read it with `getState()` when the key
 * arrives, so a key typed in the same read as the one before it sees what that key did,
 * without waiting for React to render it.
 */

/** The open modal; its type picks the active key scopes (see `activeScopes`). */
export type Modal =
  | { readonly type: 'none' }
  | { readonly type: 'help' }
  | { readonly type: 'command' }
  | { readonly type: 'filter' }
  | { readonly type: 'dialog'; readonly spec: DialogSpec };

export type InputMode = Modal['type'];

/** A table's navigation state. `key` is the row under the cursor (the cursor follows it when rows move). */
export interface TableState {
  readonly key?: string;
  readonly sort?: SortSpec;
  /** Keys of the rows marked with space (kept while a filter hides them). */
  readonly marked: ReadonlySet<string>;
  /** The first scrolled column asked for (1: not scrolled); the table clamps it to what fits. */
  readonly scrollWish: number;
}

/** Params a view was last opened with; `seq` starts it afresh (new cursor, new state) when opened again. */
export interface ViewParams {
  readonly value: unknown;
  readonly seq: number;
}

export interface UiState {
  /** View ids, the shown one last; Esc pops. */
  readonly stack: readonly string[];
  readonly params: Readonly<Record<string, ViewParams>>;
  readonly modal: Modal;
  /** Counts modal changes: with the view's id and seq it names what the keyboard belongs to (`uiEpoch`). */
  readonly modalSeq: number;
  readonly filters: Readonly<Record<string, string>>;
  readonly tables: Readonly<Record<string, TableState>>;
  /**
   * A view's modes that change which keys it binds (a pool opened in the Node pools view, a
   * diff open in Drift), by `view#seq:name`: part of the epoch, so keys after a mode change
   * wait for it to be drawn.
   */
  readonly modes: Readonly<Record<string, unknown>>;
  /** Shows a view, pushing it on the Esc history unless it is already shown. */
  showView(id: string): void;
  /** Shows a view with new params: it starts afresh. */
  openView(id: string, params?: unknown): void;
  /** Goes back to the previous view; false when there is none. */
  popView(): boolean;
  setModal(modal: Modal): void;
  setFilter(viewId: string, text: string): void;
  /** Updates a table's state; `initial` is its state before the first update. */
  updateTable(id: string, initial: TableState, update: (state: TableState) => TableState): void;
  setMode(id: string, value: unknown): void;
}

export type UiStore = StoreApi<UiState>;

/** Views remembered for Esc; older ones are forgotten so switching back and forth stays bounded. */
export const MAX_HISTORY = 20;

export const NO_MODAL: Modal = { type: 'none' };

export function createUiStore(initialView: string): UiStore {
  return createStore<UiState>()((set, get) => ({
    stack: [initialView],
    params: {},
    modal: NO_MODAL,
    modalSeq: 0,
    filters: {},
    tables: {},
    modes: {},
    // Shown afresh (a number key, a command), a view keeps its tables' cursors but opens in its first mode (the pool list, not a pool); Esc back returns to it as it was.
    showView: (id) =>
      set((s) =>
        s.stack[s.stack.length - 1] === id ? s : { stack: [...s.stack, id].slice(-MAX_HISTORY), modes: withoutPrefix(s.modes, `${id}#`) },
      ),
    openView: (id, params) =>
      set((s) => {
        const seq = (s.params[id]?.seq ?? 0) + 1;
        const top = s.stack[s.stack.length - 1] === id;
        return {
          params: { ...s.params, [id]: { value: params, seq } },
          stack: top ? s.stack : [...s.stack, id].slice(-MAX_HISTORY),
          // The tables of the view's previous opening are forgotten.
          tables: withoutPrefix(s.tables, `${id}#`),
          modes: withoutPrefix(s.modes, `${id}#`),
        };
      }),
    popView: () => {
      if (get().stack.length <= 1) return false;
      set((s) => ({ stack: s.stack.slice(0, -1) }));
      return true;
    },
    setModal: (modal) => set((s) => (s.modal === modal ? s : { modal, modalSeq: s.modalSeq + 1 })),
    setFilter: (viewId, text) => set((s) => ({ filters: { ...s.filters, [viewId]: text } })),
    updateTable: (id, initial, update) => set((s) => ({ tables: { ...s.tables, [id]: update(s.tables[id] ?? initial) } })),
    setMode: (id, value) => set((s) => (Object.is(s.modes[id], value) ? s : { modes: { ...s.modes, [id]: value } })),
  }));
}

/** The view shown now. */
export function currentView(state: UiState): string {
  return state.stack[state.stack.length - 1];
}

/** The id the current opening of a view keys its tables with (`view#seq`). */
export function viewInstance(state: UiState, viewId: string): string {
  return `${viewId}#${state.params[viewId]?.seq ?? 0}`;
}

/**
 * Names what owns the keyboard in a state: the shown view's opening and the modal. Keys
 * wait while the rendered screen is not this epoch (a view or modal not drawn yet has not
 * bound its keys); cursor moves, sorts and marks do not change it, so keys after them go on at once.
 */
export function uiEpoch(state: UiState): string {
  const view = viewInstance(state, currentView(state));
  const modes = Object.entries(state.modes)
    .filter(([k]) => k.startsWith(`${view}:`))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  return `${view}[${modes}]|${state.modal.type}#${state.modalSeq}`;
}

function withoutPrefix<T>(record: Readonly<Record<string, T>>, prefix: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !k.startsWith(prefix)));
}
