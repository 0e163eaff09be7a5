/**
 * Controllers that keep one object in every active namespace: the ServiceAccount
 * controller's `default` ServiceAccount (pkg/controller/serviceaccount) and the root CA
 * publisher's `kube-root-ca.crt` ConfigMap (pkg/controller/certificates/rootcacertpublisher),
 * which pods' projected service account volumes read. Each is recreated if deleted.
 */
import type { KubeObject, StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { createIfAbsent, GR, getOf, jsonEqual, listOf, MANAGER, updateWithRetry } from './objects.js';

abstract class PerNamespaceController extends QueueController {
  /** The kept object's resource and name. */
  protected abstract readonly gr: string;
  protected abstract readonly objectName: string;
  /** The object as it must be in `namespace`. */
  protected abstract desired(namespace: string): KubeObject;
  /** Whether the live object still holds what it must (by default: it exists). */
  protected upToDate(_live: KubeObject): boolean {
    return true;
  }

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.namespaces && ev.type !== 'DELETED') return [ev.object.metadata.name ?? ''];
    if (ev.gr === this.gr && ev.object.metadata.name === this.objectName) return [ev.object.metadata.namespace ?? ''];
    return [];
  }

  protected allKeys(): string[] {
    return listOf(this.ctx.store, GR.namespaces).map((ns) => ns.metadata.name ?? '');
  }

  protected reconcile(namespace: string): void {
    const ns = getOf(this.ctx.store, GR.namespaces, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const live = this.ctx.store.get(this.gr, namespace, this.objectName);
    const want = this.desired(namespace);
    if (!live) {
      createIfAbsent(this.ctx.store, this.gr, want, MANAGER.controllerManager);
    } else if (!this.upToDate(live)) {
      updateWithRetry(this.ctx.store, this.gr, namespace, this.objectName, (o) => Object.assign(o, { ...want, metadata: o.metadata }) && true, MANAGER.controllerManager);
    }
  }
}

export class ServiceAccountController extends PerNamespaceController {
  readonly name = 'serviceaccount';
  protected readonly gr = 'serviceaccounts';
  protected readonly objectName = 'default';

  protected desired(namespace: string): KubeObject {
    return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } };
  }
}

/** Started with the API server's certificate, the cluster's CA here. */
export class RootCaPublisher extends PerNamespaceController {
  readonly name = 'root-ca-cert-publisher';
  protected readonly gr = 'configmaps';
  protected readonly objectName = 'kube-root-ca.crt';

  constructor(private readonly certificate: string) {
    super();
  }

  protected desired(namespace: string): KubeObject {
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.objectName, namespace }, data: { 'ca.crt': this.certificate } };
  }

  protected override upToDate(live: KubeObject): boolean {
    return jsonEqual(live.data, { 'ca.crt': this.certificate });
  }
}
