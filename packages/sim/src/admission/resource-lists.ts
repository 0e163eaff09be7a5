/**
 * Resource lists (`name -> quantity`) as the admission plugins handle them: parsed with
 * their format kept, summed as upstream `quota.Add` does, and a pod's effective requests
 * and limits (`PodRequests`/`PodLimits` of k8s.io/component-helpers/resource).
 */

import { type AmountArithmetic, addResourceList, parseResourceList, podResourceTotal } from '@daytwo/k8s/pod-requests.js';
import { addQuantities, formatQuantity, type Quantity, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { KubeObject } from '../types.js';

/** A parsed resource list. */
export type Resources = Map<string, Quantity>;

/** Quantities as the admission plugins sum them: exact, keeping the first operand's format (upstream `quota.Add`). */
const QUANTITIES: AmountArithmetic<Quantity> = {
  parse: (value) => tryParseQuantity(value as string | number),
  add: addQuantities,
  greater: (a, b) => a.nanos > b.nanos,
};

/** Parses a ResourceList; unparsable values count as absent (validation's business). */
export function parseResources(list: unknown): Resources {
  return parseResourceList(list, QUANTITIES);
}

/** Adds `b` into `a` (upstream `addResourceList`). */
export function addInto(a: Resources, b: ReadonlyMap<string, Quantity>): void {
  addResourceList(a, b, QUANTITIES);
}

/** A ResourceList in canonical text, keys sorted. */
export function resourcesJson(list: ReadonlyMap<string, Quantity>): Record<string, string> {
  return Object.fromEntries([...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, q]) => [k, formatQuantity(q)]));
}

/** `PodRequests` with quantities (see the domain's `podResourceTotal`). */
export function podRequests(pod: KubeObject): Resources {
  return podResourceTotal(pod, 'requests', QUANTITIES);
}

/** `PodLimits` with quantities. */
export function podLimits(pod: KubeObject): Resources {
  return podResourceTotal(pod, 'limits', QUANTITIES);
}
