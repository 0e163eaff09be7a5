/**
 * Pure filter and score logic of the simulated scheduler, after the default plugins of
 * k8s.io/kubernetes/pkg/scheduler/framework/plugins (NodeUnschedulable, TaintToleration,
 * NodeAffinity, NodeResourcesFit) and FitError's message (framework/types.go).
 */
import { matchesNodeSelectorAndAffinity as podMatchesNode } from '@daytwo/k8s/node-affinity.js';
import { cpuMillis, podRequests as effectiveRequests, memoryBytes } from '@daytwo/k8s/pod-requests.js';
import { tryParseQuantity } from '@daytwo/k8s/quantity.js';
import { firstUntoleratedTaint, type Taint, type Toleration, toleratesTaint } from '@daytwo/k8s/taints.js';
import type { Node, Pod, PodSpec } from '@daytwo/k8s/wire-types.js';

export type { Taint, Toleration };

/** The first NoSchedule/NoExecute taint no toleration tolerates (the TaintToleration filter). */
export const untoleratedTaint = firstUntoleratedTaint;

/** The NodeAffinity filter for a pod spec (a pod's, or a template's for daemon pods). */
export function matchesNodeSelectorAndAffinity(podSpec: PodSpec | undefined, node: Node): boolean {
  return podMatchesNode({ metadata: {}, spec: podSpec }, node);
}

export function isNodeReady(node: Node): boolean {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return ready?.status === 'True';
}

/** cpu in millicores, memory in bytes (as millis/1000 of the quantity), pods as a count. */
export interface Resources {
  cpu: number;
  memory: number;
  pods: number;
}

function quantity(value: unknown, milli: boolean): number {
  const q = tryParseQuantity(value as string | number | undefined);
  if (!q) return 0;
  const millis = Number(q.toMillis());
  return milli ? millis : Math.ceil(millis / 1000);
}

/**
 * A pod's effective requests as the scheduler's NodeInfo counts them: `resource.PodRequests`
 * (@daytwo/k8s/pod-requests, shared with the product), cpu as `MilliValue()`, memory as `Value()`.
 */
export function podRequests(pod: Pod): Resources {
  const amounts = effectiveRequests(pod);
  return { cpu: cpuMillis(amounts), memory: memoryBytes(amounts), pods: 1 };
}

/**
 * Parsed allocatable per stored node object. Stored objects are never mutated (a write
 * stores a new object), so an entry is valid for as long as its object lives; without it,
 * scheduling one pod on 1,000 nodes parses 3,000 quantities.
 */
const allocatableCache = new WeakMap<Node, Readonly<Resources>>();

/** A node's allocatable (or capacity) cpu, memory and pods. The result is shared: do not mutate it. */
export function nodeAllocatable(node: Node): Readonly<Resources> {
  let cached = allocatableCache.get(node);
  if (!cached) {
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    cached = { cpu: quantity(a.cpu, true), memory: quantity(a.memory, false), pods: quantity(a.pods, false) || 110 };
    allocatableCache.set(node, cached);
  }
  return cached;
}

export type FilterVerdict =
  | { fits: true }
  /** `resolvable`: preemption could help (resources), as opposed to taints, affinity... */
  | { fits: false; reasons: string[]; resolvable: boolean };

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/**
 * Runs the filters in the default plugin order and stops at the first failing plugin, as
 * the framework does; NodeResourcesFit reports every insufficient resource.
 */
export function filterNode(pod: Pod, node: Node, requested: Resources, request: Resources): FilterVerdict {
  const spec = pod.spec;
  const tolerations: Toleration[] = spec?.tolerations ?? [];
  const taints: Taint[] = node.spec?.taints ?? [];
  if (
    node.spec?.unschedulable &&
    !tolerations.some((t) => toleratesTaint(t, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' }))
  ) {
    return { fits: false, reasons: ['node(s) were unschedulable'], resolvable: false };
  }
  const effectiveTaints = isNodeReady(node) || taints.some((t) => t.key === 'node.kubernetes.io/not-ready')
    ? taints
    : [...taints, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
  const taint = untoleratedTaint(effectiveTaints, tolerations);
  if (taint) {
    return { fits: false, reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], resolvable: false };
  }
  if (!matchesNodeSelectorAndAffinity(spec, node)) {
    return { fits: false, reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
  }
  const alloc = nodeAllocatable(node);
  const reasons: string[] = [];
  if (requested.pods + 1 > alloc.pods) reasons.push('Too many pods');
  if (request.cpu > 0 && requested.cpu + request.cpu > alloc.cpu) reasons.push('Insufficient cpu');
  if (request.memory > 0 && requested.memory + request.memory > alloc.memory) reasons.push('Insufficient memory');
  if (reasons.length > 0) return { fits: false, reasons, resolvable: true };
  return { fits: true };
}

/** Requests the scorer assumes for containers without any (`schedutil.DefaultMilliCPURequest`, `DefaultMemoryRequest`). */
const DEFAULT_CPU_MILLIS = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** NodeResourcesFit LeastAllocated score (0..100): the mean free fraction of cpu and memory after placing the pod. */
export function leastAllocatedScore(node: Node, requested: Resources, request: Resources): number {
  const alloc = nodeAllocatable(node);
  const cpu = requested.cpu + (request.cpu || DEFAULT_CPU_MILLIS);
  const memory = requested.memory + (request.memory || DEFAULT_MEMORY);
  const free = (used: number, cap: number) => (cap <= 0 || used > cap ? 0 : ((cap - used) * 100) / cap);
  return (free(cpu, alloc.cpu) + free(memory, alloc.memory)) / 2;
}

/**
 * FitError.Error(): `0/N nodes are available: <count> <reason>, ... .` with the reasons
 * histogram sorted as strings, then the preemption post-filter's message.
 */
export function fitErrorMessage(total: number, verdicts: readonly FilterVerdict[]): string {
  const histogram = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const v of verdicts) {
    if (v.fits) continue;
    for (const r of v.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    const p = v.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  const render = (m: Map<string, number>) =>
    [...m]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
  let msg = `0/${total} nodes are available:`;
  if (histogram.size > 0) msg += ` ${render(histogram)}.`;
  msg += ` preemption: 0/${total} nodes are available:`;
  if (preemption.size > 0) msg += ` ${render(preemption)}.`;
  return msg;
}
