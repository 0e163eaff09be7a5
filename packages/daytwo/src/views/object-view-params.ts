import type { ObjectRef } from '../domain/object-ref.js';

/** What the object view shows: the object's YAML, its `kubectl describe`, or its events. */
export type ObjectViewMode = 'yaml' | 'describe' | 'events';

/** What `openView('object', params)` takes. */
export interface ObjectViewParams {
  readonly ref: ObjectRef;
  readonly mode: ObjectViewMode;
}

export function isObjectViewParams(p: unknown): p is ObjectViewParams {
  if (p === null || typeof p !== 'object') return false;
  const { ref, mode } = p as Record<string, unknown>;
  if (ref === null || typeof ref !== 'object' || !['yaml', 'describe', 'events'].includes(mode as string)) return false;
  const r = ref as Record<string, unknown>;
  return typeof r.apiVersion === 'string' && typeof r.kind === 'string' && typeof r.name === 'string';
}
