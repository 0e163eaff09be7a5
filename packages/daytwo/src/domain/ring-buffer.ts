/**
 * A fixed-capacity ring: appending past the capacity overwrites the oldest item, so memory
 * stays bounded however long a log stream runs. Items are addressed by a sequence number
 * that keeps counting across overwrites, so a reader can hold a position (the line at the
 * bottom of a paused view) that stays valid until that item is overwritten.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  private appended = 0;

  /** @param capacity most items kept (at least 1). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Items held now (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** Items ever appended; the next item gets this sequence number. */
  get total(): number {
    return this.appended;
  }

  /** Sequence number of the oldest item held (equals `total` when empty). */
  get firstSeq(): number {
    return this.appended - this.count;
  }

  /** Sequence number of the newest item, or -1 when empty. */
  get lastSeq(): number {
    return this.appended - 1;
  }

  /** Appends one item, overwriting the oldest when full. */
  push(item: T): void {
    const cap = this.capacity;
    if (this.count < cap) {
      this.items[(this.start + this.count) % cap] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % cap;
    }
    this.appended++;
  }

  /** Appends items in order. */
  pushAll(items: readonly T[]): void {
    for (const item of items) this.push(item);
  }

  /** The item with sequence number `seq`, or undefined when it was overwritten or not yet appended. */
  at(seq: number): T | undefined {
    if (seq < this.firstSeq || seq >= this.appended) return undefined;
    return this.items[(this.start + (seq - this.firstSeq)) % this.capacity];
  }

  /** The items held, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  /** Drops every item; sequence numbers keep counting. */
  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
