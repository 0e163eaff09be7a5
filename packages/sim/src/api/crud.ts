/**
 * The REST verbs on a resource: get, list, watch, create, update, patch, delete and
 * deletecollection, following k8s.io/apiserver pkg/endpoints/handlers and
 * pkg/registry/generic (status reset on create, status kept on main-resource writes).
 */

import { builtinStrategies } from '@daytwo/k8s/list-map-keys.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, type JsonPatchOperation, PatchError } from '../patch.js';
import { builtinResourceTypes } from '../resources.js';
import { parseFieldSelector, parseLabelSelector } from '../selectors.js';
import type { KubeObject, WriteOptions } from '../types.js';
import { serverSideApply } from './apply.js';
import type { RequestContext } from './context.js';
import { mediaType, parseJsonBody, readBody, readBodyBytes, sendJson } from './http.js';
import { LIST_EXPIRED_MESSAGE, paginate, resolveListRead, writeListBody } from './list.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { intParam, isTrue } from './request.js';
import { prepareUpdate, resetStatusOnCreate } from './strategy.js';
import { printerFor, toTable, wantsTable } from './table.js';
import { validateObject } from './validation.js';
import type { WatchHub } from './watch.js';

const BUILTIN = new Set(builtinResourceTypes().map((t) => `${t.group}/${t.resource}`));

export function apiVersion(ctx: RequestContext): string {
  return ctx.type.group ? `${ctx.type.group}/${ctx.type.version}` : ctx.type.version;
}

export function writeOptions(ctx: RequestContext, subresource?: string): WriteOptions {
  return { dryRun: ctx.dryRun, fieldManager: ctx.fieldManager, ...(subresource ? { subresource } : {}) };
}

export function getOrThrow(ctx: RequestContext, name = ctx.path.name!): KubeObject {
  const obj = ctx.state.store.get(ctx.gr, ctx.path.namespace, name);
  if (!obj) throw notFound(ctx.type.group, ctx.type.resource, name);
  return obj;
}

export async function readObject(ctx: RequestContext): Promise<KubeObject> {
  const bytes = await readBodyBytes(ctx.req);
  const body = mediaType(ctx.req.headers['content-type']) === PROTOBUF_MEDIA_TYPE ? decodeProtobufObject(bytes) : parseJsonBody(bytes.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the object provided is unrecognized (must be a JSON object)');
  }
  const obj = body as KubeObject;
  obj.metadata ??= {};
  return obj;
}

// ---------------------------------------------------------------------------
// get, list and watch

/** Whether to answer with a Table (kubectl get) rather than the objects. */
function asTable(ctx: RequestContext): boolean {
  return wantsTable(ctx.req.headers.accept);
}

/** The Table of `objects` in the request's resource. */
function tableOf(ctx: RequestContext, objects: readonly KubeObject[], meta: Parameters<typeof toTable>[2]): Record<string, unknown> {
  return toTable(ctx.gr, objects, meta, ctx.query.get('includeObject'), Date.now(), printerFor(ctx.type));
}

export function getOne(ctx: RequestContext): void {
  const obj = getOrThrow(ctx);
  if (asTable(ctx)) {
    const meta = { resourceVersion: obj.metadata.resourceVersion };
    sendJson(ctx.res, 200, tableOf(ctx, [obj], meta));
  } else {
    sendJson(ctx.res, 200, ctx.state.serialize(obj));
  }
}

function selectorsOf(ctx: RequestContext) {
  const labelSelectorText = ctx.query.get('labelSelector') ?? '';
  let fieldSelectorText = ctx.query.get('fieldSelector') ?? '';
  if (ctx.path.name) {
    // A watch on a named object is a watch with a metadata.name field selector (upstream does the same).
    fieldSelectorText = [fieldSelectorText, `metadata.name=${ctx.path.name}`].filter(Boolean).join(',');
  }
  return {
    labelSelectorText,
    fieldSelectorText,
    labelSelector: labelSelectorText ? parseLabelSelector(labelSelectorText) : undefined,
    fieldSelector: fieldSelectorText ? parseFieldSelector(fieldSelectorText, ctx.gr) : undefined,
  };
}

export function list(ctx: RequestContext): void {
  const { store } = ctx.state;
  const { query } = ctx;
  const limit = intParam(query, 'limit') ?? 0;
  const current = store.resourceVersion;
  const read = resolveListRead(
    {
      resourceVersion: query.get('resourceVersion') ?? '',
      resourceVersionMatch: query.get('resourceVersionMatch') ?? '',
      continue: query.get('continue') ?? '',
      limit,
    },
    current,
    (rv) => rv < store.compactedResourceVersion,
  );
  const selectors = selectorsOf(ctx);
  const listOptions = {
    namespace: ctx.path.namespace,
    labelSelector: selectors.labelSelectorText || undefined,
    fieldSelector: selectors.fieldSelectorText || undefined,
  };
  // Every page of a paged list is cut from the first page's snapshot, like etcd reading at the token's revision.
  const listRv = read.at ?? current;
  const objects = listRv === current ? store.list(ctx.gr, listOptions) : store.listAt(ctx.gr, listRv, listOptions);
  if (objects === 'expired') throw new ApiError(410, 'Expired', LIST_EXPIRED_MESSAGE);
  const page = paginate(objects, limit, listRv, read.after);
  const hasSelector = Boolean(selectors.labelSelectorText || selectors.fieldSelectorText);
  const metadata = {
    resourceVersion: String(listRv),
    ...(page.continueToken ? { continue: page.continueToken } : {}),
    // Upstream reports remainingItemCount only for lists without selectors.
    ...(page.continueToken && !hasSelector ? { remainingItemCount: page.remainingItemCount } : {}),
  };
  if (asTable(ctx)) sendJson(ctx.res, 200, tableOf(ctx, page.items, metadata));
  else sendList(ctx, metadata, page.items);
}

function sendList(ctx: RequestContext, metadata: { resourceVersion: string }, items: readonly KubeObject[]): void {
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  // The items are a snapshot of immutable stored objects: writing them as the client reads
  // is consistent even if the store changes meanwhile.
  writeListBody(ctx.res, ctx.type.listKind, apiVersion(ctx), metadata, items, ctx.state.serialize).then(
    () => ctx.res.end(),
    (err: unknown) => ctx.res.destroy(err instanceof Error ? err : new Error(String(err))),
  );
}

/**
 * Watch events as Tables of one row. As kube-apiserver does, only the first event carries
 * the column definitions; later ones send `columnDefinitions: null`.
 */
function tableEventEncoder(ctx: RequestContext): (obj: KubeObject) => string {
  let first = true;
  return (obj) => {
    const table = tableOf(ctx, [obj], { resourceVersion: obj.metadata.resourceVersion });
    if (!first) table.columnDefinitions = null;
    first = false;
    return JSON.stringify(table);
  };
}

export function watch(ctx: RequestContext, watches: WatchHub): void {
  const selectors = selectorsOf(ctx);
  const timeoutSeconds = intParam(ctx.query, 'timeoutSeconds');
  // Without timeoutSeconds the server picks minRequestTimeout (1800 s) * [1, 2).
  const timeoutMs = timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds * 1000 : Math.round(1_800_000 * (1 + Math.random()));
  watches.open(
    {
      gr: ctx.gr,
      type: ctx.type,
      namespace: ctx.path.namespace,
      ...selectors,
      resourceVersion: ctx.query.get('resourceVersion') ?? '',
      allowBookmarks: isTrue(ctx.query.get('allowWatchBookmarks')),
      sendInitialEvents: isTrue(ctx.query.get('sendInitialEvents')),
      timeoutMs,
      ...(asTable(ctx) ? { encode: tableEventEncoder(ctx) } : {}),
    },
    ctx.res,
  );
}

// ---------------------------------------------------------------------------
// writes

function checkNamespace(ctx: RequestContext, obj: KubeObject): void {
  if (!ctx.type.namespaced) return;
  const ns = ctx.path.namespace;
  if (!obj.metadata.namespace) obj.metadata.namespace = ns;
  else if (ns && obj.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function checkKind(ctx: RequestContext, obj: KubeObject): void {
  const expected = apiVersion(ctx);
  if (obj.apiVersion && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind && obj.kind !== ctx.type.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${ctx.type.kind})`);
  }
  obj.apiVersion = expected;
  obj.kind = ctx.type.kind;
}

export async function create(ctx: RequestContext): Promise<void> {
  const obj = await readObject(ctx);
  checkKind(ctx, obj);
  checkNamespace(ctx, obj);
  if (ctx.path.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  resetStatusOnCreate(ctx.type, ctx.gr, obj);
  validateObject(ctx.gr, ctx.type, obj);
  const created = ctx.state.store.create(ctx.gr, obj, writeOptions(ctx));
  sendJson(ctx.res, 201, ctx.state.serialize(created));
}

function checkName(ctx: RequestContext, obj: KubeObject): void {
  if (obj.metadata.name && obj.metadata.name !== ctx.path.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ctx.path.name})`);
  }
  obj.metadata.name = ctx.path.name;
}

/** Strategies whose AllowCreateOnUpdate is true: a PUT of a missing object creates it. */
const CREATE_ON_UPDATE = new Set(['endpoints', 'events', 'coordination.k8s.io/leases']);

export function update(ctx: RequestContext, obj: KubeObject, subresource?: string): void {
  checkKind(ctx, obj);
  checkNamespace(ctx, obj);
  checkName(ctx, obj);
  if (!subresource) validateObject(ctx.gr, ctx.type, obj);
  if (!subresource && CREATE_ON_UPDATE.has(ctx.gr) && !ctx.state.store.get(ctx.gr, ctx.path.namespace, ctx.path.name!)) {
    const created = ctx.state.store.create(ctx.gr, obj, writeOptions(ctx));
    sendJson(ctx.res, 201, ctx.state.serialize(created));
    return;
  }
  const old = getOrThrow(ctx);
  const updated = ctx.state.store.update(ctx.gr, prepareUpdate(ctx.type, old, obj, subresource), writeOptions(ctx, subresource));
  sendJson(ctx.res, 200, ctx.state.serialize(updated));
}

const PATCH_TYPES =
  'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json';

/** Applies a JSON, merge or strategic patch body to `original` (not apply patches). */
export function applyPatchBody(contentType: string, original: KubeObject, body: string, strategic: boolean): KubeObject {
  try {
    switch (contentType) {
      case 'application/json-patch+json':
        return applyJsonPatch(original, parseJsonBody(body) as JsonPatchOperation[]);
      case 'application/merge-patch+json':
        return applyMergePatch(original, parseJsonBody(body));
      case 'application/strategic-merge-patch+json':
        if (strategic) return applyStrategicMergePatch(original, parseJsonBody(body), builtinStrategies);
        break;
    }
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    if (contentType === 'application/json-patch+json') {
      // handlers/patch.go: errors.NewGenericServerResponse(422, ..., err.Error())
      throw new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
        causes: [{ reason: 'UnexpectedServerResponse', message: err.message }],
      });
    }
    throw badRequest(err.message);
  }
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${strategic ? PATCH_TYPES : PATCH_TYPES.replace(', application/strategic-merge-patch+json', '')}`,
  );
}

export async function patch(ctx: RequestContext, subresource?: string): Promise<void> {
  const contentType = mediaType(ctx.req.headers['content-type']);
  const body = await readBody(ctx.req);
  if (contentType === 'application/apply-patch+yaml') {
    if (subresource) throw new ApiError(415, 'UnsupportedMediaType', 'apply patches are not supported on this subresource');
    const { object, created } = serverSideApply(ctx, body);
    return sendJson(ctx.res, created ? 201 : 200, ctx.state.serialize(object));
  }
  const old = getOrThrow(ctx);
  const patched = applyPatchBody(contentType, old, body, BUILTIN.has(`${ctx.type.group}/${ctx.type.resource}`));
  patched.metadata ??= {};
  if (patched.metadata.name !== old.metadata.name || patched.metadata.namespace !== old.metadata.namespace) {
    throw badRequest('metadata.name and metadata.namespace cannot be changed by a patch');
  }
  if (!subresource) validateObject(ctx.gr, ctx.type, patched);
  const updated = ctx.state.store.update(ctx.gr, prepareUpdate(ctx.type, old, patched, subresource), writeOptions(ctx, subresource));
  sendJson(ctx.res, 200, ctx.state.serialize(updated));
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const text = await readBody(ctx.req);
  const body: DeleteOptions = text.trim() ? (parseJsonBody(text) as DeleteOptions) : {};
  const grace = intParam(ctx.query, 'gracePeriodSeconds');
  const propagation = ctx.query.get('propagationPolicy');
  return {
    ...body,
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(propagation ? { propagationPolicy: propagation } : {}),
  };
}

export function checkPreconditions(ctx: RequestContext, obj: KubeObject, pre: DeleteOptions['preconditions']): void {
  const name = obj.metadata.name ?? '';
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ctx.type.group ? `${ctx.type.resource}.${ctx.type.group}` : ctx.type.resource} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
      { name, group: ctx.type.group || undefined, kind: ctx.type.resource },
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ctx.type.group ? `${ctx.type.resource}.${ctx.type.group}` : ctx.type.resource} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      { name, group: ctx.type.group || undefined, kind: ctx.type.resource },
    );
  }
}

function deleteOne(ctx: RequestContext, obj: KubeObject, opts: DeleteOptions): { deleted: KubeObject; gone: boolean } {
  checkPreconditions(ctx, obj, opts.preconditions);
  const dryRun = ctx.dryRun || (opts.dryRun ?? []).includes('All');
  const name = obj.metadata.name!;
  const deleted = ctx.state.store.delete(ctx.gr, obj.metadata.namespace, name, {
    dryRun,
    fieldManager: ctx.fieldManager,
    gracePeriodSeconds: opts.gracePeriodSeconds,
    propagationPolicy: opts.propagationPolicy,
  });
  const gone = dryRun ? !deleted.metadata.deletionTimestamp : !ctx.state.store.get(ctx.gr, obj.metadata.namespace, name);
  return { deleted, gone };
}

export async function remove(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const { deleted, gone } = deleteOne(ctx, getOrThrow(ctx), opts);
  // Pods are stored with ReturnDeletedObject; other kinds answer a Success Status once gone.
  if (!gone || ctx.gr === 'pods') return sendJson(ctx.res, 200, ctx.state.serialize(deleted));
  sendJson(ctx.res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: deleted.metadata.name, group: ctx.type.group || undefined, kind: ctx.type.resource, uid: deleted.metadata.uid },
  });
}

export async function removeCollection(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const selectors = selectorsOf(ctx);
  const targets = ctx.state.store.list(ctx.gr, {
    namespace: ctx.path.namespace,
    labelSelector: selectors.labelSelectorText || undefined,
    fieldSelector: selectors.fieldSelectorText || undefined,
  });
  const deleted = targets.map((obj) => deleteOne(ctx, obj, opts).deleted);
  const metadata = { resourceVersion: String(ctx.state.store.resourceVersion) };
  sendList(ctx, metadata, deleted);
}
