/** What a sync of a drift item needs RBAC to allow. */
import type { AccessQuery } from '../operations.js';
import type { DriftItem } from './types.js';

/** Statuses a sync applies Git to: a changed object is patched, a missing one created. */
export function isSyncable(item: DriftItem): boolean {
  return item.resource !== undefined && (item.status === 'OutOfSync' || item.status === 'Missing');
}

/**
 * `patch` on the object; and `create` when it does not exist, which the API server checks
 * when a server-side apply creates an object (k8s.io/apiserver pkg/endpoints/handlers/patch.go:
 * createAuthorizerAttributes, verb "create" with the object's name).
 */
export function syncAccessQueries(item: DriftItem): AccessQuery[] {
  if (!item.resource) return [];
  const base = { group: item.group, resource: item.resource, ...(item.namespace ? { namespace: item.namespace } : {}), name: item.name };
  return item.status === 'Missing' ? [{ verb: 'patch', ...base }, { verb: 'create', ...base }] : [{ verb: 'patch', ...base }];
}
