/**
 * The `large` scenario: `nodes` nodes in five node groups and `pods` pods over fifty
 * namespaces, mostly Deployments. To load in seconds, objects are written in bulk the way
 * the controllers would leave them (ReplicaSets named by template hash, pods bound and
 * Running with IPs from their node's podCIDR) instead of scheduling 30,000 pods one by one;
 * `settle()` then fills in every status.
 */

import type { DaemonSet, Deployment, Node, Pod, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { computeHash } from '../controllers/hash.js';
import { settle } from '../controllers/index.js';
import { imageID } from '../controllers/kubelet.js';
import { GR, newControllerRef } from '../controllers/objects.js';
import type { Controller, KubeObject, ObjectStore } from '../types.js';
import {
  type ContainerInput,
  daemonSet,
  deployment,
  eksNode,
  ensure,
  type NodePool,
  nameSuffix,
  namespace,
  pdb,
  randomHex,
  seededRandom,
  service,
  ZONES,
} from './builders.js';

export interface LargeOptions {
  nodes: number;
  pods: number;
  seed: number;
}

const ECR = '602401143452.dkr.ecr.eu-west-1.amazonaws.com';
const OLD = { kubeletVersion: 'v1.29.6-eks-1552ad0', osImage: 'Amazon Linux 2', kernelVersion: '5.10.220-209.869.amzn2.x86_64', containerRuntimeVersion: 'containerd://1.7.11' };
const NEW = { kubeletVersion: 'v1.30.2-eks-1552ad0', osImage: 'Amazon Linux 2023.5.20240708', kernelVersion: '6.1.96-102.177.amzn2023.x86_64', containerRuntimeVersion: 'containerd://1.7.20' };

/** Node groups with their share of the nodes. */
const POOLS: { pool: NodePool; share: number }[] = [
  { share: 0.3, pool: { name: 'general-v1-29', instanceType: 'm5.4xlarge', cpu: '16', allocatableCpu: '15890m', memoryKi: 64475148, allocatableMemoryKi: 63458316, pods: 110, ami: 'ami-0a1b2c3d4e5f60718', ...OLD } },
  { share: 0.3, pool: { name: 'general-v1-30', instanceType: 'm6i.4xlarge', cpu: '16', allocatableCpu: '15890m', memoryKi: 64475144, allocatableMemoryKi: 63458312, pods: 110, ami: 'ami-0f9e8d7c6b5a40312', ...NEW } },
  { share: 0.15, pool: { name: 'memory-optimized', instanceType: 'r6i.4xlarge', cpu: '16', allocatableCpu: '15890m', memoryKi: 130537496, allocatableMemoryKi: 129520664, pods: 110, ami: 'ami-0f9e8d7c6b5a40312', ...NEW } },
  { share: 0.15, pool: { name: 'compute-optimized', instanceType: 'c6i.4xlarge', cpu: '16', allocatableCpu: '15890m', memoryKi: 31818292, allocatableMemoryKi: 30801460, pods: 110, ami: 'ami-0f9e8d7c6b5a40312', ...NEW } },
  { share: 0.1, pool: { name: 'arm-graviton', instanceType: 'm7g.4xlarge', cpu: '16', allocatableCpu: '15890m', memoryKi: 64475144, allocatableMemoryKi: 63458312, pods: 110, ami: 'ami-07e6d5c4b3a291807', arch: 'arm64', ...NEW } },
];

const DOMAINS = [
  'checkout', 'catalog', 'payments', 'search', 'identity', 'orders', 'inventory', 'shipping', 'pricing', 'reviews',
  'cart', 'accounts', 'billing', 'notifications', 'analytics', 'ads', 'media', 'recommendations', 'fraud', 'loyalty',
  'support', 'content', 'gateway', 'reporting', 'ledger',
];
const ENVS = ['prod', 'staging'];
const COMPONENTS = ['api', 'worker', 'web', 'consumer', 'scheduler', 'cache', 'grpc', 'sync', 'indexer', 'exporter'];

interface NodeSlot {
  name: string;
  ip: string;
  cidrBase: [number, number, number];
  pods: number;
  maxPods: number;
  cpu: number;
  maxCpu: number;
}

/** Loads the large cluster and settles its statuses. */
export function loadLarge(store: ObjectStore, controllers: readonly Controller[], opts: LargeOptions): void {
  const random = seededRandom(opts.seed);
  const now = new Date();
  const startedAt = `${new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 19)}Z`;

  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) ensure(store, GR.namespaces, namespace(ns));
  const namespaces = DOMAINS.flatMap((d) => ENVS.map((e) => `${d}-${e}`));
  for (const ns of namespaces) ensure(store, GR.namespaces, namespace(ns, { team: ns.split('-')[0], env: ns.split('-').at(-1) ?? '' }));

  const slots = createNodes(store, opts.nodes, random, now);
  let podsLeft = opts.pods;
  const ctx: BulkContext = { store, random, slots, cursor: Math.floor(random() * Math.max(1, slots.length)), startedAt };

  // Two daemon pods per node when the pod budget allows it, as every EKS node runs them.
  if (slots.length > 0 && podsLeft >= slots.length * 4) {
    for (const ds of systemDaemonSets()) {
      createDaemonSetPods(ctx, ensure(store, GR.daemonSets, ds));
      podsLeft -= slots.length;
    }
  }

  let nsIndex = 0;
  let deploymentIndex = 0;
  while (podsLeft > 0 && slots.length > 0) {
    const ns = namespaces[nsIndex % namespaces.length];
    const component = COMPONENTS[Math.floor(nsIndex / namespaces.length) % COMPONENTS.length];
    const round = Math.floor(nsIndex / (namespaces.length * COMPONENTS.length));
    const name = `${ns.split('-')[0]}-${component}${round > 0 ? `-${round + 1}` : ''}`;
    const replicas = Math.min(podsLeft, 2 + Math.floor(random() * 30));
    const placed = createDeploymentWithPods(ctx, ns, name, replicas, deploymentIndex);
    podsLeft -= placed;
    if (placed === 0) break;
    nsIndex++;
    deploymentIndex++;
  }

  settle(store, controllers, { random });
}

interface BulkContext {
  store: ObjectStore;
  random: () => number;
  slots: NodeSlot[];
  cursor: number;
  startedAt: string;
}

function createNodes(store: ObjectStore, count: number, random: () => number, now: Date): NodeSlot[] {
  const slots: NodeSlot[] = [];
  let index = 0;
  POOLS.forEach(({ pool, share }, p) => {
    const n = p === POOLS.length - 1 ? count - index : Math.round(count * share);
    for (let i = 0; i < n; i++, index++) {
      const node = eksNode({ pool, index, zone: ZONES[index % ZONES.length], random, createdAt: new Date(now.getTime() - (p + 1) * 86_400_000) }) as Node;
      store.create(GR.nodes, node, { fieldManager: 'kubelet' });
      const [a, b, c] = node.spec!.podCIDR!.split('/')[0].split('.').map(Number);
      slots.push({
        name: node.metadata.name ?? '',
        ip: node.status!.addresses![0].address,
        cidrBase: [a, b, c],
        pods: 0,
        maxPods: pool.pods,
        cpu: 0,
        maxCpu: Number.parseInt(pool.allocatableCpu, 10),
      });
    }
  });
  return slots;
}

function systemDaemonSets(): KubeObject[] {
  const podSpec = { priorityClassName: 'system-node-critical', hostNetwork: true };
  return [
    daemonSet({ name: 'aws-node', namespace: 'kube-system', labels: { 'k8s-app': 'aws-node' }, containers: [{ name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.18.2-eksbuild.1`, requests: { cpu: '25m' } }], podSpec }),
    daemonSet({ name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' }, containers: [{ name: 'kube-proxy', image: `${ECR}/eks/kube-proxy:v1.29.3-minimal-eksbuild.2`, requests: { cpu: '100m' } }], podSpec }),
  ];
}

/** One pod per node, labelled and pinned as the DaemonSet controller would. */
function createDaemonSetPods(ctx: BulkContext, ds: DaemonSet): void {
  const hash = computeHash(ds.spec!.template);
  const cpu = 100;
  // 5,000 names from 27^5 suffixes collide (the API server would refuse the second): draw again, as generateName does.
  const used = new Set<string>();
  for (const slot of ctx.slots) {
    let name: string;
    do name = `${ds.metadata.name}-${nameSuffix(ctx.random)}`;
    while (used.has(name));
    used.add(name);
    const pod = podSkeleton(ds, 'apps/v1', 'DaemonSet', name, {
      ...ds.spec!.template.metadata!.labels,
      'controller-revision-hash': hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    });
    pod.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [slot.name] }] }] } } };
    pod.spec!.tolerations = [
      ...['not-ready', 'unreachable'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: 'NoExecute' })),
      ...['disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable', 'network-unavailable'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: 'NoSchedule' })),
    ];
    bindRunning(ctx, pod, slot, slot.ip);
    slot.pods++;
    slot.cpu += cpu;
  }
}

const QOS_SHAPES: { weight: number; requests?: Record<string, string>; limits?: Record<string, string>; cpu: number }[] = [
  { weight: 0.6, requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' }, cpu: 100 },
  { weight: 0.25, requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' }, cpu: 250 },
  { weight: 0.15, cpu: 0 },
];

function pickShape(random: () => number) {
  let r = random();
  for (const s of QOS_SHAPES) {
    if (r < s.weight) return s;
    r -= s.weight;
  }
  return QOS_SHAPES[0];
}

/** A Deployment, its ReplicaSet (revision 1) and `replicas` Running pods. Returns the pods placed. */
function createDeploymentWithPods(ctx: BulkContext, ns: string, name: string, replicas: number, index: number): number {
  const { store, random } = ctx;
  const shape = pickShape(random);
  const spec: ContainerInput = {
    name: name.split('-').slice(1).join('-') || 'app',
    image: `ghcr.io/acme/${name}:${1 + Math.floor(random() * 4)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`,
    requests: shape.requests,
    limits: shape.limits,
    ports: [{ name: 'http', containerPort: 8080 }],
  };
  // Created with the revision annotation the controller would add, so that writing it later
  // does not bump the Deployment's generation.
  const d = ensure(store, GR.deployments, deployment({ name, namespace: ns, replicas, containers: [spec], annotations: { 'deployment.kubernetes.io/revision': '1' } })) as Deployment;
  const hash = computeHash(d.spec!.template);
  const template = structuredClone(d.spec!.template);
  template.metadata!.labels = { ...template.metadata!.labels, 'pod-template-hash': hash };
  const rs: ReplicaSet = store.create(
    GR.replicaSets,
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace: ns,
        labels: { ...template.metadata!.labels },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas, selector: { matchLabels: { app: name, 'pod-template-hash': hash } }, template },
    },
    { fieldManager: 'kube-controller-manager' },
  );
  let placed = 0;
  const used = new Set<string>();
  for (let i = 0; i < replicas; i++) {
    const slot = nextSlot(ctx, shape.cpu);
    if (!slot) break;
    let name: string;
    do name = `${rs.metadata.name}-${nameSuffix(random)}`;
    while (used.has(name));
    used.add(name);
    const pod = podSkeleton(rs, 'apps/v1', 'ReplicaSet', name, { ...template.metadata!.labels });
    bindRunning(ctx, pod, slot, podIP(slot));
    slot.pods++;
    slot.cpu += shape.cpu;
    placed++;
  }
  if (placed === replicas) writeConvergedStatus(ctx, d, rs, replicas);
  if (index % 3 === 0) ensure(store, GR.services, service(name, ns, [{ name: 'http', port: 80, targetPort: 'http' }]));
  if (index % 5 === 0) {
    ensure(store, GR.pdbs, pdb(name, ns, { app: name }, index % 10 === 0 ? { minAvailable: 1 } : { maxUnavailable: '25%' }));
  }
  return placed;
}

/**
 * The statuses the ReplicaSet and Deployment controllers would settle on, written up front:
 * each write costs the store far more than a read, and settle() then finds nothing to do.
 */
function writeConvergedStatus(ctx: BulkContext, d: KubeObject, rs: KubeObject, replicas: number): void {
  const write = (gr: string, obj: KubeObject, status: Record<string, unknown>) => {
    const copy = structuredClone(obj);
    copy.status = status;
    ctx.store.update(gr, copy, { fieldManager: 'kube-controller-manager', subresource: 'status' });
  };
  write(GR.replicaSets, rs, { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: rs.metadata.generation ?? 1 });
  const t = ctx.startedAt;
  const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', lastUpdateTime: t, lastTransitionTime: t, reason, message });
  write(
    GR.deployments,
    d,
    {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        condition('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
        condition('Progressing', 'NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`),
      ],
    },
  );
}

/** The next node with room, round robin from a random start (the scheduler's spreading, roughly). */
function nextSlot(ctx: BulkContext, cpu: number): NodeSlot | undefined {
  for (let tries = 0; tries < ctx.slots.length; tries++) {
    const slot = ctx.slots[ctx.cursor];
    ctx.cursor = (ctx.cursor + 1) % ctx.slots.length;
    if (slot.pods < slot.maxPods && slot.cpu + cpu <= slot.maxCpu) return slot;
  }
  return undefined;
}

function podIP(slot: NodeSlot): string {
  const host = slot.pods + 2;
  const [a, b, c] = slot.cidrBase;
  return `${a}.${b}.${c + Math.floor(host / 256)}.${host % 256}`;
}

function podSkeleton(owner: DaemonSet | ReplicaSet, apiVersion: string, kind: string, name: string, labels: Record<string, string>): Pod {
  const template = owner.spec!.template!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels,
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(owner, apiVersion, kind)],
    },
    spec: structuredClone(template.spec),
  };
}

/** Writes the pod bound to `slot` with the status a kubelet reports for a running, ready pod. */
function bindRunning(ctx: BulkContext, pod: Pod, slot: NodeSlot, ip: string): void {
  const t = ctx.startedAt;
  pod.spec!.nodeName = slot.name;
  // Written as a plain object: the kubelet's `lastProbeTime: null` has no place in the model.
  const written: KubeObject = pod;
  written.status = {
    phase: 'Running',
    hostIP: slot.ip,
    hostIPs: [{ ip: slot.ip }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: t,
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: t,
    })),
    containerStatuses: (pod.spec!.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: imageID(c.image),
      containerID: `containerd://${randomHex(ctx.random, 64)}`,
      state: { running: { startedAt: t } },
      lastState: {},
      ready: true,
      restartCount: 0,
      started: true,
    })),
  };
  // The pod was built for this write alone: the store may keep it rather than copy it.
  ctx.store.create(GR.pods, pod, { fieldManager: 'kube-controller-manager', adopt: true });
}
