/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go), on by
 * default in kube-apiserver, for pod and PersistentVolumeClaim creates:
 *
 * - mutating (`PodMutateLimitFunc`): each container and init container without a limit or
 *   request for a resource gets the LimitRange's `default` / `defaultRequest` for it, and
 *   the pod is annotated `kubernetes.io/limit-ranger: LimitRanger plugin set: ...`. It runs
 *   after the scheme's defaulting, so a limit set without a request has already become the
 *   request and `defaultRequest` does not apply to it;
 * - validating (`PodValidateLimitFunc`, `PersistentVolumeClaimValidateLimitFunc`): min, max
 *   and maxLimitRequestRatio per Container, per Pod and per PersistentVolumeClaim.
 *
 * Pod updates are left alone, as upstream (`SupportsAttributes`).
 */

import { formatQuantity, type Quantity } from '@daytwo/k8s/quantity.js';
import type { Container, LimitRange, PersistentVolumeClaim, Pod } from '@daytwo/k8s/wire-types.js';
import type { KubeObject } from '../types.js';
import { parseResources, podLimits, podRequests, type Resources } from './resource-lists.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;
type LimitRangeItem = NonNullable<LimitRange['spec']>['limits'][number];

function limitItems(limitRange: LimitRange): LimitRangeItem[] {
  const limits = limitRange.spec?.limits;
  return Array.isArray(limits) ? limits.filter((l) => typeof l === 'object' && l !== null) : [];
}

function sortedKeys(list: ResourceList | undefined): string[] {
  return Object.keys(list ?? {}).sort();
}

/** Go serializes maps with sorted keys: keep a defaulted list in that order. */
function sortedList(list: ResourceList): ResourceList {
  return Object.fromEntries(sortedKeys(list).map((k) => [k, list[k]]));
}

/** `defaultContainerResourceRequirements`: the Container items' defaults, later items winning. */
function containerDefaults(limitRange: LimitRange): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of limitItems(limitRange)) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** `mergeContainerResources`: fills what the container lacks; returns the annotation parts. */
function mergeContainerResources(container: Container, defaults: { requests: ResourceList; limits: ResourceList }, prefix: string): string[] {
  container.resources ??= {};
  const resources = container.resources;
  const limits = resources.limits ?? {};
  const requests = resources.requests ?? {};
  const setLimits = Object.keys(defaults.limits).filter((k) => !Object.hasOwn(limits, k));
  const setRequests = Object.keys(defaults.requests).filter((k) => !Object.hasOwn(requests, k));
  for (const k of setLimits) limits[k] = defaults.limits[k];
  for (const k of setRequests) requests[k] = defaults.requests[k];
  // Upstream makes both maps non-nil, but empty maps are omitted when serialized.
  if (Object.keys(limits).length > 0) resources.limits = sortedList(limits);
  if (Object.keys(requests).length > 0) resources.requests = sortedList(requests);
  const parts: string[] = [];
  if (setRequests.length > 0) parts.push(`${setRequests.sort().join(', ')} request for ${prefix} ${container.name}`);
  if (setLimits.length > 0) parts.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${container.name}`);
  return parts;
}

/**
 * Applies each LimitRange's container defaults to `pod` in place, as `PodMutateLimitFunc`
 * does for every LimitRange of the namespace in turn. Returns whether anything was set.
 */
export function applyLimitRangeDefaults(pod: Pod, limitRanges: readonly LimitRange[]): boolean {
  let changed = false;
  // Defaulting has given every pod a spec by now.
  const spec = pod.spec;
  if (!spec) return false;
  for (const limitRange of limitRanges) {
    const defaults = containerDefaults(limitRange);
    const annotations: string[] = [];
    for (const c of spec.containers ?? []) annotations.push(...mergeContainerResources(c, defaults, 'container'));
    for (const c of spec.initContainers ?? []) annotations.push(...mergeContainerResources(c, defaults, 'init container'));
    if (annotations.length > 0) {
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${annotations.join('; ')}` };
      changed = true;
    }
  }
  return changed;
}

// ---- validation -----------------------------------------------------------------------

/** `requestLimitEnforcedValues`: compared in milli-units. */
const milli = (q: Quantity | undefined): bigint => q?.toMillis() ?? 0n;

function minConstraint(type: string, name: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const min = formatQuantity(enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${min}.  No request is specified`;
  if (milli(req) < milli(enforced)) return `minimum ${name} usage per ${type} is ${min}, but request is ${formatQuantity(req)}`;
  if (lim && milli(lim) < milli(enforced)) return `minimum ${name} usage per ${type} is ${min}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const max = formatQuantity(enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${max}.  No limit is specified`;
  if (milli(lim) > milli(enforced)) return `maximum ${name} usage per ${type} is ${max}, but limit is ${formatQuantity(lim)}`;
  if (req && milli(req) > milli(enforced)) return `maximum ${name} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** `maxRequestConstraint`: for PVCs, whose limits are not user input. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Resources): string | undefined {
  const req = requests.get(name);
  const max = formatQuantity(enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${max}.  No request is specified`;
  if (milli(req) > milli(enforced)) return `maximum ${name} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = milli(requests.get(name));
  const lim = milli(limits.get(name));
  const max = formatQuantity(enforced);
  if (req === 0n) return `${name} max limit to request ratio per ${type} is ${max}, but no request is specified or request is 0`;
  if (lim === 0n) return `${name} max limit to request ratio per ${type} is ${max}, but no limit is specified or limit is 0`;
  const observed = Number(lim) / Number(req);
  if (observed * 1000 > Number(milli(enforced))) {
    return `${name} max limit to request ratio per ${type} is ${max}, but provided ratio is ${observed.toFixed(6)}`;
  }
  return undefined;
}

/** min, max and maxLimitRequestRatio of one LimitRange item against requests and limits. */
function checkItem(item: LimitRangeItem, requests: Resources, limits: Resources): string[] {
  const errs: string[] = [];
  const type = String(item.type);
  const each = (list: ResourceList | undefined, check: (name: string, q: Quantity) => string | undefined) => {
    const parsed = parseResources(list);
    for (const name of sortedKeys(list)) {
      const q = parsed.get(name);
      const err = q ? check(name, q) : undefined;
      if (err) errs.push(err);
    }
  };
  each(item.min, (name, q) => minConstraint(type, name, q, requests, limits));
  each(item.max, (name, q) => maxConstraint(type, name, q, requests, limits));
  each(item.maxLimitRequestRatio, (name, q) => ratioConstraint(type, name, q, requests, limits));
  return errs;
}

/** `utilerrors.NewAggregate(errs).Error()`: one message alone, several in brackets, duplicates once. */
export function aggregateMessage(errs: readonly string[]): string | undefined {
  const unique = [...new Set(errs)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** `PodValidateLimitFunc` for one LimitRange: the failure message, if any. */
function validatePod(limitRange: LimitRange, pod: Pod): string | undefined {
  const errs: string[] = [];
  for (const item of limitItems(limitRange)) {
    if (item.type === 'Container') {
      const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      for (const c of containers) {
        errs.push(...checkItem(item, parseResources(c.resources?.requests), parseResources(c.resources?.limits)));
      }
    } else if (item.type === 'Pod') {
      errs.push(...checkItem(item, podRequests(pod), podLimits(pod)));
    }
  }
  return aggregateMessage(errs);
}

/** `PersistentVolumeClaimValidateLimitFunc` for one LimitRange. */
function validateClaim(limitRange: LimitRange, pvc: PersistentVolumeClaim): string | undefined {
  const errs: string[] = [];
  const requests = parseResources(pvc.spec?.resources?.requests);
  for (const item of limitItems(limitRange)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    const type = String(item.type);
    const min = parseResources(item.min);
    for (const name of sortedKeys(item.min)) {
      const err = min.get(name) && minConstraint(type, name, min.get(name)!, requests, new Map());
      if (err) errs.push(err);
    }
    const max = parseResources(item.max);
    for (const name of sortedKeys(item.max)) {
      const err = max.get(name) && maxRequestConstraint(type, name, max.get(name)!, requests);
      if (err) errs.push(err);
    }
  }
  return aggregateMessage(errs);
}

/**
 * The validating half: the first LimitRange (in the order given) that `obj` violates and
 * why, or undefined. Only pods and PersistentVolumeClaims are checked.
 */
export function limitRangeViolation(gr: string, obj: KubeObject, limitRanges: readonly LimitRange[]): string | undefined {
  for (const limitRange of limitRanges) {
    const err =
      gr === 'pods' ? validatePod(limitRange, obj as Pod) : gr === 'persistentvolumeclaims' ? validateClaim(limitRange, obj as PersistentVolumeClaim) : undefined;
    if (err) return err;
  }
  return undefined;
}
