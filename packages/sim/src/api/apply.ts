/**
 * Server-side apply (`application/apply-patch+yaml`), pragmatically: the applied
 * configuration is merged like a strategic merge patch; the manager's `Apply` entry in
 * managedFields owns exactly the applied fields; fields it applied before but no longer
 * applies (and nobody else owns) are removed; a field owned by another manager with a
 * different value is a 409 conflict unless `force=true`, which takes ownership.
 * Message shapes follow sigs.k8s.io/structured-merge-diff merge.Conflicts and
 * k8s.io/apiserver fieldmanager internal.NewConflictError.
 */

import { isDeepStrictEqual } from 'node:util';
import { goJson } from '@daytwo/k8s/go-json.js';
import { KUBE_YAML_OPTIONS } from '@daytwo/k8s/kube-yaml.js';
import { builtinStrategies } from '@daytwo/k8s/list-map-keys.js';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, invalid } from '../errors.js';
import {
  compareObjects,
  differenceSets,
  type FieldSet,
  fromFieldsV1,
  intersectSets,
  isAtomicMap,
  listMapKeyValue,
  sortEntries,
  toFieldsV1,
} from '../managed-fields.js';
import { applyMergePatch, applyStrategicMergePatch } from '../patch.js';
import { builtinResourceTypes } from '../resources.js';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import type { RequestContext } from './context.js';
import { isTrue } from './request.js';
import { prepareUpdate, resetStatusOnCreate } from './strategy.js';
import { validateObject } from './validation.js';

const BUILTIN = new Set(builtinResourceTypes().map((t) => `${t.group}/${t.resource}`));

/** One field owned by another manager whose value the apply would change. */
export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  /** `.spec.replicas`, `.spec.template.spec.containers[name="app"].image` */
  field: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The field set an applied configuration specifies (what its manager will own). */
export function appliedFieldSet(config: KubeObject): FieldSet {
  return compareObjects(undefined, config).changed;
}

/** Enumerates the leaf paths (path element lists) of a set. */
export function leafPaths(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  if (set.self && set.children.size === 0) out.push(prefix);
  for (const [element, child] of set.children) out.push(...leafPaths(child, [...prefix, element]));
  return out;
}

/** Resolves a path element against a value: `f:x` a field, `k:{..}` a keyed item, `v:..` a set item, `i:n` an index. */
function step(value: unknown, element: string): { value: unknown; found: boolean } {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === 'f:') {
    return isObject(value) && rest in value ? { value: value[rest], found: true } : { value: undefined, found: false };
  }
  if (!Array.isArray(value)) return { value: undefined, found: false };
  if (kind === 'k:') {
    const keys = JSON.parse(rest) as Record<string, unknown>;
    const item = value.find((v) => isObject(v) && Object.entries(keys).every(([k, kv]) => isDeepStrictEqual(listMapKeyValue(v, k), kv)));
    return { value: item, found: item !== undefined };
  }
  if (kind === 'v:') {
    const wanted = JSON.parse(rest);
    const item = value.find((v) => isDeepStrictEqual(v, wanted));
    return { value: item, found: item !== undefined };
  }
  if (kind === 'i:') {
    const i = Number(rest);
    return { value: value[i], found: i < value.length };
  }
  return { value: undefined, found: false };
}

/** The value at a field path, or undefined when absent. */
export function valueAt(obj: unknown, path: readonly string[]): unknown {
  let value = obj;
  for (const element of path) {
    const next = step(value, element);
    if (!next.found) return undefined;
    value = next.value;
  }
  return value;
}

/** `.spec.template.spec.containers[name="app"].image` as structured-merge-diff prints a path. */
export function formatFieldPath(path: readonly string[]): string {
  return path
    .map((element) => {
      const kind = element.slice(0, 2);
      const rest = element.slice(2);
      if (kind === 'f:') return `.${rest}`;
      if (kind === 'k:') {
        const keys = JSON.parse(rest) as Record<string, unknown>;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (kind === 'v:') return `[=${rest}]`;
      return `[${rest}]`;
    })
    .join('');
}

/**
 * Removes from `obj` the fields of `set` (leaves first; a map or list item goes when
 * it is itself in the set and nothing is left in it). Mutates `obj`.
 */
export function removeFieldSet(obj: Record<string, unknown>, set: FieldSet): void {
  for (const [element, child] of set.children) {
    const kind = element.slice(0, 2);
    const rest = element.slice(2);
    if (kind === 'f:') {
      if (!(rest in obj)) continue;
      if (child.children.size > 0 && (isObject(obj[rest]) || Array.isArray(obj[rest]))) {
        removeInto(obj[rest], child);
        if (child.self && isEmpty(obj[rest])) delete obj[rest];
      } else if (child.self) {
        delete obj[rest];
      }
    }
  }
}

function removeInto(value: unknown, set: FieldSet): void {
  if (isObject(value)) {
    removeFieldSet(value, set);
    return;
  }
  if (!Array.isArray(value)) return;
  for (const [element, child] of set.children) {
    const found = step(value, element);
    if (!found.found) continue;
    const index = value.indexOf(found.value);
    const onlyKeys = child.children.size === 0 || [...child.children.keys()].every((k) => isKeyField(element, k));
    if (child.self && onlyKeys) {
      value.splice(index, 1);
    } else if (isObject(found.value)) {
      removeFieldSet(found.value, child);
    }
  }
}

/** Whether `f:x` is one of the key fields of a `k:{...}` element (those stay with the item). */
function isKeyField(element: string, fieldElement: string): boolean {
  if (!element.startsWith('k:') || !fieldElement.startsWith('f:')) return false;
  return fieldElement.slice(2) in (JSON.parse(element.slice(2)) as object);
}

function isEmpty(value: unknown): boolean {
  return (isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
}

/** The conflicts an apply would cause: others' leaf fields whose value it changes. */
export function findConflicts(
  current: KubeObject,
  merged: KubeObject,
  applied: FieldSet,
  entries: readonly ManagedFieldsEntry[],
  isSelf: (e: ManagedFieldsEntry) => boolean,
): ApplyConflict[] {
  const conflicts: ApplyConflict[] = [];
  for (const entry of entries) {
    if (isSelf(entry)) continue;
    const shared = intersectSets(fromFieldsV1(entry.fieldsV1), applied);
    for (const path of leafPaths(shared)) {
      if (!isDeepStrictEqual(valueAt(current, path), valueAt(merged, path))) {
        conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, field: formatFieldPath(path) });
      }
    }
  }
  return conflicts;
}

/** The 409 of internal.NewConflictError for a list of conflicts. */
export function conflictError(conflicts: readonly ApplyConflict[]): ApiError {
  const n = conflicts.length;
  let message: string;
  if (n === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with "${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}: ${c.field}`;
  } else {
    const byManager = new Map<string, ApplyConflict[]>();
    for (const c of conflicts) {
      const key = `conflicts with "${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}`;
      byManager.set(key, [...(byManager.get(key) ?? []), c]);
    }
    const parts = [...byManager].map(([who, list]) => `${who}:\n${list.map((c) => `- ${c.field}`).join('\n')}`);
    message = `Apply failed with ${n} conflicts: ${parts.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}`,
      field: c.field,
    })),
  });
}

function parseConfig(body: string): KubeObject {
  let parsed: unknown;
  try {
    // The API server decodes apply bodies with sigs.k8s.io/yaml: `0644` is 420 there too.
    parsed = parseYaml(body, KUBE_YAML_OPTIONS);
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw badRequest('the body of an apply patch must be an object');
  parsed.metadata ??= {};
  return parsed as KubeObject;
}

/** Metadata fields an applied configuration may carry (the rest is server-owned). */
function cleanConfig(config: KubeObject): KubeObject {
  const out = structuredClone(config);
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation', 'selfLink']) {
    delete out.metadata[key];
  }
  return out;
}

/**
 * Server-side apply replaces `+mapType=atomic` maps and `+structType=atomic` structs whole
 * (structured-merge-diff merges only granular maps): the applied config's atomic maps are
 * marked `$patch: replace` for the strategic merge, so a live key the config lacks goes.
 */
export function markAtomicReplace(value: unknown, field = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => markAtomicReplace(item));
  if (!isObject(value)) return value;
  if (field && isAtomicMap(field, value)) return { ...structuredClone(value), $patch: 'replace' };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markAtomicReplace(v, k)]));
}

/**
 * Handles an apply patch on the request's object. Returns the stored object and whether
 * it was created. Throws the API server's errors.
 */
export function serverSideApply(ctx: RequestContext, body: string): { object: KubeObject; created: boolean } {
  const manager = ctx.query.get('fieldManager') ?? '';
  if (!manager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [
      { field: 'fieldManager', message: 'Required value: is required for apply patch', reason: 'FieldValueRequired' },
    ]);
  }
  const force = isTrue(ctx.query.get('force'));
  const { type, gr, state } = ctx;
  const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
  const sent = parseConfig(body);
  const config = cleanConfig(sent);
  if (config.apiVersion !== apiVersion || config.kind !== type.kind) {
    throw badRequest(`the API version in the data (${config.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  const name = ctx.path.name!;
  if (config.metadata.name && config.metadata.name !== name) {
    throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  }
  config.metadata.name = name;
  if (type.namespaced) config.metadata.namespace ??= ctx.path.namespace;
  const applied = appliedFieldSet(config);
  const time = `${new Date().toISOString().slice(0, 19)}Z`;
  const own: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(applied),
  };
  const opts = { dryRun: ctx.dryRun, fieldManager: manager };
  const current = state.store.get(gr, ctx.path.namespace, name);
  if (!current) {
    resetStatusOnCreate(type, gr, config);
    validateObject(gr, type, config);
    const created = state.store.create(gr, withLastAppliedSynced(config, sent, manager), opts);
    if (ctx.dryRun) return { object: { ...created, metadata: { ...created.metadata, managedFields: [own] } }, created: true };
    return { object: rewriteManagedFields(ctx, created, [own], manager), created: true };
  }
  const isSelf = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply' && !e.subresource;
  const entries = current.metadata.managedFields ?? [];
  const previous = entries.find(isSelf);
  const strategic = BUILTIN.has(`${type.group}/${type.resource}`);
  let merged: KubeObject = strategic
    ? applyStrategicMergePatch(current, markAtomicReplace(config), builtinStrategies)
    : applyMergePatch(current, config);
  // IgnoreManagedFieldsTimestampsTransformer: an apply that changes no ownership keeps its timestamp.
  if (previous && isDeepStrictEqual(previous.fieldsV1, own.fieldsV1)) own.time = previous.time;
  const conflicts = findConflicts(current, merged, applied, entries, isSelf);
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);

  // Fields this manager applied before and no longer applies go, unless someone else owns them.
  const others = entries.filter((e) => !isSelf(e));
  if (previous) {
    let dropped = differenceSets(fromFieldsV1(previous.fieldsV1), applied);
    for (const e of others) dropped = differenceSets(dropped, fromFieldsV1(e.fieldsV1));
    merged = structuredClone(merged);
    removeFieldSet(merged, dropped);
  }
  const keptOthers = others
    .map((e) => (force ? { ...e, fieldsV1: toFieldsV1(differenceSets(fromFieldsV1(e.fieldsV1), applied)) } : e))
    .filter((e) => Object.keys(e.fieldsV1).length > 0);
  const finalEntries = sortEntries([...keptOthers, own]);
  merged.metadata.resourceVersion = current.metadata.resourceVersion;
  merged = withLastAppliedSynced(merged, sent, manager);
  validateObject(gr, type, merged);
  const updated = state.store.update(gr, prepareUpdate(type, current, merged), opts);
  if (ctx.dryRun) return { object: { ...updated, metadata: { ...updated.metadata, managedFields: finalEntries } }, created: false };
  return { object: rewriteManagedFields(ctx, updated, finalEntries, manager), created: false };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * lastAppliedUpdater (k8s.io/apiserver fieldmanager): an apply by the manager `kubectl` keeps
 * an existing client-side last-applied annotation up to date, as the configuration it sent
 * without that annotation, encoded as Go does (with json.Encoder's newline). On a Deployment
 * the changed annotation bumps generation, as on a real server.
 */
function withLastAppliedSynced(obj: KubeObject, sent: KubeObject, manager: string): KubeObject {
  const annotations = obj.metadata.annotations;
  if (manager !== 'kubectl' || !annotations?.[LAST_APPLIED]) return obj;
  const applied = structuredClone(sent);
  if (applied.metadata.annotations) delete applied.metadata.annotations[LAST_APPLIED];
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: `${goJson(applied)}\n` } } };
}

/**
 * The store records writes as Update operations; an apply then states its own
 * managedFields with a second, metadata-only write (which the store keeps as given
 * because it changes no tracked field).
 */
function rewriteManagedFields(ctx: RequestContext, obj: KubeObject, entries: ManagedFieldsEntry[], manager: string): KubeObject {
  if (isDeepStrictEqual(obj.metadata.managedFields, entries)) return obj;
  const next = { ...obj, metadata: { ...obj.metadata, managedFields: entries } };
  // Written as `manager`, which has no Update entry here, so the store adds none.
  return ctx.state.store.update(ctx.gr, next, { fieldManager: manager });
}
