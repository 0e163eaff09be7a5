import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import type * as w from '@daytwo/k8s/wire-types.js';

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

/**
 * What the store holds of each kind: the compact record of a pod or node
 * (@daytwo/k8s/compact.js), the typed wire view of the others.
 */
export interface KindObjects {
  namespaces: w.Namespace;
  nodes: NodeRecord;
  pods: PodRecord;
  events: w.CoreEvent;
  deployments: w.Deployment;
  replicasets: w.ReplicaSet;
  statefulsets: w.StatefulSet;
  daemonsets: w.DaemonSet;
  controllerrevisions: w.ControllerRevision;
  jobs: w.Job;
  cronjobs: w.CronJob;
  services: w.Service;
  endpoints: w.Endpoints;
  poddisruptionbudgets: w.PodDisruptionBudget;
  persistentvolumeclaims: w.PersistentVolumeClaim;
  limitranges: w.LimitRange;
  resourcequotas: w.ResourceQuota;
}

/** Maps of some kinds' objects by `namespace/name`, as the store holds them. */
export type KindMaps<K extends KindName = KindName> = { readonly [P in K]: ReadonlyMap<string, KindObjects[P]> };

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
