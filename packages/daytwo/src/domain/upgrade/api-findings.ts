/**
 * Deprecated and removed apiVersions in use: in live objects (the apiVersion a client last
 * applied or wrote through), in Helm releases' manifests and in manifest files.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { compareMinor, type KubeVersion } from '../version.js';
import { lookupDeprecation, releaseVersion } from './deprecations.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** One use of a deprecated or removed apiVersion. */
export interface ApiFinding {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly apiVersion: string;
  /** `live (last-applied)`, `live (managedFields: kubectl)`, `helm: ns/release`, `git: path:line`, `file: path:line`. */
  readonly source: string;
  readonly deprecatedIn: string | null;
  readonly removedIn: string | null;
  readonly replacement: string | null;
  readonly replacementAvailableIn: string | null;
  /** Removed in a release at or before the target: the upgrade breaks whoever still uses it. */
  readonly blocks: boolean;
}

/** An apiVersion an object was written through, and how we know. */
export interface UsedApiVersion {
  readonly apiVersion: string;
  /** `last-applied` or `managedFields: <manager>`. */
  readonly via: string;
}

/**
 * The apiVersions a live object was written through: the last-applied annotation's and each
 * managedFields entry's. The store keeps only this (as `usedApiVersions`, see slimObject);
 * full objects are read directly.
 */
export function usedApiVersions(obj: KubeObject): UsedApiVersion[] {
  if (Array.isArray(obj.usedApiVersions)) return obj.usedApiVersions as UsedApiVersion[];
  const out: UsedApiVersion[] = [];
  const seen = new Set<string>();
  const add = (apiVersion: unknown, via: string) => {
    if (typeof apiVersion !== 'string' || apiVersion === '' || seen.has(`${apiVersion}|${via}`)) return;
    seen.add(`${apiVersion}|${via}`);
    out.push({ apiVersion, via });
  };
  const lastApplied = obj.metadata?.annotations?.[LAST_APPLIED];
  if (lastApplied) {
    try {
      add((JSON.parse(lastApplied) as { apiVersion?: unknown }).apiVersion, 'last-applied');
    } catch {
      // A hand-edited annotation that is not JSON says nothing about the apiVersion.
    }
  }
  for (const entry of obj.metadata?.managedFields ?? []) add(entry.apiVersion, `managedFields: ${entry.manager}`);
  return out;
}

/** Whether `release` (e.g. `1.25`) is at or before `target`. */
function atOrBefore(release: string | undefined, target: KubeVersion): boolean {
  return release !== undefined && compareMinor(releaseVersion(release), target) <= 0;
}

/**
 * The finding for one use of `apiVersion`, or undefined when that apiVersion is neither
 * deprecated nor removed by `target` (an alpha deprecated only after it is left out).
 */
export function apiFinding(
  use: { kind: string; namespace?: string; name: string; apiVersion: string; source: string },
  target: KubeVersion,
): ApiFinding | undefined {
  const d = lookupDeprecation(use.apiVersion, use.kind);
  if (!d) return undefined;
  const blocks = atOrBefore(d.removedIn, target);
  if (!blocks && !atOrBefore(d.deprecatedIn, target)) return undefined;
  return {
    kind: use.kind,
    namespace: use.namespace ?? '',
    name: use.name,
    apiVersion: use.apiVersion,
    source: use.source,
    deprecatedIn: d.deprecatedIn ?? null,
    removedIn: d.removedIn ?? null,
    replacement: d.replacement ?? null,
    replacementAvailableIn: d.replacementAvailableIn ?? null,
    blocks,
  };
}

/** Findings for live objects: each distinct deprecated apiVersion they were written through. */
export function liveApiFindings(objects: Iterable<KubeObject>, target: KubeVersion): ApiFinding[] {
  const out: ApiFinding[] = [];
  for (const obj of objects) {
    const kind = obj.kind ?? '';
    const seen = new Set<string>();
    for (const use of usedApiVersions(obj)) {
      if (seen.has(use.apiVersion)) continue;
      const f = apiFinding({ kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', apiVersion: use.apiVersion, source: `live (${use.via})` }, target);
      if (f) {
        seen.add(use.apiVersion);
        out.push(f);
      }
    }
  }
  return out;
}

/** A manifest document: what kubectl or Helm would send. */
export interface ManifestUse {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** e.g. `git: apps/pdb.yaml:3`. */
  readonly source: string;
}

/** Findings for manifest documents (Git, files, Helm releases). */
export function manifestApiFindings(uses: Iterable<ManifestUse>, target: KubeVersion): ApiFinding[] {
  const out: ApiFinding[] = [];
  for (const u of uses) {
    const f = apiFinding(u, target);
    if (f) out.push(f);
  }
  return out;
}

/** Blocking first, then by removal, kind, namespace, name, source. */
export function sortApiFindings(findings: readonly ApiFinding[]): ApiFinding[] {
  return [...findings].sort(
    (a, b) =>
      Number(b.blocks) - Number(a.blocks) ||
      (a.removedIn ?? '9').localeCompare(b.removedIn ?? '9', undefined, { numeric: true }) ||
      a.kind.localeCompare(b.kind) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name) ||
      a.source.localeCompare(b.source),
  );
}
