/**
 * ServiceAccount controller (pkg/controller/serviceaccount): every active namespace has a
 * ServiceAccount `default`, recreated if deleted.
 */
import type { StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { createIfAbsent, GR, MANAGER, updateWithRetry } from './objects.js';

export class ServiceAccountController extends QueueController {
  readonly name = 'serviceaccount';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.namespaces && ev.type !== 'DELETED') return [ev.object.metadata.name ?? ''];
    if (ev.gr === 'serviceaccounts' && ev.type === 'DELETED' && ev.object.metadata.name === 'default') return [ev.object.metadata.namespace ?? ''];
    return [];
  }

  protected allKeys(): string[] {
    return this.ctx.store.list(GR.namespaces).map((ns) => ns.metadata.name ?? '');
  }

  protected reconcile(namespace: string): void {
    const ns = this.ctx.store.get(GR.namespaces, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (this.ctx.store.get('serviceaccounts', namespace, 'default')) return;
    createIfAbsent(this.ctx.store, 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, MANAGER.controllerManager);
  }
}

/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher): a
 * ConfigMap `kube-root-ca.crt` with the cluster's CA in every active namespace, which pods'
 * projected service account volumes read. Started with the API server's certificate.
 */
export class RootCaPublisher extends QueueController {
  readonly name = 'root-ca-cert-publisher';

  constructor(private readonly certificate: string) {
    super();
  }

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.namespaces && ev.type !== 'DELETED') return [ev.object.metadata.name ?? ''];
    if (ev.gr === 'configmaps' && ev.object.metadata.name === ROOT_CA) return [ev.object.metadata.namespace ?? ''];
    return [];
  }

  protected allKeys(): string[] {
    return this.ctx.store.list(GR.namespaces).map((ns) => ns.metadata.name ?? '');
  }

  protected reconcile(namespace: string): void {
    const ns = this.ctx.store.get(GR.namespaces, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const data = { 'ca.crt': this.certificate };
    const existing = this.ctx.store.get('configmaps', namespace, ROOT_CA);
    if (!existing) {
      createIfAbsent(this.ctx.store, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA, namespace }, data }, MANAGER.controllerManager);
    } else if (existing.data?.['ca.crt'] !== this.certificate) {
      updateWithRetry(this.ctx.store, 'configmaps', namespace, ROOT_CA, (cm) => {
        cm.data = data;
        return true;
      }, MANAGER.controllerManager);
    }
  }
}

const ROOT_CA = 'kube-root-ca.crt';
