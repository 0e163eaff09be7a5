/**
 * The object under a row's cursor, in every view: what `y` (YAML), `d` (describe), the
 * events key and the object actions (delete, scale, restart) take.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { KindName } from './kinds.js';

/** Names one API object; the generic resource table builds the same shape. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** apiVersion and kind of each kind the store holds (list items from the API carry neither). */
export const STORE_KIND_TYPES: Readonly<Record<KindName, { readonly apiVersion: string; readonly kind: string }>> = {
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  nodes: { apiVersion: 'v1', kind: 'Node' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  events: { apiVersion: 'v1', kind: 'Event' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  controllerrevisions: { apiVersion: 'apps/v1', kind: 'ControllerRevision' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  cronjobs: { apiVersion: 'batch/v1', kind: 'CronJob' },
  services: { apiVersion: 'v1', kind: 'Service' },
  endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
  poddisruptionbudgets: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  persistentvolumeclaims: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  limitranges: { apiVersion: 'v1', kind: 'LimitRange' },
  resourcequotas: { apiVersion: 'v1', kind: 'ResourceQuota' },
};

/** The ref of a stored object of kind `kind` (`namespace/name` or `name`). */
export function storeRef(kind: KindName, namespace: string | undefined, name: string): ObjectRef {
  return { ...STORE_KIND_TYPES[kind], ...(namespace ? { namespace } : {}), name };
}

/** The ref of an object that carries its apiVersion and kind (a manifest, a watch event's object). */
export function objectRef(obj: KubeObject): ObjectRef | undefined {
  const name = obj.metadata?.name;
  if (!obj.apiVersion || !obj.kind || !name) return undefined;
  const namespace = obj.metadata?.namespace;
  return { apiVersion: obj.apiVersion, kind: obj.kind, ...(namespace ? { namespace } : {}), name };
}

/** The API group of an apiVersion: `apps` for `apps/v1`, `` for `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** kubectl's name of an object: `pod/web-1`, `deployment.apps/web`. */
export function refName(ref: ObjectRef): string {
  const group = apiGroup(ref.apiVersion);
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

/** `deployment.apps/web in shop`, `node/ip-10-0-1-12`: what dialogs and messages name. */
export function refTitle(ref: ObjectRef): string {
  return ref.namespace ? `${refName(ref)} in ${ref.namespace}` : refName(ref);
}

/** Whether two refs name the same object. */
export function sameRef(a: ObjectRef | undefined, b: ObjectRef | undefined): boolean {
  return a?.apiVersion === b?.apiVersion && a?.kind === b?.kind && a?.namespace === b?.namespace && a?.name === b?.name;
}

/** The ref of a Deployment, StatefulSet or DaemonSet named by kind. */
export function workloadObjectRef(w: { readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; readonly namespace: string; readonly name: string }): ObjectRef {
  return { apiVersion: 'apps/v1', kind: w.kind, namespace: w.namespace, name: w.name };
}

/** The ref of a stored object named by its kind (`Pod`, `PodDisruptionBudget`); undefined for kinds the store does not hold. */
export function storeRefByKind(kind: string, namespace: string | undefined, name: string): ObjectRef | undefined {
  const found = (Object.keys(STORE_KIND_TYPES) as KindName[]).find((k) => STORE_KIND_TYPES[k].kind === kind);
  return found ? storeRef(found, namespace, name) : undefined;
}
