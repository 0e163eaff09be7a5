/**
 * `metadata.managedFields` for Update operations, as the API server's field manager
 * computes them (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager and
 * sigs.k8s.io/structured-merge-diff: typed/compare.go, merge/update.go, fieldpath/serialize.go).
 *
 * A field set is a tree of path elements: `f:<field>` for struct and map fields,
 * `k:{"name":"app"}` for items of associative lists (keyed by their list-map keys),
 * `v:<json>` for items of set lists. A node that is itself a member of the set and also
 * has members below it serializes its own membership as `".": {}`.
 *
 * Upstream compares the object with its previous state (on create: with the kind's zero
 * value, in which non-pointer structs such as `spec` or `spec.template` already exist as
 * `{}`): the updating manager gains what was added or modified and loses what was removed;
 * other managers lose what was modified or removed (an Update always forces ownership).
 */

import { isDeepStrictEqual } from 'node:util';
import { fieldMerge } from '@daytwo/k8s/list-map-keys.js';
import type { KubeObject, ManagedFieldsEntry } from './types.js';

/** A set of field paths as a tree; `self` marks membership of the node itself. */
export interface FieldSet {
  self: boolean;
  children: Map<string, FieldSet>;
}

function emptySet(): FieldSet {
  return { self: false, children: new Map() };
}

function child(set: FieldSet, element: string): FieldSet {
  let c = set.children.get(element);
  if (!c) {
    c = emptySet();
    set.children.set(element, c);
  }
  return c;
}

function isEmptySet(set: FieldSet): boolean {
  return !set.self && set.children.size === 0;
}

/** `a ∪ b` as a new set. */
export function unionSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { self: a.self || b.self, children: new Map() };
  for (const [k, v] of a.children) out.children.set(k, b.children.has(k) ? unionSets(v, b.children.get(k)!) : v);
  for (const [k, v] of b.children) if (!a.children.has(k)) out.children.set(k, v);
  return out;
}

/** `a \ b` (exact paths, not prefixes) as a new set. */
export function differenceSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { self: a.self && !b.self, children: new Map() };
  for (const [k, v] of a.children) {
    const other = b.children.get(k);
    const d = other ? differenceSets(v, other) : v;
    if (!isEmptySet(d)) out.children.set(k, d);
  }
  return out;
}

/** `a ∩ b` as a new set. */
export function intersectSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { self: a.self && b.self, children: new Map() };
  for (const [k, v] of a.children) {
    const other = b.children.get(k);
    if (!other) continue;
    const i = intersectSets(v, other);
    if (!isEmptySet(i)) out.children.set(k, i);
  }
  return out;
}

/** Removes every path under the given top-level prefixes (upstream's RecursiveDifference of ignored fields). */
function withoutPrefixes(set: FieldSet, prefixes: string[][]): FieldSet {
  let out = set;
  for (const prefix of prefixes) out = removePrefix(out, prefix, 0);
  return out;
}

function removePrefix(set: FieldSet, prefix: string[], depth: number): FieldSet {
  const head = prefix[depth];
  const c = set.children.get(head);
  if (!c) return set;
  const children = new Map(set.children);
  if (depth === prefix.length - 1) {
    children.delete(head);
  } else {
    const rest = removePrefix(c, prefix, depth + 1);
    if (isEmptySet(rest)) children.delete(head);
    else children.set(head, rest);
  }
  return { self: set.self, children };
}

/** Serializes a set in the FieldsV1 JSON form. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (set.self && set.children.size > 0) out['.'] = {};
  const keys = [...set.children.keys()].sort(compareElements);
  for (const k of keys) out[k] = toFieldsV1(set.children.get(k)!);
  return out;
}

/** Parses the FieldsV1 JSON form. */
export function fromFieldsV1(fields: Record<string, unknown> | undefined): FieldSet {
  const set = emptySet();
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (k === '.') {
      set.self = true;
      continue;
    }
    const c = fromFieldsV1(v as Record<string, unknown>);
    if (c.children.size === 0) c.self = true;
    set.children.set(k, c);
  }
  return set;
}

/**
 * Order of path elements in serialized sets, as fieldpath.PathElement.Less orders them:
 * field names before keys before values before indexes, then by content.
 */
function compareElements(a: string, b: string): number {
  const rank = (s: string) => ({ f: 0, k: 1, v: 2, i: 3 })[s[0]] ?? 4;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// List semantics (the openapi list types / patch merge keys of the built-in types)

/**
 * Item keys of a list, or undefined when the list is atomic (owned as a whole, as
 * `command`, `args`, `tolerations`, `containerStatuses` are). `path` ends with the list's
 * own element (`f:ports`); item elements (`k:{...}`) carry no field name.
 */
function listKeysAt(path: string[]): readonly string[] | 'set' | undefined {
  return fieldMerge(path.filter((e) => e.startsWith('f:')).map((e) => e.slice(2)))?.apply;
}

/**
 * Maps and structs owned as a whole (`+mapType=atomic` / `+structType=atomic` in k8s.io/api):
 * label selectors, pod and service node/label selectors, object and key references.
 */
const ATOMIC_FIELDS = new Set([
  'selector',
  'nodeSelector',
  'podSelector',
  'namespaceSelector',
  'labelSelector',
  'requiredDuringSchedulingIgnoredDuringExecution',
  'fieldRef',
  'resourceFieldRef',
  'secretKeyRef',
  'configMapKeyRef',
  'claimRef',
  'involvedObject',
]);

/** Lists whose items are atomic structs (OwnerReference is `+structType=atomic`). */
const ATOMIC_ITEM_LISTS = new Set(['ownerReferences']);
/** The pseudo field name under which atomic list items are walked. */
const ATOMIC_ITEM = '#atomic-item';

function itemField(listField: string): string {
  return ATOMIC_ITEM_LISTS.has(listField) ? ATOMIC_ITEM : '';
}

/** Whether the value of `field` is an atomic map or struct (owned, and applied, as a whole). */
export function isAtomicMap(field: string, value: unknown): boolean {
  return (field === ATOMIC_ITEM || ATOMIC_FIELDS.has(field)) && isPlainObject(value);
}

/**
 * The value of a list-map key field of an item, taking the key's schema default when the
 * item leaves it out, as structured-merge-diff does since Kubernetes 1.21: the only key
 * field of the built-in types with a default is a port's `protocol` (TCP).
 */
export function listMapKeyValue(item: Record<string, unknown>, key: string): unknown {
  const value = item[key];
  return value === undefined && key === 'protocol' ? 'TCP' : value;
}

function itemElement(keys: readonly string[] | 'set', item: unknown): string | undefined {
  if (keys === 'set') return `v:${JSON.stringify(item)}`;
  if (!item || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of [...keys].sort()) {
    const value = listMapKeyValue(record, key);
    if (value !== undefined) parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `k:{${parts.join(',')}}`;
}

// ---------------------------------------------------------------------------
// Comparison

interface Comparison {
  /** Added or modified paths. */
  changed: FieldSet;
  removed: FieldSet;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Inserts every path of a subtree (the node itself, its fields and list items). */
function insertAll(set: FieldSet, value: unknown, path: string[], field: string): void {
  const keys = Array.isArray(value) ? listKeysAt(path) : undefined;
  set.self = true;
  if (isPlainObject(value) && !isAtomicMap(field, value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      insertAll(child(set, `f:${k}`), v, [...path, `f:${k}`], k);
    }
  } else if (Array.isArray(value)) {
    if (!keys) return;
    for (const item of value) {
      const element = itemElement(keys, item);
      if (element) insertAll(child(set, element), keys === 'set' ? undefined : item, [...path, element], itemField(field));
    }
  }
}

function compareInto(cmp: Comparison, lhs: unknown, rhs: unknown, path: string[], field: string): void {
  if (lhs === undefined && rhs === undefined) return;
  const at = (s: FieldSet) => descend(s, path);
  if (lhs === undefined) {
    insertAll(at(cmp.changed), rhs, path, field);
    return;
  }
  if (rhs === undefined) {
    insertAll(at(cmp.removed), lhs, path, field);
    return;
  }
  // A field present as null (a zero value's nil slice or map) is there already: only its content is new or gone.
  if (lhs === null && rhs !== null && isContainer(rhs, path, field)) lhs = Array.isArray(rhs) ? [] : {};
  if (rhs === null && lhs !== null && isContainer(lhs, path, field)) rhs = Array.isArray(lhs) ? [] : {};
  if (isPlainObject(lhs) && isPlainObject(rhs) && !isAtomicMap(field, rhs)) {
    for (const [k, v] of Object.entries(rhs)) compareInto(cmp, lhs[k], v, [...path, `f:${k}`], k);
    for (const [k, v] of Object.entries(lhs)) if (!(k in rhs)) compareInto(cmp, v, undefined, [...path, `f:${k}`], k);
    return;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    const keys = listKeysAt(path);
    if (keys) {
      const left = indexItems(keys, lhs);
      const right = indexItems(keys, rhs);
      for (const [element, item] of right) {
        if (keys === 'set') {
          if (!left.has(element)) child(at(cmp.changed), element).self = true;
        } else {
          compareInto(cmp, left.get(element), item, [...path, element], itemField(field));
        }
      }
      for (const [element, item] of left) {
        if (right.has(element)) continue;
        if (keys === 'set') child(at(cmp.removed), element).self = true;
        else compareInto(cmp, item, undefined, [...path, element], itemField(field));
      }
      return;
    }
  }
  if (!isDeepStrictEqual(lhs, rhs)) {
    // A type change (map <-> scalar) replaces the whole node, like a modified leaf.
    if (isPlainObject(rhs) || Array.isArray(rhs)) insertAll(at(cmp.changed), rhs, path, field);
    else at(cmp.changed).self = true;
  }
}

/** A granular map or keyed list, whose members are tracked one by one. */
function isContainer(value: unknown, path: string[], field: string): boolean {
  if (Array.isArray(value)) return value.length > 0 && listKeysAt(path) !== undefined;
  return isPlainObject(value) && Object.keys(value).length > 0 && !isAtomicMap(field, value);
}

function indexItems(keys: readonly string[] | 'set', items: unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const item of items) {
    const element = itemElement(keys, item);
    if (element) out.set(element, item);
  }
  return out;
}

function descend(set: FieldSet, path: string[]): FieldSet {
  let s = set;
  for (const element of path) s = child(s, element);
  return s;
}

/** Top-level fields of metadata the field manager never tracks (fieldmanager's stripMeta). */
const STRIPPED_METADATA = [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
];

/** The part of an object the field manager compares: no apiVersion/kind, no server-owned metadata. */
function trackedView(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata' && isPlainObject(v)) {
      const meta: Record<string, unknown> = {};
      for (const [mk, mv] of Object.entries(v)) if (!STRIPPED_METADATA.includes(mk)) meta[mk] = mv;
      out.metadata = meta;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/**
 * The kind's zero value, shaped after `like`: what upstream compares a new object with.
 * Built-in kinds serialize their non-pointer structs (`spec`, `status`, `spec.template`,
 * `spec.strategy`...) as `{}` and a pod spec's `containers` (no omitempty) as null, so those
 * nodes never become members themselves; custom resources start from `{}`.
 */
function zeroValueLike(like: Record<string, unknown>, builtin: boolean): Record<string, unknown> {
  if (!builtin) return {};
  const zero: Record<string, unknown> = { metadata: {} };
  if (like.status !== undefined) zero.status = {};
  const spec = like.spec;
  if (!isPlainObject(spec)) {
    if (spec !== undefined) zero.spec = {};
    return zero;
  }
  const zeroSpec: Record<string, unknown> = {};
  if (spec.containers !== undefined) zeroSpec.containers = null;
  for (const name of ['strategy', 'updateStrategy']) if (isPlainObject(spec[name])) zeroSpec[name] = {};
  if (isPlainObject(spec.template)) zeroSpec.template = zeroPodTemplate();
  if (isPlainObject(spec.jobTemplate)) zeroSpec.jobTemplate = { metadata: {}, spec: { template: zeroPodTemplate() } };
  zero.spec = zeroSpec;
  return zero;
}

function zeroPodTemplate(): Record<string, unknown> {
  return { metadata: {}, spec: { containers: null } };
}

/** Compares two objects the way the field manager does (only tracked fields). */
export function compareObjects(
  previous: KubeObject | undefined,
  next: KubeObject,
  builtin = true,
): { changed: FieldSet; removed: FieldSet } {
  const rhs = trackedView(next);
  const lhs = previous ? trackedView(previous) : zeroValueLike(rhs, builtin);
  const cmp: Comparison = { changed: emptySet(), removed: emptySet() };
  for (const [k, v] of Object.entries(rhs)) compareInto(cmp, lhs[k], v, [`f:${k}`], k);
  for (const [k, v] of Object.entries(lhs)) if (!(k in rhs)) compareInto(cmp, v, undefined, [`f:${k}`], k);
  return { changed: prune(cmp.changed), removed: prune(cmp.removed) };
}

function prune(set: FieldSet): FieldSet {
  const out: FieldSet = { self: set.self, children: new Map() };
  for (const [k, v] of set.children) {
    const p = prune(v);
    if (!isEmptySet(p)) out.children.set(k, p);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Managed fields entries

/** What an Update operation needs to recompute managedFields. */
export interface ManagedFieldsUpdate {
  /** The stored object before the write; undefined on create. */
  previous: KubeObject | undefined;
  /** The object as it will be stored (its metadata.managedFields are the entries to start from). */
  next: KubeObject;
  manager: string;
  apiVersion: string;
  /** 'status' for writes through the status subresource. */
  subresource?: string;
  /** RFC3339 time of the write. */
  time: string;
  /** A built-in kind (default) rather than a custom resource: decides the zero value a create compares with. */
  builtin?: boolean;
  /**
   * Top-level fields this write cannot set (upstream's reset fields): `status` for the main
   * resource of kinds with a status subresource, `spec` for status writes.
   */
  ignored?: string[];
}

function entryId(e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>): string {
  return `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ''}`;
}

/**
 * The managedFields after an Update operation by `manager`: it gains the fields it added or
 * changed and loses the ones removed; other managers lose the fields it changed or removed;
 * managers left with no fields disappear. Entries are sorted as upstream encodes them.
 */
export function updateManagedFields(u: ManagedFieldsUpdate): ManagedFieldsEntry[] {
  const { changed, removed } = compareObjects(u.previous, u.next, u.builtin ?? true);
  const ignoredPrefixes = (u.ignored ?? []).map((f) => [`f:${f}`]);
  const taken = withoutPrefixes(changed, ignoredPrefixes);
  const self: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'> = {
    manager: u.manager,
    operation: 'Update',
    subresource: u.subresource,
  };
  const selfId = entryId(self);

  const out: ManagedFieldsEntry[] = [];
  let own = emptySet();
  for (const entry of u.next.metadata.managedFields ?? []) {
    if (!entry?.manager) continue;
    const set = fromFieldsV1(entry.fieldsV1);
    if (entryId(entry) === selfId) {
      own = set;
      continue;
    }
    const rest = differenceSets(differenceSets(set, taken), removed);
    if (isEmptySet(prune(rest))) continue;
    out.push({ ...entry, fieldsV1: toFieldsV1(prune(rest)) });
  }
  const mine = prune(unionSets(differenceSets(own, removed), taken));
  if (!isEmptySet(mine)) {
    out.push({
      manager: u.manager,
      operation: 'Update',
      apiVersion: u.apiVersion,
      time: u.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(withoutPrefixes(mine, ignoredPrefixes)),
      ...(u.subresource ? { subresource: u.subresource } : {}),
    });
  }
  return sortEntries(out);
}

/** Upstream's sortEncodedManagedFields: by operation, time (seconds), manager, apiVersion, subresource. */
export function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  return entries.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const ps = seconds(p.time);
    const qs = seconds(q.time);
    if (ps !== qs) return ps - qs;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    const pr = p.subresource ?? '';
    const qr = q.subresource ?? '';
    return pr < qr ? -1 : pr > qr ? 1 : 0;
  });
}

/**
 * The field manager name the API server derives from a User-Agent when the request has no
 * `fieldManager`: the part before the first `/` (e.g. `kubectl-edit/v1.32.0 (linux/amd64)`).
 */
export function managerFromUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const slash = userAgent.indexOf('/');
  return slash < 0 ? userAgent : userAgent.slice(0, slash);
}
