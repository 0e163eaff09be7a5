/**
 * A temporary Git repository of manifests and a simulated cluster in drift from it:
 * `apps/web.yaml` (a Deployment whose image `kubectl edit` changed live, plus a label Git
 * does not set), `apps/configs.yaml` (a Synced ConfigMap and Secret, and a ConfigMap never
 * applied), `apps/broken.yaml` (malformed at line 5); live, an applied ConfigMap `stray`
 * that Git lacks. Namespace `shop` (the default for manifests that name none).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeHttp } from '../../src/kube/http.js';
import type { TestSim } from '../../../sim/test/helpers/sim.js';

export const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
        resources:
          requests: {cpu: 0.5, memory: 1024Mi}
`;

const CONFIGS = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-yet-applied}
data: {a: "1"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: hunter2}
`;

const BROKEN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
 data: {a: "1"}
`;

export interface DriftRepo {
  readonly dir: string;
  /** The first commit ("Deploy web 1.25"). */
  readonly firstCommit: string;
  git(...args: string[]): string;
  write(file: string, text: string): void;
  remove(): void;
}

/** Applies a manifest as `kubectl apply --server-side --field-manager=<manager>` does. */
export async function applyAs(http: KubeHttp, pathname: string, manifest: object, manager = 'kubectl'): Promise<void> {
  await http.requestJson(pathname, { method: 'PATCH', query: { fieldManager: manager }, body: JSON.stringify(manifest), contentType: 'application/apply-patch+yaml' });
}

/** Creates the repository and puts the sim in drift from it (see the module comment). */
export async function createDriftRepo(t: TestSim): Promise<DriftRepo> {
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-drift-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  write('apps/web.yaml', DEPLOYMENT('nginx:1.25'));
  write('apps/configs.yaml', CONFIGS);
  write('apps/broken.yaml', BROKEN);
  write('README.md', 'not a manifest');
  git('add', '.');
  git('commit', '--quiet', '-m', 'Deploy web 1.25');
  const firstCommit = git('rev-parse', 'HEAD');

  const http = new KubeHttp(t.kc);
  await applyAs(http, '/api/v1/namespaces/shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } },
    },
  };
  await applyAs(http, '/apis/apps/v1/namespaces/shop/deployments/web', deployment);
  await applyAs(http, '/api/v1/namespaces/shop/configmaps/settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { LOG_LEVEL: 'info' } });
  await applyAs(http, '/api/v1/namespaces/shop/secrets/creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, stringData: { password: 'hunter2' } });
  await applyAs(http, '/api/v1/namespaces/shop/configmaps/stray', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'shop' }, data: { x: '1' } });
  // An incident: `kubectl edit` changes the image (set by Git) and adds a label (not in Git).
  await http.requestJson('/apis/apps/v1/namespaces/shop/deployments/web', {
    method: 'PATCH',
    query: { fieldManager: 'kubectl-edit' },
    contentType: 'application/strategic-merge-patch+json',
    body: { metadata: { labels: { debug: 'true' } }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } } },
  });
  return { dir, firstCommit, git, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
