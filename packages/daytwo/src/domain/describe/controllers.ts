/** `kubectl describe` of a ReplicaSet, DaemonSet and StatefulSet (describeReplicaSet, describeDaemonSet, describeStatefulSet). */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent, DaemonSet, Pod, ReplicaSet, StatefulSet, Wire } from '@daytwo/k8s/wire-types.js';
import type * as k from '@kubernetes/client-node';
import { podTemplateBlock, selectorText } from './deployment.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, controllerOf, type DescribeWriter, labelsBlock, quantityText, rfc1123z } from './writer.js';

/** `getPodStatusForController`'s counts: the pods whose controller is the object, by phase. */
export interface PodPhaseCounts {
  readonly running: number;
  readonly waiting: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** Counts `pods` (already listed with the object's selector) that the object with `uid` controls; orphans and others' pods are skipped. */
export function podPhaseCounts(pods: readonly KubeObject[], uid: string | undefined): PodPhaseCounts {
  const counts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const pod of pods as readonly Pod[]) {
    const controller = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (!controller || controller.uid !== uid) continue;
    const phase = pod.status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}

/** The controller's pods as listed with its selector, or why they could not be listed. */
export type ControllerPods = readonly KubeObject[] | { readonly error: string };

/** `Pods Status:`'s value; kubectl's ReplicaSet describer says why the pods could not be listed (the others fail whole). */
function podsStatusText(pods: ControllerPods | undefined, uid: string | undefined): string {
  if (!pods) return 'error in fetching pods: not read';
  if ('error' in pods) return `error in fetching pods: ${pods.error}`;
  const c = podPhaseCounts(pods, uid);
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
}

/** `labels.Selector.String()`: empty for a selector that selects everything (metav1.FormatLabelSelector says `<none>`). */
export function selectorString(selector: Parameters<typeof selectorText>[0]): string {
  const text = selectorText(selector);
  return text === '<none>' ? '' : text;
}

/** `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels?.[k]}`).join(',');
}

export function describeReplicaSet(w: DescribeWriter, rs: ReplicaSet, pods: ControllerPods | undefined, events: readonly CoreEvent[] | undefined, now: number): void {
  w.line(0, `Name:\t${rs.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${rs.metadata?.namespace ?? ''}`);
  w.line(0, `Selector:\t${selectorText(rs.spec?.selector)}`);
  labelsBlock(w, 'Labels', rs.metadata?.labels);
  annotationsBlock(w, rs.metadata?.annotations);
  const controller = controllerOf(rs);
  if (controller) w.line(0, `Controlled By:\t${controller}`);
  w.line(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired`);
  w.line(0, `Pods Status:\t${podsStatusText(pods, rs.metadata?.uid)}`);
  podTemplateBlock(w, rs.spec?.template);
  const conditions = rs.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(0, '  Type\tStatus\tReason');
    w.line(1, '----\t------\t------');
    for (const c of conditions) w.line(1, `${c.type} \t${c.status}\t${c.reason ?? ''}`);
  }
  eventsBlock(w, events, now);
}

export function describeDaemonSet(w: DescribeWriter, ds: DaemonSet, pods: ControllerPods | undefined, events: readonly CoreEvent[] | undefined, now: number): void {
  const status = ds.status;
  w.line(0, `Name:\t${ds.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${ds.metadata?.namespace ?? ''}`);
  w.line(0, `Selector:\t${selectorString(ds.spec?.selector)}`);
  w.line(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}`);
  labelsBlock(w, 'Labels', ds.metadata?.labels);
  annotationsBlock(w, ds.metadata?.annotations);
  w.line(0, `Desired Number of Nodes Scheduled: ${status?.desiredNumberScheduled ?? 0}`);
  w.line(0, `Current Number of Nodes Scheduled: ${status?.currentNumberScheduled ?? 0}`);
  w.line(0, `Number of Nodes Scheduled with Up-to-date Pods: ${status?.updatedNumberScheduled ?? 0}`);
  w.line(0, `Number of Nodes Scheduled with Available Pods: ${status?.numberAvailable ?? 0}`);
  w.line(0, `Number of Nodes Misscheduled: ${status?.numberMisscheduled ?? 0}`);
  w.line(0, `Pods Status:\t${podsStatusText(pods, ds.metadata?.uid)}`);
  podTemplateBlock(w, ds.spec?.template);
  eventsBlock(w, events, now);
}

/** A StatefulSet's claim template (its metadata may be absent, unlike a stored claim's). */
type ClaimTemplate = Wire<k.V1PersistentVolumeClaim>;

/** `storageutil.GetPersistentVolumeClaimClass`: the beta annotation first, then spec.storageClassName. */
function claimClass(pvc: ClaimTemplate): string {
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

/** `describeVolumeClaimTemplates`. */
function volumeClaimTemplatesBlock(w: DescribeWriter, templates: readonly ClaimTemplate[]): void {
  if (templates.length === 0) {
    w.line(0, 'Volume Claims:\t<none>');
    return;
  }
  w.line(0, 'Volume Claims:');
  for (const pvc of templates) {
    w.line(1, `Name:\t${pvc.metadata?.name ?? ''}`);
    w.line(1, `StorageClass:\t${claimClass(pvc)}`);
    labelsBlock(w, '  Labels', pvc.metadata?.labels);
    labelsBlock(w, '  Annotations', pvc.metadata?.annotations);
    const capacity = pvc.spec?.resources?.requests?.storage;
    w.line(1, `Capacity:\t${capacity === undefined ? '<default>' : quantityText(capacity)}`);
    // Go's %s of a slice: [ReadWriteOnce ReadOnlyMany].
    w.line(1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]`);
  }
}

export function describeStatefulSet(w: DescribeWriter, sts: StatefulSet, pods: ControllerPods | undefined, events: readonly CoreEvent[] | undefined, now: number): void {
  const spec = sts.spec;
  w.line(0, `Name:\t${sts.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${sts.metadata?.namespace ?? ''}`);
  w.line(0, `CreationTimestamp:\t${rfc1123z(sts.metadata?.creationTimestamp)}`);
  w.line(0, `Selector:\t${selectorString(spec?.selector)}`);
  labelsBlock(w, 'Labels', sts.metadata?.labels);
  annotationsBlock(w, sts.metadata?.annotations);
  if (spec?.serviceName) w.line(0, `Service Name:\t${spec.serviceName}`);
  if (spec?.podManagementPolicy) w.line(0, `Pod Management Policy:\t${spec.podManagementPolicy}`);
  w.line(0, `Replicas:\t${spec?.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total`);
  w.line(0, `Update Strategy:\t${spec?.updateStrategy?.type ?? ''}`);
  const ru = spec?.updateStrategy?.rollingUpdate;
  if (ru?.partition !== undefined && ru.partition !== null) {
    w.line(1, `Partition:\t${ru.partition}`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.line(1, `MaxUnavailable:\t${ru.maxUnavailable}`);
  }
  const retention = spec?.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    w.line(0, 'Persistent Volume Claim Retention Policy:');
    w.line(1, `WhenDeleted:\t${retention.whenDeleted ?? ''}`);
    w.line(1, `WhenScaled:\t${retention.whenScaled ?? ''}`);
  }
  w.line(0, `Pods Status:\t${podsStatusText(pods, sts.metadata?.uid)}`);
  podTemplateBlock(w, spec?.template);
  volumeClaimTemplatesBlock(w, spec?.volumeClaimTemplates ?? []);
  eventsBlock(w, events, now);
}
