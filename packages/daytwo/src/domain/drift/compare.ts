/**
 * The comparison of Git with the cluster. Only what Git declares is compared (what the API
 * server and controllers fill in is not drift); values are normalized first (see
 * `normalize.ts`); live edits of fields Git does not set are listed apart, with the field
 * manager that made them.
 */
import type { KubeObject, ManagedFieldsEntry } from '@daytwo/k8s/kube-object.js';
import { type Requirement, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { type FieldSchema, kindSchema } from './api-schema.js';
import { type FieldPath, fieldsV1At, formatPath, toElement, walkFieldsV1 } from './field-path.js';
import {
  isExactMap,
  isSecretValue,
  isZeroValue,
  itemKey,
  leafEqual,
  listSemantics,
  normalizeLive,
  normalizeManifest,
} from './normalize.js';
import {
  type DeclaredObject,
  type DriftItem,
  type DriftStatus,
  driftKey,
  type FieldDiff,
  type LiveOnlyEdit,
  groupOf,
  REDACTED,
} from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface RawDiff {
  readonly path: FieldPath;
  readonly git: unknown;
  readonly live: unknown;
}

interface Walk {
  readonly kind: string;
  /** The kind's schema; undefined for kinds `api-schema.ts` does not describe. */
  readonly schema: FieldSchema | undefined;
  readonly diffs: RawDiff[];
}

/** Secret values become `<redacted>`, keeping the shape (which keys exist) visible. */
function redact(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
  return REDACTED;
}

/**
 * Compares what Git sets at one field with the live value. `names` are the field names
 * from the root (list items add none), `field` the name of this field.
 */
function compareField(git: unknown, live: unknown, path: FieldPath, names: readonly string[], field: string, w: Walk): void {
  const secret = isSecretValue(w.kind, names, field);
  const push = (g: unknown, l: unknown): void => {
    w.diffs.push({ path, git: secret ? redact(g) : g, live: secret ? redact(l) : l });
  };
  if (live === undefined || live === null) {
    if (!isZeroValue(git)) push(git, undefined);
    return;
  }
  if (isRecord(git)) {
    if (!isRecord(live)) {
      push(git, live);
      return;
    }
    const childNames = [...names, field];
    for (const [k, v] of Object.entries(git)) compareField(v, live[k], [...path, { field: k }], childNames, k, w);
    if (isExactMap(w.schema, names, field)) {
      for (const k of Object.keys(live)) if (!(k in git)) w.diffs.push({ path: [...path, { field: k }], git: undefined, live: live[k] });
    }
    return;
  }
  if (Array.isArray(git)) {
    if (!Array.isArray(live)) {
      push(git, live);
      return;
    }
    compareList(git, live, path, names, field, w, push);
    return;
  }
  if (git === null) return;
  if (!leafEqual(w.schema, names, field, git, live)) push(git, live);
}

function compareList(
  git: unknown[],
  live: unknown[],
  path: FieldPath,
  names: readonly string[],
  field: string,
  w: Walk,
  push: (g: unknown, l: unknown) => void,
): void {
  const semantics = listSemantics(w.schema, names, field);
  if (semantics === 'set') {
    for (const v of git) if (!live.includes(v)) w.diffs.push({ path: [...path, { value: v }], git: v, live: undefined });
    return;
  }
  if (semantics === 'atomic') {
    // Applying Git replaces an atomic list whole: a different length is drift; items are
    // compared field by field, so what the server defaults inside them is not.
    if (git.length !== live.length) {
      push(git, live);
      return;
    }
    for (const [i, item] of git.entries()) compareItem(item, live[i], [...path, { index: i }], names, field, w);
    return;
  }
  const itemNames = [...names, field];
  for (const [i, item] of git.entries()) {
    const key = itemKey(item, semantics.keys);
    if (!key) {
      // An item without its key (invalid for the API server, but Git may hold it) is not
      // skipped: it is compared with the live item at its position.
      compareItem(item, live[i], [...path, { index: i }], names, field, w);
      continue;
    }
    const match = live.find((l) => {
      const lk = itemKey(l, semantics.keys);
      return lk !== undefined && keysEqual(w.schema, itemNames, key, lk);
    });
    const liveKey = match === undefined ? key : (itemKey(match, semantics.keys) ?? key);
    const itemPath = [...path, { key: liveKey }];
    if (match === undefined) w.diffs.push({ path: itemPath, git: item, live: undefined });
    else compareItem(item, match, itemPath, names, field, w);
  }
}

/** Whether two list-map keys are equal (ports compare as int-or-string). */
function keysEqual(schema: FieldSchema | undefined, parents: readonly string[], a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.entries(a).every(([k, v]) => leafEqual(schema, parents, k, v, b[k]));
}

/** A list item is compared like the value of its list's field. */
function compareItem(git: unknown, live: unknown, path: FieldPath, names: readonly string[], field: string, w: Walk): void {
  if (isRecord(git) && isRecord(live)) {
    const childNames = [...names, field];
    for (const [k, v] of Object.entries(git)) compareField(v, live[k], [...path, { field: k }], childNames, k, w);
    return;
  }
  compareField(git, live, path, names, field, w);
}

/** Top-level fields that are not configuration. */
const SKIPPED_TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Metadata Git may set and the comparison reads; the rest is the server's bookkeeping. */
const COMPARED_METADATA = ['labels', 'annotations', 'finalizers'];

/**
 * The fields Git sets whose live value differs, in Git's order. `git` and `live` are the
 * manifest and the live object as the API server returns it.
 */
export function compareObject(gitManifest: KubeObject, liveObject: KubeObject): RawDiff[] {
  const git: Record<string, unknown> = normalizeManifest(gitManifest);
  const live: Record<string, unknown> = normalizeLive(liveObject);
  const w: Walk = { kind: String(git.kind), schema: kindSchema(groupOf(String(git.apiVersion ?? '')), String(git.kind)), diffs: [] };
  const gitMeta = isRecord(git.metadata) ? git.metadata : {};
  const liveMeta = isRecord(live.metadata) ? live.metadata : {};
  for (const k of COMPARED_METADATA) {
    if (k in gitMeta) compareField(gitMeta[k], liveMeta[k], [{ field: 'metadata' }, { field: k }], ['metadata'], k, w);
  }
  for (const [k, v] of Object.entries(git)) {
    if (!SKIPPED_TOP_LEVEL.has(k)) compareField(v, live[k], [{ field: k }], [], k, w);
  }
  return w.diffs;
}

/** Whether Git sets a value at `path` (keyed items matched with defaulted keys). */
function gitDeclares(git: unknown, schema: FieldSchema | undefined, path: FieldPath): boolean {
  let node = git;
  let field = '';
  const names: string[] = [];
  for (const s of path) {
    if ('field' in s) {
      if (!isRecord(node)) return false;
      if (field) names.push(field);
      field = s.field;
      node = node[s.field];
    } else if (!Array.isArray(node)) {
      return false;
    } else if ('key' in s) {
      const semantics = listSemantics(schema, names, field);
      const keys = semantics !== 'set' && semantics !== 'atomic' ? semantics.keys : Object.keys(s.key);
      node = node.find((item) => {
        const k = itemKey(item, keys);
        return k !== undefined && keysEqual(schema, [...names, field], s.key, k);
      });
    } else if ('value' in s) {
      node = node.find((v) => JSON.stringify(v) === JSON.stringify(s.value));
    } else {
      node = node[s.index];
    }
    if (node === undefined) return false;
  }
  return true;
}

/** The live value at a managedFields path. */
function valueAt(obj: unknown, path: FieldPath): unknown {
  let node = obj;
  for (const s of path) {
    if ('field' in s) node = isRecord(node) ? node[s.field] : undefined;
    else if (!Array.isArray(node)) return undefined;
    else if ('key' in s) node = node.find((item) => isRecord(item) && Object.entries(s.key).every(([k, v]) => item[k] === v));
    else if ('value' in s) node = node.find((v) => JSON.stringify(v) === JSON.stringify(s.value));
    else node = node[s.index];
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Managers that apply configuration: every `Apply` entry (server-side apply, e.g.
 * `kubectl apply --server-side`, Argo CD, Flux, daytwo) and `kubectl apply`'s client-side
 * manager (k8s.io/kubectl pkg/cmd/apply: `kubectl-client-side-apply`).
 */
export function isApplierEntry(e: ManagedFieldsEntry): boolean {
  return e.operation === 'Apply' || e.manager === 'kubectl-client-side-apply';
}

/**
 * Control-plane components whose writes are bookkeeping, not edits (the field managers
 * they register with: their user agents' program names).
 */
const SYSTEM_MANAGERS = new Set(['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-apiserver', 'cloud-controller-manager', 'before-first-apply']);

function isBookkeeping(path: FieldPath): boolean {
  const [first, second, third] = path.map((s) => ('field' in s ? s.field : undefined));
  if (first === 'status') return true;
  if (first !== 'metadata') return false;
  if (second !== 'labels' && second !== 'annotations') return true;
  return third === LAST_APPLIED;
}

/**
 * Fields set live by someone other than the applier (`kubectl-edit`, `kubectl-label`,
 * `kubectl-patch`, ...) that Git does not set: applying Git would not revert them. A list
 * item the manager added is one edit.
 */
export function liveOnlyEdits(gitManifest: KubeObject, liveObject: KubeObject): LiveOnlyEdit[] {
  const git = normalizeManifest(gitManifest);
  const live = normalizeLive(liveObject);
  const schema = kindSchema(groupOf(git.apiVersion ?? ''), git.kind ?? '');
  const out: LiveOnlyEdit[] = [];
  for (const entry of live.metadata?.managedFields ?? []) {
    if ((entry as { subresource?: string }).subresource === 'status' || isApplierEntry(entry) || SYSTEM_MANAGERS.has(entry.manager)) continue;
    let collapsed: FieldPath | undefined;
    for (const node of walkFieldsV1(entry.fieldsV1)) {
      if (collapsed && node.path.length > collapsed.length && collapsed.every((s, i) => toElement(s) === toElement(node.path[i]))) continue;
      collapsed = undefined;
      if (isBookkeeping(node.path)) continue;
      const last = node.path[node.path.length - 1];
      const isItem = !('field' in last);
      if (!node.leaf && !(isItem && node.self)) continue;
      if (gitDeclares(git, schema, node.path)) continue;
      const value = valueAt(live, node.path);
      if (value === undefined) continue;
      if (isItem) collapsed = node.path;
      const names = node.path.flatMap((s) => ('field' in s ? [s.field] : []));
      const secret = live.kind === 'Secret' && (names[0] === 'data' || names[0] === 'stringData');
      out.push({ path: formatPath(node.path), live: secret ? redact(value) : value, manager: entry.manager, ...(entry.time ? { time: entry.time } : {}) });
    }
  }
  return out;
}

/**
 * The manager owning a path in managedFields: the entry listing it, or listing an
 * ancestor as a leaf (an atomic struct or list, owned whole). Status writes are left out.
 */
function ownerOf(entries: readonly ManagedFieldsEntry[], path: FieldPath): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const prefix = path.slice(0, n);
    const owners = entries.filter((e) => {
      if ((e as { subresource?: string }).subresource === 'status') return false;
      const node = fieldsV1At(e.fieldsV1, prefix);
      return node !== undefined && (n === path.length || Object.keys(node).length === 0);
    });
    // Ownership is exclusive for Update entries; among several (shared applies), the newest wrote last.
    if (owners.length > 0) return owners.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))[owners.length - 1].manager;
  }
  return undefined;
}

/** Every live object of one kind in one namespace (or cluster-wide), as listed. */
export interface LiveScope {
  readonly group: string;
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly objects: readonly KubeObject[];
}

/** What {@link computeDrift} compares. */
export interface DriftInput {
  readonly declared: readonly DeclaredObject[];
  /** One entry per kind and namespace Git declares; a scope left out is not compared. */
  readonly live: readonly LiveScope[];
  /** `--prune-selector`: live objects matching it count as Extra even without apply traces. */
  readonly pruneSelector?: readonly Requirement[];
}

function scopeKey(group: string, kind: string, namespace: string | undefined): string {
  return `${group}/${kind}/${namespace ?? ''}`;
}

/**
 * Whether a live object absent from Git was put there by an applier (it carries the
 * last-applied annotation or an `Apply` managedFields entry) or matches the prune
 * selector, and no other object owns it (like `kubectl apply --prune`, which skips owned objects).
 */
export function isExtraCandidate(obj: KubeObject, pruneSelector?: readonly Requirement[]): boolean {
  const meta = obj.metadata;
  if (!meta || (meta.ownerReferences?.length ?? 0) > 0) return false;
  if (pruneSelector && pruneSelector.length > 0 && requirementsMatch(pruneSelector, meta.labels ?? {})) return true;
  return meta.annotations?.[LAST_APPLIED] !== undefined || (meta.managedFields ?? []).some((e) => e.operation === 'Apply');
}

/** Compares every declared object with its live counterpart and finds Extra objects. */
export function computeDrift(input: DriftInput): DriftItem[] {
  const scopes = new Map(input.live.map((s) => [scopeKey(s.group, s.kind, s.namespace), s]));
  const declaredKeys = new Set(input.declared.map(driftKey));
  const items: DriftItem[] = [];
  for (const d of input.declared) {
    const scope = scopes.get(scopeKey(d.group, d.kind, d.namespace));
    if (!scope) continue;
    const live = scope.objects.find((o) => o.metadata?.name === d.name);
    const base = { apiVersion: d.apiVersion, kind: d.kind, group: d.group, namespace: d.namespace, name: d.name, source: d.source };
    if (!live) {
      items.push({ ...base, status: 'Missing', diffs: [], liveOnly: [] });
      continue;
    }
    const entries = live.metadata?.managedFields ?? [];
    const diffs: FieldDiff[] = compareObject(d.manifest, live).map((r) => {
      const manager = r.live === undefined ? undefined : ownerOf(entries, r.path);
      return { path: formatPath(r.path), git: r.git, live: r.live, ...(manager ? { manager } : {}) };
    });
    const status: DriftStatus = diffs.length > 0 ? 'OutOfSync' : 'Synced';
    items.push({ ...base, status, diffs, liveOnly: liveOnlyEdits(d.manifest, live) });
  }
  for (const scope of input.live) {
    for (const obj of scope.objects) {
      const name = obj.metadata?.name ?? '';
      const key = driftKey({ group: scope.group, kind: scope.kind, namespace: scope.namespace, name });
      if (declaredKeys.has(key) || !isExtraCandidate(obj, input.pruneSelector)) continue;
      items.push({
        apiVersion: obj.apiVersion ?? '',
        kind: scope.kind,
        group: scope.group,
        namespace: scope.namespace,
        name,
        status: 'Extra',
        diffs: [],
        liveOnly: [],
      });
    }
  }
  return items;
}

/** Objects per status. */
export function countByStatus(items: readonly DriftItem[]): Record<DriftStatus, number> {
  const counts: Record<DriftStatus, number> = { Synced: 0, OutOfSync: 0, Missing: 0, Extra: 0 };
  for (const i of items) counts[i.status]++;
  return counts;
}
