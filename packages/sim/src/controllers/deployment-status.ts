/**
 * Deployment status, pure: `calculateStatus` of pkg/controller/deployment/sync.go and the
 * Progressing condition of progress.go (`syncRolloutStatus`).
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import {
  availableReplicas,
  type DeploymentCondition,
  deploymentComplete,
  deploymentProgressing,
  maxUnavailable,
  readyReplicas,
  replicasOf,
  setCondition,
  specReplicas,
  statusReplicas,
} from './deployment-util.js';
import { rfc3339 } from './objects.js';

/** Counters declared `omitempty` in apps/v1 DeploymentStatus. */
const OMIT_ZERO = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Date): DeploymentCondition {
  const ts = rfc3339(now);
  return { type, status, lastUpdateTime: ts, lastTransitionTime: ts, reason, message };
}

/** `HasProgressDeadline`: set and not MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s === undefined || (s !== null && s !== 2147483647);
}

/** `calculateStatus`: counts over the ReplicaSets and the Available condition. */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: statusReplicas(allRSs),
    updatedReplicas: statusReplicas(newRS ? [newRS] : []),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  for (const k of OMIT_ZERO) if (status[k] === 0) delete status[k];
  const conditions: DeploymentCondition[] = [...(d.status?.conditions ?? [])];
  status.conditions =
    available >= replicasOf(d) - maxUnavailable(d)
      ? setCondition(conditions, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now))
      : setCondition(conditions, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return status;
}

/** The status of the scaling and paused paths (`syncDeploymentStatus`): no progress estimate. */
export function pausedOrScaledStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): DeploymentStatus {
  const status = calculateStatus(d, allRSs, newRS, now);
  if (d.spec?.paused && hasProgressDeadline(d)) {
    status.conditions = setCondition(status.conditions ?? [], condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now));
  }
  return status;
}

export interface RolloutStatus {
  status: DeploymentStatus;
  /** Simulated ms until the progress deadline passes, when the rollout is still waiting on it. */
  deadlineInMs?: number;
}

/**
 * `syncRolloutStatus`: the Progressing condition. `simElapsedMs(since)` converts wall time
 * since a timestamp to simulated time; without it (settling) no deadline ever passes.
 */
export function rolloutStatus(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
  simElapsedMs?: (since: number) => number,
): RolloutStatus {
  const status = calculateStatus(d, allRSs, newRS, now);
  let conditions: DeploymentCondition[] = status.conditions ?? [];
  if (!hasProgressDeadline(d)) conditions = conditions.filter((c) => c.type !== 'Progressing');
  const current = d.status?.conditions?.find((c) => c.type === 'Progressing');
  const completed = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === 'NewReplicaSetAvailable';
  let deadlineInMs: number | undefined;
  if (hasProgressDeadline(d) && !completed) {
    const what = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (current?.reason === 'DeploymentPaused') {
      conditions = setCondition(conditions, condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now));
    }
    const remaining =
      current && simElapsedMs
        ? (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - simElapsedMs(Date.parse(current.lastUpdateTime ?? ''))
        : Number.POSITIVE_INFINITY;
    if (deploymentComplete(d, status)) {
      conditions = setCondition(conditions, condition('Progressing', 'True', 'NewReplicaSetAvailable', `${what} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with an unchanged reason, unlike SetDeploymentCondition.
      const next = condition('Progressing', 'True', 'ReplicaSetUpdated', `${what} is progressing.`, now);
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      conditions = [...conditions.filter((c) => c.type !== 'Progressing'), next];
    } else if (current?.reason === 'ProgressDeadlineExceeded' || remaining <= 0) {
      conditions = setCondition(conditions, condition('Progressing', 'False', 'ProgressDeadlineExceeded', `${what} has timed out progressing.`, now));
    } else if (Number.isFinite(remaining)) {
      deadlineInMs = remaining;
    }
  }
  // getReplicaFailures: the new ReplicaSet's ReplicaFailure first, else an old one's, moved onto the Deployment.
  const failure = [...(newRS ? [newRS] : []), ...allRSs]
    .map((rs) => rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure'))
    .find((c) => c !== undefined);
  conditions = failure
    ? setCondition(conditions, { ...failure, lastUpdateTime: failure.lastTransitionTime })
    : conditions.filter((c) => c.type !== 'ReplicaFailure');
  status.conditions = conditions;
  return { status, ...(deadlineInMs !== undefined ? { deadlineInMs } : {}) };
}
