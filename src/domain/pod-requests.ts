/**
 * A pod's effective resource requests, as the scheduler and `kubectl describe node`
 * compute them: `PodRequests` in k8s.io/component-helpers/resource/helpers.go.
 */

import type { KubeObject } from './kube-object.js';
import { tryParseQuantity } from './quantity.js';

/** Resource name -> amount in nano-units (exact; see quantity.ts). */
export type ResourceAmounts = Map<string, bigint>;

interface ContainerLike {
  resources?: { requests?: Record<string, string | number> };
  restartPolicy?: string;
}

/** Resources a pod may request at pod level (`supportedPodLevelResources` plus hugepages). */
function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

function toAmounts(list: Record<string, string | number> | undefined): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(value);
    if (q) out.set(name, q.nanos);
  }
  return out;
}

/** Adds `b` into `a`. */
export function addAmounts(a: ResourceAmounts, b: ReadonlyMap<string, bigint>): void {
  for (const [name, v] of b) a.set(name, (a.get(name) ?? 0n) + v);
}

/** Raises each of `a`'s amounts to `b`'s where larger (upstream `maxResourceList`). */
function maxInto(a: ResourceAmounts, b: ReadonlyMap<string, bigint>): void {
  for (const [name, v] of b) {
    const cur = a.get(name);
    if (cur === undefined || v > cur) a.set(name, v);
  }
}

/**
 * The pod's effective requests: the sum of its app containers' requests and its sidecars'
 * (init containers with `restartPolicy: Always`), or what any one init container needs
 * while it runs next to the sidecars started before it, whichever is larger, per resource;
 * pod-level `spec.resources.requests` override that for cpu, memory and hugepages; then
 * `spec.overhead` is added. Unparsable quantities count as absent.
 */
export function podRequests(pod: KubeObject): ResourceAmounts {
  const spec = pod.spec ?? {};
  const total: ResourceAmounts = new Map();
  for (const c of (spec.containers ?? []) as ContainerLike[]) addAmounts(total, toAmounts(c.resources?.requests));

  // KEP-753: InitContainerUse(i) = sum(restartable init containers before i) + init container i.
  const sidecars: ResourceAmounts = new Map();
  const initPeak: ResourceAmounts = new Map();
  for (const c of (spec.initContainers ?? []) as ContainerLike[]) {
    const own = toAmounts(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      addAmounts(total, own);
      addAmounts(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const whileRunning: ResourceAmounts = new Map(own);
      addAmounts(whileRunning, sidecars);
      maxInto(initPeak, whileRunning);
    }
  }
  maxInto(total, initPeak);

  const podLevel = toAmounts(spec.resources?.requests);
  if ([...podLevel.keys()].some(isSupportedPodLevelResource)) {
    for (const [name, v] of podLevel) if (isSupportedPodLevelResource(name)) total.set(name, v);
  }
  addAmounts(total, toAmounts(spec.overhead));
  return total;
}

/** Amounts of a ResourceList such as `status.allocatable`. */
export function resourceAmounts(list: Record<string, string | number> | undefined): ResourceAmounts {
  return toAmounts(list);
}

/** Whether the pod has finished (`Succeeded` or `Failed`): it no longer holds node resources. */
export function isTerminated(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
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
