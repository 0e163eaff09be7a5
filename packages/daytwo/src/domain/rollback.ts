/**
 * The patch `kubectl rollout undo` sends, computed without touching the cluster
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go), and a field diff of the pod template
 * to show before confirming.
 *
 * Compute it from a freshly fetched workload: a Deployment rollback replaces
 * `metadata.annotations` wholesale, and cached objects lack the last-applied annotation.
 */

import { equalIgnoreHash, type PodTemplate, type TemplateContainer, withoutHashLabel } from '@daytwo/k8s/pod-template.js';
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from '@daytwo/k8s/wire-types.js';
import {
  controllerRevisionsOf,
  deploymentReplicaSets,
  type HistorySources,
  matchesRevision,
  type RolloutWorkload,
  replicaSetRevision,
  revisionTemplate,
} from './rollout-history.js';

export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export type RollbackPatchType = typeof JSON_PATCH | typeof STRATEGIC_MERGE_PATCH;

/** What a rollback would send, or why it would send nothing. */
export interface RollbackPlan {
  readonly patchType: RollbackPatchType;
  /** The patch body (a JSON patch array for Deployments, the revision's data otherwise). */
  readonly patch: unknown;
  /** One line for the confirmation dialog and the audit log. */
  readonly summary: string;
  /** The revision rolled back to (resolved when `toRevision` was 0). */
  readonly targetRevision: number;
  /** kubectl's message when the template already matches: nothing is to be sent. */
  readonly noop?: string;
  /** The pod template after the rollback. */
  readonly template: PodTemplate;
  /** The workload's pod template now, for the diff shown before confirming. */
  readonly currentTemplate: PodTemplate;
}

/** A rollback kubectl would refuse, with kubectl's message. */
export class RollbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackError';
  }
}

/**
 * Annotations a Deployment keeps through a rollback instead of taking the ReplicaSet's
 * (rollback.go `annotationsToSkip`).
 */
export const ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** kubectl's refusal of a paused Deployment. */
export const PAUSED_DEPLOYMENT = "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again";

const revisionNotFound = (r: number) => new RollbackError(`unable to find specified revision ${r} in history`);
const skipped = (r: number) => `skipped rollback (current template already matches revision ${r})`;

/** Go's json.Marshal of a map writes keys sorted. */
function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The template as kubectl's `json.Marshal` of a PodTemplateSpec writes it: the zero
 * `metadata.creationTimestamp` is a struct and is written as null even with omitempty, as
 * is each container's `resources` (written as `{}`). API servers store the same, so the
 * patched Deployment matches one patched by kubectl field for field.
 */
function asGoMarshals(template: PodTemplate): PodTemplate {
  const metadata = { ...(template.metadata ?? {}) };
  if (!Object.hasOwn(metadata, 'creationTimestamp')) metadata.creationTimestamp = null;
  const withResources = (containers: TemplateContainer[]) => containers.map((c) => ('resources' in c ? c : { ...c, resources: {} }));
  const spec = template.spec
    ? {
        ...template.spec,
        ...(template.spec.containers ? { containers: withResources(template.spec.containers) } : {}),
        ...(template.spec.initContainers ? { initContainers: withResources(template.spec.initContainers) } : {}),
      }
    : template.spec;
  return { ...template, metadata, ...(spec ? { spec } : {}) };
}

/** `deploymentRevision`: the ReplicaSet of `toRevision`, or of the second-highest revision for 0. */
function deploymentRevision(deployment: Deployment, replicaSets: Iterable<ReplicaSet> | undefined, toRevision: number): { rs: ReplicaSet; revision: number } {
  const { all } = deploymentReplicaSets(deployment, replicaSets);
  let latest: { rs: ReplicaSet; revision: number } | undefined;
  let previous: { rs: ReplicaSet; revision: number } | undefined;
  for (const rs of all) {
    const v = replicaSetRevision(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if ((latest?.revision ?? -1) < v) {
        previous = latest;
        latest = { rs, revision: v };
      } else if ((previous?.revision ?? -1) < v) {
        previous = { rs, revision: v };
      }
    } else if (v === toRevision) {
      return { rs, revision: v };
    }
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (!previous) throw new RollbackError(`no rollout history found for deployment "${deployment.metadata.name ?? ''}"`);
  return previous;
}

function planDeploymentRollback(deployment: Deployment, replicaSets: Iterable<ReplicaSet> | undefined, toRevision: number): RollbackPlan {
  const name = deployment.metadata.name ?? '';
  const target = deploymentRevision(deployment, replicaSets, toRevision);
  if (deployment.spec?.paused) {
    // kubectl >= 1.26 (kubernetes/kubernetes#111795 dropped `deployment/NAME`: it named no namespace).
    throw new RollbackError(PAUSED_DEPLOYMENT);
  }
  const template = asGoMarshals(withoutHashLabel(target.rs.spec?.template));
  const currentTemplate: PodTemplate = deployment.spec?.template ?? {};
  const summary = `roll back deployment.apps/${name} to revision ${target.revision} (ReplicaSet ${target.rs.metadata.name ?? ''})`;
  if (equalIgnoreHash(target.rs.spec?.template, deployment.spec?.template)) {
    // kubectl prints the revision as asked, so an undo to "previous" reports revision 0.
    return { patchType: JSON_PATCH, patch: [], summary, targetRevision: target.revision, noop: skipped(toRevision), template, currentTemplate };
  }
  const annotations: Record<string, string> = {};
  const current = deployment.metadata.annotations ?? {};
  for (const key of ANNOTATIONS_TO_SKIP) if (Object.hasOwn(current, key)) annotations[key] = current[key];
  for (const [key, value] of Object.entries(target.rs.metadata.annotations ?? {})) {
    if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: sortedRecord(annotations) },
  ];
  return { patchType: JSON_PATCH, patch, summary, targetRevision: target.revision, template, currentTemplate };
}

/** `findHistory`: the revision asked for, or the second-highest for 0. */
function findHistory(toRevision: number, history: ControllerRevision[]): ControllerRevision | undefined {
  if (toRevision === 0) {
    if (history.length <= 1) return undefined;
    const sorted = [...history].sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
    return sorted[sorted.length - 2];
  }
  return history.find((h) => Number(h.revision ?? 0) === toRevision);
}

function planControllerRevisionRollback(workload: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision> | undefined, toRevision: number): RollbackPlan {
  const history = controllerRevisionsOf(workload, revisions);
  if (toRevision === 0 && history.length <= 1) throw new RollbackError('no last revision to roll back to');
  const target = findHistory(toRevision, history);
  if (!target) throw revisionNotFound(toRevision);
  const revision = Number(target.revision ?? 0);
  const resource = workload.kind === 'StatefulSet' ? 'statefulset' : 'daemonset';
  const summary = `roll back ${resource}.apps/${workload.metadata.name ?? ''} to revision ${revision} (ControllerRevision ${target.metadata.name ?? ''})`;
  const template = revisionTemplate(target);
  const noop = matchesRevision(workload, target) ? skipped(toRevision) : undefined;
  return {
    patchType: STRATEGIC_MERGE_PATCH,
    patch: noop ? {} : structuredClone(target.data),
    summary,
    targetRevision: revision,
    ...(noop ? { noop } : {}),
    template,
    currentTemplate: workload.spec?.template ?? {},
  };
}

/**
 * Plans `kubectl rollout undo [--to-revision=N]` for a Deployment, StatefulSet or DaemonSet.
 * `toRevision` 0 means the previous revision. Throws RollbackError with kubectl's message
 * when kubectl would refuse (unknown revision, no history, paused Deployment, other kinds).
 */
export function planRollback(workload: RolloutWorkload, sources: HistorySources, toRevision = 0): RollbackPlan {
  if (toRevision < 0) throw revisionNotFound(toRevision);
  switch (workload.kind) {
    case 'Deployment':
      return planDeploymentRollback(workload, sources.replicaSets, toRevision);
    case 'StatefulSet':
    case 'DaemonSet':
      return planControllerRevisionRollback(workload as StatefulSet | DaemonSet, sources.controllerRevisions, toRevision);
    default:
      throw new RollbackError(`no rollbacker has been implemented for "${workload.kind ?? 'unknown kind'}"`);
  }
}

/** One changed field of a pod template. */
export interface TemplateChange {
  /** e.g. `spec.containers[web].image`, `metadata.labels.app`. */
  readonly path: string;
  /** Absent when the field is added. Non-strings are shown as JSON. */
  readonly from?: string;
  /** Absent when the field is removed. */
  readonly to?: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arrays of named objects (containers, volumes, env, ports) are keyed by name so a reorder reads as one. */
function isNamedList(v: unknown[]): v is { name: string }[] {
  return v.length > 0 && v.every((item) => isPlainObject(item) && typeof item.name === 'string');
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, out);
  } else if (Array.isArray(value) && isNamedList(value)) {
    for (const item of value) flatten(item, `${path}[${item.name}]`, out);
  } else if (Array.isArray(value) && value.length > 0 && value.some((v) => isPlainObject(v) || Array.isArray(v))) {
    for (const [i, item] of value.entries()) flatten(item, `${path}[${i}]`, out);
  } else if (value !== undefined && value !== null) {
    out.set(path, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/**
 * The fields that differ between two pod templates, sorted by path. The
 * `pod-template-hash` label and `$patch` directives are ignored.
 */
export function templateDiff(current: PodTemplate | undefined, target: PodTemplate | undefined): TemplateChange[] {
  const strip = (t: PodTemplate | undefined) => {
    const copy = withoutHashLabel(t);
    delete copy.$patch;
    return copy;
  };
  const from = new Map<string, string>();
  const to = new Map<string, string>();
  flatten(strip(current), '', from);
  flatten(strip(target), '', to);
  const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
  const changes: TemplateChange[] = [];
  for (const path of paths) {
    const a = from.get(path);
    const b = to.get(path);
    if (a === b) continue;
    changes.push({ path, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) });
  }
  return changes;
}
