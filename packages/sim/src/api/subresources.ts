/**
 * The subresources: status, scale (autoscaling/v1 Scale), pods/log, pods/eviction and
 * pods/binding.
 */

import type { Binding, Eviction, Fields, Pod, PodDisruptionBudget, Scale } from '@daytwo/k8s/wire-types.js';
import { ApiError, badRequest, conflict } from '../errors.js';
import type { KubeObject } from '../types.js';
import type { RequestContext } from './context.js';
import {
  applyPatchBody,
  checkPreconditions,
  type DeleteOptions,
  getOrThrow,
  patch,
  readObject,
  update,
  writeOptions,
} from './crud.js';
import { checkEvictionBody, planEviction, withDisruptionTarget } from './eviction.js';
import { mediaType, readBody, sendError, sendJson } from './http.js';
import { checkContainerState, parseLogOptions, resolveContainer, streamPodLogs } from './pod-logs.js';
import { type Scalable, scaleOf } from './scale.js';

/** The internal manager name of writes the API server makes itself (eviction's PDB update). */
const APISERVER_MANAGER = 'kube-apiserver';


/** Dispatches a subresource request. */
export async function handleSubresource(ctx: RequestContext, sub: string): Promise<void> {
  if (!ctx.type.subresources?.includes(sub) || !ctx.path.name) throw notFoundPath();
  const { verb } = ctx;
  switch (sub) {
    case 'status':
      if (verb === 'get') return sendJson(ctx.res, 200, ctx.state.serialize(getOrThrow(ctx)));
      if (verb === 'update') return update(ctx, await readObject(ctx), 'status');
      if (verb === 'patch') return patch(ctx, 'status');
      break;
    case 'scale':
      if (verb === 'get' || verb === 'update' || verb === 'patch') return scale(ctx);
      break;
    case 'log':
      if (verb === 'get') return podLogs(ctx);
      break;
    case 'eviction':
      if (verb === 'create') return evict(ctx);
      break;
    case 'binding':
      if (verb === 'create') return bind(ctx);
      break;
  }
  throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

async function scale(ctx: RequestContext): Promise<void> {
  const obj: Scalable = getOrThrow(ctx);
  if (ctx.verb === 'get') return sendJson(ctx.res, 200, scaleOf(obj));
  const current = scaleOf(obj);
  let wanted: Scale;
  if (ctx.verb === 'update') {
    wanted = await readObject(ctx);
  } else {
    const contentType = mediaType(ctx.req.headers['content-type']);
    wanted = applyPatchBody(contentType, current, await readBody(ctx.req), true);
  }
  const replicas = wanted.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${obj.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, {
      name: obj.metadata.name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be greater than or equal to 0', field: 'spec.replicas' }],
    });
  }
  const rv = wanted.metadata?.resourceVersion;
  if (rv && rv !== obj.metadata.resourceVersion) throw conflict(ctx.type.group, ctx.type.resource, obj.metadata.name!);
  const clone = structuredClone(obj);
  const next: KubeObject = { ...clone, spec: { ...clone.spec, replicas } };
  const updated: Scalable = ctx.state.store.update(ctx.gr, next, writeOptions(ctx, 'scale'));
  sendJson(ctx.res, 200, scaleOf(updated));
}

function podLogs(ctx: RequestContext): void {
  const pod: Pod = getOrThrow(ctx);
  const container = resolveContainer(pod, ctx.query.get('container'));
  const opts = parseLogOptions(ctx.query, container);
  const { logs } = ctx.state;
  if (!logs || !pod.spec?.nodeName) {
    // Not scheduled yet: upstream has no kubelet location and returns an empty body.
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
    ctx.res.end();
    return;
  }
  checkContainerState(pod, opts);
  let untrack: () => void = () => {};
  const stop = streamPodLogs({ store: ctx.state.store, logs }, pod, opts, ctx.res);
  untrack = ctx.state.track(stop);
  ctx.res.on('close', () => untrack());
}

async function evict(ctx: RequestContext): Promise<void> {
  const body: Eviction = await readObject(ctx);
  const name = ctx.path.name!;
  checkEvictionBody(body, name);
  const pod: Pod = getOrThrow(ctx);
  const deleteOpts: DeleteOptions = body.deleteOptions ?? {};
  const dryRun = ctx.dryRun || (deleteOpts.dryRun ?? []).includes('All');
  const { store } = ctx.state;
  const pdbs: PodDisruptionBudget[] = store.list('policy/poddisruptionbudgets', { namespace: pod.metadata.namespace });
  const now = new Date();
  const plan = planEviction(pod, pdbs, now);
  if (plan.action === 'refuse') {
    if (plan.error.details?.retryAfterSeconds) ctx.res.setHeader('Retry-After', String(plan.error.details.retryAfterSeconds));
    return sendError(ctx.res, plan.error);
  }
  if (plan.action === 'failure') return sendJson(ctx.res, 500, plan.status);
  if (plan.pdb && !dryRun) {
    store.update('policy/poddisruptionbudgets', plan.pdb, { fieldManager: APISERVER_MANAGER, subresource: 'status' });
  }
  if (!dryRun) {
    const marked = withDisruptionTarget(pod, now);
    if (marked) store.update('pods', marked, { fieldManager: APISERVER_MANAGER, subresource: 'status' });
  }
  const current = getOrThrow(ctx);
  checkPreconditions({ ...ctx, gr: 'pods' }, current, deleteOpts.preconditions);
  store.delete('pods', pod.metadata.namespace, name, {
    dryRun,
    fieldManager: ctx.fieldManager,
    gracePeriodSeconds: deleteOpts.gracePeriodSeconds,
    propagationPolicy: deleteOpts.propagationPolicy,
  });
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function bind(ctx: RequestContext): Promise<void> {
  const body: Partial<Binding> = await readObject(ctx);
  const pod: Pod = getOrThrow(ctx);
  const target = body.target?.name;
  if (!target) throw badRequest('target.name: Required value');
  if (pod.spec?.nodeName) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${pod.metadata.name}": pod ${pod.metadata.name} is already assigned to node "${pod.spec.nodeName}"`, {
      name: pod.metadata.name,
      kind: 'pods/binding',
    });
  }
  const next = structuredClone(pod);
  // A stored pod always has a spec (validation requires its containers).
  next.spec!.nodeName = target;
  next.status ??= {};
  const conditions = next.status.conditions ?? [];
  // Written as plain fields: the API server's `lastProbeTime: null` has no place in the model.
  const status: Fields = next.status;
  status.conditions = [
    ...conditions.filter((c) => c.type !== 'PodScheduled'),
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
  ];
  if (!ctx.dryRun) ctx.state.store.update('pods', next, { fieldManager: ctx.fieldManager });
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
