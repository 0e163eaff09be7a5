/**
 * The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault):
 * a claim created without `storageClassName` (absent, not "") and without the beta class
 * annotation gets the cluster's default class; with several defaults, the newest.
 */

import type { PersistentVolumeClaim, StorageClass } from '@daytwo/k8s/wire-types.js';
import type { ObjectStore } from '../types.js';

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The default StorageClass, if any: the newest of those marked default (then by name). */
export function defaultStorageClass(store: ObjectStore): StorageClass | undefined {
  const classes = store.list('storage.k8s.io/storageclasses') as StorageClass[];
  const defaults = classes.filter((sc) => DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata.annotations?.[a] === 'true'));
  defaults.sort((a, b) => {
    const byAge = Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '');
    return byAge !== 0 && !Number.isNaN(byAge) ? byAge : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
  return defaults[0];
}

/** Sets the default class on a claim that names none. Mutates `pvc`. */
export function admitDefaultStorageClass(store: ObjectStore, pvc: PersistentVolumeClaim): void {
  pvc.spec ??= {};
  if (pvc.spec.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
  if (pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
  const name = defaultStorageClass(store)?.metadata.name;
  if (name) pvc.spec.storageClassName = name;
}
