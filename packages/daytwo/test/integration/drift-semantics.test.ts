/**
 * Drift fixes against the simulated cluster: manifests read as kubectl reads them (octal
 * `defaultMode`), atomic lists (NetworkPolicy ports), continuous drift for kinds the
 * session does not watch, kustomize base + overlay, and a sync that converges (atomic maps
 * replaced) and says whether it did.
 */

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Deployment, Service } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { type DriftItem, driftKey } from '../../src/domain/drift/types.js';
import { AuditLog } from '../../src/kube/audit.js';
import { DriftEngine } from '../../src/kube/drift/engine.js';
import { GitSource } from '../../src/kube/drift/git-source.js';
import { createDriftActions } from '../../src/kube/drift/sync.js';
import { KubeHttp } from '../../src/kube/http.js';
import { openSession } from '../../src/kube/session.js';
import { applyAs } from '../helpers/drift-repo.js';

const run = promisify(execFile);
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        volumeMounts: [{name: cfg, mountPath: /etc/web}]
      volumes:
      - name: cfg
        configMap: {name: web-config, defaultMode: 0644}
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
const NETPOL = (port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: ${port}}]
`;
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {LOG_LEVEL: info}\n';

let t: TestSim;
let dir: string;
let http: KubeHttp;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
const byName = (items: readonly DriftItem[]) => Object.fromEntries(items.map((i) => [`${i.kind}/${i.name}`, i]));
const engineFor = (opts: Partial<ConstructorParameters<typeof DriftEngine>[0]> & { subdir?: string; ref?: string } = {}) =>
  new DriftEngine({ source: new GitSource({ location: dir, subdir: opts.subdir, ref: opts.ref }), http, defaultNamespace: 'shop', ...opts });

beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
  http = new KubeHttp(t.kc);
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-drift-semantics-'));
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  write('apps/web.yaml', WEB);
  write('apps/service.yaml', SERVICE);
  write('apps/netpol.yaml', NETPOL(5432));
  write('apps/config.yaml', CONFIG);
  git('add', '.');
  git('commit', '--quiet', '-m', 'web');
  await applyAs(http, '/api/v1/namespaces/shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  // Applied as YAML text, as kubectl sends a manifest it read: the server reads 0644 as 420.
  for (const [pathname, text] of [
    ['/apis/apps/v1/namespaces/shop/deployments/web', WEB],
    ['/api/v1/namespaces/shop/services/web', SERVICE],
    ['/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/db', NETPOL(5432)],
    ['/api/v1/namespaces/shop/configmaps/web-config', CONFIG],
  ] as const) {
    await http.requestJson(pathname, { method: 'PATCH', query: { fieldManager: 'kubectl' }, body: text, contentType: 'application/apply-patch+yaml' });
  }
});

afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('manifests read as kubectl reads them', () => {
  it('compares defaultMode 0644 as 420 (Synced), and a sync sends 420', async () => {
    const live = await http.requestJson<Deployment>('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(live.spec!.template.spec!.volumes![0].configMap!.defaultMode).toBe(420);
    const engine = engineFor();
    await engine.run();
    expect(byName(engine.store.getState().items)['Deployment/web']).toMatchObject({ status: 'Synced', diffs: [] });
    // What a sync applies is the manifest as read: 420, never 644.
    const target = engine.syncTarget(driftKey(byName(engine.store.getState().items)['Deployment/web']));
    expect((target?.declared.manifest as Deployment | undefined)?.spec?.template.spec?.volumes?.[0].configMap?.defaultMode).toBe(420);
  });

  it.skipIf(!hasKubectl)('is Synced after a real `kubectl apply` of the same file', async () => {
    const kubeconfig = path.join(dir, '.kubeconfig');
    writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
    await run('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-n', 'shop', '-f', path.join(dir, 'apps/web.yaml')], { timeout: 60_000 });
    const engine = engineFor();
    await engine.run();
    expect(byName(engine.store.getState().items)['Deployment/web'].diffs).toEqual([]);
    rmSync(kubeconfig);
  });
});

describe('atomic lists', () => {
  it('reports a NetworkPolicy port changed live', async () => {
    await http.requestJson('/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/db', {
      method: 'PATCH',
      query: { fieldManager: 'kubectl-edit' },
      contentType: 'application/merge-patch+json',
      body: { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 6432, protocol: 'TCP' }] }] } },
    });
    const engine = engineFor();
    await engine.run();
    const netpol = byName(engine.store.getState().items)['NetworkPolicy/db'];
    expect(netpol.status).toBe('OutOfSync');
    expect(netpol.diffs).toMatchObject([{ path: 'spec.ingress[0].ports[0].port', git: 5432, live: 6432 }]);
  });
});

describe('sync', () => {
  it('replaces an atomic map (Service selector) so the object converges, and says it is Synced', async () => {
    await http.requestJson('/api/v1/namespaces/shop/services/web', {
      method: 'PATCH',
      query: { fieldManager: 'kubectl-edit' },
      contentType: 'application/merge-patch+json',
      body: { spec: { selector: { debug: 'true' } } },
    });
    const engine = engineFor();
    await engine.run();
    const svc = byName(engine.store.getState().items)['Service/web'];
    expect(svc.diffs).toMatchObject([{ path: 'spec.selector.debug', git: undefined, live: 'true' }]);
    const session = await openSession({ kubeConfigObject: t.kc });
    const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
    await createDriftActions({ kc: session.kc, store: session.store, audit }, engine).syncDrift(driftKey(svc));
    const live = await http.requestJson<Service>('/api/v1/namespaces/shop/services/web');
    expect(live.spec!.selector).toEqual({ app: 'web' });
    expect(byName(engine.store.getState().items)['Service/web'].status).toBe('Synced');
    expect(session.store.getState().messages.at(-1)).toMatchObject({ level: 'success', text: expect.stringMatching(/^synced Service shop\/web to Git .*it is now Synced$/) });
    await session.stop();
  });
});

describe('continuous drift for kinds the session does not watch', () => {
  it('follows a ConfigMap fixed with kubectl without `r`', async () => {
    const session = await openSession({ kubeConfigObject: t.kc });
    session.start(['deployments', 'services']);
    await session.waitForSync(['deployments', 'services']);
    const engine = engineFor({ appStore: session.store, throttleMs: 50 });
    engine.start();
    const patchConfig = (level: string) =>
      http.requestJson('/api/v1/namespaces/shop/configmaps/web-config', {
        method: 'PATCH',
        query: { fieldManager: 'kubectl-edit' },
        contentType: 'application/merge-patch+json',
        body: { data: { LOG_LEVEL: level } },
      });
    try {
      await vi.waitFor(() => expect(engine.store.getState().phase).toBe('ready'), { timeout: 10_000 });
      expect(byName(engine.store.getState().items)['ConfigMap/web-config'].status).toBe('Synced');
      await vi.waitFor(() => expect(engine.ownWatches()).toContain('/configmaps/shop'), { timeout: 10_000 });
      // Deployments and Services are the store's; ConfigMaps and NetworkPolicies are watched by the engine.
      expect(engine.ownWatches()).toEqual(['/configmaps/shop', 'networking.k8s.io/networkpolicies/shop']);
      await patchConfig('debug');
      await vi.waitFor(() => expect(byName(engine.store.getState().items)['ConfigMap/web-config'].status).toBe('OutOfSync'), { timeout: 10_000 });
      await patchConfig('info');
      await vi.waitFor(() => expect(byName(engine.store.getState().items)['ConfigMap/web-config'].status).toBe('Synced'), { timeout: 10_000 });
    } finally {
      engine.stop();
      await session.stop();
    }
    expect(engine.ownWatches()).toEqual([]);
  });
});

describe.skipIf(!hasKubectl)('kustomize base and overlay', () => {
  it('renders only the overlay, not the base it includes; --git-path and --git-ref still render it', async () => {
    write('k/base/kustomization.yaml', 'resources:\n- cm.yaml\n');
    write('k/base/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k-settings}\ndata: {LEVEL: base}\n');
    write('k/overlays/prod/kustomization.yaml', 'namespace: shop\nresources:\n- ../../base\npatches:\n- path: level.yaml\n');
    write('k/overlays/prod/level.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k-settings}\ndata: {LEVEL: prod}\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'kustomize');
    await applyAs(http, '/api/v1/namespaces/shop/configmaps/k-settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k-settings', namespace: 'shop' }, data: { LEVEL: 'prod' } });
    try {
      for (const opts of [{ subdir: 'k' }, { subdir: 'k/overlays/prod' }, { subdir: 'k/overlays/prod', ref: 'HEAD' }]) {
        const engine = engineFor(opts);
        await engine.run();
        const state = engine.store.getState();
        expect(state.manifestErrors).toEqual([]);
        const declared = state.items.filter((i) => i.status !== 'Extra');
        expect(declared.map((i) => [i.name, i.status, i.source?.file])).toEqual([
          ['k-settings', 'Synced', opts.subdir === 'k' ? 'overlays/prod/kustomization.yaml (rendered)' : 'kustomization.yaml (rendered)'],
        ]);
      }
    } finally {
      rmSync(path.join(dir, 'k'), { recursive: true, force: true });
      git('add', '-A');
      git('commit', '--quiet', '-m', 'drop kustomize');
    }
  });
});
