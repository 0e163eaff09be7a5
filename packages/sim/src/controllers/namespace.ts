/**
 * Namespace controller, after k8s.io/kubernetes/pkg/controller/namespace (deletion/
 * namespaced_resources_deleter.go): a namespace being deleted has everything in it deleted,
 * and once nothing is left, its `kubernetes` finalizer is removed through the `finalize`
 * subresource, which completes its deletion.
 */
import type { Namespace } from '@daytwo/k8s/wire-types.js';
import type { GroupResource, StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { deleteIfPresent, GR, MANAGER, updateWithRetry } from './objects.js';

const NAMESPACE_FINALIZER = 'kubernetes';

export class NamespaceController extends QueueController {
  readonly name = 'namespace';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.namespaces) return ev.object.metadata.deletionTimestamp ? [ev.object.metadata.name ?? ''] : [];
    const namespace = ev.object.metadata.namespace;
    if (ev.type !== 'DELETED' || !namespace) return [];
    return this.ctx.store.get(GR.namespaces, undefined, namespace)?.metadata.deletionTimestamp ? [namespace] : [];
  }

  protected allKeys(): string[] {
    return this.ctx.store
      .list(GR.namespaces)
      .filter((ns) => ns.metadata.deletionTimestamp)
      .map((ns) => ns.metadata.name ?? '');
  }

  protected reconcile(name: string): void {
    const ns = this.ctx.store.get(GR.namespaces, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const gr of this.namespacedResources()) {
      for (const obj of this.ctx.store.list(gr, { namespace: name })) {
        remaining++;
        if (!obj.metadata.deletionTimestamp) {
          deleteIfPresent(this.ctx.store, gr, name, obj.metadata.name ?? '', { ...MANAGER.controllerManager, propagationPolicy: 'Background' });
        }
      }
    }
    // What is left (pods terminating, finalizers) requeues this namespace when it goes.
    if (remaining > 0) return;
    updateWithRetry<Namespace>(
      this.ctx.store,
      GR.namespaces,
      undefined,
      name,
      (copy) => {
        const finalizers = copy.spec?.finalizers ?? [];
        if (!finalizers.includes(NAMESPACE_FINALIZER)) return false;
        copy.spec = { ...copy.spec, finalizers: finalizers.filter((f) => f !== NAMESPACE_FINALIZER) };
        return true;
      },
      { ...MANAGER.controllerManager, subresource: 'finalize' },
    );
  }

  private namespacedResources(): GroupResource[] {
    return this.ctx.store
      .resourceTypes()
      .filter((t) => t.namespaced && t.verbs.includes('delete') && t.verbs.includes('list'))
      .map((t) => (t.group ? `${t.group}/${t.resource}` : t.resource));
  }
}
