/**
 * What a kustomization includes from the tree, so that only the kustomizations nothing
 * includes are rendered (what a GitOps tool pointed at the repository root applies: an
 * overlay, not also the base it builds on), and files a kustomization uses are not read as
 * manifests of their own. Fields from sigs.k8s.io/kustomize/api types.Kustomization:
 * `resources`, `components` and the deprecated `bases` name files or directories;
 * `crds`, `patchesStrategicMerge`, and the `path` of `patches`, `patchesJson6902` and
 * `replacements` items name files. Remote references (URLs, `github.com/...`) are not in the tree.
 */
import { parse } from 'yaml';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function paths(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap((x) => (typeof x === 'object' && x !== null && typeof (x as { path?: unknown }).path === 'string' ? [(x as { path: string }).path] : [])) : [];
}

function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^[\w.-]+@/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref);
}

/** The local paths a kustomization refers to, relative to its directory; empty when it cannot be read. */
export function kustomizationRefs(text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const k = doc as Record<string, unknown>;
  const refs = [
    ...strings(k.resources),
    ...strings(k.components),
    ...strings(k.bases),
    ...strings(k.crds),
    ...strings(k.patchesStrategicMerge).filter((p) => !p.includes('\n')),
    ...paths(k.patches),
    ...paths(k.patchesJson6902),
    ...paths(k.replacements),
  ];
  return refs.filter((r) => r.trim() !== '' && !isRemote(r));
}
