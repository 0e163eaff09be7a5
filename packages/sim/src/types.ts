/**
 * Contracts inside the simulated cluster. The object store is the single source of
 * truth; the HTTP server, the controllers and the scenarios all go through it.
 *
 * Objects handed out by the store are shared and must be treated as immutable:
 * to change one, clone it (`structuredClone`) and write the clone back.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';

export type { KubeObject, ManagedFieldsEntry, ObjectMeta, OwnerReference } from '@daytwo/k8s/kube-object.js';

/** One served resource: what discovery lists and what the router dispatches on. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: 'pods', 'deployments'. */
  resource: string;
  singularName: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  /** Subresources served, e.g. ['status', 'log', 'eviction']. */
  subresources?: string[];
  /** Discovery categories, e.g. ['all'] for what `kubectl get all` lists. */
  categories?: string[];
  /** A custom resource's `additionalPrinterColumns` (its CRD version's), for the Table API. */
  printerColumns?: PrinterColumn[];
}

/** A CustomResourceDefinition version's `additionalPrinterColumns` entry (apiextensions.k8s.io/v1). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** `group/resource` for named groups, plain `resource` for the core group ('pods', 'apps/deployments'). */
export type GroupResource = string;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  gr: GroupResource;
  object: KubeObject;
  /** The store's resourceVersion after this event. */
  resourceVersion: number;
  /**
   * The stored object this event replaced (the informers' `old` of an update or delete):
   * set on MODIFIED and DELETED events the store emits, absent on ADDED.
   */
  previous?: KubeObject;
  /**
   * On DELETED events and on MODIFIED events that start a deletion: the delete's
   * propagationPolicy ('Orphan', 'Background', 'Foreground') when the caller gave one,
   * for the garbage collector. The store keeps it nowhere else.
   */
  propagationPolicy?: string;
}

export interface WriteOptions {
  /** dryRun=All: validate, default and answer, but store nothing and emit nothing. */
  dryRun?: boolean;
  /** Field manager for managedFields; defaults to the user agent's program name. */
  fieldManager?: string;
  /** The subresource written through ('status', 'scale'), for managedFields. */
  subresource?: string;
  /**
   * The caller hands the object over and never touches it again, so the store keeps it
   * instead of a copy: for bulk loads of freshly built objects, where the copy was a
   * large share of the `large` scenario's startup.
   */
  adopt?: boolean;
  /**
   * Create only: restore an object as it was exported (fixtures, or a scenario's object
   * that carries its creation time). Keeps the uid (so ownerReferences still point at their
   * owners), creationTimestamp, generation and an ongoing deletion when the object carries
   * them; implies skipping the "namespace must exist" check.
   */
  restore?: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * The in-memory object store of the simulated cluster.
 * Every write bumps one global resourceVersion, records the event in a bounded
 * history (for watch replay and 410 Gone) and notifies subscribers synchronously.
 * Writes throw `ApiError` (see errors.ts) with the API server's codes and reasons.
 */
export interface ObjectStore {
  /** Current (latest) resourceVersion. */
  readonly resourceVersion: number;
  /** Registered resource types, by group/resource. */
  resourceTypes(): ResourceType[];
  resourceType(gr: GroupResource): ResourceType | undefined;
  /** Finds the group/resource serving apiVersion+kind (fixtures, ownerReferences). */
  grForKind(apiVersion: string, kind: string): GroupResource | undefined;
  /** Registers a resource type generically (fixtures of unknown kinds, custom resources). */
  registerType(type: ResourceType): void;
  /** Stops serving a generically registered type (a deleted CustomResourceDefinition); its objects are dropped. */
  unregisterType(gr: GroupResource): void;

  get(gr: GroupResource, namespace: string | undefined, name: string): KubeObject | undefined;
  list(gr: GroupResource, opts?: ListOptions): KubeObject[];
  /** The list as it was at resourceVersion `rv` (paged lists, Exact reads); 'expired' when older than the history kept. */
  listAt(gr: GroupResource, rv: number, opts?: ListOptions): KubeObject[] | 'expired';
  count(gr: GroupResource): number;

  /** Fills server-side fields and defaults; 409 AlreadyExists; generateName honoured. */
  create(gr: GroupResource, obj: KubeObject, opts?: WriteOptions): KubeObject;
  /** 404 if absent; 409 Conflict if metadata.resourceVersion is set and stale. */
  update(gr: GroupResource, obj: KubeObject, opts?: WriteOptions): KubeObject;
  /**
   * Deletes now, or marks for graceful deletion (pods with a grace period > 0 get
   * deletionTimestamp and are removed later by the kubelet). Returns the object as deleted.
   */
  delete(
    gr: GroupResource,
    namespace: string | undefined,
    name: string,
    opts?: WriteOptions & { gracePeriodSeconds?: number; propagationPolicy?: string },
  ): KubeObject;

  /** Synchronous notification of every committed write. */
  subscribe(listener: (ev: StoreEvent) => void): () => void;
  /** Events after `rv` for replay, or 'expired' when `rv` is older than the history kept. */
  eventsSince(rv: number): StoreEvent[] | 'expired';
  /** The oldest resourceVersion still readable; reads at an older one are 410 Expired. */
  readonly compactedResourceVersion: number;
}

/** Timing knobs shared by the controllers: `--speed 2` halves every delay. */
export interface SimClock {
  speed: number;
  /** setTimeout scaled by 1/speed; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** setInterval scaled by 1/speed; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
  now(): Date;
}

/** A controller loop of the simulated cluster (deployment, scheduler, kubelet, ...). */
export interface Controller {
  readonly name: string;
  start(ctx: ControllerContext): void;
  stop(): void;
}

export interface ControllerContext {
  store: ObjectStore;
  clock: SimClock;
  /** Deterministic randomness for a given seed. */
  random(): number;
}

export interface LogOptions {
  container: string;
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  previous?: boolean;
  /** RFC 3339 time: only lines at or after it (`sinceTime`; wins over sinceSeconds as in the kubelet). */
  sinceTime?: string;
  /** Stop after this many bytes (`limitBytes`). */
  limitBytes?: number;
}

export interface LogSink {
  /** One line, without its trailing newline. */
  write(line: string): void;
  end(): void;
}

/**
 * Synthetic container logs. The HTTP server's `pods/{name}/log` handler streams from it.
 * Returns a function that stops the stream.
 */
export interface LogSource {
  stream(pod: Pod, opts: LogOptions, sink: LogSink): () => void;
}
