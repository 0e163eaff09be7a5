/**
 * Object builders shared by the scenarios: EKS-like nodes, namespaces and workloads shaped
 * like what a real cluster serves.
 */
import { ApiError } from '../errors.js';
import { seededRandom } from '../random.js';

export { seededRandom };

import type { Fields, Node, PodDisruptionBudget, Service } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, ObjectStore } from '../types.js';

/** `length` lower-case hex characters. */
export function randomHex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server's generateName appends. */
export function nameSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += NAME_ALPHABET[Math.floor(random() * NAME_ALPHABET.length)];
  return out;
}

/** Creates an object, or leaves the existing one (scenarios run after the default namespaces exist). */
export function ensure(store: ObjectStore, gr: string, obj: KubeObject): KubeObject {
  try {
    // A scenario object that carries its creation time (an old node pool) keeps it.
    const restore = obj.metadata.creationTimestamp !== undefined;
    return store.create(gr, obj, { fieldManager: 'kubectl-client-side-apply', restore });
  } catch (err) {
    if (err instanceof ApiError && err.code === 409) return store.get(gr, obj.metadata.namespace, obj.metadata.name ?? '')!;
    throw err;
  }
}

export function namespace(name: string, labels: Record<string, string> = {}, createdAt?: Date): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(createdAt ? { creationTimestamp: rfc3339Seconds(createdAt) } : {}),
    },
  };
}

/** RFC 3339 to the second, as the API server writes timestamps. */
export function rfc3339Seconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function serviceAccount(ns: string, name = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

export interface NodePool {
  /** `eks.amazonaws.com/nodegroup`. */
  name: string;
  instanceType: string;
  cpu: string;
  allocatableCpu: string;
  memoryKi: number;
  allocatableMemoryKi: number;
  pods: number;
  kubeletVersion: string;
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
  ami: string;
  arch?: 'amd64' | 'arm64';
}

export const REGION = 'eu-west-1';
export const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export interface NodeSpecInput {
  pool: NodePool;
  /** Index across the whole cluster: decides the node's IP and podCIDR. */
  index: number;
  zone: string;
  random: () => number;
  createdAt: Date;
}

/** A node as an EKS managed node group registers it: labels, addresses, capacity, nodeInfo and conditions. */
export function eksNode({ pool, index, zone, random, createdAt }: NodeSpecInput): KubeObject {
  const third = 16 + Math.floor(index / 250);
  const fourth = 10 + (index % 250);
  const ip = `10.0.${third}.${fourth}`;
  const name = `ip-10-0-${third}-${fourth}.${REGION}.compute.internal`;
  const arch = pool.arch ?? 'amd64';
  const created = rfc3339Seconds(createdAt);
  const instanceId = `i-0${randomHex(random, 16)}`;
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: created,
    lastTransitionTime: created,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: created,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/instance-type': pool.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': pool.name,
        'eks.amazonaws.com/nodegroup-image': pool.ami,
        'failure-domain.beta.kubernetes.io/region': REGION,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'k8s.io/cloud-provider-aws': randomHex(random, 32),
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': pool.instanceType,
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': zone,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': ip,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.${64 + Math.floor(index / 256)}.${index % 256}.0/24`,
      podCIDRs: [`10.${64 + Math.floor(index / 256)}.${index % 256}.0/24`],
      providerID: `aws:///${zone}/${instanceId}`,
    },
    status: {
      capacity: { cpu: pool.cpu, 'ephemeral-storage': '83873772Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${pool.memoryKi}Ki`, pods: String(pool.pods) },
      allocatable: {
        cpu: pool.allocatableCpu,
        'ephemeral-storage': '76224326324',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${pool.allocatableMemoryKi}Ki`,
        pods: String(pool.pods),
      },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'InternalDNS', address: name },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: arch,
        bootID: uuid(random),
        containerRuntimeVersion: pool.containerRuntimeVersion,
        kernelVersion: pool.kernelVersion,
        kubeProxyVersion: pool.kubeletVersion,
        kubeletVersion: pool.kubeletVersion,
        machineID: randomHex(random, 32),
        operatingSystem: 'linux',
        osImage: pool.osImage,
        systemUUID: `ec2${randomHex(random, 5)}-${randomHex(random, 4)}-${randomHex(random, 4)}-${randomHex(random, 4)}-${randomHex(random, 12)}`,
      },
    },
  };
}

/** What `kubectl cordon` writes: spec.unschedulable, then the node lifecycle controller's taint. */
export function cordon(node: Node, at: Date): Node {
  const copy = structuredClone(node);
  copy.spec = { ...(copy.spec ?? {}), unschedulable: true };
  copy.spec.taints = [
    ...(copy.spec.taints ?? []),
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: `${at.toISOString().slice(0, 19)}Z` },
  ];
  return copy;
}

function uuid(random: () => number): string {
  const h = randomHex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface ContainerInput {
  name: string;
  image: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  readinessProbe?: Record<string, unknown>;
  args?: string[];
  env?: { name: string; value: string }[];
}

export function container(c: ContainerInput): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  if (c.requests) resources.requests = c.requests;
  if (c.limits) resources.limits = c.limits;
  return {
    name: c.name,
    image: c.image,
    ...(c.args ? { args: c.args } : {}),
    ...(c.env ? { env: c.env } : {}),
    ...(c.ports ? { ports: c.ports.map((p) => ({ protocol: 'TCP', ...p })) } : {}),
    resources,
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
  };
}

export interface WorkloadInput {
  name: string;
  namespace: string;
  replicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  containers: ContainerInput[];
  podSpec?: Record<string, unknown>;
}

/** A pod template whose labels are `app.kubernetes.io/name` (and `app` for selectors) plus extras. */
export function podTemplate(w: WorkloadInput): Fields {
  return {
    metadata: {
      labels: { app: w.name, ...(w.labels ?? {}) },
      ...(w.podAnnotations ? { annotations: { ...w.podAnnotations } } : {}),
    },
    spec: { containers: w.containers.map(container), ...(w.podSpec ?? {}) },
  };
}

export function deployment(w: WorkloadInput & { strategy?: Record<string, unknown> }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: { app: w.name, ...(w.labels ?? {}) },
      ...(w.annotations ? { annotations: { ...w.annotations } } : {}),
    },
    spec: {
      replicas: w.replicas ?? 1,
      selector: { matchLabels: { app: w.name } },
      template: podTemplate(w),
      ...(w.strategy ? { strategy: w.strategy } : {}),
    },
  };
}

export function daemonSet(w: WorkloadInput): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: w.name, namespace: w.namespace, labels: { app: w.name, ...(w.labels ?? {}) } },
    spec: { selector: { matchLabels: { app: w.name } }, template: podTemplate(w) },
  };
}

export function statefulSet(
  w: WorkloadInput & { serviceName: string; claims: { name: string; storage: string; storageClassName?: string }[] },
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: w.name, namespace: w.namespace, labels: { app: w.name, ...(w.labels ?? {}) } },
    spec: {
      replicas: w.replicas ?? 1,
      serviceName: w.serviceName,
      selector: { matchLabels: { app: w.name } },
      template: podTemplate(w),
      volumeClaimTemplates: w.claims.map((c) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: c.name },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: c.storageClassName ?? 'gp3',
          resources: { requests: { storage: c.storage } },
        },
      })),
    },
  };
}

export function service(
  name: string,
  ns: string,
  ports: { name?: string; port: number; targetPort: number | string }[],
  opts: { selector?: Record<string, string>; headless?: boolean } = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      ...(opts.selector === undefined ? { selector: { app: name } } : Object.keys(opts.selector).length > 0 ? { selector: opts.selector } : {}),
      ...(opts.headless ? { clusterIP: 'None' } : {}),
      ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
    },
  };
}

export function pdb(name: string, ns: string, selector: Record<string, string>, budget: { minAvailable?: number | string; maxUnavailable?: number | string }): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: selector }, ...budget },
  };
}
