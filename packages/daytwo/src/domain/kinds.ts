/** The kinds daytwo watches, with where they are served. */
export interface WatchedKind {
  /** Store key and plural resource name. */
  readonly kind: KindName;
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
}

export const KIND_NAMES = [
  'namespaces',
  'nodes',
  'pods',
  'events',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'controllerrevisions',
  'jobs',
  'cronjobs',
  'services',
  'endpoints',
  'poddisruptionbudgets',
  'persistentvolumeclaims',
  'limitranges',
  'resourcequotas',
] as const;

export type KindName = (typeof KIND_NAMES)[number];

export const WATCHED_KINDS: readonly WatchedKind[] = [
  { kind: 'namespaces', group: '', version: 'v1', namespaced: false },
  { kind: 'nodes', group: '', version: 'v1', namespaced: false },
  { kind: 'pods', group: '', version: 'v1', namespaced: true },
  { kind: 'events', group: '', version: 'v1', namespaced: true },
  { kind: 'deployments', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'replicasets', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'statefulsets', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'daemonsets', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'controllerrevisions', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'jobs', group: 'batch', version: 'v1', namespaced: true },
  { kind: 'cronjobs', group: 'batch', version: 'v1', namespaced: true },
  { kind: 'services', group: '', version: 'v1', namespaced: true },
  { kind: 'endpoints', group: '', version: 'v1', namespaced: true },
  { kind: 'poddisruptionbudgets', group: 'policy', version: 'v1', namespaced: true },
  { kind: 'persistentvolumeclaims', group: '', version: 'v1', namespaced: true },
  { kind: 'limitranges', group: '', version: 'v1', namespaced: true },
  { kind: 'resourcequotas', group: '', version: 'v1', namespaced: true },
];

/** REST path of a kind's collection, scoped to a namespace where given and applicable. */
export function collectionPath(k: WatchedKind, namespace?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced && namespace ? `${base}/namespaces/${namespace}/${k.kind}` : `${base}/${k.kind}`;
}
