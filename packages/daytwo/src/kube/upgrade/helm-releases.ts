/**
 * Helm 3 releases of the cluster, read from their Secrets (label `owner=helm`). Each Secret
 * is decoded as its list page arrives and only the apiVersions of its manifest are kept:
 * release data (values included) is never stored, shown or logged.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { decodeHelmReleaseSecret, HELM_RELEASE_SECRET_TYPE } from '../../domain/upgrade/helm-release.js';
import { type HelmReleaseUses, helmReleaseUses } from '../../domain/upgrade/sources.js';
import type { UpgradeSourcesStore } from '../../store/upgrade.js';
import { describeError } from '../errors.js';
import type { KubeHttp } from '../http.js';
import { listAll } from '../list.js';

/** Helm's storage driver labels every release Secret `owner=helm`. */
export const HELM_SECRET_SELECTOR = 'owner=helm';

/**
 * Release Secrets change only on `helm install/upgrade/rollback/uninstall`; a re-list every
 * minute keeps the view current without a watch on Secrets (whose events would carry the data).
 */
export const HELM_RELIST_MS = 60_000;

type Decoded = { release?: HelmReleaseUses & { readonly status: string }; error?: string };

function decode(secret: KubeObject): Decoded {
  if (secret.type !== HELM_RELEASE_SECRET_TYPE) return {};
  try {
    const r = decodeHelmReleaseSecret(secret);
    return { release: { ...helmReleaseUses(r), status: r.status } };
  } catch (err) {
    return { error: `Secret ${secret.metadata.namespace}/${secret.metadata.name}: not a readable Helm release (${(err as Error).message})` };
  }
}

/** Lists the release Secrets (all namespaces, or one) and answers the newest revision of each release. */
export async function listHelmReleases(http: KubeHttp, namespace?: string): Promise<{ releases: HelmReleaseUses[]; errors: string[] }> {
  const base = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets` : '/api/v1/secrets';
  const decoded: Decoded[] = [];
  await listAll(http, `${base}?labelSelector=${encodeURIComponent(HELM_SECRET_SELECTOR)}`, {
    mapItem: (secret) => {
      decoded.push(decode(secret));
      return { metadata: {} };
    },
  });
  // Superseded and failed revisions stay as Secrets; the newest deployed one is what runs.
  const latest = new Map<string, HelmReleaseUses>();
  for (const d of decoded) {
    const r = d.release;
    if (r?.status !== 'deployed') continue;
    const seen = latest.get(`${r.namespace}/${r.name}`);
    if (!seen || r.revision > seen.revision) latest.set(`${r.namespace}/${r.name}`, r);
  }
  const releases = [...latest.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { releases, errors: decoded.flatMap((d) => (d.error ? [d.error] : [])) };
}

/** Lists now and every HELM_RELIST_MS into `store`; answers a stop function. */
export function followHelmReleases(http: KubeHttp, store: UpgradeSourcesStore, namespace?: string): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const { releases, errors } = await listHelmReleases(http, namespace);
      if (!stopped) store.setState({ helmPhase: 'ready', helmReleases: releases, helmErrors: errors });
    } catch (err) {
      if (!stopped) store.setState({ helmPhase: 'error', helmErrors: [`Helm releases: ${describeError(err)}`] });
    }
    if (!stopped) timer = setTimeout(tick, HELM_RELIST_MS);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
