/**
 * Indexes the controllers share, kept current from store events so that no controller does
 * O(pods) work per event: pods by controller uid, by node, by namespace and by label
 * (namespace, key and value); unscheduled pods; every object by uid; dependents by owner
 * uid (for garbage collection).
 * One index per store, created on first use and living as long as the store.
 */

import { type Requirement, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import type { GroupResource, KubeObject, ObjectStore, StoreEvent } from '../types.js';
import { controllerOf, GR } from './objects.js';

/** Where an object lives, enough to get or delete it. */
export interface ObjectRef {
  gr: GroupResource;
  namespace: string | undefined;
  name: string;
}

type PodMap = Map<string, Pod>;

/** An owner deleted (or being deleted with an orphan/foreground request) that still had dependents. */
export interface Tombstone {
  gr: GroupResource;
  owner: KubeObject;
  /** The delete's propagationPolicy, or the GC finalizer that asked for one. */
  policy: 'Orphan' | 'Background' | 'Foreground';
}

const ORPHAN_FINALIZER = 'orphan';
const FOREGROUND_FINALIZER = 'foregroundDeletion';

export class ClusterIndex {
  /**
   * Kept here rather than in the garbage collector, because the index listens for as long
   * as the store lives: a deletion made while the controllers are stopped (between two
   * `settle()` calls) is still propagated.
   */
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly podsByController = new Map<string, PodMap>();
  private readonly podsByNodeName = new Map<string, PodMap>();
  private readonly podsByNamespace = new Map<string, PodMap>();
  /** `namespace\0key=value` -> pods with that label. */
  private readonly podsByLabel = new Map<string, PodMap>();
  private readonly unscheduled: PodMap = new Map();
  private readonly byUid = new Map<string, ObjectRef>();
  private readonly dependents = new Map<string, Map<string, ObjectRef>>();
  /** Pod key -> the pod as indexed, to remove it from its old buckets on change. */
  private readonly indexedPods = new Map<string, Pod>();
  /** uid -> owner uids the object was indexed under. */
  private readonly ownersOf = new Map<string, string[]>();

  constructor(store: ObjectStore) {
    for (const type of store.resourceTypes()) {
      const gr = type.group ? `${type.group}/${type.resource}` : type.resource;
      if (!type.verbs.includes('list')) continue;
      for (const obj of store.list(gr)) {
        this.add(gr, obj);
        this.recordTombstone({ type: 'MODIFIED', gr, object: obj, resourceVersion: 0 });
      }
    }
    store.subscribe((ev) => this.onEvent(ev));
  }

  /** Pods whose controller reference has `uid`. */
  podsOf(uid: string | undefined): Pod[] {
    const m = uid ? this.podsByController.get(uid) : undefined;
    return m ? [...m.values()] : [];
  }

  podsOnNode(node: string): Pod[] {
    const m = this.podsByNodeName.get(node);
    return m ? [...m.values()] : [];
  }

  podCountOnNode(node: string): number {
    return this.podsByNodeName.get(node)?.size ?? 0;
  }

  podsInNamespace(namespace: string): Pod[] {
    const m = this.podsByNamespace.get(namespace);
    return m ? [...m.values()] : [];
  }

  /**
   * Pods of `namespace` that `selector` selects (null selects none), in the order of
   * `podsInNamespace`: the pods of its narrowest equality requirement, filtered, so a
   * Service's sync reads its own pods and not the 3,000 of its namespace.
   */
  podsSelected(namespace: string, selector: readonly Requirement[] | null): Pod[] {
    if (!selector) return [];
    let narrowest: PodMap | undefined;
    for (const r of selector) {
      if (!(r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1))) continue;
      const pods = this.podsByLabel.get(labelKey(namespace, r.key, r.values[0]));
      if (!pods) return [];
      if (!narrowest || pods.size < narrowest.size) narrowest = pods;
    }
    const candidates = narrowest ?? this.podsByNamespace.get(namespace);
    if (!candidates) return [];
    const selected: Pod[] = [];
    for (const pod of candidates.values()) if (requirementsMatch(selector, pod.metadata.labels)) selected.push(pod);
    return selected;
  }

  /** Pods with no `spec.nodeName` that are not being deleted. */
  unscheduledPods(): Pod[] {
    return [...this.unscheduled.values()];
  }

  lookupUid(uid: string): ObjectRef | undefined {
    return this.byUid.get(uid);
  }

  /** Objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): ObjectRef[] {
    const m = this.dependents.get(uid);
    return m ? [...m.values()] : [];
  }

  /** uids of owners whose deletion still has to be propagated to dependents. */
  tombstoneUids(): string[] {
    return [...this.tombstones.keys()];
  }

  hasTombstone(uid: string): boolean {
    return this.tombstones.has(uid);
  }

  /** The tombstone of `uid`, left in place. */
  peekTombstone(uid: string): Tombstone | undefined {
    return this.tombstones.get(uid);
  }

  /** Removes and returns the tombstone of `uid`. */
  takeTombstone(uid: string): Tombstone | undefined {
    const t = this.tombstones.get(uid);
    this.tombstones.delete(uid);
    return t;
  }

  private onEvent(ev: StoreEvent): void {
    this.recordTombstone(ev);
    if (ev.type === 'DELETED') this.remove(ev.gr, ev.object);
    else this.add(ev.gr, ev.object);
  }

  private recordTombstone(ev: StoreEvent): void {
    const uid = ev.object.metadata.uid;
    if (!uid) return;
    const finalizers = ev.object.metadata.finalizers ?? [];
    // A foreground deletion waits on the GC even without dependents: its finalizer must be released.
    if (ev.type !== 'DELETED' && ev.object.metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) {
      this.tombstones.set(uid, { gr: ev.gr, owner: ev.object, policy: 'Foreground' });
      return;
    }
    if (!(this.dependents.get(uid)?.size ?? 0)) return;
    const orphan = ev.propagationPolicy === 'Orphan' || finalizers.includes(ORPHAN_FINALIZER);
    if (ev.type === 'DELETED') {
      this.tombstones.set(uid, { gr: ev.gr, owner: ev.object, policy: orphan ? 'Orphan' : 'Background' });
    } else if (ev.object.metadata.deletionTimestamp) {
      if (orphan) this.tombstones.set(uid, { gr: ev.gr, owner: ev.object, policy: 'Orphan' });
    }
  }

  private add(gr: GroupResource, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid) {
      this.byUid.set(uid, { gr, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' });
      this.indexOwners(gr, obj, uid);
    }
    if (gr === GR.pods) this.addPod(obj as Pod);
  }

  private remove(gr: GroupResource, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid) {
      this.byUid.delete(uid);
      for (const owner of this.ownersOf.get(uid) ?? []) this.dependents.get(owner)?.delete(uid);
      this.ownersOf.delete(uid);
    }
    if (gr === GR.pods) this.removePod(podKey(obj));
  }

  private indexOwners(gr: GroupResource, obj: KubeObject, uid: string): void {
    const owners = (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
    const previous = this.ownersOf.get(uid);
    for (const owner of previous ?? []) if (!owners.includes(owner)) this.dependents.get(owner)?.delete(uid);
    if (owners.length === 0) {
      this.ownersOf.delete(uid);
      return;
    }
    const ref = { gr, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
    for (const owner of owners) {
      const m = this.dependents.get(owner) ?? new Map<string, ObjectRef>();
      this.dependents.set(owner, m);
      m.set(uid, ref);
    }
    this.ownersOf.set(uid, owners);
  }

  private addPod(pod: Pod): void {
    const key = podKey(pod);
    this.removePod(key);
    this.indexedPods.set(key, pod);
    const owner = controllerOf(pod)?.uid;
    if (owner) bucket(this.podsByController, owner).set(key, pod);
    const node = pod.spec?.nodeName;
    if (node) bucket(this.podsByNodeName, node).set(key, pod);
    else if (!pod.metadata.deletionTimestamp) this.unscheduled.set(key, pod);
    bucket(this.podsByNamespace, pod.metadata.namespace ?? '').set(key, pod);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) bucket(this.podsByLabel, labelKey(pod.metadata.namespace ?? '', k, v)).set(key, pod);
  }

  private removePod(key: string): void {
    const old = this.indexedPods.get(key);
    if (!old) return;
    this.indexedPods.delete(key);
    const owner = controllerOf(old)?.uid;
    if (owner) unbucket(this.podsByController, owner, key);
    const node = old.spec?.nodeName;
    if (node) unbucket(this.podsByNodeName, node, key);
    this.unscheduled.delete(key);
    unbucket(this.podsByNamespace, old.metadata.namespace ?? '', key);
    for (const [k, v] of Object.entries(old.metadata.labels ?? {})) unbucket(this.podsByLabel, labelKey(old.metadata.namespace ?? '', k, v), key);
  }
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

function labelKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}=${value}`;
}

function bucket(map: Map<string, PodMap>, key: string): PodMap {
  const m = map.get(key) ?? new Map<string, Pod>();
  map.set(key, m);
  return m;
}

function unbucket(map: Map<string, PodMap>, key: string, podKeyToDrop: string): void {
  const m = map.get(key);
  if (!m) return;
  m.delete(podKeyToDrop);
  if (m.size === 0) map.delete(key);
}

const indexes = new WeakMap<ObjectStore, ClusterIndex>();

/** The shared index of `store`, built (one full list) on first use. */
export function clusterIndex(store: ObjectStore): ClusterIndex {
  let index = indexes.get(store);
  if (!index) {
    index = new ClusterIndex(store);
    indexes.set(store, index);
  }
  return index;
}
