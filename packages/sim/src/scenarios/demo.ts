/**
 * The `demo` scenario: a small EKS cluster in the middle of a node-group upgrade. The old
 * pool (`ng-old`, kubelet 1.29) carries the workloads that existed before the new pool
 * (`ng-new`, kubelet 1.30) was added; one old node is cordoned, and a PodDisruptionBudget
 * on it blocks a drain right now. Every workload is created through the controllers and
 * settled, so ReplicaSets, revisions and statuses are the real thing.
 */

import type { CronJob, Deployment, PersistentVolumeClaim, Pod } from '@daytwo/k8s/wire-types.js';
import { USED_BYTES_ANNOTATION } from '../api/node-proxy.js';
import { settle } from '../controllers/index.js';
import { GR, updateWithRetry } from '../controllers/objects.js';
import type { Controller, KubeObject, ObjectStore } from '../types.js';
import {
  type ContainerInput,
  cordon,
  daemonSet,
  deployment,
  eksNode,
  ensure,
  type NodePool,
  namespace,
  pdb,
  seededRandom,
  service,
  serviceAccount,
  statefulSet,
  ZONES,
} from './builders.js';
import { expireCompactorRollout, loadHealthConditions } from './demo-health.js';
import { loadUpgradeFindings } from './demo-upgrade.js';

const ECR = '602401143452.dkr.ecr.eu-west-1.amazonaws.com';

export const DEMO_POOLS: { old: NodePool; new: NodePool } = {
  old: {
    name: 'ng-old',
    instanceType: 'm5.xlarge',
    cpu: '4',
    allocatableCpu: '3920m',
    memoryKi: 15896156,
    allocatableMemoryKi: 14879324,
    pods: 58,
    kubeletVersion: 'v1.29.6-eks-1552ad0',
    osImage: 'Amazon Linux 2',
    kernelVersion: '5.10.220-209.869.amzn2.x86_64',
    containerRuntimeVersion: 'containerd://1.7.11',
    ami: 'ami-0a1b2c3d4e5f60718',
  },
  new: {
    name: 'ng-new',
    instanceType: 'm6i.xlarge',
    cpu: '4',
    allocatableCpu: '3920m',
    memoryKi: 15896152,
    allocatableMemoryKi: 14879320,
    pods: 58,
    kubeletVersion: 'v1.30.2-eks-1552ad0',
    osImage: 'Amazon Linux 2023.5.20240708',
    kernelVersion: '6.1.96-102.177.amzn2023.x86_64',
    containerRuntimeVersion: 'containerd://1.7.20',
    ami: 'ami-0f9e8d7c6b5a40312',
  },
};

/** Annotation the simulation reads as a volume's used bytes (for "PVC almost full"). */
export { USED_BYTES_ANNOTATION };

const GiB = 1024 ** 3;

/** The shop frontend's three releases, in rollout order: image and change-cause. */
export const FRONTEND_RELEASES = [
  { image: 'ghcr.io/acme/shop-frontend:1.4.0', cause: 'kubectl apply --filename=shop/frontend.yaml --record=true' },
  { image: 'ghcr.io/acme/shop-frontend:1.4.1', cause: 'kubectl set image deployment/frontend frontend=ghcr.io/acme/shop-frontend:1.4.1 --record=true' },
  { image: 'ghcr.io/acme/shop-frontend:1.5.0', cause: 'kubectl set image deployment/frontend frontend=ghcr.io/acme/shop-frontend:1.5.0 --record=true' },
];

const web = (name: string, image: string, extra: Partial<ContainerInput> = {}): ContainerInput => ({
  name,
  image,
  ports: [{ name: 'http', containerPort: 8080 }],
  ...extra,
});

/** Loads the demo cluster into `store` and settles it with `controllers`. */
export function loadDemo(store: ObjectStore, controllers: readonly Controller[], seed: number): void {
  const random = seededRandom(seed);
  const settleNow = () => settle(store, controllers, { random });
  const now = new Date();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  // The cluster is about a year old; the teams' namespaces came later.
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) ensure(store, GR.namespaces, namespace(ns, {}, daysAgo(380)));
  ensure(store, GR.namespaces, namespace('shop', { team: 'storefront' }, daysAgo(290)));
  ensure(store, GR.namespaces, namespace('payments', { team: 'payments', 'pod-security.kubernetes.io/enforce': 'restricted' }, daysAgo(214)));
  ensure(store, GR.namespaces, namespace('monitoring', { team: 'platform' }, daysAgo(352)));
  ensure(store, GR.namespaces, namespace('batch', { team: 'data' }, daysAgo(96)));
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop', 'payments', 'monitoring', 'batch']) {
    ensure(store, 'serviceaccounts', serviceAccount(ns));
  }
  loadPolicies(store);
  apiServerService(store);
  ensure(store, 'storage.k8s.io/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, creationTimestamp: daysAgo(380).toISOString().replace(/\.\d+Z$/, 'Z') },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  });

  // The cluster before the upgrade: the old pool only.
  ZONES.forEach((zone, i) => {
    ensure(store, GR.nodes, eksNode({ pool: DEMO_POOLS.old, index: i, zone, random, createdAt: daysAgo(41 - i) }));
  });
  loadPlatform(store);
  loadPayments(store);
  ensure(store, GR.deployments, deployment({ name: 'cart', namespace: 'shop', replicas: 2, containers: [web('cart', 'ghcr.io/acme/shop-cart:2.7.3', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } })] }));
  ensure(store, GR.services, service('cart', 'shop', [{ name: 'http', port: 80, targetPort: 'http' }]));
  ensure(store, GR.deployments, deployment({ name: 'ops-toolbox', namespace: 'default', containers: [{ name: 'toolbox', image: 'nicolaka/netshoot:v0.13', args: ['sleep', 'infinity'] }] }));
  settleNow();

  // The new pool joins; newer workloads land there first (least allocated).
  ZONES.forEach((zone, i) => {
    ensure(store, GR.nodes, eksNode({ pool: DEMO_POOLS.new, index: 3 + i, zone, random, createdAt: daysAgo(0.2) }));
  });
  loadShopFrontend(store);
  loadMonitoringApps(store);
  loadBatch(store);
  settleNow();

  // Two more frontend releases, each rolled out by the controllers: three revisions.
  for (const release of FRONTEND_RELEASES.slice(1)) {
    updateWithRetry(store, GR.deployments, 'shop', 'frontend', (d: Deployment) => {
      d.spec!.template.spec!.containers[0].image = release.image;
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'kubernetes.io/change-cause': release.cause };
      return true;
    });
    settleNow();
  }

  // Cordon the old node that runs a payments API pod: draining it is blocked by the PDB.
  const paymentsPods: Pod[] = store.list(GR.pods, { namespace: 'payments' });
  const apiPodNodes = new Set(
    paymentsPods
      .filter((p) => p.metadata.labels?.app === 'api')
      .map((p) => p.spec?.nodeName),
  );
  const oldNodes = store.list(GR.nodes).filter((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === 'ng-old');
  const target = oldNodes.find((n) => apiPodNodes.has(n.metadata.name)) ?? oldNodes[0];
  store.update(GR.nodes, cordon(target, now), { fieldManager: 'kubectl-cordon' });

  bindClaims(store, random);
  loadUpgradeFindings(store, daysAgo(400));
  loadHealthConditions(store, DEMO_POOLS.old, random, now);
  // The resource quota controller settles the quotas' status.used with the rest.
  settleNow();
  expireCompactorRollout(store, now);
}

function loadPolicies(store: ObjectStore): void {
  ensure(store, 'limitranges', {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace: 'shop' },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          max: { cpu: '2', memory: '2Gi' },
        },
      ],
    },
  });
  ensure(store, 'resourcequotas', quota('shop-quota', 'shop', { pods: '20', 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi' }));
  // Three quarters used by payments' three 500m/512Mi pods: room for one more, so the
  // replacement of a drained or deleted pod is admitted while the old one still terminates
  // (the quota admission charges a terminating pod until its grace period has passed).
  ensure(store, 'resourcequotas', quota('payments-quota', 'payments', { pods: '10', 'requests.cpu': '2', 'requests.memory': '2Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' }));
}

function quota(name: string, ns: string, hard: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard } };
}

/** The `kubernetes` Service and its Endpoints, which the API server itself maintains. */
function apiServerService(store: ObjectStore): void {
  ensure(store, GR.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }] },
  });
  ensure(store, GR.endpoints, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: '10.0.16.200' }, { ip: '10.0.17.200' }], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }],
  });
}

function loadPlatform(store: ObjectStore): void {
  const critical = { priorityClassName: 'system-node-critical', hostNetwork: true };
  ensure(store, GR.daemonSets, daemonSet({
    name: 'aws-node',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'aws-node' },
    containers: [{ name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.18.2-eksbuild.1`, requests: { cpu: '25m' }, ports: [{ name: 'metrics', containerPort: 61678 }] }],
    podSpec: critical,
  }));
  ensure(store, GR.daemonSets, daemonSet({
    name: 'kube-proxy',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-proxy' },
    containers: [{ name: 'kube-proxy', image: `${ECR}/eks/kube-proxy:v1.29.3-minimal-eksbuild.2`, requests: { cpu: '100m' } }],
    podSpec: critical,
  }));
  ensure(store, GR.deployments, deployment({
    name: 'coredns',
    namespace: 'kube-system',
    replicas: 2,
    labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
    containers: [
      {
        name: 'coredns',
        image: `${ECR}/eks/coredns:v1.11.1-eksbuild.9`,
        args: ['-conf', '/etc/coredns/Corefile'],
        requests: { cpu: '100m', memory: '70Mi' },
        limits: { memory: '170Mi' },
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53 },
          { name: 'metrics', containerPort: 9153 },
        ],
        readinessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 2 },
      },
    ],
    podSpec: { priorityClassName: 'system-cluster-critical' },
  }));
  const dns = service('kube-dns', 'kube-system', [{ name: 'dns', port: 53, targetPort: 53 }, { name: 'dns-tcp', port: 53, targetPort: 53 }], {
    selector: { app: 'coredns' },
  });
  dns.spec!.ports![0].protocol = 'UDP';
  ensure(store, GR.services, dns);
  ensure(store, GR.pdbs, pdb('coredns', 'kube-system', { app: 'coredns' }, { maxUnavailable: 1 }));

  ensure(store, GR.daemonSets, daemonSet({
    name: 'node-exporter',
    namespace: 'monitoring',
    containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1', requests: { cpu: '10m', memory: '24Mi' }, limits: { memory: '64Mi' }, ports: [{ name: 'metrics', containerPort: 9100 }] }],
    podSpec: { hostNetwork: true },
  }));
  ensure(store, GR.services, service('prometheus', 'monitoring', [{ name: 'web', port: 9090, targetPort: 'web' }], { headless: true }));
  ensure(store, GR.statefulSets, statefulSet({
    name: 'prometheus',
    namespace: 'monitoring',
    replicas: 2,
    serviceName: 'prometheus',
    containers: [
      {
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v2.53.0',
        args: ['--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=15d'],
        requests: { cpu: '200m', memory: '1Gi' },
        limits: { memory: '2Gi' },
        ports: [{ name: 'web', containerPort: 9090 }],
        readinessProbe: { httpGet: { path: '/-/ready', port: 'web' }, initialDelaySeconds: 10 },
      },
    ],
    claims: [{ name: 'data', storage: '50Gi' }],
  }));
}

function loadPayments(store: ObjectStore): void {
  const guaranteed = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
  ensure(store, GR.deployments, deployment({ name: 'api', namespace: 'payments', replicas: 2, containers: [web('api', 'ghcr.io/acme/payments-api:3.2.1', guaranteed)] }));
  ensure(store, GR.services, service('api', 'payments', [{ name: 'http', port: 80, targetPort: 'http' }]));
  // minAvailable equal to the replicas: no voluntary disruption is allowed, so a drain blocks.
  ensure(store, GR.pdbs, pdb('api', 'payments', { app: 'api' }, { minAvailable: 2 }));
  ensure(store, GR.deployments, deployment({ name: 'ledger-worker', namespace: 'payments', containers: [{ name: 'worker', image: 'ghcr.io/acme/ledger-worker:3.2.1', ...guaranteed }] }));
}

function loadShopFrontend(store: ObjectStore): void {
  const [first] = FRONTEND_RELEASES;
  ensure(store, GR.deployments, deployment({
    name: 'frontend',
    namespace: 'shop',
    replicas: 3,
    annotations: { 'kubernetes.io/change-cause': first.cause },
    containers: [
      web('frontend', first.image, {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '500m', memory: '256Mi' },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5 },
      }),
    ],
  }));
  ensure(store, GR.services, service('frontend', 'shop', [{ name: 'http', port: 80, targetPort: 'http' }]));
  ensure(store, GR.pdbs, pdb('frontend', 'shop', { app: 'frontend' }, { minAvailable: '50%' }));
  ensure(store, GR.deployments, deployment({
    name: 'recommendations',
    namespace: 'shop',
    podAnnotations: { 'sim.daytwo.dev/crash': 'true' },
    containers: [web('recommendations', 'ghcr.io/acme/recommendations:0.9.0', { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } })],
  }));
}

function loadMonitoringApps(store: ObjectStore): void {
  ensure(store, GR.deployments, deployment({
    name: 'grafana',
    namespace: 'monitoring',
    containers: [{ name: 'grafana', image: 'grafana/grafana:11.1.0', requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' }, ports: [{ name: 'http', containerPort: 3000 }] }],
  }));
  ensure(store, GR.services, service('grafana', 'monitoring', [{ name: 'http', port: 80, targetPort: 'http' }]));
}

function loadBatch(store: ObjectStore): void {
  const jobTemplate = (image: string, annotations: Record<string, string>) => ({
    metadata: { annotations },
    spec: { restartPolicy: 'Never', containers: [{ name: 'task', image, resources: {} }] },
  });
  ensure(store, GR.jobs, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'db-migrate-20261120', namespace: 'batch' },
    spec: { backoffLimit: 2, template: jobTemplate('ghcr.io/acme/shop-migrations:1.5.0', { 'sim.daytwo.dev/exit-code': '1', 'sim.daytwo.dev/run-seconds': '20' }) },
  });
  const cron: CronJob = ensure(store, GR.cronJobs, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-report', namespace: 'batch' },
    spec: { schedule: '0 2 * * *', jobTemplate: { spec: { backoffLimit: 1, template: jobTemplate('ghcr.io/acme/reporter:1.1.0', { 'sim.daytwo.dev/run-seconds': '30' }) } } },
  });
  // The Job the CronJob started last night: `<cronjob>-<scheduled time in minutes>`.
  const scheduled = new Date();
  scheduled.setUTCHours(2, 0, 0, 0);
  if (scheduled.getTime() > Date.now()) scheduled.setUTCDate(scheduled.getUTCDate() - 1);
  ensure(store, GR.jobs, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `nightly-report-${Math.floor(scheduled.getTime() / 60_000)}`,
      namespace: 'batch',
      annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': scheduled.toISOString().replace('.000Z', 'Z') },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-report', uid: cron.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(cron.spec!.jobTemplate.spec),
  });
  updateWithRetry(store, GR.cronJobs, 'batch', 'nightly-report', (c) => {
    const at = `${scheduled.toISOString().slice(0, 19)}Z`;
    c.status = { ...(c.status ?? {}), lastScheduleTime: at, lastSuccessfulTime: at };
    return true;
  }, { fieldManager: 'kube-controller-manager', subresource: 'status' });
}

/**
 * What the EBS CSI provisioner and the PV controller do for each pending claim: a PV
 * `pvc-<uid>` bound to it. The first Prometheus volume is 92% full.
 */
function bindClaims(store: ObjectStore, random: () => number): void {
  for (const pvc of store.list(GR.pvcs) as PersistentVolumeClaim[]) {
    const pvName = `pvc-${pvc.metadata.uid}`;
    // The volume binder provisioned the claim already; the EBS details go on its volume.
    if (pvc.spec?.volumeName === pvName) store.delete(GR.pvs, undefined, pvName);
    else if (pvc.spec?.volumeName) continue;
    const storage = pvc.spec?.resources?.requests?.storage ?? '1Gi';
    const zone = ZONES[Math.floor(random() * ZONES.length)];
    ensure(store, GR.pvs, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: pvName,
        annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com', 'volume.kubernetes.io/provisioner-deletion-secret-name': '' },
        finalizers: ['kubernetes.io/pv-protection', 'external-attacher/ebs-csi-aws-com'],
      },
      spec: {
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: pvc.metadata.namespace, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
        csi: { driver: 'ebs.csi.aws.com', fsType: 'ext4', volumeHandle: `vol-0${Math.floor(random() * 2 ** 52).toString(16).padStart(16, '0')}` },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: pvc.spec?.storageClassName ?? 'gp3',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    });
    const usedBytes = pvc.metadata.name === 'data-prometheus-0' ? Math.round(50 * GiB * 0.92) : Math.round(50 * GiB * 0.41);
    updateWithRetry(store, GR.pvcs, pvc.metadata.namespace, pvc.metadata.name ?? '', (c: PersistentVolumeClaim) => {
      c.metadata.annotations = {
        ...(c.metadata.annotations ?? {}),
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.beta.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
        'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
        'volume.kubernetes.io/selected-node': (store.get(GR.pods, c.metadata.namespace, podForClaim(c)) as Pod | undefined)?.spec?.nodeName ?? '',
        [USED_BYTES_ANNOTATION]: String(usedBytes),
      };
      c.metadata.finalizers = ['kubernetes.io/pvc-protection'];
      c.spec!.volumeName = pvName;
      c.status = { phase: 'Bound', accessModes: c.spec!.accessModes, capacity: { storage } };
      return true;
    });
  }
}

/** `data-prometheus-0` belongs to pod `prometheus-0`. */
function podForClaim(pvc: KubeObject): string {
  const owner = pvc.metadata.labels?.app;
  const ord = /-(\d+)$/.exec(pvc.metadata.name ?? '')?.[1];
  return owner && ord !== undefined ? `${owner}-${ord}` : '';
}
