import type { AppStore, ObjectChange } from './app-store.js';

/** How long events are gathered before one store flush: a burst costs one render. */
export const FLUSH_INTERVAL_MS = 50;

/**
 * Queues object changes and applies them to the store at most once per interval.
 * Watches push into it; nothing else writes objects into the store.
 *
 * The interval runs from the end of the last flush, not from the first change queued: a
 * change after a quiet spell is applied at once (with whatever else the same read of the
 * socket delivered), where it used to wait out the whole interval; a burst still costs one
 * flush per interval, and every interval leaves the event loop free for keys.
 */
export class ChangeBatcher {
  private queue: ObjectChange[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushed: (() => void)[] = [];
  private lastFlushEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: AppStore,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(change: ObjectChange): void {
    this.queue.push(change);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushEnd + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /**
   * Runs `fn` once everything pushed so far is in the store: at once when nothing is
   * queued, else right after the next flush (e.g. to mark a kind live only after its
   * listed objects landed).
   */
  afterFlush(fn: () => void): void {
    if (this.queue.length === 0) fn();
    else this.flushed.push(fn);
  }

  /** Applies everything queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const changes = this.queue;
    this.queue = [];
    this.store.getState().applyChanges(changes);
    const callbacks = this.flushed;
    this.flushed = [];
    for (const fn of callbacks) fn();
    this.lastFlushEnd = this.now();
  }

  dispose(): void {
    this.flush();
  }
}
