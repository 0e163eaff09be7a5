import { isDeepStrictEqual } from 'node:util';
import { compactRecord, createInterner } from '@daytwo/k8s/compact.js';
import { type KubeObject, objectKey } from '@daytwo/k8s/kube-object.js';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Alert } from '../domain/alerts.js';
import type { ApiResource } from '../domain/api-resources.js';
import type { KubeContextEntry } from '../domain/contexts.js';
import { KIND_NAMES, type KindMaps, type KindName } from '../domain/kinds.js';
import { ObjectMap, type ObjectMapChange } from '../domain/object-map.js';
import type { AccessDecision, Operation } from '../domain/operations.js';
import { usedApiVersions } from '../domain/upgrade/api-findings.js';
import type { VolumeStatsState } from '../domain/volume-usage.js';
import { type MessageLevel, type StatusMessage, visibleMessage } from './messages.js';

/** Connection state of one watched kind. */
export type ConnectionState = 'idle' | 'syncing' | 'live' | 'reconnecting' | 'forbidden' | 'unauthorized';

export interface KindConnection {
  readonly state: ConnectionState;
  /** Last error, kept while reconnecting or forbidden. */
  readonly error?: string;
  /** Epoch ms of the last state change. */
  readonly since: number;
}

export interface ClusterInfo {
  readonly context: string;
  readonly server: string;
  readonly user?: string;
  /** `/version` gitVersion, e.g. v1.30.4; undefined until known. */
  readonly version?: string;
  /** `-n`: the namespace every watch is limited to; undefined for all. */
  readonly namespace?: string;
  readonly readonly: boolean;
  /** False while the API server cannot be reached. */
  readonly reachable: boolean;
}

export type { KubeContextEntry } from '../domain/contexts.js';

export type { MessageLevel, StatusMessage } from './messages.js';

/** One object change fed by a watch. */
export type ObjectChange =
  | { readonly kind: KindName; readonly type: 'upsert'; readonly object: KubeObject }
  | { readonly kind: KindName; readonly type: 'delete'; readonly key: string }
  /** Replaces every object of a kind at once (a list or relist). */
  | { readonly kind: KindName; readonly type: 'replace'; readonly objects: readonly KubeObject[] };

/**
 * Objects by kind, keyed by `namespace/name` (or `name`). Pods and nodes are compact records
 * (`ingestObject`); the other kinds are whole objects without managed fields.
 */
export type StoredObjects = KindMaps;

export interface AppState {
  /** Objects by kind (see StoredObjects). Maps are replaced on change, never mutated. */
  readonly objects: StoredObjects;
  readonly connection: Readonly<Record<KindName, KindConnection>>;
  readonly cluster: ClusterInfo;
  /** Namespace chosen in the console (Enter on the Namespaces view); undefined for all. */
  readonly scope?: string;
  readonly messages: readonly StatusMessage[];
  /** Number of flushes applied, for benchmarks and tests. */
  readonly flushes: number;
  /** SelfSubjectAccessReview answers by `accessKey(query)`, checked before an action key is offered. */
  readonly access: Readonly<Record<string, AccessDecision>>;
  /** Actions in progress and finished, by id, oldest first. */
  readonly operations: ReadonlyMap<string, Operation>;
  /** Finished operations whose summary the user closed (a drain's panel, with Esc). */
  readonly dismissedOperations: ReadonlySet<string>;
  /** PVC volume usage from the kubelets (see kube/volume-stats.ts). */
  readonly volumeStats: VolumeStatsState;
  /** The live alerts, most severe then oldest first (see store/alert-tracker.ts); empty until evaluated. */
  readonly alerts: readonly Alert[];
  /** The server's listable resources from discovery (core first); empty until discovered. */
  readonly apiResources: readonly ApiResource[];
  /** The kubeconfig's contexts, for `:ctx`; the current one is `cluster.context`. */
  readonly contexts: readonly KubeContextEntry[];

  applyChanges(changes: readonly ObjectChange[]): void;
  setConnection(kind: KindName, state: ConnectionState, error?: string): void;
  setCluster(patch: Partial<ClusterInfo>): void;
  setScope(namespace: string | undefined): void;
  pushMessage(level: MessageLevel, text: string): number;
  /** Drops message `id`; without one, the message the status line shows now (`visibleMessage`). */
  dismissMessage(id?: number): void;
  setAccess(key: string, decision: AccessDecision): void;
  /** Adds or replaces an operation; finished ones beyond the newest 100 are forgotten. */
  putOperation(op: Operation): void;
  /** Closes a finished operation's summary; a running one cannot be dismissed. */
  dismissOperation(id: string): void;
  setVolumeStats(state: VolumeStatsState): void;
  setAlerts(alerts: readonly Alert[]): void;
  setApiResources(resources: readonly ApiResource[]): void;
  setContexts(contexts: readonly KubeContextEntry[]): void;
  /**
   * Forgets everything read from the previous cluster before another context's session
   * fills the store: objects, watch states, access answers, discovery and the scope.
   * Messages, contexts and finished operations stay.
   */
  resetCluster(cluster: ClusterInfo): void;
}

export type AppStore = StoreApi<AppState>;

const MAX_MESSAGES = 50;
const MAX_FINISHED_OPERATIONS = 100;

/**
 * Managed fields and the last-applied annotation are dropped before storing: they are
 * often half of an object's size and no view shows them. The apiVersions they name that differ
 * from the object's are kept as `usedApiVersions` (see domain/upgrade/api-findings.ts).
 */
export function slimObject(obj: KubeObject): KubeObject {
  const meta = obj.metadata;
  if (!meta) return obj;
  const lastApplied = meta.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (!meta.managedFields && lastApplied === undefined) return obj;
  const { managedFields: _mf, ...rest } = meta;
  let annotations = meta.annotations;
  if (lastApplied !== undefined && annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _la, ...others } = annotations;
    annotations = others;
  }
  // What the Upgrade view needs of them: the apiVersions the object was written through (a few bytes).
  const used = usedApiVersions(obj).filter((u) => u.apiVersion !== obj.apiVersion);
  return { ...obj, metadata: { ...rest, ...(annotations ? { annotations } : {}) }, ...(used.length > 0 ? { usedApiVersions: used } : {}) };
}

/** What ingestObject returned: handing one back (a list page already ingested) costs nothing. */
const ingested = new WeakSet<KubeObject>();

/** One pool of the strings records repeat (node names, images, owners, labels), for every store of the process. */
const intern = createInterner();

/**
 * What the store keeps of an object of `kind`: the compact record of a pod or node (only the
 * fields daytwo reads, under their API paths: @daytwo/k8s/compact.js), or the object without
 * its managed fields and last-applied annotation for the other kinds. Idempotent.
 */
export function ingestObject(kind: KindName, obj: KubeObject): KubeObject {
  if (ingested.has(obj)) return obj;
  const out = compactRecord(kind, slimObject(obj), intern);
  ingested.add(out);
  return out;
}

/**
 * The object maps after `changes`: each changed kind gets a new map (its identity is what
 * memoised selectors compare), derived without copying it (see ObjectMap); other kinds keep theirs.
 */
export function applyObjectChanges(
  objects: AppState['objects'],
  changes: readonly ObjectChange[],
): AppState['objects'] {
  /** Per changed kind: the map to start from (the current one, or the replacing list) and the changes after it. */
  const pending = new Map<KindName, { from: ReadonlyMap<string, KubeObject>; changes: ObjectMapChange<KubeObject>[] }>();
  for (const change of changes) {
    if (change.type === 'replace') {
      pending.set(change.kind, { from: ObjectMap.of(change.objects.map((o) => [objectKey(o), ingestObject(change.kind, o)])), changes: [] });
      continue;
    }
    let kind = pending.get(change.kind);
    if (!kind) {
      kind = { from: objects[change.kind], changes: [] };
      pending.set(change.kind, kind);
    }
    if (change.type === 'upsert') {
      const key = objectKey(change.object);
      const record = ingestObject(change.kind, change.object);
      if (change.kind === 'nodes' && onlyVersionDiffers(latestOf(kind, key), record)) continue;
      kind.changes.push([key, record]);
    } else kind.changes.push([change.key, undefined]);
  }
  const next: Partial<Record<KindName, ReadonlyMap<string, KubeObject>>> = {};
  for (const [kind, { from, changes: list }] of pending) {
    next[kind] = list.length === 0 ? from : ObjectMap.withChanges(from, list);
  }
  // Each map holds the objects its kind's watch delivered: the kind is known here.
  return { ...objects, ...(next as Partial<StoredObjects>) };
}

/** The value of `key` after the changes collected so far in this flush. */
function latestOf(kind: { from: ReadonlyMap<string, KubeObject>; changes: ObjectMapChange<KubeObject>[] }, key: string): KubeObject | undefined {
  for (let i = kind.changes.length - 1; i >= 0; i--) if (kind.changes[i][0] === key) return kind.changes[i][1];
  return kind.from.get(key);
}

/**
 * A kubelet's status update that changed nothing a node record keeps (its heartbeat times are
 * not kept): the record before it stays, so no view recomputes for 1,000 nodes reporting
 * every few minutes. The watch still resumes from the event's resourceVersion (kube/watch-kind.ts).
 */
function onlyVersionDiffers(before: KubeObject | undefined, after: KubeObject): boolean {
  if (!before || before.metadata.resourceVersion === after.metadata.resourceVersion) return false;
  const unversioned = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return isDeepStrictEqual(unversioned(before), unversioned(after));
}

export function createAppStore(cluster: Partial<ClusterInfo> = {}): AppStore {
  let nextMessageId = 1;
  const emptyObjects = perKind<ReadonlyMap<string, never>>(() => new Map<string, never>());
  const idle = perKind<KindConnection>(() => ({ state: 'idle', since: Date.now() }));

  return createStore<AppState>()((set, get) => ({
    objects: emptyObjects,
    connection: idle,
    cluster: { context: '', server: '', readonly: false, reachable: true, ...cluster },
    scope: undefined,
    messages: [],
    flushes: 0,
    access: {},
    operations: new Map(),
    dismissedOperations: new Set(),
    volumeStats: { status: 'unknown' },
    alerts: [],
    apiResources: [],
    contexts: [],

    applyChanges(changes) {
      if (changes.length === 0) return;
      set((s) => ({ objects: applyObjectChanges(s.objects, changes), flushes: s.flushes + 1 }));
    },

    setConnection(kind, state, error) {
      const prev = get().connection[kind];
      if (prev.state === state && prev.error === error) return;
      set((s) => ({ connection: { ...s.connection, [kind]: { state, error, since: Date.now() } } }));
    },

    setCluster(patch) {
      set((s) => ({ cluster: { ...s.cluster, ...patch } }));
    },

    setScope(namespace) {
      set({ scope: namespace });
    },

    pushMessage(level, text) {
      const id = nextMessageId++;
      set((s) => ({ messages: [...s.messages, { id, level, text, at: Date.now() }].slice(-MAX_MESSAGES) }));
      return id;
    },

    dismissMessage(id) {
      set((s) => {
        const drop = id ?? visibleMessage(s.messages, Date.now())?.id;
        if (drop === undefined) return s;
        return { messages: s.messages.filter((m) => m.id !== drop) };
      });
    },

    setAccess(key, decision) {
      const prev = get().access[key];
      if (prev?.allowed === decision.allowed && prev.reason === decision.reason) return;
      set((s) => ({ access: { ...s.access, [key]: decision } }));
    },

    putOperation(op) {
      set((s) => {
        const operations = new Map(s.operations);
        operations.set(op.id, op);
        let finished = [...operations.values()].filter((o) => o.state !== 'running').length;
        for (const [id, o] of operations) {
          if (finished <= MAX_FINISHED_OPERATIONS) break;
          if (o.state !== 'running') {
            operations.delete(id);
            finished--;
          }
        }
        const forgotten = [...s.dismissedOperations].some((id) => !operations.has(id));
        if (!forgotten) return { operations };
        return { operations, dismissedOperations: new Set([...s.dismissedOperations].filter((id) => operations.has(id))) };
      });
    },

    setVolumeStats(volumeStats) {
      set({ volumeStats });
    },

    setAlerts(alerts) {
      set({ alerts });
    },

    setApiResources(apiResources) {
      set({ apiResources });
    },

    setContexts(contexts) {
      set({ contexts });
    },

    resetCluster(cluster) {
      set({
        objects: perKind<ReadonlyMap<string, never>>(() => new Map<string, never>()),
        connection: perKind<KindConnection>(() => ({ state: 'idle', since: Date.now() })),
        cluster,
        scope: undefined,
        access: {},
        apiResources: [],
        volumeStats: { status: 'unknown' },
        alerts: [],
      });
    },

    dismissOperation(id) {
      const op = get().operations.get(id);
      if (!op || op.state === 'running' || get().dismissedOperations.has(id)) return;
      set((s) => ({ dismissedOperations: new Set([...s.dismissedOperations, id]) }));
    },
  }));
}

function perKind<T>(make: () => T): Record<KindName, T> {
  return Object.fromEntries(KIND_NAMES.map((k) => [k, make()])) as unknown as Record<KindName, T>;
}
