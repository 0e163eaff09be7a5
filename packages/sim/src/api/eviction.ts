/**
 * The `pods/{name}/eviction` subresource, following
 * k8s.io/kubernetes pkg/registry/core/pod/storage/eviction.go (v1.31):
 * terminal, pending or terminating pods are deleted without looking at budgets; otherwise
 * the single PodDisruptionBudget selecting the pod must allow a disruption, which the
 * eviction consumes (status.disruptionsAllowed--, status.disruptedPods[pod]).
 */

import { requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { isPodReady } from '@daytwo/k8s/pod-ready.js';
import type { Fields, Pod, PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { ApiError, badRequest } from '../errors.js';
import { labelSelectorFromObject } from '../selectors.js';
import type { KubeObject } from '../types.js';

/** What an eviction leads to. */
export type EvictionPlan =
  | { action: 'delete'; pdb?: PodDisruptionBudget }
  | { action: 'refuse'; error: ApiError }
  /** More than one budget: upstream answers a bare Failure Status with code 500. */
  | { action: 'failure'; status: Record<string, unknown> };

/** MaxDisruptedPodSize of eviction.go: evictions the disruption controller has yet to confirm. */
const MAX_DISRUPTED_PODS = 2000;
const TOO_MANY_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** canIgnorePDB: pods that cause no further disruption when deleted. */
export function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

/** The budgets in the pod's namespace whose (valid) selector matches the pod's labels. */
export function budgetsForPod(pod: Pod, pdbs: readonly PodDisruptionBudget[]): PodDisruptionBudget[] {
  return pdbs.filter((pdb) => {
    if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
    try {
      return requirementsMatch(labelSelectorFromObject(pdb.spec?.selector), pod.metadata.labels);
    } catch {
      // An invalid selector matches nothing.
      return false;
    }
  });
}

function budgetCause(message: string): { reason: string; message: string }[] {
  return [{ reason: 'DisruptionBudget', message }];
}

/**
 * Decides an eviction of `pod` given every PDB of its namespace. Returns, for an allowed
 * eviction through a budget, the budget with its status already decremented (to be written
 * through the status subresource). Pure: `now` stamps disruptedPods.
 */
export function planEviction(pod: Pod, pdbs: readonly PodDisruptionBudget[], now: Date): EvictionPlan {
  if (canIgnoreBudget(pod)) return { action: 'delete' };
  const matching = budgetsForPod(pod, pdbs);
  if (matching.length > 1) {
    return {
      action: 'failure',
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        code: 500,
      },
    };
  }
  if (matching.length === 0) return { action: 'delete' };
  const pdb = matching[0];
  const currentHealthy = pdb.status?.currentHealthy ?? 0;
  const desiredHealthy = pdb.status?.desiredHealthy ?? 0;
  if (!isPodReady(pod)) {
    // An unready pod does not count as healthy: deleting it disrupts nothing more.
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { action: 'delete' };
    if (currentHealthy >= desiredHealthy && desiredHealthy > 0) return { action: 'delete' };
  }
  const refused = checkBudget(pdb);
  if (refused) return { action: 'refuse', error: refused };
  return { action: 'delete', pdb: decrementBudget(pdb, pod.metadata.name ?? '', now) };
}

/** checkAndDecrement's refusals, or undefined when the budget allows one more disruption. */
function checkBudget(pdb: PodDisruptionBudget): ApiError | undefined {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status;
  if ((status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    return new ApiError(429, 'TooManyRequests', TOO_MANY_MESSAGE, {
      causes: budgetCause(`The disruption budget ${name} is still being processed by the server.`),
      retryAfterSeconds: 10,
    });
  }
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed < 0) {
    return new ApiError(
      403,
      'Forbidden',
      `poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`,
      { name, group: 'policy', kind: 'poddisruptionbudget' },
    );
  }
  if (Object.keys(status?.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    return new ApiError(
      403,
      'Forbidden',
      `poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
      { name, group: 'policy', kind: 'poddisruptionbudget' },
    );
  }
  if (allowed === 0) {
    return new ApiError(429, 'TooManyRequests', TOO_MANY_MESSAGE, {
      causes: budgetCause(
        `The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`,
      ),
    });
  }
  return undefined;
}

function decrementBudget(pdb: PodDisruptionBudget, podName: string, now: Date): PodDisruptionBudget {
  const next = structuredClone(pdb);
  // Go's zero PodDisruptionBudgetStatus when the budget has none.
  next.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  const status = next.status;
  status.disruptionsAllowed = (status.disruptionsAllowed ?? 0) - 1;
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  if (status.disruptionsAllowed === 0) {
    // pdbhelper.UpdateDisruptionAllowedCondition
    status.conditions ??= [];
    const conditions = status.conditions;
    const existing = conditions.find((c) => c.type === 'DisruptionAllowed');
    const wanted = { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '' };
    if (!existing) conditions.push({ ...wanted, lastTransitionTime: stamp, observedGeneration: status.observedGeneration });
    else if (existing.status !== 'False') Object.assign(existing, wanted, { lastTransitionTime: stamp });
    else Object.assign(existing, { reason: 'InsufficientPods' });
  }
  status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: stamp };
  return next;
}

/** Validates the Eviction body against the URL (eviction.go: name must match). */
export function checkEvictionBody(body: KubeObject, podName: string): void {
  if (body?.metadata?.name !== podName) throw badRequest('name in URL does not match name in Eviction object');
}

/** The pod with the DisruptionTarget condition eviction adds before deleting (PodDisruptionConditions). */
export function withDisruptionTarget(pod: Pod, now: Date): Pod | undefined {
  const conditions = pod.status?.conditions ?? [];
  const existing = conditions.find((c) => c.type === 'DisruptionTarget');
  if (existing?.status === 'True' && existing.reason === 'EvictionByEvictionAPI') return undefined;
  const next = structuredClone(pod);
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  // Written as plain fields: the API server's `lastProbeTime: null` has no place in the model.
  next.status ??= {};
  const status: Fields = next.status;
  status.conditions = [...conditions.filter((c) => c.type !== 'DisruptionTarget'), condition];
  return next;
}
