/**
 * What the QoS view's pod detail explains beyond the class: which of the three rules of
 * `ComputePodQOS` made it, and where the pod stands in its node's eviction order under
 * memory pressure.
 */

import type { PodRecord } from '@daytwo/k8s/compact.js';
import { isTerminated } from '@daytwo/k8s/pod-requests.js';
import { evictionCandidate, evictionRank, type QosClass, type QosExplanation } from '@daytwo/k8s/qos.js';
import type { Quantity } from '@daytwo/k8s/quantity.js';
import { type PodUsageState, usageOf } from './pod-usage.js';

/** One rule of the QoS decision and whether it is the one that applies. */
export interface QosRuleCheck {
  readonly qosClass: QosClass;
  /** The rule, as upstream states it. */
  readonly rule: string;
  /** This rule made the class. */
  readonly applies: boolean;
  /** Why the rule does not apply to this pod, when it is one that was tried and failed. */
  readonly failedBecause?: string;
}

/**
 * The rules in the order `ComputePodQOS` tries them (BestEffort, then Guaranteed, else
 * Burstable), worded for what decided: the containers (app and init containers summed) or
 * pod-level `spec.resources`.
 */
export function qosRules(e: QosExplanation): QosRuleCheck[] {
  const podLevel = e.decidedBy === 'pod';
  const bestEffort: QosRuleCheck = {
    qosClass: 'BestEffort',
    rule: podLevel
      ? 'BestEffort: no pod-level cpu or memory request or limit'
      : 'BestEffort: no cpu or memory request or limit in any container, init included',
    applies: e.qosClass === 'BestEffort',
  };
  const guaranteed: QosRuleCheck = {
    qosClass: 'Guaranteed',
    rule: podLevel
      ? 'Guaranteed: pod-level cpu and memory limits, requests equal to them'
      : 'Guaranteed: every container limits cpu and memory, summed requests equal summed limits',
    applies: e.qosClass === 'Guaranteed',
    ...(e.qosClass === 'Burstable' ? { failedBecause: e.reason } : {}),
  };
  const burstable: QosRuleCheck = {
    qosClass: 'Burstable',
    rule: 'Burstable: anything else',
    applies: e.qosClass === 'Burstable',
  };
  if (e.qosClass !== 'BestEffort') {
    return [{ ...bestEffort, failedBecause: 'a cpu or memory request or limit is set' }, guaranteed, burstable];
  }
  return [bestEffort, guaranteed, burstable];
}

/** One pod in a node's eviction order. */
export interface EvictionEntry {
  /** `namespace/name`. */
  readonly key: string;
  readonly qosClass: QosClass;
  readonly priority: number;
  readonly memoryRequest?: Quantity;
  /** Working-set memory, when the metrics API reports it. */
  readonly memoryUsage?: Quantity;
}

/** The eviction order of the pods running on one node. */
export interface NodeEvictionOrder {
  readonly node: string;
  /** First evicted first. */
  readonly entries: readonly EvictionEntry[];
  /** The pod's index in `entries`; -1 when it is not running there (finished). */
  readonly position: number;
  /** Whether the metrics API answered, so the order uses memory usage. */
  readonly usageKnown: boolean;
}

/**
 * Where `pod` stands in the memory-pressure eviction order of its node, among the pods
 * that still hold resources there (see `compareForMemoryPressure`): with usage from the
 * metrics API, within a class as the kubelet ranks (usage over request first, then lower
 * priority, then the larger usage minus request; pods without metrics first); without it,
 * lower priority first, then the smaller memory request. Undefined while the pod is not
 * scheduled.
 */
export function nodeEvictionOrder(
  pod: PodRecord,
  pods: Iterable<PodRecord>,
  usage: PodUsageState = { status: 'unknown' },
): NodeEvictionOrder | undefined {
  const node = pod.spec?.nodeName;
  if (typeof node !== 'string' || node === '') return undefined;
  const onNode: PodRecord[] = [];
  for (const p of pods) if (p.spec?.nodeName === node && !isTerminated(p)) onNode.push(p);
  const key = (p: PodRecord) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
  const memoryUsage = (p: PodRecord) => usageOf(usage, key(p))?.memory;
  const ranked = evictionRank(onNode, memoryUsage);
  const entries = ranked.map((p): EvictionEntry => {
    const c = evictionCandidate(p, memoryUsage(p));
    return {
      key: key(p),
      qosClass: c.qosClass,
      priority: c.priority,
      ...(c.memoryRequest ? { memoryRequest: c.memoryRequest } : {}),
      ...(c.memoryUsage ? { memoryUsage: c.memoryUsage } : {}),
    };
  });
  return { node, entries, position: entries.findIndex((e) => e.key === key(pod)), usageKnown: usage.status === 'available' };
}
