/**
 * What the registry strategies (pkg/registry/<group>/<resource>/strategy.go) do to status:
 * PrepareForCreate resets it, PrepareForUpdate keeps the stored one for main-resource
 * writes, and the status strategy changes nothing else.
 */

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
