/**
 * What a drain of one or more nodes would do, from the cached objects: each node's plan
 * (kubectl's verdicts and PDB refusals) and whether the nodes left schedulable have room
 * for the pods that will be recreated. Shared by the drain dialog and
 * `daytwo report drain-plan`.
 */
import { type CapacityResult, podsToReschedule, simulateCapacity } from './capacity.js';
import { type DrainOptions, type DrainPlan, planDrain } from './drain-plan.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';

/** The objects a preview reads, by key as the store holds them. */
export interface DrainPreviewInput {
  readonly nodes: ReadonlyMap<string, KubeObject>;
  readonly pods: ReadonlyMap<string, KubeObject>;
  readonly daemonsets: ReadonlyMap<string, KubeObject>;
  readonly poddisruptionbudgets: ReadonlyMap<string, KubeObject>;
}

export interface DrainPreview {
  readonly plans: readonly DrainPlan[];
  /** Placement of the pods their controllers recreate, on nodes other than the drained ones. */
  readonly capacity: CapacityResult;
  /** True when kubectl would refuse at least one node. */
  readonly blocked: boolean;
}

/** The flags that shape a plan (the objects come from the input). */
export type DrainPreviewFlags = Omit<DrainOptions, 'daemonSets' | 'pdbs'>;

/**
 * Plans draining `nodeNames` together (as a pool drain does: all cordoned, then one at a
 * time), so the capacity check excludes every node being drained. Throws
 * SelectorParseError for a malformed `podSelector`.
 */
export function previewDrain(nodeNames: readonly string[], input: DrainPreviewInput, flags: DrainPreviewFlags = {}): DrainPreview {
  const pods = [...input.pods.values()];
  const daemonSets = [...input.daemonsets.values()];
  const pdbs = [...input.poddisruptionbudgets.values()];
  const plans = nodeNames.map((node) => planDrain(node, pods, { ...flags, daemonSets, pdbs }));
  const capacity = simulateCapacity({
    pods: plans.flatMap((plan) => podsToReschedule(plan, pods)),
    nodes: [...input.nodes.values()],
    boundPods: pods,
    excludeNodes: nodeNames,
  });
  return { plans, capacity, blocked: plans.some((p) => p.blocked) };
}
