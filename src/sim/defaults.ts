import type { GroupResource, KubeObject } from './types.js';

/**
 * Fills in what the API server's defaulting fills in for `gr` (placeholder until the
 * defaulting module lands: returns the object unchanged).
 */
export function applyDefaults(_gr: GroupResource, obj: KubeObject): KubeObject {
  return obj;
}
