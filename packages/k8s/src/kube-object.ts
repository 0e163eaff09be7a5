/**
 * The loose shape of any Kubernetes object as JSON. Typed views of specific kinds use
 * @kubernetes/client-node's model types (`import type { V1Pod }`); note that objects in
 * the store come from plain JSON, so their timestamps are strings, not `Date`s.
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** The store key of an object: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}

/** Seconds since a timestamp that may be a string (plain JSON) or a Date (typed client). */
export function secondsSince(ts: string | Date | undefined, now: number = Date.now()): number | undefined {
  if (!ts) return undefined;
  const t = typeof ts === 'string' ? Date.parse(ts) : ts.getTime();
  return Number.isNaN(t) ? undefined : Math.max(0, Math.floor((now - t) / 1000));
}

/**
 * Oldest first, then by name: the controllers' `ReplicaSetsByCreationTimestamp` and
 * `ByCreationTimestamp` orders (a missing timestamp sorts as the oldest). Names compare as
 * Go's strings do (by UTF-16 code unit here, the same for the ASCII of object names).
 */
export function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return ta - tb || (na < nb ? -1 : na > nb ? 1 : 0);
}
