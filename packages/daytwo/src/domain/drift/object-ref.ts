import type { ObjectRef } from '../object-ref.js';
import type { DriftItem } from './types.js';

/** The live object a drift item names. */
export function driftObjectRef(item: Pick<DriftItem, 'apiVersion' | 'kind' | 'namespace' | 'name'>): ObjectRef {
  return { apiVersion: item.apiVersion, kind: item.kind, ...(item.namespace ? { namespace: item.namespace } : {}), name: item.name };
}
