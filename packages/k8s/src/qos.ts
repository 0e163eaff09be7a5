/**
 * Pod QoS classes, computed as the API server does (`ComputePodQOS` in
 * kubernetes/kubernetes pkg/apis/core/helper/qos/qos.go), explained for the QoS view, and
 * the order in which the kubelet evicts pods under memory pressure.
 *
 * Pods in the store come from the API server and are already defaulted; fixture pods may
 * not be. So the requests the API server would default (container requests from limits,
 * `SetDefaults_Pod`; pod-level requests and limits, `defaultPodRequests`/`defaultPodLimits`
 * in pkg/apis/core/v1/defaults.go) are applied first. On a defaulted pod that is a no-op.
 */

import { type Quantity, formatQuantity, sumQuantities, tryParseQuantity } from './quantity.js';

/** `status.qosClass` values. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** A resource list as JSON: name -> quantity text (or a JSON number). */
export type ResourceListJson = Record<string, string | number>;

/** The parts of a container QoS looks at (fits `V1Container` and plain JSON). */
export interface ContainerLike {
  name?: string;
  resources?: { requests?: ResourceListJson; limits?: ResourceListJson };
  restartPolicy?: string;
}

/** The parts of a pod QoS looks at (fits `V1Pod` and `KubeObject`). */
export interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    resources?: { requests?: ResourceListJson; limits?: ResourceListJson };
    priority?: number;
    overhead?: ResourceListJson;
  };
  status?: { qosClass?: string };
}

/** Upstream `supportedQoSComputeResources`: only cpu and memory decide the class. */
const QOS_RESOURCES = ['cpu', 'memory'] as const;
export type QosResource = (typeof QOS_RESOURCES)[number];

/** cpu and memory amounts; a resource is absent when not set (or not positive, in sums). */
export type QosResources = Partial<Record<QosResource, Quantity>>;

/** `IsSupportedPodLevelResource` (k8s.io/component-helpers/resource): cpu, memory, hugepages. */
function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/** `IsOvercommitAllowed`: every resource except hugepages (native extended resources aside). */
function isOvercommitAllowed(name: string): boolean {
  return !name.startsWith('hugepages-');
}

/**
 * A container's requests as the API server stores them: each limit without a request
 * becomes the request (`SetDefaults_Pod`). Returns the defaulted list and which names were
 * copied. Applies to pods only; upstream deliberately leaves pod templates alone.
 */
export function defaultContainerRequests(resources: ContainerLike['resources']): {
  requests: ResourceListJson | undefined;
  defaulted: string[];
} {
  const limits = resources?.limits;
  if (!limits) return { requests: resources?.requests, defaulted: [] };
  const requests: ResourceListJson = { ...(resources?.requests ?? {}) };
  const defaulted: string[] = [];
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(requests, name)) {
      requests[name] = value;
      defaulted.push(name);
    }
  }
  return { requests, defaulted };
}

type Amounts = Map<string, Quantity>;

function toAmounts(list: ResourceListJson | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(value);
    if (q) out.set(name, q);
  }
  return out;
}

function addInto(target: Amounts, source: Amounts): void {
  for (const [name, q] of source) target.set(name, sumQuantities([target.get(name) ?? 0, q]));
}

function maxInto(target: Amounts, source: Amounts): void {
  for (const [name, q] of source) {
    const current = target.get(name);
    if (!current || q.nanos > current.nanos) target.set(name, q);
  }
}

/**
 * `AggregateContainerRequests`/`AggregateContainerLimits` (component-helpers/resource):
 * app containers and sidecars (init containers with `restartPolicy: Always`) add up; each
 * other init container runs alongside the sidecars started before it; the larger wins.
 */
function aggregateContainers(spec: PodLike['spec'], which: 'requests' | 'limits'): Amounts {
  const total: Amounts = new Map();
  for (const c of spec?.containers ?? []) addInto(total, toAmounts(c.resources?.[which]));
  const sidecars: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = toAmounts(c.resources?.[which]);
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const whileRunning = new Map(own);
      addInto(whileRunning, sidecars);
      maxInto(initPeak, whileRunning);
    }
  }
  maxInto(total, initPeak);
  return total;
}

function allContainersHaveLimit(spec: PodLike['spec'], name: string): boolean {
  const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  return all.every((c) => c.resources?.limits !== undefined && Object.hasOwn(c.resources.limits, name));
}

/**
 * Pod-level `spec.resources` as the API server defaults them (PodLevelResources, 1.32+):
 * hugepage limits from containers (`defaultHugePagePodLimits`), then missing requests from
 * the containers' aggregate or else the pod limit (`defaultPodRequests`), then missing
 * cpu/memory limits from the containers' aggregate when every container sets one
 * (`defaultPodLimits`). Expects container requests already defaulted. Returns the input
 * when nothing changes.
 */
export function defaultPodLevelResources(spec: PodLike['spec']): PodLike['spec'] {
  const resources = spec?.resources;
  if (!spec || !resources) return spec;
  let limits: ResourceListJson | undefined = resources.limits;
  let requests: ResourceListJson | undefined = resources.requests;
  const hasEntries = (list: ResourceListJson | undefined) => Object.keys(list ?? {}).length > 0;

  if (hasEntries(limits) || hasEntries(requests)) {
    const next = { ...(limits ?? {}) };
    for (const [name, q] of aggregateContainers(spec, 'limits')) {
      if (!isSupportedPodLevelResource(name) || isOvercommitAllowed(name)) continue;
      if (requests && Object.hasOwn(requests, name)) continue;
      if (!Object.hasOwn(next, name)) next[name] = formatQuantity(q);
    }
    if (hasEntries(next)) limits = next;
  }

  if (hasEntries(limits)) {
    const next = { ...(requests ?? {}) };
    for (const [name, q] of aggregateContainers(spec, 'requests')) {
      if (!Object.hasOwn(next, name) && isSupportedPodLevelResource(name) && isOvercommitAllowed(name)) {
        next[name] = formatQuantity(q);
      }
    }
    for (const [name, value] of Object.entries(limits ?? {})) {
      if (!Object.hasOwn(next, name) && isSupportedPodLevelResource(name)) next[name] = value;
    }
    if (hasEntries(next)) requests = next;
  }

  const limitsSetAtPodLevel = Object.keys(limits ?? {}).some(isSupportedPodLevelResource);
  const requestsSetAtPodLevel = Object.keys(requests ?? {}).some(isSupportedPodLevelResource);
  if (!limitsSetAtPodLevel && requestsSetAtPodLevel) {
    const next = { ...(limits ?? {}) };
    for (const [name, q] of aggregateContainers(spec, 'limits')) {
      if (Object.hasOwn(next, name) || !isSupportedPodLevelResource(name) || !isOvercommitAllowed(name)) continue;
      if (allContainersHaveLimit(spec, name)) next[name] = formatQuantity(q);
    }
    if (hasEntries(next)) limits = next;
  }

  if (limits === resources.limits && requests === resources.requests) return spec;
  const defaulted: NonNullable<PodLike['spec']>['resources'] = { ...resources };
  if (limits !== undefined) defaulted.limits = limits;
  if (requests !== undefined) defaulted.requests = requests;
  return { ...spec, resources: defaulted };
}

/** One container's cpu/memory as QoS sees them. */
export interface ContainerQos {
  name: string;
  /** An init container (sidecars included). */
  init: boolean;
  /** Requests after the limit->request defaulting. */
  requests: QosResources;
  limits: QosResources;
  /** Resources whose request was copied from the limit (absent from the spec as written). */
  defaultedRequests: QosResource[];
}

/** Why a pod has its QoS class, for the QoS view and reports. */
export interface QosExplanation {
  qosClass: QosClass;
  /** One line: the deciding rule, e.g. "container app: no memory limit". */
  reason: string;
  /** Whether pod-level `spec.resources` decided the class instead of the containers. */
  decidedBy: 'containers' | 'pod';
  /** App containers, then init containers, as upstream iterates them. */
  containers: ContainerQos[];
  /** Pod-level requests and limits after defaulting, when they decided the class. */
  podLevel?: { requests: QosResources; limits: QosResources };
  /** Upstream's sums: positive cpu/memory requests and limits over what decided the class. */
  totals: { requests: QosResources; limits: QosResources };
  /** `status.qosClass` as recorded, when present. */
  statusQosClass?: string;
  /** `status.qosClass` is present and differs from the computed class. */
  mismatch: boolean;
}

function qosResources(list: ResourceListJson | undefined, positiveOnly: boolean): QosResources {
  const out: QosResources = {};
  for (const name of QOS_RESOURCES) {
    const value = list?.[name];
    const q = value === undefined ? undefined : tryParseQuantity(value);
    if (q && (!positiveOnly || q.sign() > 0)) out[name] = q;
  }
  return out;
}

function addPositive(total: QosResources, list: QosResources): void {
  for (const name of QOS_RESOURCES) {
    const q = list[name];
    if (q && q.sign() > 0) total[name] = total[name] ? sumQuantities([total[name], q]) : q;
  }
}

function describeContainer(c: ContainerQos): string {
  return `${c.init ? 'init container' : 'container'} ${c.name}`;
}

function sameAmount(a: Quantity | undefined, b: Quantity | undefined): boolean {
  return a !== undefined && b !== undefined && a.nanos === b.nanos;
}

function shown(q: Quantity | undefined): string {
  return q ? formatQuantity(q) : '0';
}

/** The upstream decision over summed requests and limits, with the rule that decided it. */
function decide(
  requests: QosResources,
  limits: QosResources,
  missingLimit: string | undefined,
  subject: string,
): { qosClass: QosClass; failure?: string } {
  const requested = QOS_RESOURCES.filter((r) => requests[r]);
  const limited = QOS_RESOURCES.filter((r) => limits[r]);
  if (requested.length === 0 && limited.length === 0) return { qosClass: 'BestEffort' };
  if (missingLimit) return { qosClass: 'Burstable', failure: missingLimit };
  for (const r of requested) {
    if (!limits[r]) return { qosClass: 'Burstable', failure: `${subject}: no ${r} limit` };
    if (!sameAmount(limits[r], requests[r])) {
      return { qosClass: 'Burstable', failure: `${subject}: ${r} limit ${shown(limits[r])} != request ${shown(requests[r])}` };
    }
  }
  if (requested.length !== limited.length) {
    const r = limited.find((name) => !requests[name]);
    return { qosClass: 'Burstable', failure: `${subject}: no ${r} request` };
  }
  return { qosClass: 'Guaranteed' };
}

function podLevelIsSet(resources: NonNullable<PodLike['spec']>['resources']): boolean {
  if (!resources) return false;
  return [...Object.keys(resources.requests ?? {}), ...Object.keys(resources.limits ?? {})].some(
    isSupportedPodLevelResource,
  );
}

function containerQos(c: ContainerLike, init: boolean, index: number): ContainerQos {
  const { requests, defaulted } = defaultContainerRequests(c.resources);
  const limits = qosResources(c.resources?.limits, false);
  return {
    name: c.name ?? `#${index}`,
    init,
    requests: qosResources(requests, false),
    limits,
    defaultedRequests: QOS_RESOURCES.filter((r) => defaulted.includes(r) && limits[r] !== undefined),
  };
}

/** The first container whose own cpu or memory request differs from its limit, as a reason. */
function firstContainerMismatch(containers: ContainerQos[]): string | undefined {
  for (const c of containers) {
    for (const r of QOS_RESOURCES) {
      const request = c.requests[r]?.sign() === 1 ? c.requests[r] : undefined;
      if (!sameAmount(c.limits[r], request)) {
        return `${describeContainer(c)}: ${r} limit ${shown(c.limits[r])} != request ${shown(request)}`;
      }
    }
  }
  return undefined;
}

/**
 * Explains a pod's QoS class: the class (exactly `ComputePodQOS`), the deciding rule in one
 * line, each container's cpu/memory after defaulting, the sums, and whether
 * `status.qosClass` disagrees. Unparsable quantities count as absent (the API server would
 * have rejected them).
 */
export function explainQos(pod: PodLike): QosExplanation {
  const spec = pod.spec ?? {};
  const containers = [
    ...(spec.containers ?? []).map((c, i) => containerQos(c, false, i)),
    ...(spec.initContainers ?? []).map((c, i) => containerQos(c, true, i)),
  ];
  const statusQosClass = pod.status?.qosClass || undefined;
  const withStatus = (e: Omit<QosExplanation, 'statusQosClass' | 'mismatch'>): QosExplanation => ({
    ...e,
    statusQosClass,
    mismatch: statusQosClass !== undefined && statusQosClass !== e.qosClass,
  });

  const defaultedSpec = defaultPodLevelResources({
    ...spec,
    containers: (spec.containers ?? []).map(withDefaultedRequests),
    initContainers: (spec.initContainers ?? []).map(withDefaultedRequests),
  });
  if (podLevelIsSet(defaultedSpec?.resources)) {
    const requests = qosResources(defaultedSpec?.resources?.requests, true);
    const limits = qosResources(defaultedSpec?.resources?.limits, true);
    const podLimitsSet = Object.keys(defaultedSpec?.resources?.limits ?? {}).length > 0;
    // Upstream only checks for a missing cpu or memory limit when pod-level limits exist.
    const missing = podLimitsSet ? QOS_RESOURCES.find((r) => !limits[r]) : undefined;
    const decision = decide(requests, limits, missing && `pod-level resources: no ${missing} limit`, 'pod-level resources');
    const reason =
      decision.failure ??
      (decision.qosClass === 'BestEffort'
        ? 'pod-level resources: no cpu or memory requests or limits'
        : 'pod-level resources: cpu and memory requests equal limits');
    return withStatus({
      qosClass: decision.qosClass,
      reason,
      decidedBy: 'pod',
      containers,
      podLevel: { requests: qosResources(defaultedSpec?.resources?.requests, false), limits: qosResources(defaultedSpec?.resources?.limits, false) },
      totals: { requests, limits },
    });
  }

  const totals = { requests: {} as QosResources, limits: {} as QosResources };
  let missingLimit: string | undefined;
  for (const c of containers) {
    addPositive(totals.requests, c.requests);
    addPositive(totals.limits, c.limits);
    const missing = QOS_RESOURCES.find((r) => !(c.limits[r] && c.limits[r].sign() > 0));
    if (missing && !missingLimit) missingLimit = `${describeContainer(c)}: no ${missing} limit`;
  }
  const decision = decide(totals.requests, totals.limits, missingLimit, 'all containers');
  let reason: string;
  if (decision.qosClass === 'BestEffort') {
    reason = 'no container sets requests or limits';
  } else if (decision.qosClass === 'Guaranteed') {
    reason = firstContainerMismatch(containers)
      ? 'cpu and memory requests add up to the limits across containers'
      : 'all containers set equal cpu and memory requests and limits';
  } else {
    // Name the container responsible where one is; the sums only say that one is.
    reason = missingLimit ?? firstContainerMismatch(containers) ?? decision.failure ?? '';
  }
  return withStatus({ qosClass: decision.qosClass, reason, decidedBy: 'containers', containers, totals });
}

function withDefaultedRequests(c: ContainerLike): ContainerLike {
  const { requests, defaulted } = defaultContainerRequests(c.resources);
  return defaulted.length === 0 ? c : { ...c, resources: { ...c.resources, requests } };
}

/** The pod's QoS class, exactly as `ComputePodQOS` computes it for the defaulted pod. */
export function computeQosClass(pod: PodLike): QosClass {
  return explainQos(pod).qosClass;
}

/** `status.qosClass` when recorded, else the computed class (upstream `GetPodQOS`). */
export function getPodQosClass(pod: PodLike): QosClass {
  const recorded = pod.status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return computeQosClass(pod);
}

/** What the memory-pressure order needs to know of one pod. */
export interface EvictionCandidate<P extends PodLike = PodLike> {
  pod: P;
  qosClass: QosClass;
  /** `spec.priority`, 0 when unset. */
  priority: number;
  /** The pod's effective memory request (pod-level when set, else the container aggregate). */
  memoryRequest: Quantity | undefined;
  /** Working-set memory, when metrics are known. */
  memoryUsage?: Quantity;
}

const QOS_EVICTION_ORDER: Record<QosClass, number> = { BestEffort: 0, Burstable: 1, Guaranteed: 2 };

function effectiveMemoryRequest(pod: PodLike): Quantity | undefined {
  const spec = defaultPodLevelResources({
    ...pod.spec,
    containers: (pod.spec?.containers ?? []).map(withDefaultedRequests),
    initContainers: (pod.spec?.initContainers ?? []).map(withDefaultedRequests),
  });
  const podLevel = tryParseQuantity(spec?.resources?.requests?.memory);
  if (podLevel) return podLevel;
  return aggregateContainers(spec, 'requests').get('memory');
}

/**
 * Builds the ranking inputs for one pod. `memoryUsage` is optional: without metrics the
 * order falls back as described on `compareForMemoryPressure`.
 */
export function evictionCandidate<P extends PodLike>(pod: P, memoryUsage?: Quantity): EvictionCandidate<P> {
  return {
    pod,
    qosClass: getPodQosClass(pod),
    priority: pod.spec?.priority ?? 0,
    memoryRequest: effectiveMemoryRequest(pod),
    ...(memoryUsage ? { memoryUsage } : {}),
  };
}

const ZERO = 0n;

/** Upstream `cmpBool`: true sorts first. */
function trueFirst(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? -1 : 1;
}

/**
 * Order under memory pressure, first evicted first. The kubelet's `rankMemoryPressure`
 * (pkg/kubelet/eviction/helpers.go) is `orderedBy(exceedMemoryRequests, priority, memory)`:
 * usage exceeding the memory request first, then lower `spec.priority` first, then larger
 * usage minus request first; a pod without stats goes before one with stats at the first
 * and last keys. It has no QoS key; the QoS order emerges from it (BestEffort requests
 * nothing, so any usage exceeds it; Guaranteed pods are capped at their request). daytwo
 * makes that explicit: BestEffort, then Burstable, then Guaranteed, and the kubelet's keys
 * within each class. When neither pod has usage (no metrics API), usage minus request
 * cannot be known: daytwo then ranks by priority and, as the best proxy for it, the smaller
 * memory request first. Ties break by namespace/name.
 */
export function compareForMemoryPressure(a: EvictionCandidate, b: EvictionCandidate): number {
  const byQos = QOS_EVICTION_ORDER[a.qosClass] - QOS_EVICTION_ORDER[b.qosClass];
  if (byQos !== 0) return byQos;
  const aRequest = a.memoryRequest?.nanos ?? ZERO;
  const bRequest = b.memoryRequest?.nanos ?? ZERO;
  const aUsage = a.memoryUsage?.nanos;
  const bUsage = b.memoryUsage?.nanos;
  // exceedMemoryRequests
  if (aUsage === undefined || bUsage === undefined) {
    const byStats = trueFirst(aUsage === undefined, bUsage === undefined);
    if (byStats !== 0) return byStats;
  } else {
    const byExceeding = trueFirst(aUsage > aRequest, bUsage > bRequest);
    if (byExceeding !== 0) return byExceeding;
  }
  // priority
  if (a.priority !== b.priority) return a.priority - b.priority;
  // memory (both with stats: a one-sided miss was decided above)
  if (aUsage !== undefined && bUsage !== undefined) {
    const aOver = aUsage - aRequest;
    const bOver = bUsage - bRequest;
    if (aOver !== bOver) return aOver > bOver ? -1 : 1;
  } else if (aRequest !== bRequest) {
    return aRequest < bRequest ? -1 : 1;
  }
  return podKey(a.pod).localeCompare(podKey(b.pod));
}

function podKey(pod: PodLike): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/**
 * Pods in the order the kubelet would evict them under memory pressure (a new array).
 * `memoryUsage` gives a pod's working set where metrics are known.
 */
export function evictionRank<P extends PodLike>(
  pods: readonly P[],
  memoryUsage?: (pod: P) => Quantity | undefined,
): P[] {
  return pods
    .map((pod) => evictionCandidate(pod, memoryUsage?.(pod)))
    .sort(compareForMemoryPressure)
    .map((c) => c.pod);
}
