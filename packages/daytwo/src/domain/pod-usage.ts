/**
 * Pod resource usage as the metrics API (`metrics.k8s.io/v1beta1` PodMetrics, served by
 * metrics-server) reports it, indexed by `namespace/name` for the QoS views and reports.
 */

import { type Quantity, sumQuantities, tryParseQuantity } from '@daytwo/k8s/quantity.js';

/** cpu and memory (working set) usage; a resource is absent when not reported. */
export interface ResourceUsage {
  readonly cpu?: Quantity;
  readonly memory?: Quantity;
}

/** One container's usage. */
export interface ContainerUsage extends ResourceUsage {
  readonly name: string;
}

/** A pod's usage: its containers' and their sum (what the kubelet ranks evictions by). */
export interface PodUsage extends ResourceUsage {
  readonly containers: readonly ContainerUsage[];
}

/** Pod usage by `namespace/name`. */
export type PodUsageIndex = ReadonlyMap<string, PodUsage>;

/**
 * What is known of usage: not asked yet, the last answer of the metrics API, or why there
 * is none (no metrics-server, forbidden, failing); the views then keep the order without
 * usage.
 */
export type PodUsageState =
  | { readonly status: 'unknown' }
  | { readonly status: 'available'; readonly pods: PodUsageIndex }
  | { readonly status: 'unavailable'; readonly reason: string };

/** The PodMetrics fields daytwo reads. */
export interface PodMetricsJson {
  metadata?: { name?: string; namespace?: string };
  containers?: { name?: string; usage?: Record<string, string | number> }[];
}

function sumOf(values: (Quantity | undefined)[]): Quantity | undefined {
  const present = values.filter((q): q is Quantity => q !== undefined);
  return present.length > 0 ? sumQuantities(present) : undefined;
}

/** One PodMetrics item as usage; unparsable quantities count as not reported. */
export function podUsageFromMetrics(item: PodMetricsJson): PodUsage {
  const containers: ContainerUsage[] = (item.containers ?? []).map((c, i) => {
    const cpu = tryParseQuantity(c.usage?.cpu);
    const memory = tryParseQuantity(c.usage?.memory);
    return { name: c.name ?? `#${i}`, ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
  });
  const cpu = sumOf(containers.map((c) => c.cpu));
  const memory = sumOf(containers.map((c) => c.memory));
  return { containers, ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
}

/** A PodMetricsList's items by `namespace/name`. */
export function indexPodMetrics(items: readonly PodMetricsJson[]): PodUsageIndex {
  const index = new Map<string, PodUsage>();
  for (const item of items) {
    const name = item.metadata?.name;
    if (!name) continue;
    index.set(`${item.metadata?.namespace ?? ''}/${name}`, podUsageFromMetrics(item));
  }
  return index;
}

/** The usage of pod `key`, when metrics are available and report it. */
export function usageOf(state: PodUsageState, key: string): PodUsage | undefined {
  return state.status === 'available' ? state.pods.get(key) : undefined;
}
