/**
 * Helm 3 release Secrets (storage driver "secret"): type `helm.sh/release.v1`, named
 * `sh.helm.release.v1.<release>.v<revision>`, labels `owner=helm`, `name`, `status`, `version`.
 * Helm's `encodeRelease` stores base64(gzip(JSON of the release)) as the value of
 * `data.release`; the API then base64-encodes Secret data once more. Its `decodeRelease`
 * also accepts a payload that is not gzipped (older writers), so both are read here.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import type { Secret } from '@daytwo/k8s/wire-types.js';

export const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** What daytwo reads of a release: never the values, only the rendered manifest. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly status: string;
  readonly chart?: string;
  /** Multi-document YAML of every object the release rendered. */
  readonly manifest: string;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** The fields of Helm's release JSON read here (helm.sh/helm/v3 pkg/release `Release`), loosely: a writer may omit any. */
interface ReleaseJson {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly version?: unknown;
  readonly info?: { readonly status?: unknown };
  readonly chart?: { readonly metadata?: { readonly name?: string; readonly version?: string } };
  readonly manifest?: unknown;
}

/** Decodes the release stored in a Secret; throws with a short reason when it is not one. */
export function decodeHelmReleaseSecret(secret: Secret): HelmRelease {
  if (secret.type !== HELM_RELEASE_SECRET_TYPE) throw new Error(`type is ${secret.type ?? '(none)'}, not ${HELM_RELEASE_SECRET_TYPE}`);
  const data = secret.data?.release;
  if (typeof data !== 'string') throw new Error('no data.release');
  const helmText = Buffer.from(data, 'base64').toString('latin1');
  let payload = Buffer.from(helmText, 'base64');
  if (GZIP_MAGIC.every((b, i) => payload[i] === b)) payload = gunzipSync(payload);
  const release = JSON.parse(payload.toString('utf8')) as ReleaseJson;
  const labels = secret.metadata.labels ?? {};
  const chart = release.chart?.metadata;
  return {
    name: String(release.name ?? labels.name ?? ''),
    namespace: String(release.namespace ?? secret.metadata.namespace ?? ''),
    revision: Number(release.version ?? labels.version ?? 0),
    status: String(release.info?.status ?? labels.status ?? ''),
    ...(chart?.name ? { chart: `${chart.name}-${chart.version ?? ''}` } : {}),
    manifest: typeof release.manifest === 'string' ? release.manifest : '',
  };
}

/**
 * `data.release` of a Secret as the API returns it for a release Helm stored: the API's
 * base64 of Helm's base64 of gzip of the JSON. For tests and the demo scenario.
 */
export function encodeHelmReleaseData(release: Record<string, unknown>): string {
  const helmText = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmText, 'latin1').toString('base64');
}

/** The newest revision of each release among decoded releases (Helm keeps up to 10 by default). */
export function latestReleases(releases: readonly HelmRelease[]): HelmRelease[] {
  const latest = new Map<string, HelmRelease>();
  for (const r of releases) {
    const k = `${r.namespace}/${r.name}`;
    const seen = latest.get(k);
    if (!seen || r.revision > seen.revision) latest.set(k, r);
  }
  return [...latest.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
