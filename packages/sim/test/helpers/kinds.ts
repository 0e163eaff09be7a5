/**
 * Typed reads of the sim's store for tests: the group/resource a test reads names the kind
 * of what comes back, so `getAs(store, 'pods', ns, name)` is a `Pod` without a cast at
 * every read. Types only: the objects are the store's own.
 */

import type { ConditionRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type {
  ConfigMap,
  ControllerRevision,
  CoreEvent,
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  HorizontalPodAutoscaler,
  Job,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  ReplicaSet,
  ResourceQuota,
  Service,
  StatefulSet,
} from '@daytwo/k8s/wire-types.js';
import type { ListOptions, ObjectStore } from '../../src/types.js';

/** The kind a group/resource (the store's key, `group/resource` or `resource` for core) holds. */
export interface Kinds {
  pods: Pod;
  nodes: Node;
  namespaces: Namespace;
  configmaps: ConfigMap;
  services: Service;
  endpoints: Endpoints;
  events: CoreEvent;
  limitranges: LimitRange;
  resourcequotas: ResourceQuota;
  persistentvolumes: PersistentVolume;
  persistentvolumeclaims: PersistentVolumeClaim;
  'apps/deployments': Deployment;
  'apps/replicasets': ReplicaSet;
  'apps/statefulsets': StatefulSet;
  'apps/daemonsets': DaemonSet;
  'apps/controllerrevisions': ControllerRevision;
  'batch/jobs': Job;
  'batch/cronjobs': CronJob;
  'policy/poddisruptionbudgets': PodDisruptionBudget;
  'discovery.k8s.io/endpointslices': EndpointSlice;
  'autoscaling/horizontalpodautoscalers': HorizontalPodAutoscaler;
}

/** The kind stored under `gr`; a resource not in `Kinds` (a custom resource) stays a `KubeObject`. */
export type KindOf<R extends string> = R extends keyof Kinds ? Kinds[R] : KubeObject;

/** `store.get`, typed by the resource read. */
export function getAs<R extends string>(store: ObjectStore, gr: R, namespace: string | undefined, name: string): KindOf<R> | undefined {
  return store.get(gr, namespace, name) as KindOf<R> | undefined;
}

/** `store.list`, typed by the resource read. */
export function listAs<R extends string>(store: ObjectStore, gr: R, opts?: ListOptions): KindOf<R>[] {
  return store.list(gr, opts) as KindOf<R>[];
}

/** `store.create`, typed by the resource written. */
export function createAs<R extends string>(store: ObjectStore, gr: R, obj: KubeObject): KindOf<R> {
  return store.create(gr, obj) as KindOf<R>;
}

/** The condition of `type` in an object's `status.conditions` (any kind's: they share these fields). */
export function condition(obj: { status?: { conditions?: ConditionRecord[] } }, type: string): ConditionRecord | undefined {
  return (obj.status?.conditions ?? []).find((c) => c.type === type);
}

/** A function of a resource and an object (a defaulter) whose result is typed by the resource. */
export function kindTyped(fn: (gr: string, obj: KubeObject) => KubeObject): <R extends string>(gr: R, obj: KubeObject) => KindOf<R> {
  return <R extends string>(gr: R, obj: KubeObject) => fn(gr, obj) as KindOf<R>;
}
