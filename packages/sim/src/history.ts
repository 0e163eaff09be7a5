/**
 * The store's change history, kept as etcd keeps revisions under kube-apiserver: every
 * change stays readable until the API server's compactor compacts it away
 * (k8s.io/apiserver/pkg/storage/etcd3/compact.go). The compactor wakes every
 * `--etcd-compaction-interval` (default 5 minutes), compacts to the revision it recorded at
 * its previous wake-up and records the current one; the first wake-up compacts nothing. So
 * a change stays readable for one to two intervals, however many changes follow it, and a
 * paged list's continue token (or an Exact list, or a watch from a resourceVersion) older
 * than the last compaction is answered 410 Expired.
 *
 * Compaction is applied lazily, on the first read or write after a wake-up was due; with
 * no write in between, the revision a wake-up records is the current one, so the result
 * equals a compactor running on a timer.
 */
import type { StoreEvent } from './types.js';

/** DefaultCompactInterval of k8s.io/apiserver/pkg/storage/storagebackend (`--etcd-compaction-interval`). */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

export interface EventHistoryOptions {
  /** Time between compactions; 0 never compacts (as `--etcd-compaction-interval=0`). */
  compactionIntervalMs: number;
  /** At most this many changes kept, the oldest compacted first (tests expire versions with it); default no limit. */
  limit?: number;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** Changes in resourceVersion order, one per resourceVersion, compacted by time. */
export class EventHistory {
  private events: StoreEvent[] = [];
  /** Index in `events` of the oldest change kept; compacted ones before it are dropped in batches. */
  private start = 0;
  /** Reads at a resourceVersion below this one are expired; the kept changes are those after it. */
  private compacted = 0;
  /** The resourceVersion of the last change. */
  private latest = 0;
  private nextCompactionAt: number;
  /** The resourceVersion the compactor recorded at its last wake-up (none before the first). */
  private recorded?: number;

  constructor(private readonly opts: EventHistoryOptions) {
    this.nextCompactionAt = opts.now() + opts.compactionIntervalMs;
  }

  /** The oldest resourceVersion still readable (etcd's compact revision; 0 before any compaction). */
  get compactedResourceVersion(): number {
    this.compactDue();
    return this.compacted;
  }

  /** Records the next change (its resourceVersion is the last one plus one). */
  push(event: StoreEvent): void {
    this.compactDue();
    this.events.push(event);
    this.latest = event.resourceVersion;
    const limit = this.opts.limit;
    if (limit !== undefined && this.events.length - this.start > limit) this.compactTo(this.latest - limit);
  }

  /** Whether a read at `rv` (at most the latest) is older than the last compaction. */
  private isExpired(rv: number): boolean {
    return rv < this.latest && rv < this.compactedResourceVersion;
  }

  /** The changes after `rv`, oldest first, or 'expired' when `rv` has been compacted. */
  since(rv: number): StoreEvent[] | 'expired' {
    if (rv >= this.latest) return [];
    if (this.isExpired(rv)) return 'expired';
    // One change per resourceVersion, so the position is arithmetic.
    return this.events.slice(this.start + (rv - this.compacted));
  }

  private compactDue(): void {
    const interval = this.opts.compactionIntervalMs;
    if (!(interval > 0)) return;
    const now = this.opts.now();
    if (now < this.nextCompactionAt) return;
    const due = Math.floor((now - this.nextCompactionAt) / interval) + 1;
    // The first wake-up due compacts to the revision recorded before it; any later one found
    // nothing written since, so it compacts to the current revision.
    if (this.recorded !== undefined) this.compactTo(this.recorded);
    if (due > 1) this.compactTo(this.latest);
    this.recorded = this.latest;
    this.nextCompactionAt += due * interval;
  }

  private compactTo(rv: number): void {
    if (rv <= this.compacted) return;
    this.start += rv - this.compacted;
    this.compacted = rv;
    // Drop compacted changes in batches rather than shifting on every compaction.
    if (this.start > 1024 && this.start * 2 > this.events.length) {
      this.events = this.events.slice(this.start);
      this.start = 0;
    }
  }
}
