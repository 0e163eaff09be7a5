import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ResourceRow, TableColumnDefinition } from '../domain/resource-table.js';
import type { ConnectionState } from './app-store.js';

/** The open generic resource table: the server's columns and rows of one kind, as its watch keeps them. */
export interface ResourceTableState {
  readonly columns: readonly TableColumnDefinition[];
  /** Rows by `namespace/name`; replaced on change, never mutated. */
  readonly rows: ReadonlyMap<string, ResourceRow>;
  readonly state: ConnectionState;
  /** The last error while reconnecting or forbidden. */
  readonly error?: string;
  /** A (re)list: the columns and every row. */
  replace(columns: readonly TableColumnDefinition[], rows: readonly ResourceRow[]): void;
  /** Watch events since the last flush: rows added or changed, keys deleted. */
  apply(upserts: readonly ResourceRow[], deletes: readonly string[]): void;
  setState(state: ConnectionState, error?: string): void;
}

export type ResourceTableStore = StoreApi<ResourceTableState>;

/** A fresh, syncing table store (one per opened kind). */
export function createResourceTableStore(): ResourceTableStore {
  return createStore<ResourceTableState>()((set, get) => ({
    columns: [],
    rows: new Map(),
    state: 'syncing',
    replace(columns, rows) {
      set({ columns, rows: new Map(rows.map((r) => [r.key, r])) });
    },
    apply(upserts, deletes) {
      if (upserts.length === 0 && deletes.length === 0) return;
      const rows = new Map(get().rows);
      for (const key of deletes) rows.delete(key);
      for (const row of upserts) rows.set(row.key, row);
      set({ rows });
    },
    setState(state, error) {
      if (get().state === state && get().error === error) return;
      set({ state, error });
    },
  }));
}

/** A watched table: its store, and how to stop its watch. */
export interface ResourceTableHandle {
  readonly store: ResourceTableStore;
  stop(): void;
}
