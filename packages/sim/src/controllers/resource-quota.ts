/**
 * Resource quota controller, after k8s.io/kubernetes/pkg/controller/resourcequota: keeps
 * every ResourceQuota's `status.hard` equal to `spec.hard` and `status.used` equal to what
 * the namespace's objects use (see admission/resource-quota.ts), recounted whenever a quota
 * or an object of its namespace changes. Admission charges creates at once; this is what
 * gives back what deleted and finished pods held.
 */

import type { ResourceQuota } from '@daytwo/k8s/wire-types.js';
import { computeUsed, isModelledQuota } from '../admission/resource-quota.js';
import type { GroupResource, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { getOf, jsonEqual, MANAGER, splitKey, updateWithRetry } from './objects.js';

const QUOTAS = 'resourcequotas' satisfies GroupResource;

export class ResourceQuotaController extends QueueController {
  readonly name = 'resourcequota';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === QUOTAS) return keysOf([ev.object]);
    const ns = ev.object.metadata.namespace;
    if (!ns) return [];
    return keysOf(this.ctx.store.list(QUOTAS, { namespace: ns }));
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(QUOTAS));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const quota = getOf(this.ctx.store, QUOTAS, namespace, name);
    if (!quota || !namespace || quota.metadata.deletionTimestamp) return;
    const hard = { ...(quota.spec?.hard ?? {}) };
    const used = isModelledQuota(quota)
      ? computeUsed(hard, (gr) => this.ctx.store.list(gr, { namespace }), (n) => this.grForCountName(n), this.now())
      : (quota.status?.used ?? {});
    updateWithRetry<ResourceQuota>(
      this.ctx.store,
      QUOTAS,
      namespace,
      name,
      (copy) => {
        const status = { hard, used };
        if (jsonEqual(copy.status ?? {}, status)) return false;
        copy.status = status;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }

  /** `count/deployments.apps` -> `apps/deployments`, when the server has that resource. */
  private grForCountName(name: string): GroupResource | undefined {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    const gr = dot < 0 ? rest : `${rest.slice(dot + 1)}/${rest.slice(0, dot)}`;
    return this.ctx.store.resourceType(gr) ? gr : undefined;
  }
}
