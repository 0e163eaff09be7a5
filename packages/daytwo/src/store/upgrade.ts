/**
 * What the Upgrade view reads besides the cluster objects: the Helm releases (their
 * apiVersions only; release Secrets are decoded in kube/ and never kept) and the manifests
 * of `--git` sources. Its own vanilla store, written by kube/upgrade.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ManifestUse } from '../domain/upgrade/api-findings.js';
import type { HelmReleaseUses } from '../domain/upgrade/sources.js';

export interface UpgradeSourcesState {
  /** `loading` until the first list of release Secrets answers. */
  readonly helmPhase: 'loading' | 'ready' | 'error';
  readonly helmReleases: readonly HelmReleaseUses[];
  /** Why the release Secrets could not be listed (e.g. forbidden), or releases that could not be decoded. */
  readonly helmErrors: readonly string[];
  /** Documents of the `--git` sources. */
  readonly gitUses: readonly ManifestUse[];
  readonly gitErrors: readonly string[];
}

export type UpgradeSourcesStore = StoreApi<UpgradeSourcesState>;

export function createUpgradeSourcesStore(initial: Partial<UpgradeSourcesState> = {}): UpgradeSourcesStore {
  return createStore<UpgradeSourcesState>()(() => ({ helmPhase: 'loading', helmReleases: [], helmErrors: [], gitUses: [], gitErrors: [], ...initial }));
}
