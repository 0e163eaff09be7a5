/** Manifest documents as API uses: what Helm releases and files would send to the API server. */

import { type ParsedManifests, parseManifestFile } from '../drift/manifests.js';
import type { ManifestUse } from './api-findings.js';
import type { HelmRelease } from './helm-release.js';

/** A Helm release reduced to what readiness needs: the apiVersions its manifest uses. */
export interface HelmReleaseUses {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly chart?: string;
  readonly uses: readonly ManifestUse[];
  /** Documents of the manifest that could not be read. */
  readonly errors: readonly string[];
}

/** What readiness reads besides the watched objects, and the sources that could not be read (`report upgrade` exits 2 on any). */
export interface UpgradeSources {
  readonly helmReleases: readonly HelmReleaseUses[];
  readonly manifests: readonly ManifestUse[];
  readonly errors: readonly string[];
}

/** Each document of a release's manifest, its source `helm: ns/release` (Helm fills in the release namespace). */
export function helmReleaseUses(release: HelmRelease): HelmReleaseUses {
  const parsed = parseManifestFile(`${release.namespace}/${release.name}`, release.manifest);
  return {
    name: release.name,
    namespace: release.namespace,
    revision: release.revision,
    ...(release.chart ? { chart: release.chart } : {}),
    uses: parsed.objects.map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      namespace: o.namespace ?? release.namespace,
      source: `helm: ${release.namespace}/${release.name} r${release.revision}`,
    })),
    errors: parsed.errors.map((e) => `helm ${release.namespace}/${release.name}: line ${e.line}: ${e.reason}`),
  };
}

/** Parsed manifest files as uses, with `prefix` (`git` or `file`) and each document's file and line. */
export function manifestUses(parsed: ParsedManifests, prefix: string): ManifestUse[] {
  return parsed.objects.map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    source: `${prefix}: ${o.source.file}:${o.source.line}`,
  }));
}
