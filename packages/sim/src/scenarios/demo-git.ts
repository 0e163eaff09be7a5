/**
 * The demo's Git source: the `shop` namespace's manifests as a GitOps repository holds
 * them, written to a temporary Git repository, then the live edits a day-2 engineer meets
 * every week, each made as kubectl makes it (its field manager), so the Drift view of
 * `daytwo --demo` has something to show from its first second:
 *
 * - `deployment/cart` scaled from 2 to 3 by hand (`kubectl scale`): OutOfSync
 * - `deployment/recommendations` given a hotfix image (`kubectl set image`): OutOfSync
 * - `service/cart` labelled live (`kubectl label`): Synced, with a live-only edit
 * - `configmap/frontend-config` edited (`kubectl edit`): OutOfSync
 * - `configmap/feature-flags` deleted live: Missing
 * - `configmap/debug-overrides` applied by hand, not in Git: Extra
 * - everything else in Git: Synced
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Deployment, Fields } from '@daytwo/k8s/wire-types.js';
import { stringify } from 'yaml';
import { GR, updateWithRetry } from '../controllers/objects.js';
import type { KubeObject, ObjectStore } from '../types.js';

/** The namespace the demo repository describes. */
export const DEMO_GIT_NAMESPACE = 'shop';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The objects of `shop` the repository declares (besides the two ConfigMaps made here). */
const DECLARED: readonly (readonly [gr: string, name: string])[] = [
  [GR.deployments, 'cart'],
  [GR.deployments, 'frontend'],
  [GR.deployments, 'recommendations'],
  [GR.services, 'cart'],
  [GR.services, 'frontend'],
  [GR.pdbs, 'frontend'],
  ['configmaps', 'frontend-config'],
  ['configmaps', 'feature-flags'],
];

export interface DemoGitRepo {
  /** The repository's directory: pass it as `--git`. */
  readonly dir: string;
  remove(): void;
}

/**
 * Writes the repository from the demo cluster in `store`, then edits the cluster so that it
 * drifts from it (see the file comment). Call once, after the demo scenario is loaded.
 */
export function createDemoGitRepo(store: ObjectStore): DemoGitRepo {
  const ns = DEMO_GIT_NAMESPACE;
  // The ConfigMaps the GitOps tool applied with the rest.
  for (const [name, data] of [
    ['frontend-config', { THEME: 'light', CART_TIMEOUT: '30s', RECOMMENDATIONS_URL: 'http://recommendations.shop.svc' }],
    ['feature-flags', { NEW_CHECKOUT: 'false', GIFT_CARDS: 'true' }],
  ] as const) {
    if (!store.get('configmaps', ns, name)) {
      store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { app: 'frontend' } }, data: { ...data } }, { fieldManager: 'argocd-controller' });
    }
  }

  const dir = mkdtempSync(join(tmpdir(), 'daytwo-demo-git-'));
  mkdirSync(join(dir, ns));
  for (const [gr, name] of DECLARED) {
    const live = store.get(gr, ns, name);
    if (!live) continue;
    writeFileSync(join(dir, ns, `${live.kind?.toLowerCase()}-${name}.yaml`), stringify(declaredForm(live)));
  }
  writeFileSync(join(dir, 'README.md'), "The shop namespace as Git declares it: daytwo's demo repository.\n");
  commit(dir);

  editLive(store, ns);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a repository holds of a live object: its declaration, without what the cluster added. */
function declaredForm(live: KubeObject): KubeObject {
  const { name, namespace, labels } = live.metadata;
  const annotations = Object.fromEntries(Object.entries(live.metadata.annotations ?? {}).filter(([k]) => !k.includes('kubernetes.io/')));
  const out: KubeObject = {
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: { name, namespace, ...(labels ? { labels: { ...labels } } : {}), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
  };
  if (live.spec) {
    const spec = structuredClone(live.spec) as Fields;
    // Addresses the API server allocates are not declared.
    for (const allocated of ['clusterIP', 'clusterIPs']) if (live.kind === 'Service') delete spec[allocated];
    out.spec = spec;
  }
  const { data } = live as ConfigMap;
  if (data) out.data = { ...data };
  return out;
}

function commit(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 'daytwo demo', GIT_AUTHOR_EMAIL: 'demo@daytwo.invalid', GIT_COMMITTER_NAME: 'daytwo demo', GIT_COMMITTER_EMAIL: 'demo@daytwo.invalid' },
    });
  try {
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'shop: frontend, cart and recommendations');
  } catch {
    // Without git the directory is read as it is on disk, which the drift view accepts too.
  }
}

function editLive(store: ObjectStore, ns: string): void {
  const edit = (gr: string, name: string, manager: string, mutate: (o: KubeObject) => void) =>
    updateWithRetry(store, gr, ns, name, (o) => {
      mutate(o);
      return true;
    }, { fieldManager: manager });
  edit(GR.deployments, 'cart', 'kubectl-scale', (d: Deployment) => {
    d.spec!.replicas = 3;
  });
  edit(GR.deployments, 'recommendations', 'kubectl-set', (d: Deployment) => {
    d.spec!.template.spec!.containers[0].image = 'ghcr.io/acme/recommendations:0.9.1-hotfix';
  });
  edit(GR.services, 'cart', 'kubectl-label', (s) => {
    s.metadata.labels = { ...(s.metadata.labels ?? {}), 'debug.acme.io/tracing': 'on' };
  });
  edit('configmaps', 'frontend-config', 'kubectl-edit', (c: ConfigMap) => {
    c.data = { ...c.data, THEME: 'dark' };
  });
  store.delete('configmaps', ns, 'feature-flags');
  const extra: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'debug-overrides', namespace: ns }, data: { LOG_LEVEL: 'debug' } };
  extra.metadata.annotations = { [LAST_APPLIED]: `${JSON.stringify(extra)}\n` };
  store.create('configmaps', extra, { fieldManager: 'kubectl-client-side-apply' });
}
