/**
 * The three patch algorithms of the API server, pure and independent of HTTP:
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902) and Kubernetes strategic merge
 * patch (k8s.io/apimachinery/pkg/util/strategicpatch, with its `$patch`, `$retainKeys`,
 * `$setElementOrder/` and `$deleteFromPrimitiveList/` directives).
 * Inputs are never mutated; results share no structure with the patch.
 */

import { isDeepStrictEqual } from 'node:util';
import type { FieldStrategy, StrategyLookup } from '@daytwo/k8s/list-map-keys.js';

/** A patch that cannot be applied; the server turns it into a 4xx Status. */
export class PatchError extends Error {
  override name = 'PatchError';
  constructor(
    message: string,
    /** True when a JSON patch `test` operation failed. */
    readonly testFailed = false,
  ) {
    super(message);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

// ---------------------------------------------------------------------------
// RFC 7386 JSON merge patch

/** Applies a JSON merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch<T>(original: T, patch: unknown): T {
  return mergePatchValue(original as Json, patch as Json) as T;
}

function mergePatchValue(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchValue(result[key], value);
  }
  return result;
}

// ---------------------------------------------------------------------------
// RFC 6902 JSON patch

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** Applies RFC 6902 operations in order; any failure (including `test`) aborts the whole patch. */
export function applyJsonPatch<T>(original: T, operations: readonly JsonPatchOperation[]): T {
  if (!Array.isArray(operations)) throw new PatchError('json patch must be an array of operations');
  let doc = clone(original) as Json;
  for (const op of operations) doc = applyOperation(doc, op);
  return doc as T;
}

/** RFC 6901 JSON pointer to reference tokens (`~1` is `/`, `~0` is `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOperation(doc: Json, op: JsonPatchOperation): Json {
  if (!op || typeof op.path !== 'string') throw new PatchError('json patch operation needs a "path"');
  const path = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      requireValue(op);
      return insert(doc, path, clone(op.value as Json), 'add', op.path);
    case 'remove':
      return remove(doc, path, op.path).doc;
    case 'replace':
      requireValue(op);
      get(doc, path, op.path);
      return insert(doc, path, clone(op.value as Json), 'replace', op.path);
    case 'move': {
      const from = parsePointer(requireFrom(op));
      const { doc: without, removed } = remove(doc, from, op.from!);
      return insert(without, path, removed, 'add', op.path);
    }
    case 'copy': {
      const value = clone(get(doc, parsePointer(requireFrom(op)), op.from!));
      return insert(doc, path, value, 'add', op.path);
    }
    case 'test': {
      requireValue(op);
      const actual = get(doc, path, op.path);
      if (!isDeepStrictEqual(actual, op.value as Json)) {
        throw new PatchError(`testing value ${op.path} failed: test failed`, true);
      }
      return doc;
    }
    default:
      throw new PatchError(`Unexpected kind: ${(op as { op: string }).op}`);
  }
}

function requireValue(op: JsonPatchOperation): void {
  if (!('value' in op)) throw new PatchError(`missing value for ${op.op} operation at ${op.path}`);
}

function requireFrom(op: JsonPatchOperation): string {
  if (typeof op.from !== 'string') throw new PatchError(`missing from for ${op.op} operation at ${op.path}`);
  return op.from;
}

function get(doc: Json, path: string[], pointer: string): Json {
  let node: Json = doc;
  for (const token of path) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token, node.length - 1, pointer);
      node = node[i];
    } else if (isObject(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    }
  }
  return node;
}

function arrayIndex(token: string, max: number, pointer: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > max) throw new PatchError(`Unable to access invalid index: ${i}: invalid index referenced in "${pointer}"`);
  return i;
}

/** Sets (replace) or inserts (add: arrays shift, `-` appends) the value at `path`, copying the spine. */
function insert(doc: Json, path: string[], value: Json, mode: 'add' | 'replace', pointer: string): Json {
  if (path.length === 0) return value;
  const [token, ...rest] = path;
  if (Array.isArray(doc)) {
    const copy = [...doc];
    if (rest.length > 0) {
      const i = arrayIndex(token, doc.length - 1, pointer);
      copy[i] = insert(doc[i], rest, value, mode, pointer);
    } else if (mode === 'add') {
      const i = token === '-' ? doc.length : arrayIndex(token, doc.length, pointer);
      copy.splice(i, 0, value);
    } else {
      copy[arrayIndex(token, doc.length - 1, pointer)] = value;
    }
    return copy;
  }
  if (!isObject(doc)) throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  const copy = { ...doc };
  if (rest.length > 0) {
    if (!Object.hasOwn(doc, token)) throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    copy[token] = insert(doc[token], rest, value, mode, pointer);
  } else {
    copy[token] = value;
  }
  return copy;
}

function remove(doc: Json, path: string[], pointer: string): { doc: Json; removed: Json } {
  if (path.length === 0) throw new PatchError('cannot remove the whole document');
  const [token, ...rest] = path;
  if (Array.isArray(doc)) {
    const i = arrayIndex(token, doc.length - 1, pointer);
    const copy = [...doc];
    if (rest.length === 0) {
      const [removed] = copy.splice(i, 1);
      return { doc: copy, removed };
    }
    const inner = remove(doc[i], rest, pointer);
    copy[i] = inner.doc;
    return { doc: copy, removed: inner.removed };
  }
  if (!isObject(doc) || !Object.hasOwn(doc, token)) {
    throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  }
  const copy = { ...doc };
  if (rest.length === 0) {
    const removed = copy[token];
    delete copy[token];
    return { doc: copy, removed };
  }
  const inner = remove(doc[token], rest, pointer);
  copy[token] = inner.doc;
  return { doc: copy, removed: inner.removed };
}

// ---------------------------------------------------------------------------
// Strategic merge patch

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch. Maps merge like a JSON merge patch; lists merge by the
 * merge key `strategies` gives for their path (field names from the root, no indices),
 * primitive lists with strategy merge are unions, other lists are replaced.
 */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, strategies: StrategyLookup): T {
  if (!isObject(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  const result = mergeMap(isObject(original) ? (original as JsonObject) : {}, patch, [], strategies);
  return (result ?? {}) as T;
}

/** Merges a patch map into an original map; returns undefined when the map is deleted. */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  path: string[],
  strategies: StrategyLookup,
): JsonObject | undefined {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`Unknown patch type: ${String(directive)}`);
  }
  const result: JsonObject = { ...original };
  const retain = patch[RETAIN_KEYS];
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH_DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.some((v) => isDeepStrictEqual(v, item)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const fieldPath = [...path, key];
    if (Array.isArray(value)) {
      result[key] = mergeList(asArray(result[key]), value, fieldPath, strategies(fieldPath), strategies);
    } else if (isObject(value)) {
      const merged = mergeMap(isObject(result[key]) ? (result[key] as JsonObject) : {}, value, fieldPath, strategies);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const order = patch[key];
    const list = result[field];
    if (Array.isArray(order) && Array.isArray(list)) {
      result[field] = orderList(list, order, strategies([...path, field])?.mergeKey);
    }
  }
  // `$retainKeys` (fields with patchStrategy retainKeys): keys not listed are cleared.
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function mergeList(
  original: Json[],
  patch: Json[],
  path: string[],
  strategy: FieldStrategy | undefined,
  strategies: StrategyLookup,
): Json[] {
  // A list-level `{"$patch": "replace"}` element replaces the whole list with the other elements.
  if (patch.some((item) => isObject(item) && item[PATCH_DIRECTIVE] === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item[PATCH_DIRECTIVE] === 'replace')).map(stripDirectives);
  }
  if (strategy?.strategy !== 'merge') return patch.map(stripDirectives);
  if (!strategy.mergeKey) {
    const result = [...original];
    for (const item of patch) if (!result.some((v) => isDeepStrictEqual(v, item))) result.push(clone(item));
    return result;
  }
  const key = strategy.mergeKey;
  const result = [...original];
  for (const item of patch) {
    if (!isObject(item)) throw new PatchError(`cannot merge a non-object element into list ${path.join('.')}`);
    if (!Object.hasOwn(item, key)) {
      throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    }
    const index = result.findIndex((v) => isObject(v) && isDeepStrictEqual(v[key], item[key]));
    if (item[PATCH_DIRECTIVE] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index < 0) {
      result.push(stripDirectives(item));
      continue;
    }
    const merged = mergeMap(result[index] as JsonObject, item, path, strategies);
    if (merged === undefined) result.splice(index, 1);
    else result[index] = merged;
  }
  return result;
}

/**
 * `$setElementOrder`: the listed elements first, in the given order, then the rest
 * in their current relative order.
 */
function orderList(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const identity = (item: Json): Json => (mergeKey && isObject(item) ? item[mergeKey] : item);
  const wanted = order.map(identity);
  const ranked = list.map((item, i) => {
    const rank = wanted.findIndex((w) => isDeepStrictEqual(w, identity(item)));
    return { item, rank: rank < 0 ? wanted.length + i : rank };
  });
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.item);
}

/** A copy of a patch value without `$`-directives. */
function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === PATCH_DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      continue;
    }
    if (v !== null) result[k] = stripDirectives(v);
  }
  return result;
}
