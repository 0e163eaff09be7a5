/**
 * ReplicaSet controller, after k8s.io/kubernetes/pkg/controller/replicaset/replica_set.go:
 * keeps `spec.replicas` active pods from the template and reports status.
 */
import type { Pod, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { CREATE_RETRY_MS, createPodRecordingFailure } from './events.js';
import {
  deleteIfPresent,
  GR,
  getOf,
  isPodActive,
  isPodAvailable,
  isPodReady,
  MANAGER,
  omitZero,
  podCondition,
  podFromTemplate,
  podPhase,
  rfc3339,
  splitKey,
  updateWithRetry,
} from './objects.js';

export class ReplicaSetController extends QueueController {
  readonly name = 'replicaset';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.replicaSets) return keysOf([ev.object]);
    if (ev.gr === GR.pods) return ownerKeys(ev.object, 'ReplicaSet');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.replicaSets));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = getOf(this.ctx.store, GR.replicaSets, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = this.index.podsOf(rs.metadata.uid);
    const active = pods.filter(isPodActive);
    const want = rs.spec?.replicas ?? 1;
    let failure: string | undefined;
    if (active.length < want) failure = this.createPods(rs, want - active.length);
    else if (active.length > want) this.deletePods(rs, active, active.length - want);
    // As manageReplicas' error: status is still written, with the ReplicaFailure condition, and the key retried.
    this.updateStatus(rs, failure);
    if (failure) this.requeueAfter(key, CREATE_RETRY_MS);
  }

  /**
   * Creates pods until one is refused (slowStartBatch stops at the first error, such as a
   * quota or LimitRange refusal); returns that refusal, recorded as a FailedCreate event.
   */
  private createPods(rs: ReplicaSet, count: number): string | undefined {
    for (let i = 0; i < count; i++) {
      const pod = podFromTemplate(rs.spec!.template ?? {}, rs, 'apps/v1', 'ReplicaSet', {
        generateName: `${rs.metadata.name}-`,
      });
      const failure = createPodRecordingFailure(this.ctx.store, rs, 'apps/v1', 'ReplicaSet', 'replicaset-controller', this.now(), () =>
        this.ctx.store.create(GR.pods, pod, MANAGER.controllerManager),
      );
      if (failure) return failure;
    }
    return undefined;
  }

  private deletePods(rs: ReplicaSet, active: Pod[], count: number): void {
    const ranked = rankPodsForDeletion(active, (node) => this.relatedOnNode(rs, node));
    for (const pod of ranked.slice(0, count)) {
      deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
    }
  }

  /** Active pods of the same ReplicaSet on `node` (upstream ranks doubled-up pods first). */
  private relatedOnNode(rs: ReplicaSet, node: string): number {
    return this.index.podsOf(rs.metadata.uid).filter((p) => isPodActive(p) && p.spec?.nodeName === node).length;
  }

  private updateStatus(rs: ReplicaSet, createFailure: string | undefined): void {
    const status = replicaSetStatus(rs, this.index.podsOf(rs.metadata.uid), this.now());
    updateWithRetry<ReplicaSet>(
      this.ctx.store,
      GR.replicaSets,
      rs.metadata.namespace,
      rs.metadata.name ?? '',
      (copy) => {
        const next: ReplicaSetStatus = { ...(copy.status ?? {}), ...status };
        for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (!(k in status)) delete next[k];
        const conditions = replicaFailureConditions(copy.status?.conditions, createFailure, this.now());
        if (conditions) next.conditions = conditions;
        else delete next.conditions;
        if (JSON.stringify(next) === JSON.stringify(copy.status ?? {})) return false;
        copy.status = next;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) {
      this.requeueAfter(`${rs.metadata.namespace}/${rs.metadata.name}`, minReady * 1000);
    }
  }
}

type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;
type ReplicaSetCondition = NonNullable<ReplicaSetStatus['conditions']>[number];

/**
 * The conditions after a sync (`calculateStatus`): a refused creation adds ReplicaFailure
 * (reason FailedCreate) when there is none; a sync without error removes it. Undefined when
 * none are left.
 */
export function replicaFailureConditions(
  current: readonly ReplicaSetCondition[] | undefined,
  createFailure: string | undefined,
  now: Date,
): ReplicaSetCondition[] | undefined {
  const others = (current ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const failure = (current ?? []).find((c) => c.type === 'ReplicaFailure');
  let next = others;
  if (createFailure !== undefined) {
    next = [...others, failure ?? { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: 'FailedCreate', message: createFailure }];
  }
  return next.length > 0 ? next : undefined;
}

/**
 * `calculateStatus` of replica_set_utils.go: counts active pods (terminating ones excluded),
 * those carrying every template label, ready ones and available ones.
 */
export function replicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], now: Date) {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let replicas = 0;
  let fullyLabeledReplicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    replicas++;
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeledReplicas++;
    if (isPodReady(pod)) {
      readyReplicas++;
      if (isPodAvailable(pod, minReady, now)) availableReplicas++;
    }
  }
  return omitZero({ replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration: rs.metadata.generation ?? 1 }, [
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
  ]);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Orders pods so the first ones are the best to delete (`controller.ActivePodsWithRanks`):
 * unscheduled before scheduled, Pending < Unknown < Running, not ready before ready, lower
 * `controller.kubernetes.io/pod-deletion-cost` first, pods doubled up on a node first,
 * ready for less time first, more restarts first, newer first.
 */
export function rankPodsForDeletion(pods: readonly Pod[], relatedOnNode: (node: string) => number): Pod[] {
  const rank = new Map<Pod, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    rank.set(pod, node ? relatedOnNode(node) : 0);
  }
  return [...pods].sort((a, b) => {
    const aNode = a.spec?.nodeName ? 1 : 0;
    const bNode = b.spec?.nodeName ? 1 : 0;
    if (aNode !== bNode) return aNode - bNode;
    const aPhase = PHASE_RANK[podPhase(a)] ?? 0;
    const bPhase = PHASE_RANK[podPhase(b)] ?? 0;
    if (aPhase !== bPhase) return aPhase - bPhase;
    const aReady = isPodReady(a) ? 1 : 0;
    const bReady = isPodReady(b) ? 1 : 0;
    if (aReady !== bReady) return aReady - bReady;
    const cost = deletionCost(a) - deletionCost(b);
    if (cost !== 0) return cost;
    const doubled = (rank.get(b) ?? 0) - (rank.get(a) ?? 0);
    if (doubled !== 0) return doubled;
    if (aReady && bReady) {
      const readySince = timeOf(podCondition(b, 'Ready')?.lastTransitionTime) - timeOf(podCondition(a, 'Ready')?.lastTransitionTime);
      if (readySince !== 0) return readySince;
    }
    const restarts = maxRestarts(b) - maxRestarts(a);
    if (restarts !== 0) return restarts;
    return timeOf(b.metadata.creationTimestamp) - timeOf(a.metadata.creationTimestamp);
  });
}

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isFinite(n) ? n : 0;
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const cs of pod.status?.containerStatuses ?? []) {
    max = Math.max(max, cs.restartCount ?? 0);
  }
  return max;
}

function timeOf(ts: string | undefined): number {
  const t = ts ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}
