/**
 * Deployment controller, after k8s.io/kubernetes/pkg/controller/deployment (sync.go,
 * rolling.go, recreate.go, progress.go): one ReplicaSet per pod template, revisions,
 * rolling and recreate rollouts, proportional scaling, history cleanup and status.
 */
import { POD_TEMPLATE_HASH_LABEL } from '@daytwo/k8s/pod-template.js';
import type { Deployment, DeploymentStatus, LabelSelectorJson, PodTemplateSpec, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { condition, hasProgressDeadline, pausedOrScaledStatus, rolloutStatus } from './deployment-status.js';
import {
  availableReplicas,
  byCreation,
  type DeploymentCondition,
  deploymentComplete,
  findNewReplicaSet,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportion,
  REVISION,
  replicasOf,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  statusReplicas,
} from './deployment-util.js';
import { recordEvent } from './events.js';
import { computeHash } from './hash.js';
import {
  controllerOf,
  createIfAbsent,
  deleteIfPresent,
  GR,
  getOf,
  isPodTerminal,
  jsonEqual,
  listOf,
  MANAGER,
  newControllerRef,
  splitKey,
  updateWithRetry,
} from './objects.js';

type ReplicaSetSpec = NonNullable<ReplicaSet['spec']>;

export class DeploymentController extends QueueController {
  readonly name = 'deployment';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.deployments) return keysOf([ev.object]);
    const ns = ev.object.metadata.namespace;
    if (ev.gr === GR.replicaSets) return ownerKeys(ev.object, 'Deployment');
    if (ev.gr === GR.pods && ev.type === 'DELETED') {
      // Recreate waits for old pods to be gone.
      const rsRef = controllerOf(ev.object);
      if (rsRef?.kind !== 'ReplicaSet') return [];
      const rs = this.ctx.store.get(GR.replicaSets, ns, rsRef.name);
      const dRef = rs && controllerOf(rs);
      return dRef?.kind === 'Deployment' ? [`${ns}/${dRef.name}`] : [];
    }
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.deployments));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = getOf(this.ctx.store, GR.deployments, namespace, name);
    if (!d) return;
    const rsList = this.ownedReplicaSets(d);
    if (d.metadata.deletionTimestamp) this.syncStatusOnly(d, rsList);
    else if (d.spec?.paused) this.syncPaused(d, rsList);
    else if (this.isScalingEvent(d, rsList)) this.syncScale(d, rsList);
    else if (d.spec?.strategy?.type === 'Recreate') this.rolloutRecreate(d, rsList);
    else this.rolloutRolling(d, rsList);
  }

  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return listOf(this.ctx.store, GR.replicaSets, { namespace: d.metadata.namespace }).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
  }

  private fresh(rs: ReplicaSet): ReplicaSet {
    return getOf(this.ctx.store, GR.replicaSets, rs.metadata.namespace, rs.metadata.name ?? '') ?? rs;
  }

  private freshAll(rss: readonly ReplicaSet[]): ReplicaSet[] {
    return rss.map((rs) => this.fresh(rs));
  }

  // --- revisions ----------------------------------------------------------------------

  /**
   * `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked and absent)
   * with the highest revision, and the old ones.
   */
  private replicaSetsAndSyncRevision(
    d: Deployment,
    rsList: ReplicaSet[],
    createIfMissing: boolean,
  ): { newRS?: ReplicaSet; oldRSs: ReplicaSet[]; d: Deployment } {
    const existingNew = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existingNew);
    const maxOld = Math.max(0, ...oldRSs.map(revisionOf));
    const newRevision = maxOld + 1;

    if (existingNew) {
      // A cheap dry run on a shallow copy first: most syncs change nothing, and the store
      // write path clones the whole object.
      const probe = { ...existingNew, metadata: { ...existingNew.metadata, annotations: { ...(existingNew.metadata.annotations ?? {}) } } };
      const unchanged =
        !setNewReplicaSetAnnotations(d, probe, newRevision, true) &&
        (existingNew.spec?.minReadySeconds ?? 0) === (d.spec?.minReadySeconds ?? 0);
      const rs = unchanged ? existingNew : this.updateReplicaSet(existingNew, (copy) => {
        const changed = setNewReplicaSetAnnotations(d, copy, newRevision, true);
        const spec = copy.spec!;
        const minReadyChanged = (spec.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
        if (minReadyChanged) spec.minReadySeconds = d.spec?.minReadySeconds || undefined;
        return changed || minReadyChanged;
      });
      const updated = this.syncDeploymentRevision(d, String(revisionOf(rs)), 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`);
      return { newRS: rs, oldRSs, d: updated };
    }
    if (!createIfMissing) return { oldRSs, d };

    const collisionCount = d.status?.collisionCount;
    const hash = computeHash(d.spec?.template, collisionCount);
    const templateLabels = { ...(d.spec?.template?.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const template: PodTemplateSpec = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: templateLabels };
    const selector: LabelSelectorJson = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const spec: ReplicaSetSpec = { replicas: 0, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...templateLabels },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec,
    };
    spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    const created = createIfAbsent(this.ctx.store, GR.replicaSets, rs, MANAGER.controllerManager);
    if (!created) {
      const clash = getOf(this.ctx.store, GR.replicaSets, rs.metadata.namespace, rs.metadata.name ?? '');
      if (clash && controllerOf(clash)?.uid === d.metadata.uid && findNewReplicaSet(d, [clash])) {
        return this.replicaSetsAndSyncRevision(d, [...rsList, clash], createIfMissing);
      }
      // A hash collision: bump collisionCount so the next attempt hashes differently.
      updateWithRetry<Deployment>(
        this.ctx.store,
        GR.deployments,
        d.metadata.namespace,
        d.metadata.name ?? '',
        (copy) => {
          copy.status = { ...(copy.status ?? {}), collisionCount: (copy.status?.collisionCount ?? 0) + 1 };
          return true;
        },
        MANAGER.controllerManagerStatus,
      );
      throw new Error(`hash collision for ReplicaSet ${rs.metadata.name}; collisionCount bumped`);
    }
    this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${created.spec?.replicas} from 0`);
    const updated = this.syncDeploymentRevision(d, String(newRevision), 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, true);
    return { newRS: created, oldRSs, d: updated };
  }

  /** Sets the deployment's revision annotation and the Progressing condition for a new/found ReplicaSet. */
  private syncDeploymentRevision(d: Deployment, revision: string, reason: string, message: string, force = false): Deployment {
    const hasProgressing = (d.status?.conditions ?? []).some((c) => c.type === 'Progressing');
    const conditionWanted = hasProgressDeadline(d) && (force || !hasProgressing);
    if (d.metadata.annotations?.[REVISION] === revision && !conditionWanted) return d;
    return (
      updateWithRetry<Deployment>(
        this.ctx.store,
        GR.deployments,
        d.metadata.namespace,
        d.metadata.name ?? '',
        (copy) => {
          let changed = false;
          copy.metadata.annotations ??= {};
          if (copy.metadata.annotations[REVISION] !== revision) {
            copy.metadata.annotations[REVISION] = revision;
            changed = true;
          }
          const conditions: DeploymentCondition[] = copy.status?.conditions ?? [];
          const hasProgressing = conditions.some((c) => c.type === 'Progressing');
          if (hasProgressDeadline(copy) && (force || !hasProgressing)) {
            const next = setCondition(conditions, condition('Progressing', 'True', reason, message, this.now()));
            if (next !== conditions) {
              copy.status = { ...(copy.status ?? {}), conditions: next };
              changed = true;
            }
          }
          return changed;
        },
        // Upstream writes the revision annotation through UpdateStatus, which never bumps generation.
        MANAGER.controllerManagerStatus,
      ) ?? getOf(this.ctx.store, GR.deployments, d.metadata.namespace, d.metadata.name ?? '') ?? d
    );
  }

  // --- rollouts -----------------------------------------------------------------------

  private rolloutRolling(d: Deployment, rsList: ReplicaSet[]): void {
    const synced = this.replicaSetsAndSyncRevision(d, rsList, true);
    d = synced.d;
    let newRS = synced.newRS!;
    let oldRSs = synced.oldRSs;

    if (
      this.reconcileNewReplicaSet(d, [...oldRSs, newRS], newRS) ||
      this.reconcileOldReplicaSets(d, [...oldRSs, newRS], oldRSs, newRS)
    ) {
      this.syncRolloutStatus(d, this.freshAll([...oldRSs, newRS]), this.fresh(newRS));
      return;
    }
    newRS = this.fresh(newRS);
    oldRSs = this.freshAll(oldRSs);
    if (deploymentComplete(d, d.status ?? {})) this.cleanup(d, oldRSs);
    this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
  }

  /** `reconcileNewReplicaSet`: scale the new ReplicaSet up (within maxSurge) or down. */
  private reconcileNewReplicaSet(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    const desired = replicasOf(d);
    const current = newRS.spec?.replicas ?? 0;
    if (current === desired) return false;
    const target = current > desired ? desired : newRSNewReplicas(d, allRSs, newRS);
    return this.scaleReplicaSet(newRS, target, d);
  }

  /** `reconcileOldReplicaSets`: scale old ReplicaSets down while keeping minAvailable. */
  private reconcileOldReplicaSets(d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    const active = oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    if (specReplicas(active) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = (newRS.spec?.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    // Unhealthy replicas first, or they block the rollout (kubernetes/kubernetes#16737).
    let cleaned = 0;
    for (const rs of byCreation(active)) {
      if (cleaned >= maxScaledDown) break;
      const replicas = rs.spec?.replicas ?? 0;
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === 0 || replicas === available) continue;
      const down = Math.min(maxScaledDown - cleaned, replicas - available);
      this.scaleReplicaSet(rs, replicas - down, d);
      cleaned += down;
    }

    const freshOld = this.freshAll(active);
    const available = availableReplicas([...freshOld, this.fresh(newRS)]);
    let scaledDown = 0;
    if (available > minAvailable) {
      const toScale = available - minAvailable;
      for (const rs of byCreation(freshOld)) {
        if (scaledDown >= toScale) break;
        const replicas = rs.spec?.replicas ?? 0;
        if (replicas === 0) continue;
        const down = Math.min(replicas, toScale - scaledDown);
        this.scaleReplicaSet(rs, replicas - down, d);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): void {
    let synced = this.replicaSetsAndSyncRevision(d, rsList, false);
    d = synced.d;
    const activeOld = synced.oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    let scaledDown = false;
    for (const rs of activeOld) if (this.scaleReplicaSet(rs, 0, d)) scaledDown = true;
    if (scaledDown || this.oldPodsRunning(synced.newRS, synced.oldRSs)) {
      const all = this.freshAll([...synced.oldRSs, ...(synced.newRS ? [synced.newRS] : [])]);
      this.syncRolloutStatus(d, all, synced.newRS && this.fresh(synced.newRS));
      return;
    }
    if (!synced.newRS) {
      synced = this.replicaSetsAndSyncRevision(d, rsList, true);
      d = synced.d;
    }
    const newRS = synced.newRS!;
    if ((newRS.spec?.replicas ?? 0) !== replicasOf(d)) this.scaleReplicaSet(newRS, replicasOf(d), d);
    const oldRSs = this.freshAll(synced.oldRSs);
    if (deploymentComplete(d, d.status ?? {})) this.cleanup(d, oldRSs);
    this.syncRolloutStatus(d, [...oldRSs, this.fresh(newRS)], this.fresh(newRS));
  }

  /** `oldPodsRunning`: an old ReplicaSet still reports pods, or owns a non-terminal pod. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (statusReplicas(oldRSs) > 0) return true;
    return oldRSs.some(
      (rs) => rs.metadata.uid !== newRS?.metadata.uid && this.index.podsOf(rs.metadata.uid).some((p) => !isPodTerminal(p)),
    );
  }

  // --- scaling, paused, cleanup ------------------------------------------------------------

  /** `isScalingEvent`: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.peek(d, rsList);
    const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    return active.some((rs) => {
      const desired = rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'];
      return desired !== undefined && Number(desired) !== replicasOf(d);
    });
  }

  private peek(d: Deployment, rsList: ReplicaSet[]): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
    const newRS = findNewReplicaSet(d, rsList);
    return { newRS, oldRSs: rsList.filter((rs) => rs !== newRS) };
  }

  private syncScale(d: Deployment, rsList: ReplicaSet[]): void {
    const synced = this.replicaSetsAndSyncRevision(d, rsList, false);
    d = synced.d;
    this.scale(d, synced.newRS, synced.oldRSs);
    const all = this.freshAll([...synced.oldRSs, ...(synced.newRS ? [synced.newRS] : [])]);
    this.syncStatus(d, all, synced.newRS && this.fresh(synced.newRS));
  }

  private syncPaused(d: Deployment, rsList: ReplicaSet[]): void {
    const synced = this.replicaSetsAndSyncRevision(d, rsList, false);
    d = synced.d;
    this.scale(d, synced.newRS, synced.oldRSs);
    const oldRSs = this.freshAll(synced.oldRSs);
    this.cleanup(d, oldRSs);
    const newRS = synced.newRS && this.fresh(synced.newRS);
    this.syncStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  private syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS } = this.peek(d, rsList);
    this.syncStatus(d, rsList, newRS);
  }

  /** `scale` of sync.go, including proportional scaling of several active ReplicaSets. */
  private scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const desired = replicasOf(d);
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    const active = all.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    const single = active.length === 1 ? active[0] : active.length === 0 ? newRS ?? byCreation(all).at(-1) : undefined;
    if (single || active.length <= 1) {
      if (single && (single.spec?.replicas ?? 0) !== desired) this.scaleReplicaSet(single, desired, d);
      return;
    }
    if (newRS && (newRS.spec?.replicas ?? 0) === desired && (newRS.status?.availableReplicas ?? 0) === desired) {
      for (const rs of oldRSs) if ((rs.spec?.replicas ?? 0) > 0) this.scaleReplicaSet(rs, 0, d);
      return;
    }
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - specReplicas(active);
    if (toAdd === 0) return;
    // Bigger (then newer) ReplicaSets first when growing, smaller (then older) when shrinking.
    const ordered = [...active].sort((a, b) => {
      const diff = (b.spec?.replicas ?? 0) - (a.spec?.replicas ?? 0);
      if (diff !== 0) return toAdd > 0 ? diff : -diff;
      const t = (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1;
      return toAdd > 0 ? t : -t;
    });
    let added = 0;
    const targets = new Map<ReplicaSet, number>();
    for (const rs of ordered) {
      const p = proportion(rs, d, toAdd, added);
      targets.set(rs, (rs.spec?.replicas ?? 0) + p);
      added += p;
    }
    const first = ordered[0];
    targets.set(first, Math.max(0, (targets.get(first) ?? 0) + (toAdd - added)));
    for (const [rs, n] of targets) this.scaleReplicaSet(rs, Math.max(0, n), d);
  }

  /** `cleanupDeployment`: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(d: Deployment, oldRSs: ReplicaSet[]): void {
    const limit: number | undefined = d.spec?.revisionHistoryLimit ?? 10;
    if (limit === undefined || limit === null) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || (byCreation([a, b])[0] === a ? -1 : 1));
    for (const rs of byRevision.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0) continue;
      if ((rs.metadata.generation ?? 1) > (rs.status?.observedGeneration ?? 0)) continue;
      deleteIfPresent(this.ctx.store, GR.replicaSets, rs.metadata.namespace, rs.metadata.name ?? '', MANAGER.controllerManager);
    }
  }

  /** `scaleReplicaSetAndRecordEvent`: sets spec.replicas and the replicas annotations. */
  private scaleReplicaSet(rs: ReplicaSet, replicas: number, d: Deployment): boolean {
    const before = rs.spec?.replicas ?? 0;
    let scaled = false;
    this.updateReplicaSet(rs, (copy) => {
      const annotationsChanged = setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
      const spec = copy.spec!;
      scaled = (spec.replicas ?? 0) !== replicas;
      spec.replicas = replicas;
      return scaled || annotationsChanged;
    });
    if (scaled) {
      const direction = replicas > before ? 'up' : 'down';
      this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} to ${replicas} from ${before}`);
    }
    return scaled;
  }

  private updateReplicaSet(rs: ReplicaSet, mutate: (copy: ReplicaSet) => boolean): ReplicaSet {
    return (
      updateWithRetry<ReplicaSet>(this.ctx.store, GR.replicaSets, rs.metadata.namespace, rs.metadata.name ?? '', mutate, MANAGER.controllerManager) ??
      this.fresh(rs)
    );
  }

  // --- status -----------------------------------------------------------------------------

  /** `syncDeploymentStatus` (scaling and paused paths): no progress estimate. */
  private syncStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    const latest = this.latest(d);
    this.writeStatus(latest, pausedOrScaledStatus(latest, allRSs, newRS, this.now()));
  }

  /** `syncRolloutStatus`: status with the Progressing condition, re-checked at the progress deadline. */
  private syncRolloutStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    const latest = this.latest(d);
    const speed = this.ctx.clock.speed;
    const now = this.now();
    const elapsed = this.immediate ? undefined : (since: number) => (now.getTime() - since) * speed;
    const { status, deadlineInMs } = rolloutStatus(latest, allRSs, newRS, now, elapsed);
    if (deadlineInMs !== undefined) this.requeueAfter(`${latest.metadata.namespace}/${latest.metadata.name}`, deadlineInMs);
    this.writeStatus(latest, status);
  }

  private latest(d: Deployment): Deployment {
    return getOf(this.ctx.store, GR.deployments, d.metadata.namespace, d.metadata.name ?? '') ?? d;
  }

  private writeStatus(d: Deployment, status: DeploymentStatus): void {
    if (jsonEqual(d.status ?? {}, status)) return;
    updateWithRetry<Deployment>(
      this.ctx.store,
      GR.deployments,
      d.metadata.namespace,
      d.metadata.name ?? '',
      (copy) => {
        copy.status = status;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }

  private event(d: Deployment, type: string, reason: string, message: string): void {
    recordEvent(this.ctx.store, d, 'apps/v1', 'Deployment', type, reason, message, 'deployment-controller', this.now());
  }
}
