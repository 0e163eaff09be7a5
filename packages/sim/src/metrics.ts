/**
 * Synthetic resource usage for the simulated metrics-server: plausible and deterministic.
 * Each running container's usage is a fraction of its request (or limit) seeded by
 * `namespace/pod/container`, so the same pod always reports the same numbers, some
 * Burstable pods sit above their memory request, and nothing exceeds its limit (the kernel
 * would OOM-kill it). Containers that are not running report nothing, as the kubelet's
 * summary API has no stats for them.
 */

import { tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { Container, Node, Pod } from '@daytwo/k8s/wire-types.js';
import { seededRandom } from './random.js';

/** cpu in nanocores, memory (working set) in bytes. */
export interface Usage {
  cpuNanos: bigint;
  memoryBytes: bigint;
}

/** One container's usage. */
export interface ContainerUsage extends Usage {
  name: string;
}

const MI = 1n << 20n;
const NANOS_PER_MILLICORE = 1_000_000n;

/** FNV-1a over the text: a stable 32-bit seed. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function amount(list: Record<string, unknown> | undefined, name: string): bigint | undefined {
  const q = tryParseQuantity(list?.[name] as string | number | undefined);
  return q && q.sign() > 0 ? q.nanos : undefined;
}

/** `fraction` of `base` (both in nano-units), at 1/1000 resolution. */
function scale(base: bigint, fraction: number): bigint {
  return (base * BigInt(Math.round(fraction * 1000))) / 1000n;
}

/**
 * Memory: without a request, 16-256Mi; with one, 35%-135% of it (so roughly a third of the
 * pods with headroom run above their request); never above 95% of a limit.
 * CPU: without a request, 1-50m; with one, 5%-90% of it; never above a limit.
 */
function containerUsage(seed: string, container: Container): Usage {
  const random = seededRandom(seedOf(seed));
  const requests = container?.resources?.requests;
  const limits = container?.resources?.limits;
  const memoryRequest = amount(requests, 'memory') ?? amount(limits, 'memory');
  const memoryLimit = amount(limits, 'memory');
  let memoryNanos = memoryRequest
    ? scale(memoryRequest, 0.35 + random())
    : BigInt(16 + Math.floor(random() * 240)) * MI * 1_000_000_000n;
  if (memoryLimit && memoryNanos > scale(memoryLimit, 0.95)) memoryNanos = scale(memoryLimit, 0.95);
  const cpuRequest = amount(requests, 'cpu') ?? amount(limits, 'cpu');
  const cpuLimit = amount(limits, 'cpu');
  let cpuNanos = cpuRequest
    ? scale(cpuRequest, 0.05 + random() * 0.85)
    : BigInt(1 + Math.floor(random() * 50)) * NANOS_PER_MILLICORE;
  if (cpuLimit && cpuNanos > cpuLimit) cpuNanos = cpuLimit;
  // Quantities count nano-units: cpu nano-units are nanocores; memory ones / 1e9 are bytes,
  // kept to whole KiB as metrics-server reports them.
  const bytes = memoryNanos / 1_000_000_000n;
  return { cpuNanos, memoryBytes: (bytes / 1024n) * 1024n };
}

function isRunningPod(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp;
}

/**
 * The usage of each running container of a pod, in spec order; empty when the pod is not
 * running (metrics-server then has no metrics for it).
 */
export function podContainerUsage(pod: Pod): ContainerUsage[] {
  if (!isRunningPod(pod)) return [];
  const statuses = pod.status?.containerStatuses ?? [];
  const running = new Set(statuses.filter((s) => s?.state?.running).map((s) => s.name));
  const out: ContainerUsage[] = [];
  for (const c of pod.spec?.containers ?? []) {
    if (!running.has(c.name)) continue;
    const seed = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}/${c.name}`;
    out.push({ name: c.name, ...containerUsage(seed, c) });
  }
  return out;
}

/**
 * A node's usage: its running pods' usage plus a seeded system overhead (kubelet, runtime,
 * OS: 100-300m cpu, 400-900Mi memory).
 */
export function nodeUsage(node: Node, podsOnNode: readonly Pod[]): Usage {
  const random = seededRandom(seedOf(`node/${node.metadata.name}`));
  let cpuNanos = BigInt(100 + Math.floor(random() * 200)) * NANOS_PER_MILLICORE;
  let memoryBytes = BigInt(400 + Math.floor(random() * 500)) * MI;
  for (const pod of podsOnNode) {
    for (const c of podContainerUsage(pod)) {
      cpuNanos += c.cpuNanos;
      memoryBytes += c.memoryBytes;
    }
  }
  return { cpuNanos, memoryBytes };
}

/** As metrics-server writes them: nanocores (`1234567n`) and KiB (`34816Ki`). */
export function usageJson(usage: Usage): { cpu: string; memory: string } {
  return { cpu: `${usage.cpuNanos}n`, memory: `${usage.memoryBytes / 1024n}Ki` };
}
