/** Shapes shared by the drift modules: what Git declares, what the comparison answers. */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';

/** Where a declared object or a manifest error comes from. */
export interface SourceLocation {
  /** Path relative to the compared directory, e.g. `apps/web.yaml`. */
  readonly file: string;
  /** 1-based line of the document (or of the error). */
  readonly line: number;
}

/** One object as Git declares it. */
export interface DeclaredObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** API group, '' for the core group. */
  readonly group: string;
  /** Set for namespaced kinds (from the manifest or `--git-namespace`), undefined for cluster-scoped ones. */
  readonly namespace?: string;
  readonly name: string;
  /** The document as written (namespace filled in where it was left out). */
  readonly manifest: KubeObject;
  readonly source: SourceLocation;
}

/** A manifest that could not be read or rendered; the other files are still compared. */
export interface ManifestError extends SourceLocation {
  readonly reason: string;
}

export const DRIFT_STATUSES = ['Synced', 'OutOfSync', 'Missing', 'Extra'] as const;

/** Synced, OutOfSync (applying Git would change a field), Missing (not live), Extra (live, not in Git). */
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

/** One field whose live value differs from Git's. */
export interface FieldDiff {
  /** `spec.template.spec.containers[name=app].image` */
  readonly path: string;
  /** Git's value; undefined when Git has none (Extra objects). Secret values are `<redacted>`. */
  readonly git?: unknown;
  /** The live value; undefined when the field is absent live. Secret values are `<redacted>`. */
  readonly live?: unknown;
  /** The field manager that owns the live value (from managedFields), when known. */
  readonly manager?: string;
}

/** A field Git does not set that someone other than the applier changed live ("changed live, not in Git"). */
export interface LiveOnlyEdit {
  readonly path: string;
  readonly live: unknown;
  readonly manager: string;
  /** managedFields time of the manager's entry. */
  readonly time?: string;
}

/** The drift verdict for one object. */
export interface DriftItem {
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: DriftStatus;
  readonly diffs: readonly FieldDiff[];
  readonly liveOnly: readonly LiveOnlyEdit[];
  /** The Git file of declared objects. */
  readonly source?: SourceLocation;
  /** The plural resource serving the kind (`deployments`), when known: for access checks. */
  readonly resource?: string;
}

/** Marks a value that is compared but never shown (Secret data). */
export const REDACTED = '<redacted>';

/** `group/kind/namespace/name`, the identity objects are matched by. */
export function driftKey(o: { group: string; kind: string; namespace?: string; name: string }): string {
  return `${o.group}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/** The group of an apiVersion: `apps/v1` -> `apps`, `v1` -> ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
