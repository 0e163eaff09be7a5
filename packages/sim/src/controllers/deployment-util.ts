/**
 * Pure parts of the deployment controller, after
 * k8s.io/kubernetes/pkg/controller/deployment/util/deployment_util.go.
 */
import { byCreationTimestamp } from '@daytwo/k8s/kube-object.js';
import { equalIgnoreHash } from '@daytwo/k8s/pod-template.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { scaledValue } from './objects.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** `maxRevHistoryLengthInChars` of the deployment controller. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Annotations never copied from a Deployment to its ReplicaSets (`skipCopyAnnotation`). */
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export function replicasOf(obj: Deployment | ReplicaSet | undefined): number {
  return obj?.spec?.replicas ?? (obj ? 1 : 0);
}

function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * `ResolveFenceposts`: maxSurge rounds up, maxUnavailable rounds down, and both zero
 * means one unavailable.
 */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const desired = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** `MaxUnavailable`: 0 for Recreate or zero replicas, capped at the replica count. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

/** `MaxSurge`: 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function revisionOf(obj: Deployment | ReplicaSet | undefined): number {
  const n = Number.parseInt(obj?.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
}

/** `ReplicaSetsByCreationTimestamp`, oldest first. */
export function byCreation(rss: readonly ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort(byCreationTimestamp);
}

/** `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return byCreation(rss).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/**
 * `copyDeploymentAnnotationsToReplicaSet` + the revision bookkeeping of
 * `SetNewReplicaSetAnnotations`: a ReplicaSet re-used with a higher revision (a rollback)
 * moves its old number to `revision-history`. Mutates `rs`; returns whether it changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  const annotations: Record<string, string> = rs.metadata.annotations;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const oldText = annotations[REVISION];
  const oldRevision = oldText === undefined ? 0 : Number.parseInt(oldText, 10);
  if (Number.isNaN(oldRevision)) return changed;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY];
      if (!history) annotations[REVISION_HISTORY] = oldText;
      else {
        const parts = history.split(',');
        let total = history.length + oldText.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++].length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY] = [...parts.slice(start), oldText].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** `SetReplicasAnnotations`: desired-replicas and max-replicas. Returns whether changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const annotations: Record<string, string> = rs.metadata.annotations;
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number) =>
  rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

export const specReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.spec?.replicas ?? 0);
export const statusReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicas = (rss: readonly (ReplicaSet | undefined)[]) =>
  sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** `NewRSNewReplicas`: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d)) return desired;
  const maxTotal = desired + maxSurge(d);
  const current = specReplicas(allRSs);
  const newReplicas = newRS.spec?.replicas ?? 0;
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - current, desired - newReplicas);
}

export type { DeploymentCondition };

/**
 * `SetDeploymentCondition`: same status and reason means no change; same status keeps the
 * transition time.
 */
export function setCondition(conditions: DeploymentCondition[], next: DeploymentCondition): DeploymentCondition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason) return conditions;
  const merged = current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

/** `DeploymentComplete`. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/** `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old: DeploymentStatus = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
    newOld < oldOld
  );
}

/**
 * `getReplicaSetFraction`/`getProportion` of proportional scaling: the share of a scaling
 * step that goes to one ReplicaSet, from its `max-replicas` annotation.
 */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (toAdd === 0) return 0;
  const desired = replicasOf(d);
  const rsReplicas = rs.spec?.replicas ?? 0;
  let fraction: number;
  if (desired === 0) fraction = -rsReplicas;
  else {
    const deploymentReplicas = desired + maxSurge(d);
    const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
    const base = Number.isNaN(annotated) ? (d.status?.replicas ?? 0) : annotated;
    fraction = base === 0 ? 0 : Math.round((rsReplicas * deploymentReplicas) / base) - rsReplicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
