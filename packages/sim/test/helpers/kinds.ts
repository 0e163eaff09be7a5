/**
 * Typed reads of the sim's store for tests: the group/resource a test reads names the kind
 * of what comes back, so `getAs(store, 'pods', ns, name)` is a `Pod` without a cast at
 * every read. Types only: the objects are the store's own.
 */

import type { ConditionRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { StoredKind } from '../../src/controllers/objects.js';

export { createOf as createAs, getOf as getAs, listOf as listAs } from '../../src/controllers/objects.js';

/** The kind stored under `gr` (the sim's `KindOf`); a resource not typed there (a custom resource) stays a `KubeObject`. */
export type KindOf<R extends string> = StoredKind<R>;

/** The condition of `type` in an object's `status.conditions` (any kind's: they share these fields). */
export function condition(obj: { status?: { conditions?: ConditionRecord[] } }, type: string): ConditionRecord | undefined {
  return (obj.status?.conditions ?? []).find((c) => c.type === type);
}

/** A function of a resource and an object (a defaulter) whose result is typed by the resource. */
export function kindTyped(fn: (gr: string, obj: KubeObject) => KubeObject): <R extends string>(gr: R, obj: KubeObject) => KindOf<R> {
  return <R extends string>(gr: R, obj: KubeObject) => fn(gr, obj) as KindOf<R>;
}
