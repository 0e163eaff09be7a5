import { createContext, useCallback, useContext, useState } from 'react';
import { useStore } from 'zustand';
import { createUiStore, type UiState, type UiStore } from '../store/ui-store.js';

/** The UI store of the app; provided once by `<App>`. */
export const UiStoreContext = createContext<UiStore | null>(null);

/**
 * Where the tables of the component being rendered keep their state in the UI store: the
 * shell provides the opening of the view (`view#seq`) around each view.
 */
export const TableScopeContext = createContext<string>('standalone');

/** The app's UI store, or one of the component's own when it is rendered outside `<App>` (tests). */
export function useUiStoreApi(): UiStore {
  const store = useContext(UiStoreContext);
  const [own] = useState(() => store ?? createUiStore('standalone'));
  return store ?? own;
}

/** Reads a slice of the UI store and re-renders when it changes. */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useUiStoreApi(), selector);
}

/** What a view mode may hold: plain values, compared and named in the UI epoch as text. */
export type ModeValue = string | number | boolean | undefined;

/**
 * A view's state that changes which keys it binds (a pool opened, a diff shown), kept in the
 * UI store for the view's opening: keys typed right after the change wait until the view
 * has drawn it (see `uiEpoch`), so they reach the keys of the new mode.
 */
export function useViewMode<T extends ModeValue>(name: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const ui = useUiStoreApi();
  const id = `${useContext(TableScopeContext)}:${name}`;
  const value = useStore(ui, (s) => (id in s.modes ? s.modes[id] : initial)) as T;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the initial value is the first render's
  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      const modes = ui.getState().modes;
      const prev = (id in modes ? modes[id] : initial) as T;
      ui.getState().setMode(id, typeof next === 'function' ? next(prev) : next);
    },
    [ui, id],
  );
  return [value, set];
}
