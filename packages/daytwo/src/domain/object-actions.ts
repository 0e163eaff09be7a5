/**
 * The object actions k9s users expect on any row, as kubectl does them: delete (grace period
 * and cascade), scale, rollout restart; which kinds each applies to and what each needs of RBAC.
 */

import { KIND_NAMES } from './kinds.js';
import { apiGroup, type ObjectRef, STORE_KIND_TYPES } from './object-ref.js';
import type { AccessQuery } from './operations.js';

/** kubectl delete's `--cascade`: background (the default), foreground or orphan. */
export type Cascade = 'background' | 'foreground' | 'orphan';
export const CASCADES: readonly Cascade[] = ['background', 'foreground', 'orphan'];

/** The `propagationPolicy` kubectl sends for a `--cascade` value. */
export function propagationPolicy(cascade: Cascade): 'Background' | 'Foreground' | 'Orphan' {
  return cascade === 'foreground' ? 'Foreground' : cascade === 'orphan' ? 'Orphan' : 'Background';
}

/** Options of a delete: `gracePeriodSeconds` undefined is kubectl's `--grace-period=-1` (the object's own). */
export interface DeleteChoice {
  readonly gracePeriodSeconds?: number;
  readonly cascade: Cascade;
}

/** Kinds with a scale subresource that `kubectl scale` scales. */
export const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const;
/** Kinds `kubectl rollout restart` restarts. */
export const RESTARTABLE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

const isApps = (ref: ObjectRef) => ref.apiVersion === 'apps/v1';

export function canScale(ref: ObjectRef | undefined): boolean {
  return ref !== undefined && isApps(ref) && (SCALABLE_KINDS as readonly string[]).includes(ref.kind);
}

export function canRestart(ref: ObjectRef | undefined): boolean {
  return ref !== undefined && isApps(ref) && (RESTARTABLE_KINDS as readonly string[]).includes(ref.kind);
}

/** The plural resource of a kind daytwo knows; undefined for others (checked when the action runs). */
export function knownResource(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): string | undefined {
  return KIND_NAMES.find((k) => STORE_KIND_TYPES[k].apiVersion === ref.apiVersion && STORE_KIND_TYPES[k].kind === ref.kind);
}

/**
 * The SelfSubjectAccessReview of a verb on the object (or a subresource), when its resource is
 * known: from the store's kinds, or `resource` (the plural discovery gave, for any other kind).
 */
export function objectAccess(ref: ObjectRef, verb: string, subresource?: string, resource = knownResource(ref)): AccessQuery | undefined {
  if (!resource) return undefined;
  return {
    verb,
    group: apiGroup(ref.apiVersion),
    resource,
    ...(subresource ? { subresource } : {}),
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}

/** Go's `time.Now().Format(time.RFC3339)`: local time to the second, `Z` for a zero offset. */
export function rfc3339Local(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}T${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}${zone}`;
}

/** The pod template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
