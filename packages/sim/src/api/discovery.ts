/**
 * Discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/{g}/{v}`) built from
 * the store's registered resource types, in the shapes the real API server returns.
 */

import { createHash } from 'node:crypto';
import type { ResourceType } from '../types.js';

/** version.Info as `/version` returns it. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** `v1.31.5`, `v1.30.2-eks-1234567`, `v1.29.0+k3s1`. */
export const SERVER_VERSION_PATTERN = /^v(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]+)?$/;

/**
 * `/version` for a gitVersion. Providers that build from a patched tree report the minor
 * with a `+` (EKS `v1.31.5-eks-...` and GKE `v1.30.5-gke.100` give `"minor":"31+"`), which a
 * `-` suffix stands for here; build metadata (`v1.31.1+k3s1`) keeps the plain minor, as
 * k3s reports it. Throws on a malformed version.
 */
export function versionInfo(gitVersion: string): VersionInfo {
  const m = SERVER_VERSION_PATTERN.exec(gitVersion);
  if (!m) throw new Error(`invalid server version "${gitVersion}" (expected vMAJOR.MINOR.PATCH[-suffix])`);
  const minor = Number(m[2]);
  return {
    major: m[1],
    minor: `${m[2]}${m[4]?.startsWith('-') ? '+' : ''}`,
    gitVersion,
    gitCommit: createHash('sha1').update(gitVersion).digest('hex'),
    gitTreeState: 'clean',
    // A plausible release date: minors ship roughly every four months from 1.0 (mid-2015).
    buildDate: new Date(Date.UTC(2015, 6 + minor * 4, 15, 10, 0, 0)).toISOString().replace(/\.\d+Z$/, 'Z'),
    goVersion: minor >= 31 ? 'go1.22.12' : minor >= 29 ? 'go1.21.13' : 'go1.20.14',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const SERVER_ADDRESS = [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }];

/** `/api`: APIVersions. */
export function apiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: SERVER_ADDRESS };
}

/** `/apis`: APIGroupList of every named group, each with its preferred version. */
export function apiGroupList(types: readonly ResourceType[]): Record<string, unknown> {
  const versionsByGroup = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = versionsByGroup.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    versionsByGroup.set(t.group, versions);
  }
  const groups = [...versionsByGroup].map(([name, versions]) => {
    const sorted = [...versions].sort(compareKubeVersions);
    const entries = sorted.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: entries, preferredVersion: entries[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** Whether a group/version is served at all. */
export function servesGroupVersion(types: readonly ResourceType[], group: string, version: string): boolean {
  return types.some((t) => t.group === group && t.version === version);
}

/** Discovery entries of subresources: what kind they take and which verbs they serve. */
const SUBRESOURCES: Record<string, { group?: string; version?: string; kind?: string; verbs: string[] }> = {
  status: { verbs: ['get', 'patch', 'update'] },
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  log: { verbs: ['get'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  binding: { kind: 'Binding', verbs: ['create'] },
  proxy: { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

/** `/api/v1` or `/apis/{group}/{version}`: APIResourceList with subresource entries (`pods/log`). */
export function apiResourceList(types: readonly ResourceType[], group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    if (t.group !== group || t.version !== version) continue;
    resources.push({
      name: t.resource,
      singularName: t.singularName,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories?.length ? { categories: t.categories } : {}),
      storageVersionHash: createHash('sha256').update(`${group}/${version}/${t.kind}`).digest('base64').slice(0, 11),
    });
    for (const sub of t.subresources ?? []) {
      const info = SUBRESOURCES[sub] ?? { verbs: ['get'] };
      resources.push({
        name: `${t.resource}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(info.group ? { group: info.group, version: info.version } : {}),
        kind: info.kind ?? t.kind,
        verbs: info.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/**
 * Orders versions as Kubernetes does (version.CompareKubeAwareVersionStrings):
 * GA before beta before alpha, higher numbers first.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return a.localeCompare(b);
}
