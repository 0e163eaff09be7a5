/**
 * The work-queue skeleton every controller of the simulated cluster shares: store events
 * map to keys, keys are reconciled one at a time after the current write returns (never
 * inside the store's synchronous notification), and delays go through the clock.
 */
import type { Controller, ControllerContext, KubeObject, StoreEvent } from '../types.js';
import { type ClusterIndex, clusterIndex } from './cluster-index.js';
import { controllerOf } from './objects.js';

/**
 * The context `settle()` hands to controllers: `immediate` asks the kubelet to skip its
 * delays (pods start, get ready, finish and terminate at once).
 */
export interface SimControllerContext extends ControllerContext {
  immediate?: boolean;
}

/** A controller whose reconciliation can be driven synchronously (see `settle`). */
export interface SimController extends Controller {
  /** Reconciles every object this controller manages, once. */
  reconcileAll(): void;
  /** The last error a reconcile threw (kept for diagnosis; the key is retried). */
  readonly lastError?: unknown;
}

const RETRY_MS = 1000;

export abstract class QueueController implements SimController {
  abstract readonly name: string;
  lastError?: unknown;
  protected ctx!: SimControllerContext;
  private readonly queue = new Set<string>();
  private readonly timers = new Map<string, () => void>();
  private unsubscribe?: () => void;
  private flushScheduled?: () => void;
  private indexCache?: ClusterIndex;

  start(ctx: ControllerContext): void {
    this.stop();
    this.ctx = ctx;
    this.indexCache = clusterIndex(ctx.store);
    this.unsubscribe = ctx.store.subscribe((ev) => {
      for (const key of this.keysFor(ev)) this.enqueue(key);
    });
    for (const key of this.allKeys()) this.enqueue(key);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.flushScheduled?.();
    this.flushScheduled = undefined;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.queue.clear();
  }

  reconcileAll(): void {
    this.queue.clear();
    for (const key of this.allKeys()) this.reconcileSafely(key);
  }

  /** Keys (usually `namespace/name`) to reconcile after a store event. */
  protected abstract keysFor(ev: StoreEvent): Iterable<string>;
  /** Every key this controller manages. */
  protected abstract allKeys(): Iterable<string>;
  /** Brings one key's objects to their desired state. */
  protected abstract reconcile(key: string): void;

  protected get index(): ClusterIndex {
    return this.indexCache!;
  }

  protected get immediate(): boolean {
    return this.ctx.immediate === true;
  }

  protected now(): Date {
    return this.ctx.clock.now();
  }

  protected enqueue(key: string): void {
    this.queue.add(key);
    if (!this.flushScheduled) this.flushScheduled = this.ctx.clock.after(0, () => this.flush());
  }

  /** Reconciles `key` again after `ms` (scaled by the clock's speed); one timer per key. */
  protected requeueAfter(key: string, ms: number): void {
    if (this.immediate) return;
    this.timers.get(key)?.();
    const cancel = this.ctx.clock.after(ms, () => {
      this.timers.delete(key);
      this.enqueue(key);
    });
    this.timers.set(key, cancel);
  }

  private flush(): void {
    this.flushScheduled = undefined;
    const keys = [...this.queue];
    this.queue.clear();
    for (const key of keys) this.reconcileSafely(key);
  }

  private reconcileSafely(key: string): void {
    try {
      this.reconcile(key);
    } catch (err) {
      this.lastError = err;
      this.requeueAfter(key, RETRY_MS);
    }
  }
}

/** Keys of a list of objects: `namespace/name`. */
export function keysOf(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
}

/** The key of `obj`'s controller when it is a `kind`: how a change to an owned object requeues its owner. */
export function ownerKeys(obj: KubeObject, kind: string): string[] {
  const ref = controllerOf(obj);
  return ref?.kind === kind ? [`${obj.metadata.namespace ?? ''}/${ref.name}`] : [];
}
