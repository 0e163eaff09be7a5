/**
 * The store's per-kind object maps. A flush must hand out a new map identity for every kind it
 * changed (memoised selectors recompute on identity) without touching the previous map (a
 * subscriber may still read it). Copying a 30,000-pod Map on every flush does that at the
 * cost of ~1 MB of garbage each time, which lives until the next flush and so reaches V8's
 * old generation: a console left open while pods churn grew to 600 MiB-1 GiB of RSS.
 *
 * An ObjectMap instead shares a frozen base Map with the maps derived from it and keeps only
 * the changes since that base in a small overlay, copied per flush. When the overlay grows
 * past a bound that keeps copying it cheap, the next flush folds it into a new base.
 */

/** Marks a key deleted in an overlay. */
const DELETED: unique symbol = Symbol('deleted');
type Slot<V> = V | typeof DELETED;

/** One entry that differs between two maps: `before` undefined when added, `after` when removed. */
export type MapChange<V> = readonly [key: string, before: V | undefined, after: V | undefined];

/** One change to apply: a value to set, or `undefined` to delete the key. */
export type ObjectMapChange<V> = readonly [key: string, value: V | undefined];

/**
 * Overlay entries tolerated before folding them into a new base: copying the overlay each
 * flush costs O(bound), folding costs O(size) once per bound changes; the square root
 * balances the two (x4, since a flush usually carries several changes).
 */
export function overlayBound(baseSize: number): number {
  return Math.max(64, Math.ceil(4 * Math.sqrt(baseSize)));
}

/**
 * An immutable `ReadonlyMap<string, V>` (`V` never `undefined`). Iteration follows `Map`
 * order: base entries in their order (an updated key keeps its place), then keys added
 * since, in the order they were added.
 */
export class ObjectMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    /** Never mutated once an ObjectMap holds it. */
    private readonly base: ReadonlyMap<string, V>,
    /** Changes since `base`; never mutated once an ObjectMap holds it. */
    private readonly overlay: ReadonlyMap<string, Slot<V>>,
    readonly size: number,
  ) {}

  /** A map of `entries`, the later of equal keys winning. */
  static of<V>(entries: Iterable<readonly [string, V]>): ObjectMap<V> {
    const base = new Map<string, V>(entries);
    return new ObjectMap(base, new Map(), base.size);
  }

  /**
   * `map` with `changes` applied, as a new map; `map` itself is left as it was. A plain
   * `Map` (e.g. put in the store by a test) is treated as a base and never mutated.
   */
  static withChanges<V>(map: ReadonlyMap<string, V>, changes: Iterable<ObjectMapChange<V>>): ObjectMap<V> {
    const from = map instanceof ObjectMap ? (map as ObjectMap<V>) : new ObjectMap(map, new Map(), map.size);
    return from.withChanges(changes);
  }

  withChanges(changes: Iterable<ObjectMapChange<V>>): ObjectMap<V> {
    const overlay = new Map<string, Slot<V>>(this.overlay);
    let size = this.size;
    const lookup = (key: string): V | undefined => {
      const slot = overlay.get(key);
      if (slot === DELETED) return undefined;
      return slot !== undefined ? slot : this.base.get(key);
    };
    for (const [key, value] of changes) {
      const existed = lookup(key) !== undefined;
      if (value === undefined) {
        if (!existed) continue;
        // A key only the overlay knows is simply forgotten.
        if (this.base.has(key)) overlay.set(key, DELETED);
        else overlay.delete(key);
        size--;
      } else {
        overlay.set(key, value);
        if (!existed) size++;
      }
    }
    if (overlay.size <= overlayBound(this.base.size)) return new ObjectMap(this.base, overlay, size);
    const folded = new ObjectMap(this.base, overlay, size);
    return ObjectMap.of(folded.entries());
  }

  /**
   * The entries that differ between two maps (by value identity): `[key, before, after]`,
   * `before` undefined for an added key, `after` for a removed one. Two ObjectMaps on the same
   * base differ only in their overlays, so this costs what changed since the base, not the
   * size of the map; other maps are compared entry by entry.
   */
  static changes<V>(from: ReadonlyMap<string, V>, to: ReadonlyMap<string, V>): MapChange<V>[] {
    const out: MapChange<V>[] = [];
    if (from === to) return out;
    if (from instanceof ObjectMap && to instanceof ObjectMap && from.base === to.base) {
      const a = from as ObjectMap<V>;
      const b = to as ObjectMap<V>;
      for (const key of a.overlay.keys()) {
        const before = a.get(key);
        const after = b.get(key);
        if (before !== after) out.push([key, before, after]);
      }
      for (const key of b.overlay.keys()) {
        if (a.overlay.has(key)) continue;
        const before = a.get(key);
        const after = b.get(key);
        if (before !== after) out.push([key, before, after]);
      }
      return out;
    }
    for (const [key, after] of to) {
      const before = from.get(key);
      if (before !== after) out.push([key, before, after]);
    }
    for (const [key, before] of from) if (!to.has(key)) out.push([key, before, undefined]);
    return out;
  }

  /** Entries changed since the shared base: what the next flush copies. */
  get overlaySize(): number {
    return this.overlay.size;
  }

  get(key: string): V | undefined {
    const slot = this.overlay.get(key);
    if (slot === DELETED) return undefined;
    return slot !== undefined ? slot : this.base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, V]> {
    if (this.overlay.size === 0) {
      yield* this.base.entries();
      return;
    }
    for (const [key, value] of this.base) {
      const slot = this.overlay.get(key);
      if (slot === DELETED) continue;
      yield [key, slot !== undefined ? slot : value];
    }
    for (const [key, slot] of this.overlay) {
      if (slot !== DELETED && !this.base.has(key)) yield [key, slot];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    if (this.overlay.size === 0) {
      yield* this.base.values();
      return;
    }
    for (const [key, value] of this.base) {
      const slot = this.overlay.get(key);
      if (slot === DELETED) continue;
      yield slot !== undefined ? slot : value;
    }
    for (const [key, slot] of this.overlay) {
      if (slot !== DELETED && !this.base.has(key)) yield slot;
    }
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }

  get [Symbol.toStringTag](): string {
    return 'ObjectMap';
  }
}
