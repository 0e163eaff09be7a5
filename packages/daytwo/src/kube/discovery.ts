/**
 * Discovery of the API server's resources, as kubectl's cached discovery reads them:
 * `/api` and `/apis` for the groups, then each group's preferred version's APIResourceList.
 * A group whose list fails (an aggregated API that is down) is left out, as kubectl
 * reports partial discovery and goes on.
 */
import { setMaxListeners } from 'node:events';
import type { ApiResource } from '../domain/api-resources.js';
import type { AppStore } from '../store/app-store.js';
import { describeError } from './errors.js';
import type { KubeHttp } from './http.js';

interface ApiResourceEntry {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface ApiGroupList {
  groups: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[];
}

/** What discovery found: the resources, and the group/versions that could not be read. */
export interface DiscoveryResult {
  readonly resources: readonly ApiResource[];
  readonly failed: readonly { readonly groupVersion: string; readonly error: string }[];
}

/** Lists every resource (core first, then the groups in `/apis` order). Rejects only when `/api` or `/apis` fails. */
export async function discoverResources(http: KubeHttp, signal?: AbortSignal): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([
    http.requestJson<{ versions: string[] }>('/api', { signal }),
    http.requestJson<ApiGroupList>('/apis', { signal }),
  ]);
  const targets = [
    ...core.versions.slice(0, 1).map((v) => ({ group: '', version: v, path: `/api/${v}` })),
    ...groups.groups.flatMap((g) => {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      return version ? [{ group: g.name, version, path: `/apis/${g.name}/${version}` }] : [];
    }),
  ];
  // One abort listener per group's request: a cluster with many API groups is normal, not a leak.
  if (signal) setMaxListeners(targets.length + 10, signal);
  const lists = await Promise.allSettled(targets.map((t) => http.requestJson<{ resources: ApiResourceEntry[] }>(t.path, { signal })));
  const resources: ApiResource[] = [];
  const failed: { groupVersion: string; error: string }[] = [];
  lists.forEach((result, i) => {
    const { group, version } = targets[i];
    if (result.status === 'rejected') {
      failed.push({ groupVersion: group ? `${group}/${version}` : version, error: String((result.reason as Error)?.message ?? result.reason) });
      return;
    }
    for (const entry of result.value.resources ?? []) {
      if (entry.name.includes('/')) continue;
      resources.push({
        group,
        version,
        resource: entry.name,
        singular: entry.singularName || entry.kind.toLowerCase(),
        kind: entry.kind,
        namespaced: entry.namespaced,
        shortNames: entry.shortNames ?? [],
        verbs: entry.verbs ?? [],
        categories: entry.categories ?? [],
      });
    }
  });
  return { resources, failed };
}

/**
 * Discovers and puts the resources into the store (for `:` names and Tab completion).
 * A failure keeps what the store had and says so on the status line only when nothing
 * is known yet; a group that could not be read is named once.
 */
export async function refreshDiscovery(http: KubeHttp, store: AppStore, signal?: AbortSignal): Promise<void> {
  try {
    const { resources, failed } = await discoverResources(http, signal);
    if (signal?.aborted) return;
    store.getState().setApiResources(resources);
    if (failed.length > 0) {
      store.getState().pushMessage('warning', `discovery: ${failed.map((f) => `${f.groupVersion} (${f.error})`).join(', ')} not available`);
    }
  } catch (err) {
    if (signal?.aborted || store.getState().apiResources.length > 0) return;
    store.getState().pushMessage('warning', `discovery failed: ${describeError(err)} (only the built-in views are available)`);
  }
}
