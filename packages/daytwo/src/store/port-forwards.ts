import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PortForwardEntry, PortForwardRequest } from '../domain/port-forward.js';

/** The session's port-forwards (`:pf`), by id; replaced on change, never mutated. */
export interface PortForwardsState {
  readonly entries: ReadonlyMap<string, PortForwardEntry>;
  put(entry: PortForwardEntry): void;
  update(id: string, change: Partial<Omit<PortForwardEntry, 'id'>>): void;
  remove(id: string): void;
}

export type PortForwardsStore = StoreApi<PortForwardsState>;

export function createPortForwardsStore(): PortForwardsStore {
  return createStore<PortForwardsState>()((set, get) => ({
    entries: new Map(),
    put(entry) {
      set({ entries: new Map(get().entries).set(entry.id, entry) });
    },
    update(id, change) {
      const entry = get().entries.get(id);
      if (entry) set({ entries: new Map(get().entries).set(id, { ...entry, ...change }) });
    },
    remove(id) {
      if (!get().entries.has(id)) return;
      const entries = new Map(get().entries);
      entries.delete(id);
      set({ entries });
    },
  }));
}

/** What the console may do with port-forwards; the kube layer runs them as `kubectl port-forward` processes. */
export interface PortForwards {
  readonly store: PortForwardsStore;
  /** Why port-forwards cannot run here (no kubectl on the PATH), or undefined. */
  readonly unavailable?: string;
  /**
   * Starts `kubectl port-forward` (guarded: create pods/portforward; audited) and resolves
   * with kubectl's first `Forwarding from …` line once it listens; rejects with its error line.
   */
  start(request: PortForwardRequest): Promise<string>;
  /** Stops one (its kubectl process ends; audited) and removes it from the list. */
  stop(id: string): Promise<string>;
  /** Stops every one at once: when the console quits or moves to another context. */
  stopAll(): Promise<void>;
}
