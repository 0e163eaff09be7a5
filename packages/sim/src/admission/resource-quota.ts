/**
 * What ResourceQuota counts, shared by the admission plugin (k8s.io/apiserver
 * pkg/admission/plugin/resourcequota/controller.go `CheckRequest`) and the quota controller
 * (pkg/controller/resourcequota): the pod evaluator (pkg/quota/v1/evaluator/core/pods.go:
 * `pods`, `count/pods`, `cpu`/`requests.cpu`, `memory`/`requests.memory`, `limits.cpu`,
 * `limits.memory`, and the ephemeral-storage equivalents) and the object-count evaluator
 * (`count/<resource>[.<group>]`, plus the legacy core names `services`, `configmaps`,
 * `secrets`, `persistentvolumeclaims`, `replicationcontrollers`, `resourcequotas`).
 * Quota scopes and scope selectors are not modelled: a quota with them is not enforced.
 */

import { formatQuantity, Quantity } from '@daytwo/k8s/quantity.js';
import type { Pod, ResourceQuota } from '@daytwo/k8s/wire-types.js';
import type { GroupResource, KubeObject } from '../types.js';
import { addInto, parseResources, podLimits, podRequests, type Resources } from './resource-lists.js';

const ONE = new Quantity(1_000_000_000n, 'DecimalSI');

/** Legacy quota names of core object counts (`generic.ObjectCountQuotaResourceNameFor` has `count/...` too). */
const LEGACY_COUNT_NAMES: Record<string, string> = {
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

const POD_RESOURCES = new Set([
  'count/pods',
  'pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);

/**
 * "If we quota cpu or memory, then each container must make an explicit request for the
 * resource. This was a mistake." (`validationSet`).
 */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** `count/<resource>` for the core group, `count/<resource>.<group>` otherwise. */
export function objectCountName(gr: GroupResource): string {
  const slash = gr.indexOf('/');
  return slash < 0 ? `count/${gr}` : `count/${gr.slice(slash + 1)}.${gr.slice(0, slash)}`;
}

/** The quota resource names that usage of `gr` objects is measured in (`MatchingResources`). */
export function matchingResources(gr: GroupResource, names: Iterable<string>): string[] {
  const count = objectCountName(gr);
  const legacy = LEGACY_COUNT_NAMES[gr];
  return [...names].filter((n) => n === count || n === legacy || (gr === 'pods' && POD_RESOURCES.has(n)));
}

/** `QuotaV1Pod`: terminal pods, and pods past their deletion grace period, are not charged. */
export function isPodCharged(pod: Pod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && typeof deletionGracePeriodSeconds === 'number') {
    return now.getTime() <= Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000;
  }
  return true;
}

/** `podComputeUsageHelper`: what a pod's (or a container's) requests and limits use. */
function computeUsage(requests: Resources, limits: Resources): Resources {
  const out: Resources = new Map([['pods', ONE]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  return out;
}

/** `PodUsageFunc`: `count/pods` always, compute resources while the pod is charged. */
export function podUsage(pod: Pod, now: Date): Resources {
  const usage: Resources = new Map([['count/pods', ONE]]);
  if (isPodCharged(pod, now)) addInto(usage, computeUsage(podRequests(pod), podLimits(pod)));
  return usage;
}

/** What one object of `gr` uses of quota. */
export function objectUsage(gr: GroupResource, obj: KubeObject, now: Date): Resources {
  if (gr === 'pods') return podUsage(obj as Pod, now);
  const usage: Resources = new Map([[objectCountName(gr), ONE]]);
  const legacy = LEGACY_COUNT_NAMES[gr];
  if (legacy) usage.set(legacy, ONE);
  return usage;
}

function isPodLevelResourcesSet(pod: Pod): boolean {
  const r = pod.spec?.resources;
  return Object.keys(r?.requests ?? {}).length > 0 || Object.keys(r?.limits ?? {}).length > 0;
}

/**
 * The pod evaluator's `Constraints`: with cpu or memory tracked, every container and init
 * container must set them (unless pod-level resources are set). The message names, per
 * missing resource, the containers lacking it: `must specify limits.cpu for: app; ...`.
 */
export function podConstraintsError(pod: Pod, tracked: readonly string[]): string | undefined {
  if (isPodLevelResourcesSet(pod)) return undefined;
  const required = tracked.filter((r) => VALIDATION_SET.has(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    const has = computeUsage(parseResources(c.resources?.requests), parseResources(c.resources?.limits));
    for (const r of required) {
      if (has.has(r)) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(String(c.name ?? ''));
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** `prettyPrint`: `name=value` sorted by name, comma-separated. */
export function prettyPrint(list: ReadonlyMap<string, Quantity>): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${formatQuantity(list.get(k)!)}`)
    .join(',');
}

/** Whether a quota is one the sim enforces and counts (scoped quotas are not modelled). */
export function isModelledQuota(quota: ResourceQuota): boolean {
  return !((quota.spec?.scopes?.length ?? 0) > 0) && !((quota.spec?.scopeSelector?.matchExpressions?.length ?? 0) > 0);
}

/** One quota's new `status.used` after an admitted create. */
export interface QuotaCharge {
  quota: ResourceQuota;
  used: Record<string, string>;
}

/**
 * `CheckRequest` for a create of `obj` against the namespace's quotas: the refusal message
 * when it does not fit (or is not measurable), else the quotas whose `status.used` grows.
 * Quotas match on `status.hard` (set by the quota controller), as upstream.
 */
export function checkQuotas(
  gr: GroupResource,
  obj: KubeObject,
  quotas: readonly ResourceQuota[],
  now: Date,
): { error: string } | { charges: QuotaCharge[] } {
  const relevant: { quota: ResourceQuota; tracked: string[] }[] = [];
  for (const quota of quotas) {
    if (!isModelledQuota(quota)) continue;
    const tracked = matchingResources(gr, Object.keys(quota.status?.hard ?? {}));
    if (tracked.length === 0) continue;
    if (gr === 'pods') {
      const err = podConstraintsError(obj as Pod, tracked);
      if (err) return { error: `failed quota: ${quota.metadata.name}: ${err}` };
    }
    const used = quota.status?.used ?? {};
    const unknown = tracked.filter((r) => !Object.hasOwn(used, r));
    if (unknown.length > 0) {
      return { error: `status unknown for quota: ${quota.metadata.name}, resources: ${unknown.sort().join(',')}` };
    }
    relevant.push({ quota, tracked });
  }
  const delta = objectUsage(gr, obj, now);
  const charges: QuotaCharge[] = [];
  for (const { quota } of relevant) {
    // A relevant quota tracks something, so it has a status.
    const hard = parseResources(quota.status?.hard);
    const used = parseResources(quota.status?.used);
    const requested = new Map([...delta].filter(([k]) => hard.has(k)));
    if (requested.size === 0) continue;
    const newUsage: Resources = new Map(used);
    addInto(newUsage, requested);
    const exceeded = [...requested.keys()].filter((k) => newUsage.get(k)!.nanos > hard.get(k)!.nanos);
    if (exceeded.length > 0) {
      const pick = (list: Resources) => new Map(exceeded.filter((k) => list.has(k)).map((k) => [k, list.get(k)!]));
      return {
        error: `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(pick(requested))}, used: ${prettyPrint(pick(used))}, limited: ${prettyPrint(pick(hard))}`,
      };
    }
    const next: Record<string, string> = { ...quota.status?.used };
    for (const [k, q] of newUsage) if (hard.has(k)) next[k] = formatQuantity(q);
    charges.push({ quota, used: next });
  }
  return { charges };
}

/**
 * What the quota controller writes in `status.used` for `hard`: the usage of `objects`
 * (every object of the namespace, by group/resource) for each resource the sim measures.
 */
export function computeUsed(
  hard: Record<string, string>,
  objectsOf: (gr: GroupResource) => readonly KubeObject[],
  grForCountName: (name: string) => GroupResource | undefined,
  now: Date,
): Record<string, string> {
  const names = Object.keys(hard);
  const used: Record<string, string> = {};
  const podNames = matchingResources('pods', names);
  if (podNames.length > 0) {
    const total: Resources = new Map();
    for (const pod of objectsOf('pods')) addInto(total, podUsage(pod, now));
    for (const n of podNames) used[n] = formatQuantity(total.get(n) ?? new Quantity(0n));
  }
  for (const n of names) {
    if (Object.hasOwn(used, n)) continue;
    const gr = LEGACY_COUNT_NAMES[n] ?? (n.startsWith('count/') ? grForCountName(n) : undefined);
    if (gr) used[n] = String(objectsOf(gr).length);
  }
  return used;
}
