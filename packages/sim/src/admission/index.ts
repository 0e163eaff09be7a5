/**
 * The admission chain the simulated API server runs on create, after the scheme's
 * defaulting and before the object is stored, in kube-apiserver's order: mutating
 * LimitRanger, then (after the pod strategy has set `status.qosClass`) validating
 * LimitRanger and ResourceQuota. Refusals are 403 Forbidden with upstream's messages
 * (`admission.NewForbidden`). Objects restored from fixtures skip it; updates are not
 * admitted (LimitRanger ignores pod updates upstream; quota re-charging on update is not
 * modelled).
 */

import { computeQosClass } from '@daytwo/k8s/qos.js';
import { ApiError } from '../errors.js';
import { splitGr } from '../resources.js';
import type { GroupResource, KubeObject, ObjectStore } from '../types.js';
import { admitDefaultStorageClass } from './default-storage-class.js';
import { applyLimitRangeDefaults, limitRangeViolation } from './limit-ranger.js';
import { checkQuotas } from './resource-quota.js';

export { LIMIT_RANGER_ANNOTATION } from './limit-ranger.js';

/** `apierrors.NewForbidden(resource, name, err)`: `pods "web-1" is forbidden: <err>`. */
export function admissionForbidden(gr: GroupResource, name: string, message: string): ApiError {
  const { group, resource } = splitGr(gr);
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError(403, 'Forbidden', `${qualified} "${name}" is forbidden: ${message}`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export interface AdmitOptions {
  dryRun: boolean;
  now: Date;
}

/**
 * Admits the create of `obj` (already defaulted, named and namespaced; mutated in place).
 * Throws the 403 of the first plugin that refuses; otherwise, unless a dry run, charges the
 * namespace's quotas by writing their `status.used` as the quota admission does.
 */
export function admitCreate(store: ObjectStore, gr: GroupResource, obj: KubeObject, opts: AdmitOptions): void {
  const namespace = obj.metadata.namespace;
  if (!namespace) return;
  const name = obj.metadata.name ?? '';

  if (gr === 'persistentvolumeclaims') admitDefaultStorageClass(store, obj);
  if (gr === 'pods' || gr === 'persistentvolumeclaims') {
    const limitRanges = store.list('limitranges', { namespace });
    if (limitRanges.length > 0) {
      if (gr === 'pods' && applyLimitRangeDefaults(obj, limitRanges)) {
        // The pod strategy's PrepareForCreate sets the class from the admitted resources.
        obj.status = { ...(obj.status ?? {}), qosClass: computeQosClass(obj) };
      }
      const violation = limitRangeViolation(gr, obj, limitRanges);
      if (violation) throw admissionForbidden(gr, name, violation);
    }
  }

  const quotas = store.list('resourcequotas', { namespace });
  if (quotas.length === 0) return;
  const verdict = checkQuotas(gr, obj, quotas, opts.now);
  if ('error' in verdict) throw admissionForbidden(gr, name, verdict.error);
  if (opts.dryRun) return;
  for (const { quota, used } of verdict.charges) {
    const copy = structuredClone(quota);
    copy.status = { ...copy.status, used };
    store.update('resourcequotas', copy, { fieldManager: 'kube-apiserver', subresource: 'status' });
  }
}
