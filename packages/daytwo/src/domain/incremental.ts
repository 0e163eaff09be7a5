/**
 * Derivations kept up to date from what changed, not recomputed over every object: the store
 * replaces an object when it changes and hands out a new map per flush, and
 * `ObjectMap.changes` tells the entries that differ between two of its maps at the cost of
 * what changed. A frame of a 30,000-pod cluster then costs what its flush brought.
 */
import { type MapChange, ObjectMap } from './object-map.js';

/** How a fold adds a value to its state and takes it out again (the exact inverse). */
export interface FoldSpec<V, S> {
  init(): S;
  add(state: S, value: V, key: string): void;
  remove(state: S, value: V, key: string): void;
}

/** The entries that differ between two maps; see `ObjectMap.changes`. */
export function mapChanges<V>(from: ReadonlyMap<string, V>, to: ReadonlyMap<string, V>): MapChange<V>[] {
  return ObjectMap.changes(from, to);
}

/**
 * A fold over a map's values that, called with a later version of the map, applies only the
 * entries that changed since the previous call (it starts over when most of them did, e.g.
 * after a relist). The state is updated in place and returned: read it at once, and do not
 * use it as a memo key.
 */
export function incrementalFold<V, S>(spec: FoldSpec<V, S>): (map: ReadonlyMap<string, V>) => S {
  let last: ReadonlyMap<string, V> | undefined;
  let state = spec.init();
  return (map) => {
    if (map === last) return state;
    const changes = last === undefined ? undefined : mapChanges(last, map);
    if (changes === undefined || changes.length > map.size / 2) {
      state = spec.init();
      for (const [key, value] of map) spec.add(state, value, key);
    } else {
      for (const [key, before, after] of changes) {
        if (before !== undefined) spec.remove(state, before, key);
        if (after !== undefined) spec.add(state, after, key);
      }
    }
    last = map;
    return state;
  };
}

/** Objects per namespace, as a fold: what a count column needs of a kind. */
export const COUNT_BY_NAMESPACE: FoldSpec<{ metadata: { namespace?: string } }, Map<string, number>> = {
  init: () => new Map(),
  add: (counts, obj) => {
    const ns = obj.metadata.namespace ?? '';
    counts.set(ns, (counts.get(ns) ?? 0) + 1);
  },
  remove: (counts, obj) => {
    const ns = obj.metadata.namespace ?? '';
    const n = (counts.get(ns) ?? 0) - 1;
    if (n <= 0) counts.delete(ns);
    else counts.set(ns, n);
  },
};

/** The first index of `sorted` whose element is not below `item`. */
export function lowerBound<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(sorted[mid], item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `sorted` (in `compare` order, a total order) without the elements of `remove` and with
 * those of `add`, as a new array: each is placed by binary search, so it costs O(k log n)
 * comparisons and a copy of the references. Undefined when an element of `remove` is not in
 * `sorted` (the caller sorts from scratch).
 */
export function spliceSorted<T>(
  sorted: readonly T[],
  remove: readonly T[],
  add: readonly T[],
  compare: (a: T, b: T) => number,
): T[] | undefined {
  const removed: number[] = [];
  for (const item of remove) {
    const at = lowerBound(sorted, item, compare);
    if (sorted[at] !== item) return undefined;
    removed.push(at);
  }
  // Ascending and without repeats, so the copy below skips them with one cursor instead of a set lookup per element.
  removed.sort((a, b) => a - b);
  let skips = 0;
  for (const at of removed) if (skips === 0 || at !== removed[skips - 1]) removed[skips++] = at;
  removed.length = skips;
  const inserts = [...add].sort(compare).map((item) => ({ item, at: lowerBound(sorted, item, compare) }));
  // Sized once: pushing 30,000 references grows the array through copies of 160 and 240 KB,
  // garbage in the large-object space that only a full collection frees.
  const out = new Array<T>(sorted.length - removed.length + inserts.length);
  let length = 0;
  let next = 0;
  let skip = 0;
  const copyUpTo = (end: number) => {
    while (next < end) {
      if (skip < removed.length && removed[skip] === next) skip++;
      else out[length++] = sorted[next];
      next++;
    }
  };
  for (const { item, at } of inserts) {
    copyUpTo(at);
    out[length++] = item;
  }
  copyUpTo(sorted.length);
  return out;
}
