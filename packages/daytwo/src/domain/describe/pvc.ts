/** `kubectl describe pvc` (describePersistentVolumeClaim, printPersistentVolumeClaim, getPodsForPVC). */
import { accessModesText } from '@daytwo/k8s/access-modes.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent, PersistentVolumeClaim, Pod } from '@daytwo/k8s/wire-types.js';
import { formatAge } from '../format.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, type DescribeWriter, labelsBlock, quantityText, rfc1123z } from './writer.js';

/**
 * `getPodsForPVC`: the namespace's pods with a volume of the claim, then the pod that owns it
 * (a generic ephemeral volume's), once; printed sorted by name.
 */
export function podsUsingClaim(pvc: PersistentVolumeClaim, namespacePods: readonly KubeObject[]): string[] {
  const pods = namespacePods as readonly Pod[];
  const using = pods.filter((p) => (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name));
  for (const owner of pvc.metadata?.ownerReferences ?? []) {
    if (owner.kind !== 'Pod') continue;
    const pod = pods.find((p) => p.metadata?.uid === owner.uid);
    if (pod && !using.some((p) => p.metadata?.uid === pod.metadata?.uid)) using.push(pod);
  }
  return using.map((p) => p.metadata?.name ?? '').sort();
}

export function describePersistentVolumeClaim(
  w: DescribeWriter,
  pvc: PersistentVolumeClaim,
  namespacePods: readonly KubeObject[] | undefined,
  events: readonly CoreEvent[] | undefined,
  now: number,
): void {
  const spec = pvc.spec;
  w.line(0, `Name:\t${pvc.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${pvc.metadata?.namespace ?? ''}`);
  w.line(0, `StorageClass:\t${pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec?.storageClassName ?? ''}`);
  const deleting = pvc.metadata?.deletionTimestamp;
  w.line(0, `Status:\t${deleting ? `Terminating (lasts ${formatAge(deleting, now)})` : (pvc.status?.phase ?? '')}`);
  w.line(0, `Volume:\t${spec?.volumeName ?? ''}`);
  labelsBlock(w, 'Labels', pvc.metadata?.labels);
  annotationsBlock(w, pvc.metadata?.annotations);
  // Go's %v of a []string.
  w.line(0, `Finalizers:\t[${(pvc.metadata?.finalizers ?? []).join(' ')}]`);
  const bound = Boolean(spec?.volumeName);
  const capacity = bound ? pvc.status?.capacity?.storage : undefined;
  w.line(0, `Capacity:\t${bound ? quantityText(capacity ?? '0') : ''}`);
  w.line(0, `Access Modes:\t${bound ? accessModesText(pvc.status?.accessModes) : ''}`);
  if (spec?.volumeMode) w.line(0, `VolumeMode:\t${spec.volumeMode}`);
  if (spec?.dataSource) {
    w.line(0, 'DataSource:');
    if (spec.dataSource.apiGroup) w.line(1, `APIGroup:\t${spec.dataSource.apiGroup}`);
    w.line(1, `Kind:\t${spec.dataSource.kind}`);
    w.line(1, `Name:\t${spec.dataSource.name}`);
  }
  const usedBy = namespacePods ? podsUsingClaim(pvc, namespacePods) : [];
  if (usedBy.length === 0) w.line(0, 'Used By:\t<none>');
  else for (const [i, name] of usedBy.entries()) w.line(0, `${i === 0 ? 'Used By:' : ''}\t${name}`);
  const conditions = pvc.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage');
    w.line(1, '----\t------\t-----------------\t------------------\t------\t-------');
    for (const c of conditions) {
      w.line(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}`);
    }
  }
  eventsBlock(w, events, now);
}
