/**
 * Rollout status of a Deployment, StatefulSet or DaemonSet as `kubectl rollout status` judges
 * it (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go), reduced to one word for a
 * table, with kubectl's message, plus the counts a progress display needs.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { DaemonSet, Deployment, StatefulSet } from '@daytwo/k8s/wire-types.js';

/**
 * `complete`: kubectl would say "successfully rolled out"; `progressing`: it would keep
 * waiting; `stalled`: the Deployment's Progressing condition says ProgressDeadlineExceeded
 * (kubectl exits with "exceeded its progress deadline"); `paused`: `spec.paused`;
 * `unknown`: an update strategy kubectl does not follow (OnDelete).
 */
export type RolloutState = 'complete' | 'progressing' | 'stalled' | 'paused' | 'unknown';

/** Where a workload's rollout stands. */
export interface RolloutStatus {
  readonly state: RolloutState;
  /** kubectl's line for this state (without the trailing newline). */
  readonly message: string;
  /** Replicas (pods for a DaemonSet) the workload wants. */
  readonly desired: number;
  /** At the current template. */
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  /** All replicas, old and new. */
  readonly current: number;
}

/** `deploymentutil.TimedOutReason`, set by the Deployment controller on the Progressing condition. */
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The rollout status of a Deployment, StatefulSet or DaemonSet (by `kind`). */
export function rolloutStatus(workload: KubeObject): RolloutStatus {
  switch (workload.kind) {
    case 'Deployment':
      return deploymentStatus(workload);
    case 'StatefulSet':
      return statefulSetStatus(workload);
    case 'DaemonSet':
      return daemonSetStatus(workload);
    default:
      return {
        state: 'unknown',
        message: `no status viewer has been implemented for ${workload.kind ?? 'unknown kind'}`,
        desired: 0,
        updated: 0,
        ready: 0,
        available: 0,
        current: 0,
      };
  }
}

/** Whether the controller has seen the latest spec (`generation <= status.observedGeneration`). */
function observed(w: Deployment | DaemonSet): boolean {
  return num(w.metadata?.generation) <= num(w.status?.observedGeneration);
}

/**
 * `spec.replicas` as given (the API server defaults it to 1; kubectl skips its checks when it
 * is nil) and the replica counts of a Deployment's or StatefulSet's status.
 */
function replicaCounts(w: Deployment | StatefulSet) {
  const specReplicas = typeof w.spec?.replicas === 'number' ? w.spec.replicas : undefined;
  const s: { updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; replicas?: number } = w.status ?? {};
  const counts = {
    desired: specReplicas ?? 1,
    updated: num(s.updatedReplicas),
    ready: num(s.readyReplicas),
    available: num(s.availableReplicas),
    current: num(s.replicas),
  };
  return { specReplicas, counts };
}

function deploymentStatus(d: Deployment): RolloutStatus {
  const name = d.metadata?.name ?? '';
  const { specReplicas, counts } = replicaCounts(d);
  const judged = judgeDeployment(name, d, specReplicas, counts);
  // A paused Deployment does not time out (the controller sets reason DeploymentPaused) and
  // kubectl would wait on it forever when its template changed: paused wins over the rest.
  if (d.spec?.paused) {
    return { ...counts, state: 'paused', message: `deployment "${name}" is paused; ${judged.message}` };
  }
  return { ...counts, ...judged };
}

function judgeDeployment(
  name: string,
  d: Deployment,
  specReplicas: number | undefined,
  c: { updated: number; available: number; current: number },
): { state: RolloutState; message: string } {
  if (!observed(d)) return { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' };
  const progressing = (d.status?.conditions ?? []).find((x) => x.type === 'Progressing');
  if (progressing?.reason === TIMED_OUT_REASON) {
    return { state: 'stalled', message: `deployment "${name}" exceeded its progress deadline` };
  }
  if (specReplicas !== undefined && c.updated < specReplicas) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${c.updated} out of ${specReplicas} new replicas have been updated...`,
    };
  }
  if (c.current > c.updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${c.current - c.updated} old replicas are pending termination...`,
    };
  }
  if (c.available < c.updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${c.available} of ${c.updated} updated replicas are available...`,
    };
  }
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

function daemonSetStatus(ds: DaemonSet): RolloutStatus {
  const name = ds.metadata?.name ?? '';
  const s: Partial<NonNullable<DaemonSet['status']>> = ds.status ?? {};
  const counts = {
    desired: num(s.desiredNumberScheduled),
    updated: num(s.updatedNumberScheduled),
    ready: num(s.numberReady),
    available: num(s.numberAvailable),
    current: num(s.currentNumberScheduled),
  };
  const strategy = ds.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') {
    // kubectl's message names the StatefulSet constant for both kinds; its value is the same.
    return { ...counts, state: 'unknown', message: 'rollout status is only available for RollingUpdate strategy type' };
  }
  if (!observed(ds)) return { ...counts, state: 'progressing', message: 'Waiting for daemon set spec update to be observed...' };
  if (counts.updated < counts.desired) {
    return {
      ...counts,
      state: 'progressing',
      message: `Waiting for daemon set "${name}" rollout to finish: ${counts.updated} out of ${counts.desired} new pods have been updated...`,
    };
  }
  if (counts.available < counts.desired) {
    return {
      ...counts,
      state: 'progressing',
      message: `Waiting for daemon set "${name}" rollout to finish: ${counts.available} of ${counts.desired} updated pods are available...`,
    };
  }
  return { ...counts, state: 'complete', message: `daemon set "${name}" successfully rolled out` };
}

function statefulSetStatus(sts: StatefulSet): RolloutStatus {
  const s: Partial<NonNullable<StatefulSet['status']>> = sts.status ?? {};
  const { specReplicas, counts } = replicaCounts(sts);
  const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') {
    return { ...counts, state: 'unknown', message: 'rollout status is only available for RollingUpdate strategy type' };
  }
  if (num(s.observedGeneration) === 0 || num(sts.metadata?.generation) > num(s.observedGeneration)) {
    return { ...counts, state: 'progressing', message: 'Waiting for statefulset spec update to be observed...' };
  }
  if (specReplicas !== undefined && counts.ready < specReplicas) {
    return { ...counts, state: 'progressing', message: `Waiting for ${specReplicas - counts.ready} pods to be ready...` };
  }
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition;
  if (sts.spec?.updateStrategy?.rollingUpdate) {
    if (specReplicas !== undefined && typeof partition === 'number' && counts.updated < specReplicas - partition) {
      return {
        ...counts,
        state: 'progressing',
        message: `Waiting for partitioned roll out to finish: ${counts.updated} out of ${specReplicas - partition} new pods have been updated...`,
      };
    }
    return { ...counts, state: 'complete', message: `partitioned roll out complete: ${counts.updated} new pods have been updated...` };
  }
  if (s.updateRevision !== s.currentRevision) {
    return {
      ...counts,
      state: 'progressing',
      message: `waiting for statefulset rolling update to complete ${counts.updated} pods at revision ${s.updateRevision ?? ''}...`,
    };
  }
  return {
    ...counts,
    state: 'complete',
    message: `statefulset rolling update complete ${num(s.currentReplicas)} pods at revision ${s.currentRevision ?? ''}...`,
  };
}

/** Whether a rollout is over one way or another (complete, stalled, paused, unknown): progress displays stop here. */
export function rolloutSettled(status: RolloutStatus): boolean {
  return status.state !== 'progressing';
}
