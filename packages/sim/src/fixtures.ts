/**
 * Loads fixture files (YAML, multi-document, or JSON — JSON is parsed as YAML so its
 * errors get line numbers too) into the simulated cluster's store. Objects are restored
 * as exported: they keep their status, uid, creationTimestamp and managedFields.
 */

import { readFileSync } from 'node:fs';
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { ApiError } from './errors.js';
import { guessPlural } from './resources.js';
import type { GroupResource, KubeObject, ObjectStore } from './types.js';

/** A fixture document that cannot be loaded: names the file, the 1-based document and its line. */
export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly document: number,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}: document ${document} (line ${line}): ${reason}`);
    this.name = 'FixtureError';
  }
}

/** One object read from a fixture file, with where it came from. */
export interface FixtureObject {
  object: KubeObject;
  file: string;
  document: number;
  line: number;
}

/** Field manager recorded for fixture objects that carry no managedFields. */
const FIXTURE_MANAGER = 'daytwo-fixtures';

/**
 * Reads every file and creates its objects in the store: unknown kinds are registered
 * generically, namespaces named by objects but absent are created, namespaced objects
 * without a namespace go to `default`, `kind: List` documents are expanded.
 * All files are parsed and checked before anything is created; throws a {@link FixtureError}.
 */
export function loadFixtureFiles(store: ObjectStore, paths: string[]): void {
  const objects: FixtureObject[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`${path}: cannot read fixture file: ${(err as NodeJS.ErrnoException).message}`);
    }
    objects.push(...parseFixtureText(path, text));
  }
  createFixtureObjects(store, objects);
}

/** Parses one file's text into objects, checking each document; throws a {@link FixtureError}. */
export function parseFixtureText(file: string, text: string): FixtureObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: FixtureObject[] = [];
  list.forEach((doc, i) => {
    const index = i + 1;
    const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
    const docLine = lineOf(doc.contents?.range?.[0] ?? doc.range?.[0]);
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? lineOf(error.pos[0]);
      throw new FixtureError(file, index, line, firstLine(error.message));
    }
    const value = doc.contents === null ? null : (doc.toJS({ maxAliasCount: 1000 }) as unknown);
    if (value === null || value === undefined) return; // an empty document ('---' alone, comments only)
    if (!isRecord(value)) throw new FixtureError(file, index, docLine, 'not an object (expected a mapping with apiVersion, kind and metadata)');
    checkObject(value, (reason) => new FixtureError(file, index, docLine, reason));
    if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))) {
      out.push(...listItems(file, index, doc, value, lineOf));
      return;
    }
    out.push({ object: value as KubeObject, file, document: index, line: docLine });
  });
  return out;
}

function listItems(
  file: string,
  index: number,
  doc: Document.Parsed,
  list: Record<string, unknown>,
  lineOf: (offset: number | undefined) => number,
): FixtureObject[] {
  const items = list.items;
  if (!Array.isArray(items)) throw new FixtureError(file, index, lineOf(doc.contents?.range?.[0]), 'a List needs items');
  const itemNodes = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  return items.map((item, i) => {
    const node = isSeq(itemNodes) ? itemNodes.items[i] : undefined;
    const line = lineOf((node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? doc.contents?.range?.[0]);
    if (!isRecord(item)) throw new FixtureError(file, index, line, `items[${i}]: not an object`);
    checkObject(item, (reason) => new FixtureError(file, index, line, `items[${i}]: ${reason}`));
    return { object: item as KubeObject, file, document: index, line };
  });
}

function checkObject(value: Record<string, unknown>, fail: (reason: string) => FixtureError): void {
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') throw fail('missing apiVersion');
  if (typeof value.kind !== 'string' || value.kind === '') throw fail('missing kind');
  if (value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items))) return;
  if (!isRecord(value.metadata)) throw fail('missing metadata');
  const { name, generateName, namespace } = value.metadata;
  if ((typeof name !== 'string' || name === '') && (typeof generateName !== 'string' || generateName === '')) {
    throw fail('missing metadata.name');
  }
  if (namespace !== undefined && typeof namespace !== 'string') throw fail('metadata.namespace must be a string');
}

/**
 * Creates parsed fixture objects: registers unknown kinds, creates namespaces first (those
 * given, then those only referenced), then everything else in file order; objects that
 * already exist are updated.
 */
export function createFixtureObjects(store: ObjectStore, objects: FixtureObject[]): void {
  const placed = objects.map((f) => ({ ...f, gr: resolveType(store, f) }));
  const namespaces = placed.filter((p) => p.gr === 'namespaces');
  const others = placed.filter((p) => p.gr !== 'namespaces');

  for (const p of namespaces) create(store, p.gr, p);
  const referenced = new Set<string>();
  for (const p of others) {
    if (!store.resourceType(p.gr)?.namespaced) continue;
    p.object.metadata.namespace ||= 'default';
    referenced.add(p.object.metadata.namespace);
  }
  for (const name of [...referenced].sort()) {
    if (!store.get('namespaces', undefined, name)) {
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, writeOptions());
    }
  }
  for (const p of others) create(store, p.gr, p);
}

function resolveType(store: ObjectStore, f: FixtureObject): GroupResource {
  const { apiVersion, kind } = f.object as { apiVersion: string; kind: string };
  const known = store.grForKind(apiVersion, kind);
  if (known) return known;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const resource = guessPlural(kind);
  store.registerType({
    group,
    version,
    resource,
    singularName: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: typeof f.object.metadata.namespace === 'string' && f.object.metadata.namespace !== '',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  });
  return store.grForKind(apiVersion, kind) ?? (group ? `${group}/${resource}` : resource);
}

function writeOptions(): { fieldManager: string; restore: boolean } {
  return { fieldManager: FIXTURE_MANAGER, restore: true };
}

/**
 * Creates the object, or, as `kubectl apply` does, updates the one that already exists
 * (the built-in namespaces and service accounts that every dump of a real cluster holds);
 * the existing object keeps its identity.
 */
function create(store: ObjectStore, gr: GroupResource, f: FixtureObject): void {
  try {
    const { namespace, name } = f.object.metadata;
    const existing = name ? store.get(gr, store.resourceType(gr)?.namespaced ? namespace : undefined, name) : undefined;
    if (existing) {
      const { uid, resourceVersion, creationTimestamp } = existing.metadata;
      store.update(gr, { ...f.object, metadata: { ...f.object.metadata, uid, resourceVersion, creationTimestamp } }, writeOptions());
      return;
    }
    store.create(gr, f.object, writeOptions());
  } catch (err) {
    if (err instanceof ApiError) throw new FixtureError(f.file, f.document, f.line, err.message);
    throw err;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
