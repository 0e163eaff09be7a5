/**
 * Resource lists (`name -> quantity`) as the admission plugins handle them: parsed with
 * their format kept, summed as upstream `quota.Add` does, and a pod's effective requests
 * and limits (`PodRequests`/`PodLimits` of k8s.io/component-helpers/resource).
 */

import { addQuantities, formatQuantity, type Quantity, tryParseQuantity } from '../../domain/quantity.js';
import type { KubeObject } from '../types.js';

/** A parsed resource list. */
export type Resources = Map<string, Quantity>;

type Json = Record<string, any>;

/** Parses a ResourceList; unparsable values count as absent (validation's business). */
export function parseResources(list: unknown): Resources {
  const out: Resources = new Map();
  if (typeof list !== 'object' || list === null) return out;
  for (const [name, value] of Object.entries(list as Json)) {
    const q = tryParseQuantity(value);
    if (q) out.set(name, q);
  }
  return out;
}

/** Adds `b` into `a` (upstream `addResourceList`). */
export function addInto(a: Resources, b: ReadonlyMap<string, Quantity>): void {
  for (const [name, q] of b) {
    const cur = a.get(name);
    a.set(name, cur ? addQuantities(cur, q) : q);
  }
}

/** Raises `a` to `b` where `b` is larger (upstream `maxResourceList`). */
function maxInto(a: Resources, b: ReadonlyMap<string, Quantity>): void {
  for (const [name, q] of b) {
    const cur = a.get(name);
    if (!cur || q.nanos > cur.nanos) a.set(name, q);
  }
}

/** A ResourceList in canonical text, keys sorted. */
export function resourcesJson(list: ReadonlyMap<string, Quantity>): Record<string, string> {
  return Object.fromEntries([...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, q]) => [k, formatQuantity(q)]));
}

function isPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * `PodRequests`/`PodLimits`: app containers plus sidecars (restartable init containers),
 * or the largest need of one init container next to the sidecars started before it; then
 * pod-level resources override cpu, memory and hugepages; then the overhead (for limits
 * only on resources that already have one).
 */
function podAggregate(pod: KubeObject, which: 'requests' | 'limits'): Resources {
  const spec: Json = pod.spec ?? {};
  const total: Resources = new Map();
  for (const c of (spec.containers ?? []) as Json[]) addInto(total, parseResources(c.resources?.[which]));
  const sidecars: Resources = new Map();
  const initPeak: Resources = new Map();
  for (const c of (spec.initContainers ?? []) as Json[]) {
    const own = parseResources(c.resources?.[which]);
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const whileRunning: Resources = new Map(own);
      addInto(whileRunning, sidecars);
      maxInto(initPeak, whileRunning);
    }
  }
  maxInto(total, initPeak);
  const podLevel = parseResources(spec.resources?.[which]);
  for (const [name, q] of podLevel) if (isPodLevelResource(name)) total.set(name, q);
  const overhead = parseResources(spec.overhead);
  for (const [name, q] of overhead) {
    const cur = total.get(name);
    if (which === 'requests') total.set(name, cur ? addQuantities(cur, q) : q);
    else if (cur) total.set(name, addQuantities(cur, q));
  }
  return total;
}

export function podRequests(pod: KubeObject): Resources {
  return podAggregate(pod, 'requests');
}

export function podLimits(pod: KubeObject): Resources {
  return podAggregate(pod, 'limits');
}
