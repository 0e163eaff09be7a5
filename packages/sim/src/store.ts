/**
 * The simulated cluster's object store: what etcd plus the generic registry
 * (k8s.io/apiserver/pkg/registry/generic/registry/store.go, pkg/registry/rest) do for
 * the real API server — resourceVersions, server-set metadata, conflict checks,
 * graceful deletion and finalizers, and an ordered event history for watches.
 *
 * Stored objects are shared and never mutated: writes clone their input
 * (`structuredClone`), reads hand out the stored objects themselves.
 *
 * Deletion propagation (ownerReferences) belongs to the garbage-collection controller:
 * the store deletes only the named object and passes the request's `propagationPolicy`
 * (e.g. 'Orphan') through on the resulting event (`StoreEvent.propagationPolicy`); it
 * stores the policy nowhere.
 */

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type Requirement, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors } from '@daytwo/k8s/validation.js';
import type { Namespace, Pod } from '@daytwo/k8s/wire-types.js';
import { admitCreate } from './admission/index.js';
import { prepareForCreateWithUid } from './api/strategy.js';
import { applyDefaults } from './defaults.js';
import { ApiError, alreadyExists, conflict, invalid, notFound } from './errors.js';
import { DEFAULT_COMPACTION_INTERVAL_MS, EventHistory } from './history.js';
import { updateManagedFields } from './managed-fields.js';
import { apiVersionOf, builtinResourceTypes, grOf, splitGr } from './resources.js';
import { type FieldRequirement, matchesFieldSelector, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type {
  GroupResource,
  KubeObject,
  ListOptions,
  ObjectStore,
  ResourceType,
  StoreEvent,
  WriteOptions,
} from './types.js';

/** Construction options of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Time between compactions of the change history, as kube-apiserver's
   * `--etcd-compaction-interval` (default 5 minutes; 0 never compacts): a resourceVersion
   * stays readable (paged lists, Exact lists, watches) until a compaction passes it.
   */
  compactionIntervalMs?: number;
  /** At most this many changes kept besides compaction (default no limit); tests expire versions with it. */
  historyLimit?: number;
  /** Clock for creationTimestamp, deletionTimestamp and managedFields times (default: now). */
  now?: () => Date;
  /** Randomness for generateName suffixes (default Math.random). */
  random?: () => number;
  /** Track metadata.managedFields (default true); large scenarios may turn it off to save memory. */
  managedFields?: boolean;
  /** Field manager when a write names none (default 'daytwo'). */
  defaultFieldManager?: string;
  /** Called when a subscriber throws (default: rethrown asynchronously so tests see it). */
  onListenerError?: (err: unknown) => void;
}

/** Write options the store understands beyond the {@link ObjectStore} contract. */
export interface StoreWriteOptions extends WriteOptions {
  /** Skip the "namespace must exist" check. */
  allowMissingNamespace?: boolean;
}

/** Delete options: the contract's plus the store's. */
export type StoreDeleteOptions = StoreWriteOptions & { gracePeriodSeconds?: number; propagationPolicy?: string };

interface Bucket {
  type: ResourceType;
  /** namespace ('' for cluster-scoped) -> name -> object. */
  byNamespace: Map<string, Map<string, KubeObject>>;
  size: number;
  /** Every object ordered by namespace/name; rebuilt lazily after a write. */
  sorted?: KubeObject[];
  sortedByNamespace: Map<string, KubeObject[]>;
}

/** The alphabet of names.SimpleNameGenerator (k8s.io/apiserver/pkg/storage/names): no vowels, no confusables. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATED_SUFFIX = 5;
/** Longest generateName base kept: a name may be 63 characters and the suffix takes 5. */
const MAX_GENERATE_NAME_BASE = 58;
/** Upstream (RetryGenerateName, on by default since 1.31) retries a clashing generated name a few times. */
const GENERATE_NAME_ATTEMPTS = 8;
/** Rewound lists kept for the pages that follow (one per kind and namespace being paged). */
const MAX_SNAPSHOTS = 8;
/** DefaultTerminationGracePeriodSeconds of pkg/apis/core. */
const DEFAULT_TERMINATION_GRACE = 30;

/**
 * Resources whose strategies keep metadata.generation (set 1 on create, bumped when spec
 * changes): their PrepareForCreate/PrepareForUpdate in pkg/registry. Pods only do so from
 * Kubernetes 1.33 and the simulated server is older. Kinds registered generically
 * (custom resources) always do.
 */
const GENERATION_TRACKED = new Set<GroupResource>([
  'replicationcontrollers',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'policy/poddisruptionbudgets',
  'autoscaling/horizontalpodautoscalers',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/networkpolicies',
]);

/** The server's "the server could not find the requested resource" 404 for an unknown group/resource. */
export function unknownResource(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** RFC 3339 with second precision, as metav1.Time serializes: `2026-11-21T12:00:00Z`. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** In-memory {@link ObjectStore} with one global resourceVersion and a bounded event history. */
export class MemoryStore implements ObjectStore {
  private rv = 0;
  private readonly buckets = new Map<GroupResource, Bucket>();
  private readonly kinds = new Map<string, GroupResource>();
  private readonly genericTypes = new Set<GroupResource>();
  private readonly history: EventHistory;
  /**
   * Recently rewound lists by `gr|rv|namespace`: a paged list asks for the same snapshot once
   * per page, and lists of several kinds page at the same time.
   */
  private readonly snapshots = new Map<string, KubeObject[]>();
  private readonly listeners = new Set<(ev: StoreEvent) => void>();
  private readonly pending: StoreEvent[] = [];
  private emitting = false;
  private readonly json = new WeakMap<KubeObject, string>();
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly trackManagedFields: boolean;
  private readonly defaultFieldManager: string;
  private readonly onListenerError: (err: unknown) => void;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.history = new EventHistory({
      compactionIntervalMs: options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS,
      limit: options.historyLimit === undefined ? undefined : Math.max(1, options.historyLimit),
      now: () => this.now().getTime(),
    });
    this.random = options.random ?? Math.random;
    this.trackManagedFields = options.managedFields ?? true;
    this.defaultFieldManager = options.defaultFieldManager ?? 'daytwo';
    this.onListenerError =
      options.onListenerError ??
      ((err) =>
        queueMicrotask(() => {
          throw err;
        }));
    for (const type of builtinResourceTypes()) this.addType(type, false);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  // ---- registry -----------------------------------------------------------

  resourceTypes(): ResourceType[] {
    return [...this.buckets.values()].map((b) => b.type);
  }

  resourceType(gr: GroupResource): ResourceType | undefined {
    return this.buckets.get(gr)?.type;
  }

  grForKind(apiVersion: string, kind: string): GroupResource | undefined {
    return this.kinds.get(`${apiVersion}/${kind}`) ?? this.kinds.get(`${groupOfApiVersion(apiVersion)}/*/${kind}`);
  }

  registerType(type: ResourceType): void {
    this.addType(type, true);
  }

  unregisterType(gr: GroupResource): void {
    if (!this.genericTypes.has(gr)) return;
    this.buckets.delete(gr);
    this.genericTypes.delete(gr);
    for (const [key, value] of this.kinds) if (value === gr) this.kinds.delete(key);
  }

  private addType(type: ResourceType, generic: boolean): void {
    const gr = grOf(type);
    const existing = this.buckets.get(gr);
    if (existing) {
      existing.type = { ...type };
    } else {
      this.buckets.set(gr, { type: { ...type }, byNamespace: new Map(), size: 0, sortedByNamespace: new Map() });
    }
    if (generic) this.genericTypes.add(gr);
    this.kinds.set(`${apiVersionOf(type)}/${type.kind}`, gr);
    // Any version of the group finds the resource (ownerReferences may name an older version).
    const anyVersion = `${type.group}/*/${type.kind}`;
    if (!this.kinds.has(anyVersion)) this.kinds.set(anyVersion, gr);
  }

  private bucket(gr: GroupResource): Bucket {
    const bucket = this.buckets.get(gr);
    if (!bucket) throw unknownResource();
    return bucket;
  }

  // ---- reads --------------------------------------------------------------

  get(gr: GroupResource, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.bucket(gr);
    return bucket.byNamespace.get(bucket.type.namespaced ? (namespace ?? '') : '')?.get(name);
  }

  list(gr: GroupResource, opts: ListOptions = {}): KubeObject[] {
    const bucket = this.bucket(gr);
    const source =
      bucket.type.namespaced && opts.namespace ? this.sortedIn(bucket, opts.namespace) : this.sortedAll(bucket);
    return filterBySelectors(gr, source, opts);
  }

  /**
   * The list as it was at resourceVersion `rv` (at most the current one), in key order:
   * the current objects rewound through the event history, as etcd serves a read at a
   * past revision. 'expired' when `rv` is older than the history kept.
   */
  listAt(gr: GroupResource, rv: number, opts: ListOptions = {}): KubeObject[] | 'expired' {
    const bucket = this.bucket(gr);
    if (rv >= this.rv) return this.list(gr, opts);
    const events = this.eventsSince(rv);
    if (events === 'expired') return 'expired';
    const namespace = bucket.type.namespaced ? opts.namespace : undefined;
    const inScope = (ev: StoreEvent) => ev.gr === gr && (!namespace || ev.object.metadata.namespace === namespace);
    if (!events.some(inScope)) return this.list(gr, opts);
    const cacheKey = `${gr}|${rv}|${namespace ?? ''}`;
    let snapshot = this.snapshots.get(cacheKey);
    if (!snapshot) {
      snapshot = this.rewind(bucket, events, inScope, namespace);
      this.snapshots.set(cacheKey, snapshot);
      if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
    }
    return filterBySelectors(gr, snapshot, opts);
  }

  /**
   * The current objects (in key order) with every object changed after the events' start put
   * back as its first change found it: a copy of the sorted list patched at the changed keys,
   * not a re-sort of every object (150,000 pods took 280 ms per snapshot).
   */
  private rewind(bucket: Bucket, events: StoreEvent[], inScope: (ev: StoreEvent) => boolean, namespace: string | undefined): KubeObject[] {
    const before = new Map<string, KubeObject | undefined>();
    for (const ev of events) {
      if (!inScope(ev)) continue;
      const key = storageKey(ev.object);
      if (!before.has(key)) before.set(key, ev.previous);
    }
    const objects = (namespace ? this.sortedIn(bucket, namespace) : this.sortedAll(bucket)).slice();
    for (const [key, obj] of before) {
      const i = lowerBound(objects, key);
      const present = i < objects.length && storageKey(objects[i]) === key;
      if (obj && present) objects[i] = obj;
      else if (obj) objects.splice(i, 0, obj);
      else if (present) objects.splice(i, 1);
    }
    return objects;
  }

  count(gr: GroupResource): number {
    return this.bucket(gr).size;
  }

  /** The object's JSON, computed once per stored object (stored objects never change). */
  serialized(obj: KubeObject): string {
    let text = this.json.get(obj);
    if (text === undefined) {
      text = JSON.stringify(obj);
      this.json.set(obj, text);
    }
    return text;
  }

  /** Every object in key order (`namespace/name`, as etcd orders its keys: `a-b/x` before `a/x`). */
  private sortedAll(bucket: Bucket): KubeObject[] {
    if (!bucket.sorted) {
      const all: KubeObject[] = [];
      const namespaces = [...bucket.byNamespace.keys()].sort((a, b) => byString(`${a}/`, `${b}/`));
      for (const ns of namespaces) all.push(...this.sortedIn(bucket, ns));
      bucket.sorted = all;
    }
    return bucket.sorted;
  }

  private sortedIn(bucket: Bucket, namespace: string): KubeObject[] {
    let sorted = bucket.sortedByNamespace.get(namespace);
    if (!sorted) {
      const objects = bucket.byNamespace.get(namespace);
      if (!objects) return [];
      sorted = [...objects.keys()].sort(byString).map((name) => objects.get(name)!);
      bucket.sortedByNamespace.set(namespace, sorted);
    }
    return sorted;
  }

  // ---- writes -------------------------------------------------------------

  create(gr: GroupResource, input: KubeObject, opts: StoreWriteOptions = {}): KubeObject {
    const bucket = this.bucket(gr);
    const { type } = bucket;
    const obj = this.prepare(gr, type, input, opts.adopt === true);
    const meta = obj.metadata;
    const { group } = splitGr(gr);

    if (!meta.name && meta.generateName) meta.name = this.generateName(bucket, meta.namespace, meta.generateName);
    if (!meta.name) {
      throw invalid(group, type.kind, '', [
        { field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' },
      ]);
    }
    this.validateName(gr, type, meta.name);
    validateLabels(gr, type, obj);
    if (type.namespaced && !opts.allowMissingNamespace && !opts.restore) {
      this.checkNamespaceAcceptsCreate(gr, meta.namespace!, meta.name);
    }
    if (this.get(gr, meta.namespace, meta.name)) throw alreadyExists(group, type.resource, meta.name);
    // Admission plugins (LimitRanger, ResourceQuota); restored objects keep what they carry.
    if (!opts.restore) admitCreate(this, gr, obj, { dryRun: opts.dryRun === true, now: this.now() });

    const now = this.now();
    const restore = opts.restore === true;
    delete meta.resourceVersion;
    if (!restore || !meta.uid) meta.uid = randomUUID();
    if (!restore) prepareForCreateWithUid(gr, obj);
    if (!restore || !meta.creationTimestamp) meta.creationTimestamp = rfc3339(now);
    if (!restore) {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (!this.tracksGeneration(gr)) delete meta.generation;
    else if (!restore || typeof meta.generation !== 'number') meta.generation = 1;
    // A restored object keeps the field ownership it was exported with.
    if (!restore || !meta.managedFields?.length) this.recordManagedFields(gr, type, undefined, obj, opts, now);

    if (opts.dryRun) return obj;
    return this.commit(bucket, 'ADDED', obj);
  }

  update(gr: GroupResource, input: KubeObject, opts: StoreWriteOptions = {}): KubeObject {
    const bucket = this.bucket(gr);
    const { type } = bucket;
    const obj = this.prepare(gr, type, input, opts.adopt === true);
    const meta = obj.metadata;
    const { group } = splitGr(gr);
    if (!meta.name) {
      throw invalid(group, type.kind, '', [{ field: 'metadata.name', message: 'Required value: name is required', reason: 'FieldValueRequired' }]);
    }
    const existing = this.get(gr, meta.namespace, meta.name);
    if (!existing) throw notFound(group, type.resource, meta.name);
    validateLabels(gr, type, obj);
    const old = existing.metadata;
    if (meta.resourceVersion && meta.resourceVersion !== old.resourceVersion) throw conflict(group, type.resource, meta.name);
    if (meta.uid && meta.uid !== old.uid) {
      // defaultUpdatedObjectInfo turns a given uid into a precondition (k8s.io/apiserver/pkg/registry/rest/update.go).
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(group, type.resource)} "${meta.name}": Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.uid}`,
        { name: meta.name, group: group || undefined, kind: type.resource },
      );
    }

    // rest.BeforeUpdate: identity, creation time and an ongoing deletion cannot be changed.
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (old.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    }
    if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
    if (opts.subresource === 'status') {
      // Status strategies reset everything but status to the stored object's (e.g. podStatusStrategy.PrepareForUpdate).
      if (existing.spec === undefined) delete obj.spec;
      else obj.spec = existing.spec;
    }
    meta.resourceVersion = old.resourceVersion;
    meta.managedFields = chooseManagedFields(meta.managedFields, old.managedFields);

    // Status writes never bump generation, even when they carry annotations (deploymentStatusStrategy).
    if (opts.subresource !== 'status' && this.tracksGeneration(gr) && this.generationChanged(gr, existing, obj)) {
      meta.generation = (old.generation ?? 0) + 1;
    }
    // A write that changes nothing is not written: same resourceVersion, no event.
    if (isDeepStrictEqual(obj, existing)) return existing;

    const now = this.now();
    this.recordManagedFields(gr, type, existing, obj, opts, now);
    if (opts.dryRun) return obj;

    // Removing the last finalizer of an object already deleted completes its deletion (Store.Update, ShouldDeleteDuringUpdate).
    if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds === 0 && !meta.finalizers?.length && !hasNamespaceFinalizers(gr, obj)) {
      return this.remove(bucket, existing);
    }
    return this.commit(bucket, 'MODIFIED', obj);
  }

  delete(gr: GroupResource, namespace: string | undefined, name: string, opts: StoreDeleteOptions = {}): KubeObject {
    const bucket = this.bucket(gr);
    const { type } = bucket;
    let existing = this.get(gr, namespace, name);
    if (!existing) throw notFound(splitGr(gr).group, type.resource, name);
    if (opts.propagationPolicy === 'Foreground' && !existing.metadata.deletionTimestamp && !existing.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) {
      // deletionFinalizersForGarbageCollection: a foreground delete waits for the GC through a finalizer.
      existing = withMetadata(existing, { finalizers: [...(existing.metadata.finalizers ?? []), FOREGROUND_FINALIZER] });
    }
    const now = this.now();
    const meta = existing.metadata;

    const grace = gracePeriodFor(gr, existing, opts.gracePeriodSeconds);
    if (grace > 0) {
      let due = new Date(now.getTime() + grace * 1000);
      if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds !== undefined) {
        // A repeated graceful delete may only shorten the grace period, counted from the first request (rest.BeforeDelete).
        if (meta.deletionGracePeriodSeconds <= grace) return existing;
        due = new Date(Date.parse(meta.deletionTimestamp) + (grace - meta.deletionGracePeriodSeconds) * 1000);
      }
      const marked = withMetadata(existing, {
        deletionTimestamp: rfc3339(due),
        deletionGracePeriodSeconds: grace,
        ...(meta.generation !== undefined && !meta.deletionTimestamp ? { generation: meta.generation + 1 } : {}),
      });
      if (opts.dryRun) return marked;
      return this.commit(bucket, 'MODIFIED', marked, opts.propagationPolicy);
    }

    if (meta.finalizers?.length || hasNamespaceFinalizers(gr, existing)) {
      // markAsDeleting (generic registry): deletionTimestamp now (or earlier), grace 0, generation bumped once.
      const keepTimestamp = meta.deletionTimestamp && Date.parse(meta.deletionTimestamp) <= now.getTime();
      const patch: Record<string, unknown> = {
        deletionTimestamp: keepTimestamp ? meta.deletionTimestamp : rfc3339(now),
        deletionGracePeriodSeconds: 0,
      };
      if (!meta.deletionTimestamp && meta.generation !== undefined) patch.generation = meta.generation + 1;
      let marked = withMetadata(existing, patch);
      if (gr === 'namespaces') marked = { ...marked, status: { ...(marked.status ?? {}), phase: 'Terminating' } };
      if (isDeepStrictEqual(marked, existing)) return existing;
      if (opts.dryRun) return marked;
      return this.commit(bucket, 'MODIFIED', marked, opts.propagationPolicy);
    }

    if (opts.dryRun) return existing;
    return this.remove(bucket, existing, opts.propagationPolicy);
  }

  // ---- events ---------------------------------------------------------------

  subscribe(listener: (ev: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  eventsSince(rv: number): StoreEvent[] | 'expired' {
    return this.history.since(rv);
  }

  /** The oldest resourceVersion still readable: older ones have been compacted (410 Expired). */
  get compactedResourceVersion(): number {
    return this.history.compactedResourceVersion;
  }

  // ---- internals ------------------------------------------------------------

  /** Clone, default and normalize the identity of an incoming object. */
  private prepare(gr: GroupResource, type: ResourceType, input: KubeObject, adopt: boolean): KubeObject {
    // applyDefaults already answers a copy for the resources it defaults; cloning first
    // as well made a second deep copy of every object written. An adopted object is kept.
    const defaulted = applyDefaults(gr, input, adopt);
    const obj = adopt || defaulted !== input ? defaulted : structuredClone(input);
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    obj.metadata ??= {};
    if (!type.namespaced) {
      // rest.BeforeCreate/BeforeUpdate clear the namespace of cluster-scoped objects.
      delete obj.metadata.namespace;
    } else if (!obj.metadata.namespace) {
      throw invalid(splitGr(gr).group, type.kind, obj.metadata.name ?? '', [
        { field: 'metadata.namespace', message: 'Required value', reason: 'FieldValueRequired' },
      ]);
    }
    return obj;
  }

  private generateName(bucket: Bucket, namespace: string | undefined, base: string): string {
    const prefix = base.length > MAX_GENERATE_NAME_BASE ? base.slice(0, MAX_GENERATE_NAME_BASE) : base;
    const taken = bucket.byNamespace.get(namespace ?? '');
    let name = '';
    for (let attempt = 0; attempt < GENERATE_NAME_ATTEMPTS; attempt++) {
      name = prefix;
      for (let i = 0; i < GENERATED_SUFFIX; i++) name += NAME_ALPHABET[Math.floor(this.random() * NAME_ALPHABET.length)];
      if (!taken?.has(name)) return name;
    }
    return name;
  }

  /** ValidateObjectMeta's name check: DNS-1123 subdomain for most kinds (namespaces and services: a DNS label). */
  private validateName(gr: GroupResource, type: ResourceType, name: string): void {
    let errors: string[];
    if (gr === 'namespaces') errors = dns1123LabelErrors(name, false);
    else if (gr === 'services') errors = dns1123LabelErrors(name, true);
    else if (gr === 'events' || gr === 'events.k8s.io/events' || this.genericTypes.has(gr)) errors = pathSegmentErrors(name);
    else errors = dns1123SubdomainErrors(name);
    if (errors.length === 0) return;
    throw invalid(
      splitGr(gr).group,
      type.kind,
      name,
      errors.map((e) => ({ field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: ${e}` })),
    );
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private checkNamespaceAcceptsCreate(gr: GroupResource, namespace: string, name: string): void {
    const ns: Namespace | undefined = this.get('namespaces', undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
      const { group, resource } = splitGr(gr);
      throw forbiddenTerminating(group, resource, name, namespace);
    }
  }

  private tracksGeneration(gr: GroupResource): boolean {
    return GENERATION_TRACKED.has(gr) || this.genericTypes.has(gr);
  }

  /**
   * Whether an update bumps generation. Built-in kinds: a spec change (deployments also on
   * an annotation change, pkg/registry/apps/deployment/strategy.go). Custom resources:
   * any change outside metadata and status.
   */
  private generationChanged(gr: GroupResource, before: KubeObject, after: KubeObject): boolean {
    if (this.genericTypes.has(gr)) {
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      for (const k of keys) {
        if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
        if (!isDeepStrictEqual(before[k], after[k])) return true;
      }
      return false;
    }
    if (!isDeepStrictEqual(before.spec, after.spec)) return true;
    return gr === 'apps/deployments' && !isDeepStrictEqual(before.metadata.annotations, after.metadata.annotations);
  }

  private recordManagedFields(
    gr: GroupResource,
    type: ResourceType,
    previous: KubeObject | undefined,
    obj: KubeObject,
    opts: WriteOptions,
    now: Date,
  ): void {
    if (!this.trackManagedFields) {
      delete obj.metadata.managedFields;
      return;
    }
    const hasStatus = type.subresources?.includes('status') ?? false;
    const ignored = opts.subresource === 'status' ? ['spec'] : hasStatus && gr !== 'namespaces' ? ['status'] : [];
    const entries = updateManagedFields({
      previous,
      next: obj,
      manager: opts.fieldManager || this.defaultFieldManager,
      apiVersion: apiVersionOf(type),
      subresource: opts.subresource,
      time: rfc3339(now),
      ignored,
      builtin: !this.genericTypes.has(gr),
    });
    if (entries.length > 0) obj.metadata.managedFields = entries;
    else delete obj.metadata.managedFields;
  }

  private commit(bucket: Bucket, type: 'ADDED' | 'MODIFIED', obj: KubeObject, propagationPolicy?: string): KubeObject {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const ns = obj.metadata.namespace ?? '';
    let objects = bucket.byNamespace.get(ns);
    if (!objects) {
      objects = new Map();
      bucket.byNamespace.set(ns, objects);
    }
    const name = obj.metadata.name!;
    const before = objects.get(name);
    // The history keeps every version until compaction (5 to 10 minutes): versions share what did not change.
    if (before) shareUnchanged(obj, before);
    objects.set(name, obj);
    if (!before) bucket.size++;
    this.invalidate(bucket, ns);
    this.record({ type, gr: grOf(bucket.type), object: obj, resourceVersion: this.rv, ...(before ? { previous: before } : {}), ...policy(propagationPolicy) });
    return obj;
  }

  private remove(bucket: Bucket, existing: KubeObject, propagationPolicy?: string): KubeObject {
    const ns = existing.metadata.namespace ?? '';
    const objects = bucket.byNamespace.get(ns)!;
    objects.delete(existing.metadata.name!);
    if (objects.size === 0) bucket.byNamespace.delete(ns);
    bucket.size--;
    this.invalidate(bucket, ns);
    this.rv++;
    // The DELETED event carries the last stored state at the deletion's resourceVersion, as an etcd watch does.
    const deleted = withMetadata(existing, { resourceVersion: String(this.rv) });
    this.record({ type: 'DELETED', gr: grOf(bucket.type), object: deleted, resourceVersion: this.rv, previous: existing, ...policy(propagationPolicy) });
    return deleted;
  }

  private invalidate(bucket: Bucket, namespace: string): void {
    bucket.sortedByNamespace.delete(namespace);
    bucket.sorted = undefined;
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    this.emit(event);
  }

  /**
   * Delivers events in commit order. A listener that writes to the store from inside its
   * callback gets its own event queued behind the one being delivered, so every listener
   * sees every event in resourceVersion order.
   */
  private emit(event: StoreEvent): void {
    this.pending.push(event);
    if (this.emitting) return;
    this.emitting = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch (err) {
            this.onListenerError(err);
          }
        }
      }
    } finally {
      this.emitting = false;
    }
  }
}

/**
 * Makes `next` reuse every subtree of `previous` that it equals, keys in the same order (so
 * either serializes the same); answers whether the two are equal. Stored objects are never
 * mutated, so versions may share them: a Lease renewal then costs its new renewTime and
 * metadata, not a copy of the whole object.
 */
function shareUnchanged(next: unknown, previous: unknown): boolean {
  if (next === previous) return true;
  if (typeof next !== 'object' || typeof previous !== 'object' || next === null || previous === null) return false;
  if (Array.isArray(next) !== Array.isArray(previous)) return false;
  const n = next as Record<string, unknown>;
  const p = previous as Record<string, unknown>;
  const nextKeys = Object.keys(n);
  const previousKeys = Object.keys(p);
  let equal = nextKeys.length === previousKeys.length;
  for (let i = 0; i < nextKeys.length; i++) {
    const key = nextKeys[i];
    if (Object.hasOwn(p, key) && shareUnchanged(n[key], p[key])) n[key] = p[key];
    else equal = false;
    if (previousKeys[i] !== key) equal = false;
  }
  return equal;
}

function policy(propagationPolicy: string | undefined): { propagationPolicy?: string } {
  return propagationPolicy ? { propagationPolicy } : {};
}

/** Position of the first object whose key is not below `key` in `objects` (in key order). */
function lowerBound(objects: readonly KubeObject[], key: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (storageKey(objects[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The object's key below its resource prefix, the order etcd lists in. */
function storageKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name ?? '');
}

function filterBySelectors(gr: GroupResource, source: readonly KubeObject[], opts: ListOptions): KubeObject[] {
  const labels: Requirement[] | undefined = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
  const fields: FieldRequirement[] | undefined = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector, gr) : undefined;
  if (!labels?.length && !fields?.length) return source.slice();
  return source.filter(
    (obj) =>
      (!labels?.length || requirementsMatch(labels, obj.metadata.labels)) &&
      (!fields?.length || matchesFieldSelector(fields, obj)),
  );
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

function withMetadata(obj: KubeObject, patch: Record<string, unknown>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, ...patch } };
}

/**
 * An incoming object's managedFields replace the stored ones only when non-empty; a list
 * of only empty entries (`[{}]`) resets them (documented upstream behaviour of Update).
 */
function chooseManagedFields(
  incoming: KubeObject['metadata']['managedFields'],
  stored: KubeObject['metadata']['managedFields'],
): KubeObject['metadata']['managedFields'] {
  if (!incoming || incoming.length === 0) return stored;
  if (incoming.every((e) => !e || Object.keys(e).length === 0)) return undefined;
  return incoming;
}

/** Namespaces wait for their spec.finalizers (the namespace controller's 'kubernetes') as well. */
const FOREGROUND_FINALIZER = 'foregroundDeletion';

function hasNamespaceFinalizers(gr: GroupResource, obj: KubeObject): boolean {
  if (gr !== 'namespaces') return false;
  const finalizers = (obj as Namespace).spec?.finalizers;
  return Array.isArray(finalizers) && finalizers.length > 0;
}

/**
 * The grace period of a delete: only pods are deleted gracefully (podStrategy.CheckGracefulDelete):
 * the request's gracePeriodSeconds, else spec.terminationGracePeriodSeconds, else 30; 0 for pods
 * not bound to a node or already Succeeded/Failed; negative values count as 1.
 */
function gracePeriodFor(gr: GroupResource, obj: KubeObject, requested: number | undefined): number {
  if (gr !== 'pods') return 0;
  const pod = obj as Pod;
  let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  if (period < 0) period = 1;
  return period;
}

/** NamespaceLifecycle's refusal: `pods "x" is forbidden: unable to create new content in namespace y because it is being terminated`. */
function forbiddenTerminating(group: string, resource: string, name: string, namespace: string): ApiError {
  const target = name ? `${qualifiedResource(group, resource)} "${name}"` : qualifiedResource(group, resource);
  return new ApiError(
    403,
    'Forbidden',
    `${target} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    {
      name: name || undefined,
      group: group || undefined,
      kind: resource,
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: `namespace ${namespace} is being terminated`,
          field: 'metadata.namespace',
        },
      ],
    },
  );
}

/** ValidateLabels of ValidateObjectMeta: keys are qualified names, values label values (422 Invalid). */
function validateLabels(gr: GroupResource, type: ResourceType, obj: KubeObject): void {
  const labels = obj.metadata.labels;
  if (!labels) return;
  const causes: { field: string; message: string }[] = [];
  for (const key of Object.keys(labels).sort()) {
    for (const msg of qualifiedNameErrors(key)) causes.push({ field: 'metadata.labels', message: `Invalid value: ${JSON.stringify(key)}: ${msg}` });
    const value = labels[key];
    const errors = typeof value === 'string' ? labelValueErrors(value) : ['must be a string'];
    for (const msg of errors) causes.push({ field: 'metadata.labels', message: `Invalid value: ${JSON.stringify(value)}: ${msg}` });
  }
  if (causes.length > 0) throw invalid(splitGr(gr).group, type.kind, obj.metadata.name ?? '', causes);
}

/** IsDNS1123Label (namespaces) or IsDNS1035Label (services) errors for a name. */
function dns1123LabelErrors(name: string, dns1035: boolean): string[] {
  const errors: string[] = [];
  if (name.length > 63) errors.push('must be no more than 63 characters');
  if (dns1035) {
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      errors.push(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      );
    }
  } else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    errors.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errors;
}

/** path.IsValidPathSegmentName: names that can appear in a URL path. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errors.push(`may not contain '${bad}'`);
  return errors;
}
