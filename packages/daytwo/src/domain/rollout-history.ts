/**
 * Revision history of a workload as `kubectl rollout history` builds it
 * (k8s.io/kubectl/pkg/polymorphichelpers/history.go): a Deployment's from the ReplicaSets
 * it controls, a StatefulSet's and a DaemonSet's from their ControllerRevisions.
 */

import { byCreationTimestamp, type KubeObject } from '@daytwo/k8s/kube-object.js';
import { labelSelectorMatches } from '@daytwo/k8s/label-selector.js';
import { equalIgnoreHash, type PodTemplate, semanticEqual } from '@daytwo/k8s/pod-template.js';
import type { ControllerRevision, DaemonSet, Deployment, Fields, ReplicaSet, StatefulSet } from '@daytwo/k8s/wire-types.js';

/** `deployment.kubernetes.io/revision` on ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** kubectl's answer when a workload has no revisions. */
export const NO_HISTORY = 'No rollout history found.';

export type RolloutKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** A workload with a rollout history. */
export type RolloutWorkload = Deployment | StatefulSet | DaemonSet;


/** One revision of a workload. */
export interface RevisionEntry {
  readonly revision: number;
  /** The ReplicaSet or ControllerRevision holding it. */
  readonly name: string;
  readonly changeCause?: string;
  /** Images of the template's containers, in order. */
  readonly images: readonly string[];
  readonly createdAt?: string;
  /** Deployments only: the ReplicaSet's status. */
  readonly replicas?: number;
  readonly readyReplicas?: number;
  /** The revision the workload's template is at now. */
  readonly current: boolean;
  /** StatefulSets only: the revision `status.currentRevision` says the pods are at. */
  readonly rolledOut?: boolean;
  /** The pod template of the revision (for a ControllerRevision, its `data.spec.template`). */
  readonly template: PodTemplate;
  /** The object the revision came from (ReplicaSet or ControllerRevision). */
  readonly source: ReplicaSet | ControllerRevision;
}

/** Objects a workload's history is built from. */
export interface HistorySources {
  readonly replicaSets?: Iterable<ReplicaSet>;
  readonly controllerRevisions?: Iterable<ControllerRevision>;
}

/** Whether `owner` is `obj`'s controller (`metav1.IsControlledBy`: same uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return !!uid && (obj.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

/** Objects in the owner's namespace, selected by its selector and controlled by it. */
function controlled<T extends KubeObject>(owner: RolloutWorkload, objects: Iterable<T> | undefined): T[] {
  const selector = owner.spec?.selector;
  return [...(objects ?? [])].filter(
    (o) =>
      o.metadata?.namespace === owner.metadata?.namespace &&
      labelSelectorMatches(selector, o.metadata?.labels) &&
      isControlledBy(o, owner),
  );
}

/**
 * `deploymentutil.Revision`: the revision annotation as an integer; 0 when absent,
 * undefined when it does not parse (kubectl skips such ReplicaSets).
 */
export function replicaSetRevision(rs: ReplicaSet): number | undefined {
  const annotations = rs.metadata?.annotations ?? {};
  if (!Object.hasOwn(annotations, REVISION_ANNOTATION)) return 0;
  const v = annotations[REVISION_ANNOTATION];
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

function imagesOf(template: PodTemplate | undefined): string[] {
  const containers: unknown = template?.spec?.containers;
  return (Array.isArray(containers) ? containers : []).map((c: { image?: string }) => c.image ?? '');
}

/**
 * The ReplicaSets a Deployment controls in kubectl's `GetAllReplicaSets` order: by creation
 * time (its `findNewReplicaSet` sorts the shared list in place), with the new ReplicaSet (the
 * oldest whose template equals the Deployment's ignoring the hash label) moved last.
 */
export function deploymentReplicaSets(deployment: Deployment, replicaSets: Iterable<ReplicaSet> | undefined): { all: ReplicaSet[]; newRS?: ReplicaSet } {
  const owned = controlled(deployment, replicaSets).sort(byCreationTimestamp);
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
  const all = owned.filter((rs) => rs !== newRS);
  if (newRS) all.push(newRS);
  return { all, newRS };
}

/** A Deployment's revisions, ascending; later ReplicaSets win a duplicated revision, as in kubectl's map. */
export function deploymentHistory(deployment: Deployment, replicaSets: Iterable<ReplicaSet> | undefined): RevisionEntry[] {
  const { all, newRS } = deploymentReplicaSets(deployment, replicaSets);
  const byRevision = new Map<number, RevisionEntry>();
  for (const rs of all) {
    const revision = replicaSetRevision(rs);
    if (revision === undefined) continue;
    const template = rs.spec?.template ?? {};
    // history.go stores the ReplicaSet's change-cause into its template's annotations and
    // prints those, so a template carrying its own change-cause shows when the RS has none.
    const changeCause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || template.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    byRevision.set(revision, {
      revision,
      name: rs.metadata.name ?? '',
      ...(changeCause ? { changeCause } : {}),
      images: imagesOf(template),
      ...(rs.metadata.creationTimestamp ? { createdAt: rs.metadata.creationTimestamp } : {}),
      replicas: rs.status?.replicas ?? 0,
      readyReplicas: rs.status?.readyReplicas ?? 0,
      current: rs === newRS,
      template,
      source: rs,
    });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/**
 * The strategic merge patch a StatefulSet or DaemonSet controller records in a
 * ControllerRevision (`getPatch`): the workload's template with `$patch: replace`.
 */
export function templatePatch(workload: RolloutWorkload): { spec: { template: PodTemplate } } {
  return { spec: { template: { ...(workload.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The template a ControllerRevision restores: `data.spec.template` without its `$patch` directive. */
export function revisionTemplate(cr: ControllerRevision): PodTemplate {
  // `data` is a RawExtension: whatever JSON the controller recorded.
  const spec = isFields(cr.data) ? cr.data.spec : undefined;
  const { $patch: _directive, ...template } = isFields(spec) && isFields(spec.template) ? spec.template : {};
  return template;
}

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ControllerRevisions a StatefulSet or DaemonSet controls. */
export function controllerRevisionsOf(workload: RolloutWorkload, revisions: Iterable<ControllerRevision> | undefined): ControllerRevision[] {
  return controlled(workload, revisions);
}

/**
 * Whether the workload's template is the one a ControllerRevision holds (`daemonSetMatch`/
 * `statefulsetMatch`). kubectl compares the bytes of two Go encodings of the same typed
 * template; JSON re-encoded here has no Go byte layout, so the comparison is semantic.
 */
export function matchesRevision(workload: RolloutWorkload, cr: ControllerRevision): boolean {
  return semanticEqual(templatePatch(workload), cr.data);
}

/**
 * A StatefulSet's or DaemonSet's revisions, ascending. Current: for a StatefulSet the
 * revision named by `status.updateRevision` (else the one matching its template), for a
 * DaemonSet the one matching its template, as the DaemonSet controller's `Match` decides.
 */
export function controllerRevisionHistory(workload: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision> | undefined): RevisionEntry[] {
  const isStatefulSet = workload.kind === 'StatefulSet';
  const statefulSetStatus = isStatefulSet ? (workload as StatefulSet).status : undefined;
  const updateRevision = statefulSetStatus?.updateRevision;
  const currentRevision = statefulSetStatus?.currentRevision;
  const byRevision = new Map<number, RevisionEntry>();
  for (const cr of controllerRevisionsOf(workload, revisions)) {
    const revision = Number(cr.revision ?? 0);
    const template = revisionTemplate(cr);
    const changeCause = cr.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const name = cr.metadata.name ?? '';
    byRevision.set(revision, {
      revision,
      name,
      ...(changeCause ? { changeCause } : {}),
      images: imagesOf(template),
      ...(cr.metadata.creationTimestamp ? { createdAt: cr.metadata.creationTimestamp } : {}),
      current: updateRevision ? name === updateRevision : matchesRevision(workload, cr),
      ...(isStatefulSet ? { rolledOut: name === currentRevision } : {}),
      template,
      source: cr,
    });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/** The revision history of a Deployment, StatefulSet or DaemonSet (by `kind`); throws for other kinds. */
export function rolloutHistory(workload: RolloutWorkload, sources: HistorySources): RevisionEntry[] {
  switch (workload.kind) {
    case 'Deployment':
      return deploymentHistory(workload, sources.replicaSets);
    case 'StatefulSet':
    case 'DaemonSet':
      return controllerRevisionHistory(workload as StatefulSet | DaemonSet, sources.controllerRevisions);
    default:
      throw new Error(`no history viewer has been implemented for "${workload.kind ?? 'unknown kind'}"`);
  }
}
