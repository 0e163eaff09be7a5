/**
 * Compact records: what a console keeps of an API object once it has read it, like the
 * transform a client-go informer takes (`cache.TransformFunc`). A record is a pruned copy
 * that keeps the object's own field paths (`pod.spec.nodeName` is still
 * `pod.spec.nodeName`), so code written against API objects reads records unchanged; only
 * the fields on an allowlist survive. Whoever needs the whole object (YAML, diff, rollback,
 * drift) reads it from the API server.
 *
 * On the `large` scenario a pod as listed is 3.6 KB of JSON (2.6 KB without its managed
 * fields) and its record 1.8 KB: container env, ports, probes and mounts, volume sources,
 * image and container IDs and per-IP lists go (bench/records.bench.mjs has the heap figures).
 */

import type { KubeObject } from './kube-object.js';
import type { ResourceListJson } from './qos.js';

/**
 * Which fields of a JSON value to keep: `true` keeps the value whole; {@link UNIQUE} too, for
 * a value that is never shared between objects (a name, a uid); an object keeps the fields
 * it names, each pruned by its own shape, plus, under `'*'`, every other field pruned by that
 * shape. Arrays are pruned element by element; numbers, strings and booleans are kept as they
 * are.
 */
export type Shape = true | typeof UNIQUE | { readonly [field: string]: Shape };

/** Every other field of an object, in a {@link Shape}. */
export const ANY_FIELD = '*';

/** A leaf of a {@link Shape} whose string is its object's own: not worth interning. */
export const UNIQUE = 'unique';

/**
 * Returns one shared instance of equal strings; with `value`, also of equal JSON values a
 * record keeps whole (tolerations, labels, requests and limits), which the pods of one
 * workload all repeat.
 */
export interface Interner {
  (text: string): string;
  /** The shared copy of values whose JSON is `json`, made by `make` the first time. */
  readonly value?: (json: string, make: () => unknown) => unknown;
}

/** V8 already shares the short strings JSON.parse makes (json-parser.cc, kMaxInternalizedStringValueLength = 10). */
const SHORT_STRING = 10;

/**
 * An interner whose pool is dropped and started again past `limit` strings (`valueLimit`
 * values): what was shared so far stays shared, and a long churn of unique values
 * (timestamps) cannot grow it forever.
 */
export function createInterner(limit = 100_000, valueLimit = 20_000): Interner {
  let pool = new Map<string, string>();
  let values = new Map<string, unknown>();
  const intern = (text: string): string => {
    if (text.length <= SHORT_STRING) return text;
    const hit = pool.get(text);
    if (hit !== undefined) return hit;
    if (pool.size >= limit) pool = new Map();
    pool.set(text, text);
    return text;
  };
  const value = (json: string, make: () => unknown): unknown => {
    // Made values are objects and arrays, never undefined: one lookup, not `has` and then `get`.
    const hit = values.get(json);
    if (hit !== undefined) return hit;
    // Keyed by JSON: a smaller pool, since a value unique to its pod (a StatefulSet pod's labels) costs its key too.
    if (values.size >= valueLimit) values = new Map();
    const made = make();
    values.set(json, made);
    return made;
  };
  return Object.assign(intern, { value });
}

/**
 * `value` reduced to `shape`. Pure: the input is not touched. Without `intern`, the result
 * shares what it keeps whole (`true`) with the input; with it, kept strings go through
 * `intern` (except under {@link UNIQUE}), so the node names, images, owners, label values and
 * timestamps that thousands of pods repeat are held once, and the result shares no object
 * with the input.
 */
export function prune(value: unknown, shape: Shape, intern?: Interner): unknown {
  return prunerOf(shape)(value, intern);
}

/** {@link prune} for one shape, its field lists read once instead of for every object (30,000 pods per list). */
type Pruner = (value: unknown, intern: Interner | undefined) => unknown;

const keepUnique: Pruner = (value) => value;

const keepWhole: Pruner = (value, intern) => {
  if (!intern) return value;
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? intern(value) : value;
  return intern.value ? intern.value(JSON.stringify(value), () => internAll(value, intern)) : internAll(value, intern);
};

const pruners = new WeakMap<object, Pruner>();

function prunerOf(shape: Shape): Pruner {
  if (shape === UNIQUE) return keepUnique;
  if (shape === true) return keepWhole;
  let pruner = pruners.get(shape);
  if (!pruner) {
    pruner = fieldsPruner(shape);
    pruners.set(shape, pruner);
  }
  return pruner;
}

function fieldsPruner(shape: { readonly [field: string]: Shape }): Pruner {
  const named = new Map<string, Pruner>();
  for (const field of Object.keys(shape)) if (field !== ANY_FIELD) named.set(field, prunerOf(shape[field]));
  const restShape = Object.hasOwn(shape, ANY_FIELD) ? shape[ANY_FIELD] : undefined;
  const fields = [...named];
  const pruneObject: (source: Record<string, unknown>, intern: Interner | undefined) => Record<string, unknown> =
    restShape === undefined
      ? (source, intern) => {
          const out: Record<string, unknown> = {};
          for (const [field, pruneField] of fields) {
            const v = source[field];
            if (v !== undefined && Object.hasOwn(source, field)) out[field] = pruneField(v, intern);
          }
          return out;
        }
      : (source, intern) => {
          const rest = prunerOf(restShape);
          const out: Record<string, unknown> = {};
          for (const field in source) {
            if (!Object.hasOwn(source, field)) continue;
            const v = source[field];
            if (v !== undefined) out[field] = (named.get(field) ?? rest)(v, intern);
          }
          return out;
        };
  const pruneValue: Pruner = (value, intern) => {
    if (value === null || typeof value !== 'object') return intern && typeof value === 'string' ? intern(value) : value;
    if (Array.isArray(value)) return value.map((v) => pruneValue(v, intern));
    return pruneObject(value as Record<string, unknown>, intern);
  };
  return pruneValue;
}

/** A copy of a JSON value with its strings interned. */
function internAll(value: unknown, intern: Interner): unknown {
  if (typeof value === 'string') return intern(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => internAll(v, intern));
  const out: Record<string, unknown> = {};
  for (const field in value as Record<string, unknown>) {
    if (Object.hasOwn(value, field)) out[field] = internAll((value as Record<string, unknown>)[field], intern);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Record types. Each extends KubeObject, so a record goes wherever an object went; the
// fields listed are the ones a record may hold.

export interface ResourceRequirementsRecord {
  requests?: ResourceListJson;
  limits?: ResourceListJson;
}

export interface ContainerRecord {
  name: string;
  image?: string;
  resources?: ResourceRequirementsRecord;
  /** `Always` on an init container makes it a sidecar. */
  restartPolicy?: string;
}

export interface TolerationRecord {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface ConditionRecord {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ContainerStateRecord {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; signal?: number };
}

export interface ContainerStatusRecord {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateRecord;
  lastState?: ContainerStateRecord;
}

/** A volume keeps its name and which kind of source it is (`emptyDir: {}`), not the source's settings. */
export interface VolumeRecord {
  name: string;
  [source: string]: unknown;
}

export interface PodSpecRecord {
  nodeName?: string;
  containers?: ContainerRecord[];
  initContainers?: ContainerRecord[];
  ephemeralContainers?: ContainerRecord[];
  /** Pod-level resources (PodLevelResources). */
  resources?: ResourceRequirementsRecord;
  overhead?: ResourceListJson;
  tolerations?: TolerationRecord[];
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: Record<string, unknown> };
  volumes?: VolumeRecord[];
  priority?: number;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
  [field: string]: unknown;
}

export interface PodStatusRecord {
  phase?: string;
  reason?: string;
  message?: string;
  qosClass?: string;
  conditions?: ConditionRecord[];
  initContainerStatuses?: ContainerStatusRecord[];
  containerStatuses?: ContainerStatusRecord[];
  ephemeralContainerStatuses?: ContainerStatusRecord[];
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  nominatedNodeName?: string;
  [field: string]: unknown;
}

/** What daytwo keeps of a Pod. */
export interface PodRecord extends KubeObject {
  spec?: PodSpecRecord;
  status?: PodStatusRecord;
}

export interface NodeRecord extends KubeObject {
  spec?: {
    unschedulable?: boolean;
    taints?: { key: string; value?: string; effect: string; timeAdded?: string }[];
    providerID?: string;
    podCIDR?: string;
    [field: string]: unknown;
  };
  status?: {
    capacity?: ResourceListJson;
    allocatable?: ResourceListJson;
    conditions?: ConditionRecord[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
    [field: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------
// Allowlists, built from every reader of pods and nodes in packages/daytwo/src (domain/,
// kube/actions, kube/logs, views/, report/) and the pod semantics of this package (qos,
// pod-requests, taints, node-affinity).

const OWNER_REFERENCE: Shape = { apiVersion: true, kind: true, name: true, uid: true, controller: true };

/**
 * Annotations of a pod that something reads: a mirror pod (kubectl drain skips it), and the
 * container `kubectl logs` picks by default.
 */
export const POD_ANNOTATIONS = ['kubernetes.io/config.mirror', 'kubectl.kubernetes.io/default-container'] as const;

function metadataShape(annotations: Shape): Shape {
  return {
    name: UNIQUE,
    generateName: true,
    namespace: true,
    uid: UNIQUE,
    resourceVersion: UNIQUE,
    generation: true,
    creationTimestamp: true,
    deletionTimestamp: true,
    deletionGracePeriodSeconds: true,
    labels: true,
    annotations,
    ownerReferences: OWNER_REFERENCE,
  };
}

const CONDITION: Shape = { type: true, status: true, reason: true, message: true, lastTransitionTime: true };
const CONTAINER: Shape = { name: true, image: true, resources: { requests: true, limits: true }, restartPolicy: true };
const CONTAINER_STATE: Shape = {
  waiting: { reason: true, message: true },
  running: { startedAt: true },
  terminated: { exitCode: true, signal: true, reason: true, message: true, startedAt: true, finishedAt: true },
};
const CONTAINER_STATUS: Shape = { name: true, ready: true, started: true, restartCount: true, state: CONTAINER_STATE, lastState: CONTAINER_STATE };

/** Fields of a Pod a record keeps. */
export const POD_SHAPE: Shape = {
  apiVersion: true,
  kind: true,
  metadata: metadataShape(Object.fromEntries(POD_ANNOTATIONS.map((a) => [a, true]))),
  spec: {
    nodeName: true,
    containers: CONTAINER,
    initContainers: CONTAINER,
    ephemeralContainers: { name: true, image: true },
    resources: { requests: true, limits: true },
    overhead: true,
    tolerations: true,
    nodeSelector: true,
    affinity: { nodeAffinity: true },
    // The kind of each source (`emptyDir` blocks a drain), not its settings; a claim keeps its name.
    volumes: { name: true, persistentVolumeClaim: { claimName: true }, [ANY_FIELD]: {} },
    priority: true,
    priorityClassName: true,
    terminationGracePeriodSeconds: true,
    restartPolicy: true,
  },
  status: {
    phase: true,
    reason: true,
    message: true,
    qosClass: true,
    conditions: CONDITION,
    initContainerStatuses: CONTAINER_STATUS,
    containerStatuses: CONTAINER_STATUS,
    ephemeralContainerStatuses: CONTAINER_STATUS,
    podIP: UNIQUE,
    hostIP: true,
    startTime: true,
    nominatedNodeName: true,
  },
  usedApiVersions: true,
};

/**
 * Fields of a Node a record keeps: not `status.images` (often the largest part of a node),
 * volumes in use, daemon endpoints, heartbeat times or annotations.
 */
export const NODE_SHAPE: Shape = {
  apiVersion: true,
  kind: true,
  metadata: metadataShape({}),
  spec: { unschedulable: true, taints: true, providerID: true, podCIDR: true },
  status: {
    capacity: true,
    allocatable: true,
    conditions: CONDITION,
    addresses: true,
    nodeInfo: true,
  },
  usedApiVersions: true,
};

/** Record shapes by store kind (plural resource name); kinds not listed are kept whole. */
export const RECORD_SHAPES: Readonly<Record<string, Shape>> = {
  pods: POD_SHAPE,
  nodes: NODE_SHAPE,
};

/** The record of a pod. */
export function podRecord(pod: KubeObject): PodRecord {
  return compactRecord('pods', pod) as PodRecord;
}

/** The record of a node. */
export function nodeRecord(node: KubeObject): NodeRecord {
  return compactRecord('nodes', node) as NodeRecord;
}

/**
 * The record of an object of store kind `kind` (`pods`, `nodes`), or the object itself for a
 * kind without a record shape; its repeated strings shared through `intern` when given.
 */
export function compactRecord(kind: string, obj: KubeObject, intern?: Interner): KubeObject {
  const shape = RECORD_SHAPES[kind];
  if (!shape) return obj;
  const record = prune(obj, shape, intern) as KubeObject;
  // An object none of whose annotations is kept gets no empty map (30,000 of them add up).
  if (record.metadata?.annotations && Object.keys(record.metadata.annotations).length === 0) delete record.metadata.annotations;
  return record;
}
