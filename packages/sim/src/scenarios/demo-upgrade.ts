/**
 * What the demo's Upgrade view finds (kept apart from demo.ts, which several features edit):
 * a PodDisruptionBudget last applied through policy/v1beta1 (removed in 1.25), and a Helm
 * release whose manifest still uses batch/v1beta1 and autoscaling/v2beta2.
 */
import { gzipSync } from 'node:zlib';
import { GR } from '../controllers/objects.js';
import type { ObjectStore } from '../types.js';
import { ensure } from './builders.js';

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

/** Loads the demo's upgrade findings. */
export function loadUpgradeFindings(store: ObjectStore): void {
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
