/**
 * A pod's effective resource requests, as the scheduler and `kubectl describe node`
 * compute them: `PodRequests` in k8s.io/component-helpers/resource/helpers.go.
 */

import type { KubeObject } from './kube-object.js';
import { tryParseQuantity } from './quantity.js';
import type { Container, Pod } from './wire-types.js';

/** Resource name -> amount in nano-units (exact; see quantity.ts). */
export type ResourceAmounts = Map<string, bigint>;

/** How one representation of amounts (nano-unit bigints, or quantities keeping their format) is read and summed. */
export interface AmountArithmetic<V> {
  parse(value: unknown): V | undefined;
  add(a: V, b: V): V;
  greater(a: V, b: V): boolean;
}

const NANOS: AmountArithmetic<bigint> = {
  parse: (value) => tryParseQuantity(value as string | number)?.nanos,
  add: (a, b) => a + b,
  greater: (a, b) => a > b,
};

/** Resources a pod may set at pod level (`supportedPodLevelResources` plus hugepages). */
function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/** Parses a ResourceList; unparsable quantities count as absent. */
export function parseResourceList<V>(list: unknown, ops: AmountArithmetic<V>): Map<string, V> {
  const out = new Map<string, V>();
  if (typeof list !== 'object' || list === null) return out;
  for (const [name, value] of Object.entries(list)) {
    const v = ops.parse(value);
    if (v !== undefined) out.set(name, v);
  }
  return out;
}

/** Adds `b` into `a` (upstream `addResourceList`). */
export function addResourceList<V>(a: Map<string, V>, b: ReadonlyMap<string, V>, ops: AmountArithmetic<V>): void {
  for (const [name, v] of b) {
    const cur = a.get(name);
    a.set(name, cur === undefined ? v : ops.add(cur, v));
  }
}

/** Raises each of `a`'s amounts to `b`'s where larger (upstream `maxResourceList`). */
function maxInto<V>(a: Map<string, V>, b: ReadonlyMap<string, V>, ops: AmountArithmetic<V>): void {
  for (const [name, v] of b) {
    const cur = a.get(name);
    if (cur === undefined || ops.greater(v, cur)) a.set(name, v);
  }
}

/** Adds `b` into `a`. */
export function addAmounts(a: ResourceAmounts, b: ReadonlyMap<string, bigint>): void {
  addResourceList(a, b, NANOS);
}

/**
 * A pod's effective requests or limits (`PodRequests`/`PodLimits`): the sum of its app
 * containers' and its sidecars' (init containers with `restartPolicy: Always`), or what any
 * one init container needs while it runs next to the sidecars started before it, whichever
 * is larger, per resource; pod-level `spec.resources` override that for cpu, memory and
 * hugepages; then `spec.overhead` is added (to limits only where a limit is set).
 * Unparsable quantities count as absent.
 */
export function podResourceTotal<V>(pod: KubeObject, which: 'requests' | 'limits', ops: AmountArithmetic<V>): Map<string, V> {
  const spec = (pod as Pod).spec;
  const of = (c: Container) => parseResourceList(c.resources?.[which], ops);
  const total = new Map<string, V>();
  for (const c of spec?.containers ?? []) addResourceList(total, of(c), ops);

  // KEP-753: InitContainerUse(i) = sum(restartable init containers before i) + init container i.
  const sidecars = new Map<string, V>();
  const initPeak = new Map<string, V>();
  for (const c of spec?.initContainers ?? []) {
    const own = of(c);
    if (c.restartPolicy === 'Always') {
      addResourceList(total, own, ops);
      addResourceList(sidecars, own, ops);
      maxInto(initPeak, sidecars, ops);
    } else {
      const whileRunning = new Map(own);
      addResourceList(whileRunning, sidecars, ops);
      maxInto(initPeak, whileRunning, ops);
    }
  }
  maxInto(total, initPeak, ops);

  const podLevel = parseResourceList(spec?.resources?.[which], ops);
  for (const [name, v] of podLevel) if (isSupportedPodLevelResource(name)) total.set(name, v);
  for (const [name, v] of parseResourceList(spec?.overhead, ops)) {
    const cur = total.get(name);
    if (cur !== undefined) total.set(name, ops.add(cur, v));
    else if (which === 'requests') total.set(name, v);
  }
  return total;
}

/** The pod's effective requests in nano-units, as the scheduler and `kubectl describe node` compute them. */
export function podRequests(pod: KubeObject): ResourceAmounts {
  return podResourceTotal(pod, 'requests', NANOS);
}

/** Amounts of a ResourceList such as `status.allocatable`. */
export function resourceAmounts(list: Record<string, string | number> | undefined): ResourceAmounts {
  return parseResourceList(list, NANOS);
}

/** Whether the pod has finished (`Succeeded` or `Failed`): it no longer holds node resources. */
export function isTerminated(pod: KubeObject): boolean {
  const phase = (pod as Pod).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

const NANOS_PER_MILLI = 1_000_000n;
const NANOS_PER_UNIT = 1_000_000_000n;

/** Millicores of the `cpu` amount, rounded up like `MilliValue()`. */
export function cpuMillis(amounts: ReadonlyMap<string, bigint>): number {
  const n = amounts.get('cpu') ?? 0n;
  return Number((n + NANOS_PER_MILLI - 1n) / NANOS_PER_MILLI);
}

/** Bytes of the `memory` amount, rounded up like `Value()`. */
export function memoryBytes(amounts: ReadonlyMap<string, bigint>): number {
  const n = amounts.get('memory') ?? 0n;
  return Number((n + NANOS_PER_UNIT - 1n) / NANOS_PER_UNIT);
}
