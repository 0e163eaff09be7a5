/**
 * What the demo's Upgrade view finds (kept apart from demo.ts, which several features edit):
 * a PodDisruptionBudget last applied through policy/v1beta1 (removed in 1.25), a Helm
 * release whose manifest still uses batch/v1beta1 and autoscaling/v2beta2, and a one-node
 * pool `ng-r5` on kubelet v1.27 (four minors behind the default target, 1.31), tainted
 * for the one workload that must run there.
 */
import { gzipSync } from 'node:zlib';
import { GR } from '../controllers/objects.js';
import type { ObjectStore } from '../types.js';
import { deployment, ensure, eksNode, type NodePool, ZONES } from './builders.js';

/** A node group left behind by the last upgrades: its kubelets are out of the skew policy at 1.31. */
export const REPORTING_POOL: NodePool = {
  name: 'ng-r5',
  instanceType: 'r5.large',
  cpu: '2',
  allocatableCpu: '1930m',
  memoryKi: 16092868,
  allocatableMemoryKi: 15076036,
  pods: 29,
  kubeletVersion: 'v1.27.9-eks-5e0fdde',
  osImage: 'Amazon Linux 2',
  kernelVersion: '5.10.219-208.866.amzn2.x86_64',
  containerRuntimeVersion: 'containerd://1.7.11',
  ami: 'ami-05c1d2e3f4a5b6c7d',
};

const REPORTING_TAINT = { key: 'dedicated', value: 'reporting', effect: 'NoSchedule' };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The PDB as `kubectl apply` last sent it, before the cluster converted it to policy/v1. */
const LEGACY_PDB = {
  apiVersion: 'policy/v1beta1',
  kind: 'PodDisruptionBudget',
  metadata: { annotations: {}, name: 'legacy-reporter', namespace: 'batch' },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy-reporter' } } },
};

/** The manifest Helm rendered for the `reporting` release. */
const REPORTING_MANIFEST = `---
# Source: reporting/templates/cronjob.yaml
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: reporting-weekly
  namespace: batch
spec:
  schedule: "0 3 * * 1"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: ghcr.io/acme/reporter:0.9.2
---
# Source: reporting/templates/hpa.yaml
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: reporting-api
  namespace: batch
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: reporting-api
  minReplicas: 1
  maxReplicas: 3
`;

/**
 * Helm 3's storage: `data.release` holds base64(gzip(JSON of the release)), and the API
 * base64-encodes Secret data once more.
 */
function helmReleaseData(release: Record<string, unknown>): string {
  const helmText = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmText, 'latin1').toString('base64');
}

/** A fixed sequence for the node's random parts, so the demo's shared random stream is left as it was. */
function fixedRandom(): () => number {
  let x = 0x2545f491;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** Loads the demo's upgrade findings (after the rest of the demo is placed, so nothing else moves). */
export function loadUpgradeFindings(store: ObjectStore, createdAt: Date): void {
  const node = eksNode({ pool: REPORTING_POOL, index: 6, zone: ZONES[0], random: fixedRandom(), createdAt });
  node.spec = { ...(node.spec ?? {}), taints: [REPORTING_TAINT] };
  ensure(store, 'nodes', node);
  // One replica, pinned to the old pool: the pool cannot be replaced without moving it first.
  ensure(
    store,
    'apps/deployments',
    deployment({
      name: 'legacy-reporter',
      namespace: 'batch',
      containers: [{ name: 'reporter', image: 'ghcr.io/acme/legacy-reporter:0.4.1' }],
      podSpec: {
        nodeSelector: { 'eks.amazonaws.com/nodegroup': REPORTING_POOL.name },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'reporting', effect: 'NoSchedule' }],
      },
    }),
  );
  ensure(store, GR.pdbs, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'legacy-reporter', namespace: 'batch', annotations: { [LAST_APPLIED]: `${JSON.stringify(LEGACY_PDB)}\n` } },
    spec: LEGACY_PDB.spec,
  });
  const deployedAt = new Date(Date.now() - 200 * 86_400_000).toISOString();
  ensure(store, 'secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: 'sh.helm.release.v1.reporting.v1',
      namespace: 'batch',
      labels: { name: 'reporting', owner: 'helm', status: 'deployed', version: '1' },
    },
    data: {
      release: helmReleaseData({
        name: 'reporting',
        namespace: 'batch',
        version: 1,
        info: { status: 'deployed', first_deployed: deployedAt, last_deployed: deployedAt, description: 'Install complete' },
        chart: { metadata: { name: 'reporting', version: '0.9.2', apiVersion: 'v2' } },
        config: {},
        manifest: REPORTING_MANIFEST,
      }),
    },
  });
}
