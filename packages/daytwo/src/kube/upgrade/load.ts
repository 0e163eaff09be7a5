/** What `daytwo report upgrade` reads besides the watched objects: Helm releases and manifests. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ManifestUse } from '../../domain/upgrade/api-findings.js';
import { type HelmReleaseUses, manifestUses, type UpgradeSources } from '../../domain/upgrade/sources.js';
import type { UpgradeSourceOptions } from '../../options/upgrade-options.js';
import { GitSource } from '../drift/git-source.js';
import { readManifestDir } from '../drift/manifest-dir.js';
import { describeError } from '../errors.js';
import { KubeHttp } from '../http.js';
import { listHelmReleases } from './helm-releases.js';

/** Reads the `-f` files and directories and the `--git` repository; a source that fails becomes an error line. */
export async function readUpgradeManifests(opts: UpgradeSourceOptions): Promise<{ manifests: ManifestUse[]; errors: string[] }> {
  const manifests: ManifestUse[] = [];
  const errors: string[] = [];
  for (const f of opts.files) {
    try {
      const parsed = await readManifestDir(f);
      const isFile = (await stat(f)).isFile();
      const shown = (file: string) => (isFile ? f : path.join(f, file));
      manifests.push(...manifestUses({ ...parsed, objects: parsed.objects.map((o) => ({ ...o, source: { ...o.source, file: shown(o.source.file) } })) }, 'file'));
      errors.push(...parsed.errors.map((e) => `${shown(e.file)}:${e.line}: ${e.reason}`));
    } catch (err) {
      errors.push(`-f ${f}: ${(err as Error).message}`);
    }
  }
  if (opts.git) {
    try {
      const snap = await new GitSource(opts.git).read();
      manifests.push(...manifestUses(snap.manifests, 'git'));
      errors.push(...snap.manifests.errors.map((e) => `${e.file}:${e.line}: ${e.reason}`));
    } catch (err) {
      errors.push(`--git ${opts.git.location}: ${(err as Error).message}`);
    }
  }
  return { manifests, errors };
}

/** The cluster's Helm releases (in `namespace`, or all) and the manifests the options name. */
export async function loadUpgradeSources(kc: KubeConfig, namespace: string | undefined, opts: UpgradeSourceOptions): Promise<UpgradeSources> {
  const errors: string[] = [];
  let helmReleases: HelmReleaseUses[] = [];
  const http = new KubeHttp(kc);
  try {
    const listed = await listHelmReleases(http, namespace);
    helmReleases = listed.releases;
    errors.push(...listed.errors);
  } catch (err) {
    errors.push(`Helm releases (Secrets labelled owner=helm): ${describeError(err)}`);
  } finally {
    http.close();
  }
  const read = await readUpgradeManifests(opts);
  return { helmReleases, manifests: read.manifests, errors: [...errors, ...read.errors] };
}
