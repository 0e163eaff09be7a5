/**
 * Garbage collector, after k8s.io/kubernetes/pkg/controller/garbagecollector: when an owner
 * is deleted its dependents (by ownerReferences uid) are deleted in the background, or
 * orphaned (their reference to it removed) when the delete asked for `propagationPolicy:
 * Orphan`. The store reports that policy on the DELETED event (`StoreEvent.propagationPolicy`)
 * instead of the real server's `orphan` finalizer; an `orphan` or `foregroundDeletion`
 * finalizer set by a client is honoured too and removed once handled.
 * Dependents whose owners were already missing at start-up (e.g. fixtures exported
 * without their owners) are left alone.
 *
 * A foreground deletion (`foregroundDeletion` finalizer, which the store adds for
 * `propagationPolicy: Foreground`) deletes the dependents first, in the foreground too, and
 * releases the owner only once no dependent with `blockOwnerDeletion` is left
 * (garbagecollector.processDeletingDependentsItem).
 */
import type { KubeObject, StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { deleteIfPresent, MANAGER, updateWithRetry } from './objects.js';

const GC_FINALIZERS = new Set(['orphan', 'foregroundDeletion']);

export class GarbageCollector extends QueueController {
  readonly name = 'garbage-collector';

  protected keysFor(ev: StoreEvent): string[] {
    const uid = ev.object.metadata.uid;
    const keys = uid && this.index.hasTombstone(uid) ? [uid] : [];
    // A dependent gone may release an owner waiting in the foreground.
    if (ev.type === 'DELETED') {
      for (const ref of ev.object.metadata.ownerReferences ?? []) {
        if (this.index.peekTombstone(ref.uid)?.policy === 'Foreground') keys.push(ref.uid);
      }
    }
    return keys;
  }

  protected allKeys(): string[] {
    return this.index.tombstoneUids();
  }

  protected reconcile(uid: string): void {
    const pending = this.index.peekTombstone(uid);
    if (pending?.policy === 'Foreground') {
      this.reconcileForeground(uid, pending.gr, pending.owner);
      return;
    }
    const job = this.index.takeTombstone(uid);
    if (!job) return;
    for (const ref of this.index.dependentsOf(uid)) {
      const dependent = this.ctx.store.get(ref.gr, ref.namespace, ref.name);
      if (!dependent) continue;
      const others = (dependent.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const liveOwnerRemains = others.some((r) => this.ownerAlive(r.uid));
      if (job.policy === 'Orphan' || liveOwnerRemains) {
        updateWithRetry(
          this.ctx.store,
          ref.gr,
          ref.namespace,
          ref.name,
          (copy) => {
            const refs = (copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
            if (refs.length === (copy.metadata.ownerReferences ?? []).length) return false;
            if (refs.length > 0) copy.metadata.ownerReferences = refs;
            else delete copy.metadata.ownerReferences;
            return true;
          },
          MANAGER.controllerManager,
        );
      } else if (!dependent.metadata.deletionTimestamp) {
        deleteIfPresent(this.ctx.store, ref.gr, ref.namespace, ref.name, {
          ...MANAGER.controllerManager,
          propagationPolicy: 'Background',
        });
      }
    }
    this.releaseFinalizers(job.gr, job.owner);
  }

  private reconcileForeground(uid: string, gr: string, owner: KubeObject): void {
    let blocking = 0;
    for (const ref of this.index.dependentsOf(uid)) {
      const dependent = this.ctx.store.get(ref.gr, ref.namespace, ref.name);
      if (!dependent) continue;
      const toOwner = (dependent.metadata.ownerReferences ?? []).find((r) => r.uid === uid);
      if (toOwner?.blockOwnerDeletion) blocking++;
      if (!dependent.metadata.deletionTimestamp) {
        deleteIfPresent(this.ctx.store, ref.gr, ref.namespace, ref.name, { ...MANAGER.controllerManager, propagationPolicy: 'Foreground' });
      }
    }
    if (blocking > 0) return;
    this.index.takeTombstone(uid);
    this.releaseFinalizers(gr, owner);
  }

  private ownerAlive(uid: string): boolean {
    const ref = this.index.lookupUid(uid);
    if (!ref) return false;
    return !this.ctx.store.get(ref.gr, ref.namespace, ref.name)?.metadata.deletionTimestamp;
  }

  /** Drops the GC finalizers of an owner still being deleted, which completes its deletion. */
  private releaseFinalizers(gr: string, owner: KubeObject): void {
    updateWithRetry(
      this.ctx.store,
      gr,
      owner.metadata.namespace,
      owner.metadata.name ?? '',
      (copy) => {
        if (copy.metadata.uid !== owner.metadata.uid || !copy.metadata.deletionTimestamp) return false;
        const finalizers = (copy.metadata.finalizers ?? []).filter((f) => !GC_FINALIZERS.has(f));
        if (finalizers.length === (copy.metadata.finalizers ?? []).length) return false;
        copy.metadata.finalizers = finalizers;
        return true;
      },
      MANAGER.controllerManager,
    );
  }
}
