/**
 * What the real API server fills in on write, so that objects served by the simulated
 * cluster look like a real cluster's:
 *
 * - the scheme's defaulting functions: pkg/apis/core/v1/defaults.go, apps/v1, batch/v1,
 *   autoscaling/v2, networking/v1 `defaults.go` and the declarative defaults of
 *   `zz_generated.defaults.go`;
 * - resource lists rounded up to milli-units (`SetDefaults_ResourceList`) and written back
 *   in canonical form, as a real server serializes them ("0.5" -> "500m");
 * - admission plugins that fill pods in: ServiceAccount (`serviceAccountName: default`),
 *   DefaultTolerationSeconds (not-ready/unreachable tolerations, 300 s) and Priority
 *   (`priority`, `preemptionPolicy`);
 * - registry strategies: pod `status.phase`/`status.qosClass` (pkg/registry/core/pod),
 *   namespace finalizer and phase (pkg/registry/core/namespace), Service cluster IPs and
 *   node ports (pkg/registry/core/service), Job `manualSelector`.
 *
 * Objects loaded from fixtures keep what they carry: every default fills only what is
 * absent, as upstream's do. The input is never mutated.
 */

import { computeQosClass, defaultPodLevelResources } from '@daytwo/k8s/qos.js';
import { formatQuantity, Quantity, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { GroupResource, KubeObject } from './types.js';

/** A JSON object of any API type. */
type Json = Record<string, unknown>;

/** Fills `obj[key]` when it is absent (Go: a nil pointer, map or slice). */
function fillNil(obj: Json, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Fills `obj[key]` when it holds Go's zero value: absent, "" or 0. */
function fillZero(obj: Json, key: string, value: unknown): void {
  const current = obj[key];
  if (current === undefined || current === null || current === '' || current === 0) obj[key] = value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eachObject(list: unknown, fn: (item: Json) => void): void {
  if (Array.isArray(list)) for (const item of list) if (isObject(item)) fn(item);
}

/** `obj[key]`, made `{}` first unless it is an object (Go: a nil struct pointer allocated). */
function objectAt(obj: Json, key: string): Json {
  const value = obj[key];
  if (isObject(value)) return value;
  const created: Json = {};
  obj[key] = created;
  return created;
}

/** The value at `path` below `value`, through objects only (`value?.a?.b` on JSON). */
function fieldAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** What `{ ...value }` spreads of any JSON value, `{}` for null or undefined. */
function spreadable(value: unknown): object {
  return (value ?? {}) as object;
}

// ---- resource lists -------------------------------------------------------------------

const NANOS_PER_MILLI = 1_000_000n;

/**
 * `SetDefaults_ResourceList`: each quantity rounded up to milli-units ("TODO(#18538)" in
 * upstream), then serialized canonically. Unparsable values are left for validation.
 */
function roundResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const [name, value] of Object.entries(list)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const q = tryParseQuantity(value);
    if (!q) continue;
    const remainder = q.nanos % NANOS_PER_MILLI;
    const rounded =
      remainder === 0n ? q : new Quantity(q.nanos - remainder + (q.nanos > 0n ? NANOS_PER_MILLI : -NANOS_PER_MILLI), q.format);
    list[name] = formatQuantity(rounded);
  }
}

function roundRequirements(resources: unknown): void {
  if (!isObject(resources)) return;
  roundResourceList(resources.requests);
  roundResourceList(resources.limits);
}

// ---- pod spec -------------------------------------------------------------------------

/**
 * The tag `ParseImageName` (pkg/util/parsers) finds: an explicit tag, else "latest"
 * unless the image is pinned by digest.
 */
function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** `SetDefaults_HTTPGetAction` and the declarative GRPCAction default, on any handler. */
function defaultHandler(handler: unknown): void {
  if (!isObject(handler)) return;
  if (isObject(handler.httpGet)) {
    fillZero(handler.httpGet, 'path', '/');
    fillZero(handler.httpGet, 'scheme', 'HTTP');
  }
  if (isObject(handler.grpc)) fillNil(handler.grpc, 'service', '');
}

/** `SetDefaults_Probe`: Go zero values (0) are replaced too. */
function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  fillZero(probe, 'timeoutSeconds', 1);
  fillZero(probe, 'periodSeconds', 10);
  fillZero(probe, 'successThreshold', 1);
  fillZero(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

/** `SetDefaults_ObjectFieldSelector` and the `divisor` a resourceFieldRef always serializes. */
function defaultDownwardRefs(source: unknown): void {
  if (!isObject(source)) return;
  if (isObject(source.fieldRef)) fillZero(source.fieldRef, 'apiVersion', 'v1');
  if (isObject(source.resourceFieldRef)) {
    fillNil(source.resourceFieldRef, 'divisor', '0');
    roundResourceList({ divisor: source.resourceFieldRef.divisor });
  }
}

/** `SetDefaults_Container` and the defaults reached through a container's fields. */
function defaultContainer(container: Json): void {
  if (!container.imagePullPolicy) {
    container.imagePullPolicy = imageTag(String(container.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  fillZero(container, 'terminationMessagePath', '/dev/termination-log');
  fillZero(container, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct, not a pointer: a real server always writes it.
  fillNil(container, 'resources', {});
  roundRequirements(container.resources);
  eachObject(container.ports, (port) => fillZero(port, 'protocol', 'TCP'));
  eachObject(container.env, (env) => defaultDownwardRefs(env.valueFrom));
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  if (isObject(container.lifecycle)) {
    defaultHandler(container.lifecycle.postStart);
    defaultHandler(container.lifecycle.preStop);
  }
}

/** Mode 0644, upstream's `*VolumeSourceDefaultMode`. */
const DEFAULT_VOLUME_MODE = 0o644;

/** `SetDefaults_Volume` and the defaults of the volume sources. */
function defaultVolume(volume: Json): void {
  const sourceKeys = Object.keys(volume).filter((k) => k !== 'name');
  if (sourceKeys.length === 0) volume.emptyDir = {};
  if (isObject(volume.secret)) fillNil(volume.secret, 'defaultMode', DEFAULT_VOLUME_MODE);
  if (isObject(volume.configMap)) fillNil(volume.configMap, 'defaultMode', DEFAULT_VOLUME_MODE);
  if (isObject(volume.downwardAPI)) {
    fillNil(volume.downwardAPI, 'defaultMode', DEFAULT_VOLUME_MODE);
    eachObject(volume.downwardAPI.items, defaultDownwardRefs);
  }
  if (isObject(volume.projected)) {
    fillNil(volume.projected, 'defaultMode', DEFAULT_VOLUME_MODE);
    eachObject(volume.projected.sources, (source) => {
      if (isObject(source.serviceAccountToken)) fillNil(source.serviceAccountToken, 'expirationSeconds', 3600);
      if (isObject(source.downwardAPI)) eachObject(source.downwardAPI.items, defaultDownwardRefs);
    });
  }
  if (isObject(volume.hostPath)) fillNil(volume.hostPath, 'type', '');
  if (isObject(volume.ephemeral) && isObject(volume.ephemeral.volumeClaimTemplate)) {
    defaultPvcSpec(volume.ephemeral.volumeClaimTemplate.spec);
  }
}

/**
 * `SetDefaults_PodSpec` and everything reached from a pod spec: what pods and pod
 * templates share. (Defaults that only pods get are in `defaultPodOnly`.)
 */
function defaultPodSpec(spec: Json): void {
  fillZero(spec, 'dnsPolicy', 'ClusterFirst');
  fillZero(spec, 'restartPolicy', 'Always');
  fillNil(spec, 'securityContext', {});
  fillNil(spec, 'terminationGracePeriodSeconds', 30);
  fillZero(spec, 'schedulerName', 'default-scheduler');
  eachObject(spec.containers, defaultContainer);
  eachObject(spec.initContainers, defaultContainer);
  eachObject(spec.ephemeralContainers, defaultContainer);
  eachObject(spec.volumes, defaultVolume);
  roundResourceList(spec.overhead);
  roundRequirements(spec.resources);
}

// ---- pods -----------------------------------------------------------------------------

/** `SetDefaults_Pod`: a container's limits become its missing requests. */
function defaultRequestsFromLimits(container: Json): void {
  const resources = container.resources;
  if (!isObject(resources) || !isObject(resources.limits)) return;
  const requests = objectAt(resources, 'requests');
  for (const [name, value] of Object.entries(resources.limits)) {
    if (!Object.hasOwn(requests, name)) requests[name] = value;
  }
}

/** `defaultHostNetworkPorts`: with host networking, container ports are host ports. */
function defaultHostPorts(container: Json): void {
  eachObject(container.ports, (port) => fillZero(port, 'hostPort', port.containerPort));
}

/** Priorities of the built-in PriorityClasses (pkg/apis/scheduling: SystemCritical...). */
const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/**
 * DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): a
 * NoExecute toleration of 300 s for each taint no existing toleration already covers
 * (an empty key or effect matches any).
 */
function defaultTolerations(spec: Json): void {
  const tolerations: Json[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const covers = (key: string) =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const added: Json[] = [];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!covers(key)) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

/** What pods get beyond pod templates: `SetDefaults_Pod` and the admission plugins. */
function defaultPodOnly(spec: Json): void {
  eachObject(spec.containers, defaultRequestsFromLimits);
  eachObject(spec.initContainers, defaultRequestsFromLimits);
  // PodLevelResources (beta, on by default): pod-level requests/limits after the containers'.
  const withPodLevel = defaultPodLevelResources(spec);
  if (withPodLevel && withPodLevel !== spec) spec.resources = withPodLevel.resources;
  fillNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    eachObject(spec.containers, defaultHostPorts);
    eachObject(spec.initContainers, defaultHostPorts);
  }
  // v1 conversion keeps the deprecated serviceAccount mirroring serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  fillZero(spec, 'serviceAccountName', 'default');
  fillZero(spec, 'serviceAccount', spec.serviceAccountName);
  if (spec.priority === undefined || spec.priority === null) {
    const className = spec.priorityClassName;
    // Pods naming an unknown class would be rejected upstream; the sim leaves them alone.
    if (!className) spec.priority = 0;
    else if (typeof className === 'string' && Object.hasOwn(SYSTEM_PRIORITIES, className)) spec.priority = SYSTEM_PRIORITIES[className];
  }
  fillZero(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  defaultTolerations(spec);
}

function defaultPod(pod: KubeObject): void {
  const spec = objectAt(pod, 'spec');
  defaultPodSpec(spec);
  defaultPodOnly(spec);
  // The pod strategy sets phase and QoS class on create; updates keep them.
  const status = objectAt(pod, 'status');
  fillZero(status, 'phase', 'Pending');
  if (!status.qosClass) status.qosClass = computeQosClass(pod);
}

function defaultPodTemplate(template: unknown): void {
  if (!isObject(template)) return;
  defaultPodSpec(objectAt(template, 'spec'));
}

// ---- workloads ------------------------------------------------------------------------

/** `SetDefaults_Deployment` (apps/v1). */
function defaultDeployment(spec: Json): void {
  fillNil(spec, 'replicas', 1);
  const strategy = objectAt(spec, 'strategy');
  fillZero(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = objectAt(strategy, 'rollingUpdate');
    fillNil(rollingUpdate, 'maxUnavailable', '25%');
    fillNil(rollingUpdate, 'maxSurge', '25%');
  }
  fillNil(spec, 'revisionHistoryLimit', 10);
  fillNil(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(spec.template);
}

/** `SetDefaults_StatefulSet` (apps/v1; StatefulSetAutoDeletePVC is GA). */
function defaultStatefulSet(spec: Json): void {
  fillZero(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = objectAt(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    fillNil(strategy, 'rollingUpdate', {});
  }
  // Only an existing rollingUpdate gets a partition: `type: RollingUpdate` alone stays bare.
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) fillNil(strategy.rollingUpdate, 'partition', 0);
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy');
  fillZero(retention, 'whenDeleted', 'Retain');
  fillZero(retention, 'whenScaled', 'Retain');
  fillNil(spec, 'replicas', 1);
  fillNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(spec.template);
  eachObject(spec.volumeClaimTemplates, defaultPvc);
}

/** `SetDefaults_DaemonSet` (apps/v1). */
function defaultDaemonSet(spec: Json): void {
  const strategy = objectAt(spec, 'updateStrategy');
  fillZero(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = objectAt(strategy, 'rollingUpdate');
    fillNil(rollingUpdate, 'maxUnavailable', 1);
    fillNil(rollingUpdate, 'maxSurge', 0);
  }
  fillNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(spec.template);
}

/** `SetDefaults_ReplicaSet` (apps/v1) and the declarative ReplicationController default. */
function defaultReplicaSet(spec: Json): void {
  fillNil(spec, 'replicas', 1);
  defaultPodTemplate(spec.template);
}

/** `SetDefaults_ReplicationController`: selector and labels from the template's labels. */
function defaultReplicationController(obj: KubeObject, spec: Json): void {
  defaultReplicaSet(spec);
  const labels = fieldAt(spec, 'template', 'metadata', 'labels');
  if (!isObject(labels)) return;
  if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
  copyLabelsIfNone(obj, labels);
}

/** Gives an object without labels a copy of `labels` (its template's, as JSON). */
function copyLabelsIfNone(obj: KubeObject, labels: Json): void {
  const meta: Json = obj.metadata;
  if (!isObject(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
}

const MAX_INT32 = 2_147_483_647;

/** `SetDefaults_Job` (batch/v1; JobPodReplacementPolicy is on by default). */
function defaultJob(obj: KubeObject, spec: Json): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  fillNil(spec, 'parallelism', 1);
  fillNil(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? MAX_INT32 : 6);
  const templateLabels = fieldAt(spec, 'template', 'metadata', 'labels');
  if (isObject(templateLabels)) copyLabelsIfNone(obj, templateLabels);
  fillNil(spec, 'completionMode', 'NonIndexed');
  fillNil(spec, 'suspend', false);
  if (isObject(spec.podFailurePolicy)) {
    eachObject(spec.podFailurePolicy.rules, (rule) => eachObject(rule.onPodConditions, (p) => fillZero(p, 'status', 'True')));
  }
  fillNil(spec, 'podReplacementPolicy', isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  fillNil(spec, 'manualSelector', false);
  defaultPodTemplate(spec.template);
}

/** `SetDefaults_CronJob` (batch/v1); the job template gets pod-template defaults only. */
function defaultCronJob(spec: Json): void {
  fillZero(spec, 'concurrencyPolicy', 'Allow');
  fillNil(spec, 'suspend', false);
  fillNil(spec, 'successfulJobsHistoryLimit', 3);
  fillNil(spec, 'failedJobsHistoryLimit', 1);
  if (isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec)) defaultPodTemplate(spec.jobTemplate.spec.template);
}

// ---- storage, namespaces, nodes, misc --------------------------------------------------

/** `SetDefaults_PersistentVolumeClaimSpec`. */
function defaultPvcSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  fillNil(spec, 'volumeMode', 'Filesystem');
  roundRequirements(spec.resources);
}

/** `SetDefaults_PersistentVolumeClaim` (also applied to StatefulSet claim templates). */
function defaultPvc(pvc: Json): void {
  defaultPvcSpec(objectAt(pvc, 'spec'));
  fillZero(objectAt(pvc, 'status'), 'phase', 'Pending');
}

/** `SetDefaults_PersistentVolume`. */
function defaultPv(pv: Json): void {
  const spec = objectAt(pv, 'spec');
  fillZero(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  fillNil(spec, 'volumeMode', 'Filesystem');
  roundResourceList(spec.capacity);
  fillZero(objectAt(pv, 'status'), 'phase', 'Pending');
}

/**
 * `SetDefaults_Namespace`/`SetDefaults_NamespaceStatus` and the namespace strategy's
 * create: the name label (always), the `kubernetes` finalizer and phase Active.
 */
function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  fillNil(objectAt(ns, 'spec'), 'finalizers', ['kubernetes']);
  fillZero(objectAt(ns, 'status'), 'phase', 'Active');
}

/** `SetDefaults_NodeStatus`: allocatable defaults to capacity. */
function defaultNode(node: Json): void {
  const status = node.status;
  if (!isObject(status)) return;
  roundResourceList(status.capacity);
  if (status.allocatable == null && isObject(status.capacity)) status.allocatable = { ...status.capacity };
  roundResourceList(status.allocatable);
}

/** `SetDefaults_LimitRangeItem`: container defaults from max, requests from defaults or min. */
function defaultLimitRange(spec: Json): void {
  eachObject(spec.limits, (item) => {
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) roundResourceList(item[key]);
    if (item.type !== 'Container') return;
    const limits = { ...spreadable(item.max), ...spreadable(item.default) };
    const requests = { ...spreadable(item.min), ...limits, ...spreadable(item.defaultRequest) };
    // Empty maps are omitted when serialized (omitempty).
    if (Object.keys(limits).length > 0) item.default = limits;
    if (Object.keys(requests).length > 0) item.defaultRequest = requests;
  });
}

// ---- services -------------------------------------------------------------------------

/** The single-stack service CIDR of a kubeadm cluster: 10.96.0.0/12. */
const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16);
const SERVICE_CIDR_SIZE = 1 << 20;
/**
 * Upstream reserves the low end of the range for requested IPs and allocates dynamically
 * above it (KEP-3070: min(max(16, size/16), 256) addresses), and 10.96.0.1 is the
 * `kubernetes` service's.
 */
const SERVICE_STATIC_BAND = 256;
const KUBERNETES_SERVICE_IP = '10.96.0.1';
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
/** KEP-3668: the node-port static band, min(max(16, size/32), 128) ports. */
const NODE_PORT_STATIC_BAND = 86;

function ipOf(offset: number): string {
  const n = SERVICE_CIDR_BASE + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** FNV-1a, 32 bits: a stable, well-spread starting point per object. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Hands out values from a band deterministically: the same owner always gets the same
 * value, a new owner starts at a hash of its key and probes past values taken. Values seen
 * on incoming objects are recorded as taken.
 */
class BandAllocator<T extends string | number> {
  private readonly byValue = new Map<T, string>();
  private readonly byOwner = new Map<string, T>();

  constructor(
    private readonly size: number,
    private readonly valueAt: (index: number) => T,
  ) {}

  record(value: T, owner: string): void {
    if (!this.byValue.has(value)) this.byValue.set(value, owner);
    if (!this.byOwner.has(owner)) this.byOwner.set(owner, value);
  }

  allocate(owner: string): T {
    const existing = this.byOwner.get(owner);
    if (existing !== undefined && this.byValue.get(existing) === owner) return existing;
    const start = fnv1a(owner) % this.size;
    for (let i = 0; i < this.size; i++) {
      const value = this.valueAt((start + i) % this.size);
      if (!this.byValue.has(value)) {
        this.byValue.set(value, owner);
        this.byOwner.set(owner, value);
        return value;
      }
    }
    throw new Error('simulated allocator range is full');
  }
}

let unnamedServices = 0;

interface ServiceAllocators {
  clusterIPs: BandAllocator<string>;
  nodePorts: BandAllocator<number>;
}

function createServiceAllocators(): ServiceAllocators {
  // The broadcast address (last of the range) is never handed out.
  const ipBand = SERVICE_CIDR_SIZE - SERVICE_STATIC_BAND - 1;
  const portBand = NODE_PORT_MAX - NODE_PORT_MIN + 1 - NODE_PORT_STATIC_BAND;
  return {
    clusterIPs: new BandAllocator(ipBand, (i) => ipOf(SERVICE_STATIC_BAND + i)),
    nodePorts: new BandAllocator(portBand, (i) => NODE_PORT_MIN + NODE_PORT_STATIC_BAND + i),
  };
}

/** `service.ExternallyAccessible`: NodePort, LoadBalancer, or ClusterIP with external IPs. */
function externallyAccessible(spec: Json): boolean {
  return (
    spec.type === 'NodePort' ||
    spec.type === 'LoadBalancer' ||
    (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

/** `SetDefaults_Service`. */
function defaultServiceSpec(spec: Json): void {
  fillZero(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && fieldAt(spec, 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds') == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  fillZero(spec, 'type', 'ClusterIP');
  eachObject(spec.ports, (port) => {
    fillZero(port, 'protocol', 'TCP');
    fillZero(port, 'targetPort', port.port);
  });
  if (externallyAccessible(spec)) fillZero(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') {
    fillNil(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'LoadBalancer') fillNil(spec, 'allocateLoadBalancerNodePorts', true);
}

/**
 * The service REST storage's allocation (pkg/registry/core/service/storage): cluster IPs
 * and IP families for a single-stack IPv4 cluster, and node ports.
 */
function allocateServiceAddresses(svc: KubeObject, spec: Json, allocators: ServiceAllocators): void {
  if (spec.type === 'ExternalName') return;
  // Before generateName is resolved the name is unknown: such a service owns its addresses alone.
  const name = svc.metadata.name || `${svc.metadata.generateName ?? ''}#${++unnamedServices}`;
  const key = `${svc.metadata.namespace ?? ''}/${name}`;

  if (!spec.clusterIP && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) spec.clusterIP = spec.clusterIPs[0];
  if (!spec.clusterIP) {
    spec.clusterIP =
      key === 'default/kubernetes' ? KUBERNETES_SERVICE_IP : allocators.clusterIPs.allocate(key);
  } else if (spec.clusterIP !== 'None') {
    allocators.clusterIPs.record(spec.clusterIP as string, key);
  }
  fillNil(spec, 'clusterIPs', [spec.clusterIP]);
  // Headless and selectorless: RequireDualStack, and both families even on a single-stack
  // cluster (`initIPFamilyFields`, pkg/registry/core/service/storage/alloc.go).
  const headlessWithoutSelector =
    spec.clusterIP === 'None' && (!isObject(spec.selector) || Object.keys(spec.selector).length === 0);
  fillZero(spec, 'ipFamilyPolicy', headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) {
    spec.ipFamilies = headlessWithoutSelector && spec.ipFamilyPolicy !== 'SingleStack' ? ['IPv4', 'IPv6'] : ['IPv4'];
  }

  const wantsNodePorts =
    spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  eachObject(spec.ports, (port) => {
    // Ports sharing a number (e.g. TCP and UDP 53) share a node port (`initNodePorts`).
    const owner = `${key}/${port.port}`;
    if (port.nodePort) allocators.nodePorts.record(port.nodePort as number, owner);
    else if (wantsNodePorts) port.nodePort = allocators.nodePorts.allocate(owner);
  });
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    if (spec.healthCheckNodePort) allocators.nodePorts.record(spec.healthCheckNodePort as number, `${key}/health`);
    else spec.healthCheckNodePort = allocators.nodePorts.allocate(`${key}/health`);
  }
}

function defaultService(svc: KubeObject, allocators: ServiceAllocators): void {
  const spec = objectAt(svc, 'spec');
  defaultServiceSpec(spec);
  allocateServiceAddresses(svc, spec, allocators);
  // LoadBalancerStatus is a struct, so a real server always writes `status.loadBalancer`.
  fillNil(objectAt(svc, 'status'), 'loadBalancer', {});
}

// ---- networking, autoscaling, policy ---------------------------------------------------

/** `SetDefaults_NetworkPolicyPort` and `SetDefaults_NetworkPolicy` (networking/v1). */
function defaultNetworkPolicy(spec: Json): void {
  for (const direction of ['ingress', 'egress']) {
    eachObject(spec[direction], (rule) => eachObject(rule.ports, (port) => fillZero(port, 'protocol', 'TCP')));
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

/** `GenerateHPAScaleUpRules`/`GenerateHPAScaleDownRules` (autoscaling/v2). */
function defaultHpaRules(rules: unknown, direction: 'scaleUp' | 'scaleDown'): Json {
  const out: Json = { ...spreadable(rules) };
  fillNil(out, 'stabilizationWindowSeconds', direction === 'scaleUp' ? 0 : 300);
  fillZero(out, 'selectPolicy', 'Max');
  if (!Array.isArray(out.policies) || out.policies.length === 0) {
    out.policies =
      direction === 'scaleUp'
        ? [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ]
        : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
  return out;
}

/** `SetDefaults_HorizontalPodAutoscaler`: v2 also defaults metrics (80% cpu) and behavior. */
function defaultHpa(obj: KubeObject, spec: Json): void {
  fillNil(spec, 'minReplicas', 1);
  if (obj.apiVersion === 'autoscaling/v1') return;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObject(spec.behavior)) {
    spec.behavior.scaleUp = defaultHpaRules(spec.behavior.scaleUp, 'scaleUp');
    spec.behavior.scaleDown = defaultHpaRules(spec.behavior.scaleDown, 'scaleDown');
  }
}

/** A new PDB's status: its counters are non-omitempty int32s, so a real server writes zeros. */
function defaultPdb(pdb: Json): void {
  const status = objectAt(pdb, 'status');
  for (const key of ['currentHealthy', 'desiredHealthy', 'disruptionsAllowed', 'expectedPods']) fillNil(status, key, 0);
}

/**
 * `stringData` is write-only: its values are base64-encoded into `data` (overriding keys
 * already there) and it is not stored (k8s.io/kubernetes pkg/apis/core/v1 conversion.go,
 * Convert_v1_Secret_To_core_Secret).
 */
function defaultSecret(obj: Json): void {
  if (isObject(obj.stringData)) {
    const data: Json = isObject(obj.data) ? obj.data : {};
    for (const [key, value] of Object.entries(obj.stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
  fillZero(obj, 'type', 'Opaque');
}

// ---- dispatch -------------------------------------------------------------------------

function withSpec(obj: Json): Json {
  return objectAt(obj, 'spec');
}

type InPlaceDefaulter = (obj: KubeObject, allocators: ServiceAllocators) => void;

/** Per group/resource, what defaults a private clone in place; other resources have none. */
const DEFAULTERS: ReadonlyMap<GroupResource, InPlaceDefaulter> = new Map<GroupResource, InPlaceDefaulter>([
  ['pods', (obj) => defaultPod(obj)],
  ['podtemplates', (obj) => defaultPodTemplate(obj.template)],
  ['replicationcontrollers', (obj) => defaultReplicationController(obj, withSpec(obj))],
  ['services', (obj, allocators) => defaultService(obj, allocators)],
  ['namespaces', (obj) => defaultNamespace(obj)],
  ['nodes', (obj) => defaultNode(obj)],
  ['persistentvolumeclaims', (obj) => defaultPvc(obj)],
  ['persistentvolumes', (obj) => defaultPv(obj)],
  ['endpoints', (obj) => eachObject(obj.subsets, (s) => eachObject(s.ports, (port) => fillZero(port, 'protocol', 'TCP')))],
  ['secrets', (obj) => defaultSecret(obj)],
  ['limitranges', (obj) => defaultLimitRange(withSpec(obj))],
  ['resourcequotas', (obj) => roundResourceList(withSpec(obj).hard)],
  ['apps/deployments', (obj) => defaultDeployment(withSpec(obj))],
  ['apps/statefulsets', (obj) => defaultStatefulSet(withSpec(obj))],
  ['apps/daemonsets', (obj) => defaultDaemonSet(withSpec(obj))],
  ['apps/replicasets', (obj) => defaultReplicaSet(withSpec(obj))],
  ['batch/jobs', (obj) => defaultJob(obj, withSpec(obj))],
  ['batch/cronjobs', (obj) => defaultCronJob(withSpec(obj))],
  ['networking.k8s.io/networkpolicies', (obj) => defaultNetworkPolicy(withSpec(obj))],
  ['autoscaling/horizontalpodautoscalers', (obj) => defaultHpa(obj, withSpec(obj))],
  ['policy/poddisruptionbudgets', (obj) => defaultPdb(obj)],
]);

/**
 * Fills in server-side defaults for one group/resource; see {@link createDefaulter}.
 * With `inPlace`, `obj` itself is defaulted and returned (the caller owns it).
 */
export type Defaulter = (gr: GroupResource, obj: KubeObject, inPlace?: boolean) => KubeObject;

/**
 * A defaulter with its own Service cluster-IP and node-port allocators (one per simulated
 * cluster). Returns a defaulted copy, or `obj` itself for resources without defaults.
 */
export function createDefaulter(): Defaulter {
  const allocators = createServiceAllocators();
  return (gr, obj, inPlace = false) => {
    const defaultInPlace = DEFAULTERS.get(gr);
    if (!defaultInPlace) return obj;
    const copy = inPlace ? obj : structuredClone(obj);
    copy.metadata ??= {};
    defaultInPlace(copy, allocators);
    return copy;
  };
}

const sharedDefaulter = createDefaulter();

/**
 * Fills in what the API server's defaulting, admission and registry strategies fill in
 * for `gr`, using a process-wide Service address allocator. Pure apart from that
 * allocator: the input is not mutated, unless `inPlace` says the caller hands it over.
 */
export function applyDefaults(gr: GroupResource, obj: KubeObject, inPlace = false): KubeObject {
  return sharedDefaulter(gr, obj, inPlace);
}
