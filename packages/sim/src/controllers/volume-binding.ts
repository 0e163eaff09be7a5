/**
 * The PersistentVolume controller together with what a cloud cluster's CSI
 * external-provisioner does: a claim of an existing StorageClass is given a new volume
 * `pvc-<uid>` and bound to it, at once for `volumeBindingMode: Immediate`, and for
 * `WaitForFirstConsumer` once the scheduler has chosen a node for a pod that uses it
 * (`volume.kubernetes.io/selected-node`). A claim without a class, or whose class does
 * not exist, waits, as it does upstream (static binding to pre-created volumes is not
 * simulated).
 */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { createIfAbsent, GR, getOf, listOf, MANAGER, splitKey, updateWithRetry } from './objects.js';

/** The annotation the scheduler's volume binder sets on a WaitForFirstConsumer claim. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const STORAGE_CLASSES = 'storage.k8s.io/storageclasses';

/** The binding mode of a claim's class; undefined when it names no class that exists. */
export function claimBindingMode(store: { get(gr: string, ns: string | undefined, name: string): KubeObject | undefined }, pvc: PersistentVolumeClaim): string | undefined {
  const className = pvc.spec?.storageClassName;
  if (!className) return undefined;
  const sc = store.get(STORAGE_CLASSES, undefined, className) as StorageClass | undefined;
  return sc ? (sc.volumeBindingMode ?? 'Immediate') : undefined;
}

export class VolumeBindingController extends QueueController {
  readonly name = 'persistentvolume-binder';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.pvcs) return ev.type === 'DELETED' ? [] : keysOf([ev.object]);
    if (ev.gr === STORAGE_CLASSES) return this.allKeys();
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(listOf(this.ctx.store, GR.pvcs).filter((pvc) => !pvc.spec?.volumeName));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pvc = getOf(this.ctx.store, GR.pvcs, namespace, name);
    if (!pvc || pvc.spec?.volumeName || pvc.metadata.deletionTimestamp) return;
    const mode = claimBindingMode(this.ctx.store, pvc);
    if (!mode || (mode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION])) return;
    // A mode means the class exists.
    const sc = getOf(this.ctx.store, STORAGE_CLASSES, undefined, pvc.spec?.storageClassName ?? '')!;
    const pvName = `pvc-${pvc.metadata.uid}`;
    const provisioner = sc.provisioner ?? '';
    const storage = pvc.spec?.resources?.requests?.storage ?? '1Gi';
    const accessModes = pvc.spec?.accessModes ?? ['ReadWriteOnce'];
    createIfAbsent<PersistentVolume>(
      this.ctx.store,
      GR.pvs,
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': provisioner }, finalizers: ['kubernetes.io/pv-protection'] },
        spec: {
          accessModes,
          capacity: { storage },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name, namespace, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
          csi: { driver: provisioner, volumeHandle: pvName },
          persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          storageClassName: sc.metadata.name,
          volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        },
      },
      { fieldManager: 'csi-provisioner' },
    );
    updateWithRetry<PersistentVolume>(this.ctx.store, GR.pvs, undefined, pvName, (pv) => {
      if (pv.status?.phase === 'Bound') return false;
      pv.status = { ...(pv.status ?? {}), phase: 'Bound' };
      return true;
    }, MANAGER.controllerManagerStatus);
    updateWithRetry<PersistentVolumeClaim>(this.ctx.store, GR.pvcs, namespace, name, (claim) => {
      const spec = claim.spec!;
      if (spec.volumeName) return false;
      spec.volumeName = pvName;
      claim.metadata.annotations = {
        ...(claim.metadata.annotations ?? {}),
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.beta.kubernetes.io/storage-provisioner': provisioner,
        'volume.kubernetes.io/storage-provisioner': provisioner,
      };
      return true;
    }, MANAGER.controllerManager);
    updateWithRetry<PersistentVolumeClaim>(this.ctx.store, GR.pvcs, namespace, name, (claim) => {
      if (claim.status?.phase === 'Bound') return false;
      claim.status = { ...(claim.status ?? {}), phase: 'Bound', accessModes, capacity: { storage } };
      return true;
    }, MANAGER.controllerManagerStatus);
  }
}
