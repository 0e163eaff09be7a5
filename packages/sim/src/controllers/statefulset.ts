/**
 * StatefulSet controller, after k8s.io/kubernetes/pkg/controller/statefulset
 * (stateful_set_control.go, stateful_set_utils.go): ordinal pods, OrderedReady or Parallel
 * management, ControllerRevisions, rolling updates in reverse ordinal order honouring the
 * partition, and PersistentVolumeClaims from volumeClaimTemplates.
 */
import type { ControllerRevision, PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { CREATE_RETRY_MS, createPodRecordingFailure } from './events.js';
import { CONTROLLER_REVISION_HASH, ownedRevisions, statefulSetRevisionNaming, syncUpdateRevision, truncateHistory } from './history.js';
import {
  createIfAbsent,
  deleteIfPresent,
  GR,
  getOf,
  isPodAvailable,
  isPodReady,
  jsonEqual,
  MANAGER,
  msUntilNextAvailable,
  podFromTemplate,
  splitKey,
  updateWithRetry,
} from './objects.js';

type StatefulSetStatus = NonNullable<StatefulSet['status']>;
/** A revision's template: `templatePatch` data carries the strategic merge directive `$patch`. */
type PatchedTemplate = PodTemplateSpec & { $patch?: string };

/** The template a revision's `data` holds (written by `templatePatch`: `{spec: {template}}`). */
function revisionTemplate(revision: ControllerRevision): PatchedTemplate | undefined {
  const data = revision.data as { spec?: { template?: PatchedTemplate } } | undefined;
  return data?.spec?.template;
}

const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export class StatefulSetController extends QueueController {
  readonly name = 'statefulset';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.statefulSets) return keysOf([ev.object]);
    if (ev.gr === GR.pods) return ownerKeys(ev.object, 'StatefulSet');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.statefulSets));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const sts = getOf(this.ctx.store, GR.statefulSets, namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const { revision: updateRevision, all } = syncUpdateRevision(this.ctx.store, sts, 'StatefulSet', (raw) =>
      statefulSetRevisionNaming(sts, raw),
    );
    const updateName = updateRevision.metadata.name ?? '';
    const recorded = sts.status?.currentRevision;
    const currentName = recorded && all.some((r) => r.metadata.name === recorded) ? recorded : updateName;
    const revisions = new Map(all.map((r) => [r.metadata.name ?? '', r]));

    this.syncPods(sts, currentName, updateName, revisions);
    this.updateStatus(sts, currentName, updateName);

    const inUse = new Set([currentName, updateName]);
    for (const p of this.index.podsOf(sts.metadata.uid)) inUse.add(p.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? '');
    truncateHistory(this.ctx.store, sts, ownedRevisions(this.ctx.store, sts), inUse);
  }

  private syncPods(sts: StatefulSet, currentName: string, updateName: string, revisions: Map<string, ControllerRevision>): void {
    const replicas = sts.spec?.replicas ?? 1;
    const parallel = sts.spec?.podManagementPolicy === 'Parallel';
    const partition =
      sts.spec?.updateStrategy?.type === 'OnDelete' ? replicas : (sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
    const byOrdinal = new Map<number, Pod>();
    const condemned: Pod[] = [];
    for (const pod of this.index.podsOf(sts.metadata.uid)) {
      const ord = ordinalOf(sts, pod);
      if (ord === undefined) continue;
      if (ord < replicas) byOrdinal.set(ord, pod);
      else condemned.push(pod);
    }

    for (let ord = 0; ord < replicas; ord++) {
      const pod = byOrdinal.get(ord);
      if (!pod) {
        const revName = ord < partition ? currentName : updateName;
        if (!this.createPod(sts, ord, revName, revisions.get(revName) ?? revisions.get(updateName)!)) {
          this.requeueAfter(`${sts.metadata.namespace}/${sts.metadata.name}`, CREATE_RETRY_MS);
          return;
        }
        if (!parallel) return;
        continue;
      }
      if (pod.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp) {
        deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
        if (!parallel) return;
        continue;
      }
      if (!parallel && (!isHealthy(pod) || pod.metadata.deletionTimestamp)) return;
    }

    // Scale down from the highest ordinal; OrderedReady waits for each to go.
    condemned.sort((a, b) => (ordinalOf(sts, b) ?? 0) - (ordinalOf(sts, a) ?? 0));
    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (!parallel) return;
        continue;
      }
      deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
      if (!parallel) return;
    }

    if (sts.spec?.updateStrategy?.type === 'OnDelete') return;
    // Rolling update: one pod at a time, highest ordinal first, down to the partition.
    for (let ord = replicas - 1; ord >= partition; ord--) {
      const pod = byOrdinal.get(ord);
      if (!pod) return;
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH] !== updateName && !pod.metadata.deletionTimestamp) {
        deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  /** Creates the pod of an ordinal; false when admission refused it (recorded as a FailedCreate event). */
  private createPod(sts: StatefulSet, ord: number, revName: string, revision: ControllerRevision): boolean {
    const name = `${sts.metadata.name}-${ord}`;
    const source: PatchedTemplate = revisionTemplate(revision) ?? sts.spec?.template ?? {};
    const { $patch: _, ...template } = source;
    const pod = podFromTemplate(template, sts, 'apps/v1', 'StatefulSet', {
      name,
      labels: {
        ...(template.metadata?.labels ?? {}),
        [CONTROLLER_REVISION_HASH]: revName,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ord),
      },
    });
    pod.spec.hostname = name;
    if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
    const claims = this.ensureClaims(sts, ord);
    if (claims.length > 0) {
      const volumes = (pod.spec.volumes ?? []).filter((v) => !claims.some((c) => c.volume === v.name));
      pod.spec.volumes = [...claims.map((c) => ({ name: c.volume, persistentVolumeClaim: { claimName: c.claim } })), ...volumes];
    }
    const failure = createPodRecordingFailure(this.ctx.store, sts, 'apps/v1', 'StatefulSet', 'statefulset-controller', this.now(), () =>
      createIfAbsent(this.ctx.store, GR.pods, pod, MANAGER.controllerManager),
    );
    return failure === undefined;
  }

  /** PVCs `<template>-<set>-<ordinal>` with the template's labels plus the set's matchLabels. */
  private ensureClaims(sts: StatefulSet, ord: number): { volume: string; claim: string }[] {
    const out: { volume: string; claim: string }[] = [];
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const claim = `${t.metadata?.name}-${sts.metadata.name}-${ord}`;
      out.push({ volume: t.metadata?.name ?? '', claim });
      if (this.ctx.store.get(GR.pvcs, sts.metadata.namespace, claim)) continue;
      const labels = { ...(t.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) };
      const pvc: PersistentVolumeClaim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claim,
          namespace: sts.metadata.namespace,
          labels,
          ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        },
        spec: structuredClone(t.spec ?? {}),
      };
      // persistentVolumeClaimRetentionPolicy WhenDeleted=Delete makes the set the claim's owner.
      if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
        pvc.metadata.ownerReferences = [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name ?? '', uid: sts.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
        ];
      }
      createIfAbsent(this.ctx.store, GR.pvcs, pvc, MANAGER.controllerManager);
    }
    return out;
  }

  private updateStatus(sts: StatefulSet, currentName: string, updateName: string): void {
    const pods = this.index.podsOf(sts.metadata.uid).filter((p) => ordinalOf(sts, p) !== undefined);
    const now = this.now();
    const minReady = sts.spec?.minReadySeconds ?? 0;
    const wait = msUntilNextAvailable(pods, minReady, now);
    if (wait !== undefined) this.requeueAfter(`${sts.metadata.namespace}/${sts.metadata.name}`, (wait + 1) * this.ctx.clock.speed);
    const status: StatefulSetStatus = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: pods.filter(isPodReady).length,
      currentReplicas: pods.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === currentName).length,
      updatedReplicas: pods.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] === updateName).length,
      availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
      currentRevision: currentName,
      updateRevision: updateName,
      collisionCount: sts.status?.collisionCount ?? 0,
    };
    // completeRollingUpdate: once every pod is updated and ready, the update revision becomes current.
    if (status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas && status.replicas === (sts.spec?.replicas ?? 1)) {
      status.currentRevision = updateName;
      status.currentReplicas = status.updatedReplicas;
    }
    updateWithRetry<StatefulSet>(
      this.ctx.store,
      GR.statefulSets,
      sts.metadata.namespace,
      sts.metadata.name ?? '',
      (copy) => {
        const next: StatefulSetStatus = { ...(copy.status ?? {}), ...status };
        for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (next[k] === 0) delete next[k];
        if (jsonEqual(next, copy.status ?? {})) return false;
        copy.status = next;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }
}

/** `getOrdinal`: the number after the last dash of a pod named `<set>-<n>`. */
function ordinalOf(sts: StatefulSet, pod: KubeObject): number | undefined {
  const name = pod.metadata.name ?? '';
  const prefix = `${sts.metadata.name}-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

/** `isHealthy`: Running and Ready, not being deleted. */
function isHealthy(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod) && !pod.metadata.deletionTimestamp;
}
