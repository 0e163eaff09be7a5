import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../store/app-store.js';

/** The store every view reads; provided once by `<App>`. */
export const StoreContext = createContext<AppStore | null>(null);

/** The store itself, for calling its actions. */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore must be used inside <App> (StoreContext is missing)');
  return store;
}

/**
 * Reads a slice of the store and re-renders when it changes. Selectors that build new
 * arrays or objects must be wrapped in `useShallow` (zustand/react/shallow) or memoised.
 */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
