/**
 * Small helpers the controllers share: owner references, pod state predicates (after
 * k8s.io/kubernetes/pkg/api/v1/pod/util.go), conditions, timestamps and conflict-safe writes.
 */

import { isPodReady } from '@daytwo/k8s/pod-ready.js';
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
  Lease,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  ReplicaSet,
  ResourceQuota,
  Service,
  StatefulSet,
  StorageClass,
} from '@daytwo/k8s/wire-types.js';
import { ApiError } from '../errors.js';
import type { GroupResource, KubeObject, ListOptions, ObjectStore, OwnerReference, WriteOptions } from '../types.js';

/** Group/resources the controllers read and write. */
export const GR = {
  pods: 'pods',
  nodes: 'nodes',
  namespaces: 'namespaces',
  events: 'events',
  services: 'services',
  endpoints: 'endpoints',
  pvcs: 'persistentvolumeclaims',
  pvs: 'persistentvolumes',
  deployments: 'apps/deployments',
  replicaSets: 'apps/replicasets',
  statefulSets: 'apps/statefulsets',
  daemonSets: 'apps/daemonsets',
  controllerRevisions: 'apps/controllerrevisions',
  jobs: 'batch/jobs',
  cronJobs: 'batch/cronjobs',
  pdbs: 'policy/poddisruptionbudgets',
} as const satisfies Record<string, GroupResource>;

/** The kind each group/resource the sim serves with a typed kind holds: what a stored object of it is read as. */
export interface KindOf {
  pods: Pod;
  nodes: Node;
  namespaces: Namespace;
  events: CoreEvent;
  services: Service;
  endpoints: Endpoints;
  configmaps: ConfigMap;
  limitranges: LimitRange;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  'apps/deployments': Deployment;
  'apps/replicasets': ReplicaSet;
  'apps/statefulsets': StatefulSet;
  'apps/daemonsets': DaemonSet;
  'apps/controllerrevisions': ControllerRevision;
  'batch/jobs': Job;
  'batch/cronjobs': CronJob;
  'policy/poddisruptionbudgets': PodDisruptionBudget;
  'coordination.k8s.io/leases': Lease;
  'discovery.k8s.io/endpointslices': EndpointSlice;
  'autoscaling/horizontalpodautoscalers': HorizontalPodAutoscaler;
  resourcequotas: ResourceQuota;
  'storage.k8s.io/storageclasses': StorageClass;
}

/** The kind stored under any group/resource: its `KindOf` entry, or a `KubeObject` (a custom resource, a kind not typed here). */
export type StoredKind<G extends string> = G extends keyof KindOf ? KindOf[G] : KubeObject;

/** `store.list(gr)` read as the kind `gr` serves (the store holds only objects of that kind there). */
export function listOf<G extends string>(store: ObjectStore, gr: G, opts?: ListOptions): StoredKind<G>[] {
  return store.list(gr, opts) as StoredKind<G>[];
}

/** `store.get(gr, …)` read as the kind `gr` serves. */
export function getOf<G extends string>(store: ObjectStore, gr: G, namespace: string | undefined, name: string): StoredKind<G> | undefined {
  return store.get(gr, namespace, name) as StoredKind<G> | undefined;
}

/** `store.create(gr, obj)` with `obj` and the stored object of the kind `gr` serves. */
export function createOf<G extends string>(store: ObjectStore, gr: G, obj: StoredKind<G>, opts?: WriteOptions): StoredKind<G> {
  return store.create(gr, obj, opts) as StoredKind<G>;
}

/**
 * A zero `metav1.Time` as the API writes it (`"lastProbeTime": null`). The wire types come from
 * client-node's models, which type every time as optional, never null.
 */
export const NULL_TIME = null as unknown as string;

export type PodCondition = NonNullable<PodStatus['conditions']>[number];

/** RFC 3339 without fractional seconds, as metav1.Time serializes. */
export function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** The controller owner reference, if any (`metav1.GetControllerOf`). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** `metav1.NewControllerRef`: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** `namespace/name` of a namespaced object. */
export function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** Splits `namespace/name` (or `name`). */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i) || undefined, name: key.slice(i + 1) };
}

export function podPhase(pod: Pod): string {
  return pod.status?.phase ?? 'Pending';
}

/** Succeeded or Failed: the pod will never run again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** `controller.IsPodActive`: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export { isPodReady };

/**
 * `podutil.IsPodAvailable`: ready, and ready for at least `minReadySeconds` (judged from the
 * Ready condition's lastTransitionTime).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/**
 * Milliseconds until the first pod that is ready but not yet available becomes available,
 * or undefined when there is none: a controller with `minReadySeconds` syncs again then
 * (the StatefulSet and DaemonSet controllers' enqueue-after), or its status never moves.
 */
export function msUntilNextAvailable(pods: readonly Pod[], minReadySeconds: number, now: Date): number | undefined {
  if (!minReadySeconds) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    const ready = podCondition(pod, 'Ready');
    if (ready?.status !== 'True' || isPodAvailable(pod, minReadySeconds, now)) continue;
    const wait = Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 - now.getTime();
    if (!Number.isNaN(wait)) soonest = Math.min(soonest ?? wait, Math.max(0, wait));
  }
  return soonest;
}

/**
 * Structural equality of JSON values, key order ignored, and a field set to `undefined` equal to
 * an absent one: controllers build desired objects with optional fields left `undefined` and
 * compare them with stored JSON, where those keys do not exist (`util.isDeepStrictEqual` would
 * call them different and every sync would write).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/**
 * Drops the `keys` whose value is 0: status counters declared `omitempty` in the Go types
 * are absent from real objects when zero.
 */
export function omitZero<T extends Record<string, unknown>>(status: T, keys: readonly (keyof T)[]): T {
  const out = { ...status };
  for (const k of keys) if (out[k] === 0) delete out[k];
  return out;
}

/** Resolves an IntOrString against a total: `intstr.GetScaledValueFromIntOrPercent`. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    return Number.isInteger(n) ? n : 0;
  }
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/**
 * Reads `gr` namespace/name fresh, lets `mutate` change a clone and writes it back,
 * re-reading and retrying on 409 Conflict. `mutate` returns false to skip the write.
 * Returns the stored object, or undefined when the object is gone or nothing changed.
 */
export function updateWithRetry<T extends KubeObject = KubeObject>(
  store: ObjectStore,
  gr: GroupResource,
  namespace: string | undefined,
  name: string,
  mutate: (copy: T) => boolean | undefined,
  opts?: WriteOptions,
): T | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    // T is the kind `gr` serves, as the caller states it.
    const current = store.get(gr, namespace, name) as T | undefined;
    if (!current) return undefined;
    const copy = structuredClone(current);
    if (mutate(copy) === false) return undefined;
    try {
      return store.update(gr, copy, opts) as T;
    } catch (err) {
      if (err instanceof ApiError && err.code === 409 && err.reason === 'Conflict') continue;
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }
  return undefined;
}

/** Deletes, treating 404 as already done. */
export function deleteIfPresent(
  store: ObjectStore,
  gr: GroupResource,
  namespace: string | undefined,
  name: string,
  opts?: WriteOptions & { gracePeriodSeconds?: number; propagationPolicy?: string },
): void {
  try {
    store.delete(gr, namespace, name, opts);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
}

/** Creates, returning undefined on 409 AlreadyExists. */
export function createIfAbsent<T extends KubeObject>(
  store: ObjectStore,
  gr: GroupResource,
  obj: T,
  opts?: WriteOptions,
): T | undefined {
  try {
    return store.create(gr, obj, opts) as T;
  } catch (err) {
    if (err instanceof ApiError && err.code === 409) return undefined;
    throw err;
  }
}

/** The pod template labels plus `extra`, as a fresh object. */
export function withLabels(labels: Record<string, string> | undefined, extra: Record<string, string>) {
  return { ...(labels ?? {}), ...extra };
}

/**
 * Builds a pod from a controller's template (`controller.GetPodFromTemplate`): labels,
 * annotations and finalizers from the template, the controller reference, and the spec.
 */
export function podFromTemplate(
  template: PodTemplateSpec,
  owner: KubeObject,
  ownerApiVersion: string,
  ownerKind: string,
  meta: { name?: string; generateName?: string; labels?: Record<string, string> },
): Pod & { spec: PodSpec } {
  const tmeta = template.metadata ?? {};
  const pod: Pod & { spec: PodSpec } = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(meta.name ? { name: meta.name } : { generateName: meta.generateName }),
      namespace: owner.metadata.namespace,
      labels: meta.labels ?? { ...(tmeta.labels ?? {}) },
      ownerReferences: [newControllerRef(owner, ownerApiVersion, ownerKind)],
    },
    // A template without a spec gets an empty one, which the API server's validation refuses.
    spec: structuredClone(template.spec ?? ({} as PodSpec)),
  };
  if (tmeta.annotations) pod.metadata.annotations = { ...tmeta.annotations };
  if (tmeta.finalizers) pod.metadata.finalizers = [...tmeta.finalizers];
  return pod;
}

/** Field managers as the real components report them in managedFields. */
export const MANAGER = {
  controllerManager: { fieldManager: 'kube-controller-manager' },
  controllerManagerStatus: { fieldManager: 'kube-controller-manager', subresource: 'status' },
  scheduler: { fieldManager: 'kube-scheduler' },
  schedulerStatus: { fieldManager: 'kube-scheduler', subresource: 'status' },
  kubeletStatus: { fieldManager: 'kubelet', subresource: 'status' },
} as const satisfies Record<string, WriteOptions>;
