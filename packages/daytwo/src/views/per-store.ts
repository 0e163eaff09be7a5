import type { AppStore } from '../store/app-store.js';

/**
 * One `make()` per console (store), kept while the store lives: incremental derivations
 * outlive the views that read them, which unmount as the user moves between screens, so
 * coming back costs what changed meanwhile rather than a pass over every object.
 */
export function perStore<T>(make: (store: AppStore) => T): (store: AppStore) => T {
  const made = new WeakMap<AppStore, T>();
  return (store) => {
    let value = made.get(store);
    if (value === undefined) {
      value = make(store);
      made.set(store, value);
    }
    return value;
  };
}
