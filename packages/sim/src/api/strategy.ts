/**
 * What the registry strategies (pkg/registry/<group>/<resource>/strategy.go) do to status:
 * PrepareForCreate resets it, PrepareForUpdate keeps the stored one for main-resource
 * writes, and the status strategy changes nothing else.
 */

import { isDeepStrictEqual } from 'node:util';
import type { Job } from '@daytwo/k8s/wire-types.js';
import type { GroupResource, KubeObject, ResourceType } from '../types.js';

/** pkg/registry PrepareForCreate: clients cannot set the status of most kinds on create. */
export function resetStatusOnCreate(type: ResourceType, gr: GroupResource, obj: KubeObject): void {
  if (!type.subresources?.includes('status')) return;
  switch (gr) {
    case 'nodes':
    case 'namespaces':
      return;
    case 'pods':
      obj.status = { phase: 'Pending' };
      return;
    case 'services':
      obj.status = { loadBalancer: {} };
      return;
    case 'persistentvolumeclaims':
    case 'persistentvolumes':
      obj.status = { phase: 'Pending' };
      return;
    default:
      obj.status = {};
  }
}

/** The object to store for an update of the main resource or of its status subresource. */
export function prepareUpdate(type: ResourceType, old: KubeObject, next: KubeObject, subresource?: string): KubeObject {
  if (subresource === 'status') {
    // Status writes change status only (strategy PrepareForUpdate of the status REST).
    return { ...structuredClone(old), status: next.status, metadata: { ...structuredClone(old.metadata), resourceVersion: next.metadata.resourceVersion } };
  }
  if (type.subresources?.includes('status')) {
    // Main-resource writes cannot change status of kinds that have a status subresource.
    const kept = { ...next };
    if (old.status === undefined) delete kept.status;
    else kept.status = old.status;
    return kept;
  }
  return next;
}

/**
 * PrepareForCreate work that needs the uid the API server assigns (pkg/registry/batch/job
 * strategy.go generateSelector): a Job without `manualSelector` gets the job-name and
 * controller-uid labels (legacy and `batch.kubernetes.io/` forms) on its template and a
 * selector on its controller-uid.
 */
export function prepareForCreateWithUid(gr: GroupResource, obj: KubeObject): void {
  if (gr !== 'batch/jobs') return;
  // Defaulting (SetDefaults_Job) has given every Job a spec by now.
  const spec = (obj as Job).spec;
  if (!spec || spec.manualSelector === true) return;
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  spec.template ??= {};
  const template = spec.template;
  template.metadata ??= {};
  const before = { ...(template.metadata.labels ?? {}) };
  template.metadata.labels ??= {};
  const labels = template.metadata.labels;
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) labels[key] ??= name;
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[key] ??= uid;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
  // SetDefaults_Job gives a Job without labels its template's; the API server defaults the
  // stored Job again when it reads it, so clients see the generated labels there too.
  if (isDeepStrictEqual(obj.metadata.labels ?? {}, before)) obj.metadata.labels = { ...labels };
}
