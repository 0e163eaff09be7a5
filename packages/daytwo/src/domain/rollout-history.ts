/**
 * Revision history of a workload as `kubectl rollout history` builds it
 * (k8s.io/kubectl/pkg/polymorphichelpers/history.go): a Deployment's from the ReplicaSets
 * it controls, a StatefulSet's and a DaemonSet's from their ControllerRevisions.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { type LabelSelector, labelSelectorMatches } from '@daytwo/k8s/label-selector.js';
import { quantitiesEqual, tryParseQuantity } from '@daytwo/k8s/quantity.js';

/** `deployment.kubernetes.io/revision` on ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The label the Deployment controller adds to each ReplicaSet's template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** kubectl's answer when a workload has no revisions. */
export const NO_HISTORY = 'No rollout history found.';

export type RolloutKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** A pod template as JSON (`spec.template`). */
export type PodTemplate = Record<string, any>;

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
  readonly source: KubeObject;
}

/** Objects a workload's history is built from. */
export interface HistorySources {
  readonly replicaSets?: Iterable<KubeObject>;
  readonly controllerRevisions?: Iterable<KubeObject>;
}

/** Whether `owner` is `obj`'s controller (`metav1.IsControlledBy`: same uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return !!uid && (obj.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

/** Objects in the owner's namespace, selected by its selector and controlled by it. */
function controlled(owner: KubeObject, objects: Iterable<KubeObject> | undefined): KubeObject[] {
  const selector = owner.spec?.selector as LabelSelector | undefined;
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
export function replicaSetRevision(rs: KubeObject): number | undefined {
  const annotations = rs.metadata?.annotations ?? {};
  if (!Object.hasOwn(annotations, REVISION_ANNOTATION)) return 0;
  const v = annotations[REVISION_ANNOTATION];
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

function imagesOf(template: PodTemplate | undefined): string[] {
  return ((template?.spec?.containers ?? []) as { image?: string }[]).map((c) => c.image ?? '');
}

// Resource lists whose values are quantities, compared by value as apiequality.Semantic does.
const QUANTITY_MAPS = new Set(['requests', 'limits', 'overhead', 'capacity', 'allocatable']);

function isEmptyValue(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );
}

/**
 * Deep equality of API JSON in the spirit of `apiequality.Semantic.DeepEqual`: quantities
 * compare by value (`500m` == `0.5`), and null, absent, empty lists and empty maps are
 * equal (Go decodes all of them to nil/empty; a pointer to an empty struct is the one
 * case this treats as equal where Go would not).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equalValues(a, b, 'plain');
}

/** What a value holds: plain JSON, a quantity, or a map of quantities (a ResourceList). */
type ValueKind = 'plain' | 'quantity' | 'quantityMap';

function childKind(parent: ValueKind, key: string): ValueKind {
  if (parent === 'quantityMap' || key === 'sizeLimit') return 'quantity';
  return QUANTITY_MAPS.has(key) ? 'quantityMap' : 'plain';
}

function equalValues(a: unknown, b: unknown, kind: ValueKind): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    if (kind !== 'quantity') return false;
    const qa = tryParseQuantity(a);
    const qb = tryParseQuantity(b);
    return !!qa && !!qb && quantitiesEqual(qa, qb);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equalValues(item, b[i], 'plain'));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const key of keys) if (!equalValues(ra[key], rb[key], childKind(kind, key))) return false;
    return true;
  }
  return a === b;
}

/** A deep copy of the template without the `pod-template-hash` label (dropping `labels` if that empties it). */
export function withoutHashLabel(template: PodTemplate | undefined): PodTemplate {
  const copy: PodTemplate = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels && Object.hasOwn(labels, POD_TEMPLATE_HASH_LABEL)) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** `deploymentutil.EqualIgnoreHash`: templates equal apart from the `pod-template-hash` label. */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return semanticEqual(withoutHashLabel(a), withoutHashLabel(b));
}

function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  return ta - tb || goStringCompare(a.metadata?.name ?? '', b.metadata?.name ?? '');
}

/** Go's `a < b` on strings: by UTF-16 code unit here, which orders names (ASCII) as Go's bytes do. */
function goStringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The ReplicaSets a Deployment controls in kubectl's `GetAllReplicaSets` order: by creation
 * time (its `findNewReplicaSet` sorts the shared list in place), with the new ReplicaSet (the
 * oldest whose template equals the Deployment's ignoring the hash label) moved last.
 */
export function deploymentReplicaSets(deployment: KubeObject, replicaSets: Iterable<KubeObject> | undefined): { all: KubeObject[]; newRS?: KubeObject } {
  const owned = controlled(deployment, replicaSets).sort(byCreation);
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
  const all = owned.filter((rs) => rs !== newRS);
  if (newRS) all.push(newRS);
  return { all, newRS };
}

/** A Deployment's revisions, ascending; later ReplicaSets win a duplicated revision, as in kubectl's map. */
export function deploymentHistory(deployment: KubeObject, replicaSets: Iterable<KubeObject> | undefined): RevisionEntry[] {
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
export function templatePatch(workload: KubeObject): { spec: { template: PodTemplate } } {
  return { spec: { template: { ...(workload.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The template a ControllerRevision restores: `data.spec.template` without its `$patch` directive. */
export function revisionTemplate(cr: KubeObject): PodTemplate {
  const { $patch: _directive, ...template } = (cr.data?.spec?.template ?? {}) as PodTemplate;
  return template;
}

/** The ControllerRevisions a StatefulSet or DaemonSet controls. */
export function controllerRevisionsOf(workload: KubeObject, revisions: Iterable<KubeObject> | undefined): KubeObject[] {
  return controlled(workload, revisions);
}

/**
 * Whether the workload's template is the one a ControllerRevision holds (`daemonSetMatch`/
 * `statefulsetMatch`). kubectl compares the bytes of two Go encodings of the same typed
 * template; JSON re-encoded here has no Go byte layout, so the comparison is semantic.
 */
export function matchesRevision(workload: KubeObject, cr: KubeObject): boolean {
  return semanticEqual(templatePatch(workload), cr.data);
}

/**
 * A StatefulSet's or DaemonSet's revisions, ascending. Current: for a StatefulSet the
 * revision named by `status.updateRevision` (else the one matching its template), for a
 * DaemonSet the one matching its template, as the DaemonSet controller's `Match` decides.
 */
export function controllerRevisionHistory(workload: KubeObject, revisions: Iterable<KubeObject> | undefined): RevisionEntry[] {
  const isStatefulSet = workload.kind === 'StatefulSet';
  const updateRevision: string | undefined = isStatefulSet ? workload.status?.updateRevision : undefined;
  const currentRevision: string | undefined = isStatefulSet ? workload.status?.currentRevision : undefined;
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
export function rolloutHistory(workload: KubeObject, sources: HistorySources): RevisionEntry[] {
  switch (workload.kind) {
    case 'Deployment':
      return deploymentHistory(workload, sources.replicaSets);
    case 'StatefulSet':
    case 'DaemonSet':
      return controllerRevisionHistory(workload, sources.controllerRevisions);
    default:
      throw new Error(`no history viewer has been implemented for "${workload.kind ?? 'unknown kind'}"`);
  }
}
