/**
 * Drift against the simulated cluster with a temporary Git repository: each status, a sync
 * that makes an object Synced (guarded and audited), a commit read with --git-ref, a URL
 * clone, a malformed file reported without stopping the rest, and the recompute triggers.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { type DriftItem, driftKey } from '../../src/domain/drift/types.js';
import { AuditLog } from '../../src/kube/audit.js';
import { DriftEngine } from '../../src/kube/drift/engine.js';
import { GitSource } from '../../src/kube/drift/git-source.js';
import { createDriftActions } from '../../src/kube/drift/sync.js';
import { KubeHttp } from '../../src/kube/http.js';
import { openSession } from '../../src/kube/session.js';
import { createDriftRepo, DEPLOYMENT, type DriftRepo } from '../helpers/drift-repo.js';

let t: TestSim;
let fixture: DriftRepo;
let repo: string;
let firstCommit: string;
const git = (...args: string[]) => fixture.git(...args);
const write = (file: string, text: string) => fixture.write(file, text);

beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
  fixture = await createDriftRepo(t);
  repo = fixture.dir;
  firstCommit = fixture.firstCommit;
});

afterAll(async () => {
  await t.stop();
  fixture.remove();
});

function engineFor(opts: { ref?: string; location?: string; cacheDir?: string; kc?: TestSim['kc'] } = {}) {
  return new DriftEngine({
    source: new GitSource({ location: opts.location ?? repo, ref: opts.ref, cacheDir: opts.cacheDir }),
    http: new KubeHttp(opts.kc ?? t.kc),
    defaultNamespace: 'shop',
  });
}

const hasKustomize = ['kustomize', 'kubectl'].some((p) => spawnSync(p, p === 'kubectl' ? ['kustomize', '--help'] : ['version'], { stdio: 'ignore' }).status === 0);

const byName = (items: readonly DriftItem[]) => Object.fromEntries(items.map((i) => [`${i.kind}/${i.name}`, i]));

describe('drift against a Git working tree', () => {
  it('gives each object its status and keeps comparing past a malformed file', async () => {
    const engine = engineFor();
    await engine.run();
    const state = engine.store.getState();
    expect(state.phase).toBe('ready');
    const items = byName(state.items);
    expect(Object.fromEntries(Object.entries(items).map(([k, i]) => [k, i.status]))).toEqual({
      'Deployment/web': 'OutOfSync',
      'ConfigMap/not-yet-applied': 'Missing',
      'ConfigMap/stray': 'Extra',
      'ConfigMap/settings': 'Synced',
      'Secret/creds': 'Synced',
    });
    expect(items['Deployment/web'].diffs).toEqual([
      { path: 'spec.template.spec.containers[name=app].image', git: 'nginx:1.25', live: 'nginx:1.26', manager: 'kubectl-edit' },
    ]);
    expect(items['Deployment/web'].liveOnly.map((e) => [e.path, e.live, e.manager])).toEqual([['metadata.labels.debug', 'true', 'kubectl-edit']]);
    expect(state.manifestErrors).toHaveLength(1);
    expect(state.manifestErrors[0]).toMatchObject({ file: 'apps/broken.yaml', line: 5 });
    expect(state.source).toMatchObject({ dirty: false, commit: { shortHash: firstCommit.slice(0, 7), subject: 'Deploy web 1.25' } });
  });

  it('syncs an object back to Git by server-side apply, guarded and audited', async () => {
    const engine = engineFor();
    await engine.run();
    const session = await openSession({ kubeConfigObject: t.kc });
    const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
    const actions = createDriftActions({ kc: session.kc, store: session.store, audit }, engine);
    const web = engine.store.getState().items.find((i) => i.name === 'web') as DriftItem;
    await actions.syncDrift(driftKey(web));
    const after = byName(engine.store.getState().items);
    expect(after['Deployment/web'].status).toBe('Synced');
    // The label kubectl-edit added is not Git's: applying Git leaves it.
    expect(after['Deployment/web'].liveOnly.map((e) => e.path)).toEqual(['metadata.labels.debug']);
    const live = await new KubeHttp(t.kc).requestJson<Deployment>('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(live.spec!.template.spec!.containers[0].image).toBe('nginx:1.25');
    expect(live.metadata.managedFields!.some((e) => e.manager === 'daytwo' && e.operation === 'Apply')).toBe(true);
    const lines = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.phase, l.result])).toEqual([
      ['sync', 'deployments.apps/shop/web', 'start', undefined],
      ['sync', 'deployments.apps/shop/web', 'end', 'succeeded'],
    ]);
    expect(session.store.getState().messages.at(-1)?.text).toMatch(/^synced Deployment shop\/web to Git/);

    // A Missing object is created (needs create as well as patch).
    const missing = engine.store.getState().items.find((i) => i.name === 'not-yet-applied') as DriftItem;
    await actions.syncDrift(driftKey(missing));
    expect(byName(engine.store.getState().items)['ConfigMap/not-yet-applied'].status).toBe('Synced');
    await session.stop();
  });

  it('refuses a sync under --readonly and without RBAC, and says so in the audit log', async () => {
    for (const { user, readonly, reason } of [
      { user: 'admin' as const, readonly: true, reason: /read-only/ },
      { user: 'viewer' as const, readonly: false, reason: /not allowed to patch configmaps in shop named settings/ },
    ]) {
      const engine = engineFor();
      await engine.run();
      const session = await openSession({ kubeConfigObject: t.kubeConfigFor(user), readonly });
      const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
      const settings = engine.store.getState().items.find((i) => i.name === 'settings') as DriftItem;
      await createDriftActions({ kc: session.kc, store: session.store, audit }, engine).syncDrift(driftKey(settings));
      expect(session.store.getState().messages.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(reason) });
      const lines = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.phase, l.result])).toEqual([['refused', 'refused']]);
      await session.stop();
    }
  });

  it('marks a working tree with uncommitted changes and compares what is on disk', async () => {
    write('apps/web.yaml', DEPLOYMENT('nginx:1.27'));
    try {
      const engine = engineFor();
      await engine.run();
      const state = engine.store.getState();
      expect(state.source?.dirty).toBe(true);
      expect(byName(state.items)['Deployment/web'].diffs.map((d) => d.git)).toEqual(['nginx:1.27']);
    } finally {
      git('checkout', '--quiet', '--', 'apps/web.yaml');
    }
  });

  it('recomputes when a file changes in the working tree', async () => {
    const engine = engineFor();
    engine.start();
    try {
      await vi.waitFor(() => expect(engine.store.getState().phase).toBe('ready'), { timeout: 10_000 });
      write('apps/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: brand-new}\n');
      await vi.waitFor(() => expect(byName(engine.store.getState().items)['ConfigMap/brand-new']?.status).toBe('Missing'), { timeout: 10_000 });
    } finally {
      engine.stop();
      rmSync(path.join(repo, 'apps/extra.yaml'));
    }
  });
});

describe('recomputing', () => {
  it('recomputes (throttled) when a watched object of a declared kind changes', async () => {
    const session = await openSession({ kubeConfigObject: t.kc });
    session.start(['deployments']);
    await session.waitForSync(['deployments']);
    const engine = new DriftEngine({
      source: new GitSource({ location: repo }),
      http: new KubeHttp(t.kc),
      defaultNamespace: 'shop',
      appStore: session.store,
      throttleMs: 100,
    });
    engine.start();
    try {
      await vi.waitFor(() => expect(engine.store.getState().phase).toBe('ready'), { timeout: 10_000 });
      expect(byName(engine.store.getState().items)['Deployment/web'].diffs.map((d) => d.path)).not.toContain('spec.replicas');
      await new KubeHttp(t.kc).requestJson('/apis/apps/v1/namespaces/shop/deployments/web', {
        method: 'PATCH',
        query: { fieldManager: 'kubectl-scale' },
        contentType: 'application/merge-patch+json',
        body: { spec: { replicas: 7 } },
      });
      await vi.waitFor(
        () => expect(byName(engine.store.getState().items)['Deployment/web'].diffs).toContainEqual({ path: 'spec.replicas', git: 2, live: 7, manager: 'kubectl-scale' }),
        { timeout: 10_000 },
      );
    } finally {
      await new KubeHttp(t.kc).requestJson('/apis/apps/v1/namespaces/shop/deployments/web', {
        method: 'PATCH',
        query: { fieldManager: 'kubectl-scale' },
        contentType: 'application/merge-patch+json',
        body: { spec: { replicas: 2 } },
      });
      engine.stop();
      await session.stop();
    }
  });
});

describe.skipIf(!hasKustomize)('kustomize', () => {
  it('renders a directory with a kustomization.yaml', async () => {
    write('overlay/kustomization.yaml', 'namespace: shop\nnamePrefix: k-\nresources:\n- cm.yaml\n');
    write('overlay/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: info}\n');
    try {
      const engine = new DriftEngine({ source: new GitSource({ location: repo, subdir: 'overlay' }), http: new KubeHttp(t.kc) });
      await engine.run();
      const state = engine.store.getState();
      expect(state.manifestErrors).toEqual([]);
      const rendered = state.items.filter((i) => i.status !== 'Extra');
      expect(rendered.map((i) => [i.kind, i.namespace, i.name, i.status, i.source?.file])).toEqual([
        ['ConfigMap', 'shop', 'k-settings', 'Missing', 'kustomization.yaml (rendered)'],
      ]);
      // The applied ConfigMaps of shop that this overlay does not declare.
      expect(state.items.filter((i) => i.status === 'Extra').map((i) => i.name)).toContain('stray');
    } finally {
      rmSync(path.join(repo, 'overlay'), { recursive: true, force: true });
    }
  });
});

describe('symbolic links in the Git directory (issue 13 case 7)', () => {
  it('names a link loop and a dangling link as manifest errors and compares the rest', async () => {
    symlinkSync('loop-b.yaml', path.join(repo, 'apps/loop-a.yaml'));
    symlinkSync('loop-a.yaml', path.join(repo, 'apps/loop-b.yaml'));
    symlinkSync('gone.yaml', path.join(repo, 'apps/dangling.yaml'));
    mkdirSync(path.join(repo, 'linked'));
    symlinkSync('../apps/web.yaml', path.join(repo, 'linked/web-link.yaml'));
    try {
      const engine = engineFor();
      await engine.run();
      const state = engine.store.getState();
      expect(state.manifestErrors).toContainEqual({ file: 'apps/loop-a.yaml', line: 1, reason: 'symbolic link loop (-> loop-b.yaml): too many levels of symbolic links' });
      expect(state.manifestErrors).toContainEqual({ file: 'apps/loop-b.yaml', line: 1, reason: 'symbolic link loop (-> loop-a.yaml): too many levels of symbolic links' });
      expect(state.manifestErrors).toContainEqual({ file: 'apps/dangling.yaml', line: 1, reason: 'symbolic link to gone.yaml: no such file or directory' });
      expect(byName(state.items)['Deployment/web']).toBeDefined();
      expect(byName(state.items)['ConfigMap/settings'].status).toBe('Synced');
    } finally {
      for (const f of ['apps/loop-a.yaml', 'apps/loop-b.yaml', 'apps/dangling.yaml']) rmSync(path.join(repo, f));
      rmSync(path.join(repo, 'linked'), { recursive: true, force: true });
    }
  });
});

describe('kustomize without a renderer', () => {
  it('reports the kustomization as not rendered and compares the rest', async () => {
    write('apps/overlay/kustomization.yaml', 'resources: []\n');
    try {
      const source = new GitSource({
        location: repo,
        render: async () => {
          throw new Error('not rendered: neither kustomize nor kubectl is installed');
        },
      });
      const engine = new DriftEngine({ source, http: new KubeHttp(t.kc), defaultNamespace: 'shop' });
      await engine.run();
      const state = engine.store.getState();
      expect(state.manifestErrors).toContainEqual({ file: 'apps/overlay/kustomization.yaml', line: 1, reason: 'not rendered: neither kustomize nor kubectl is installed' });
      expect(byName(state.items)['Deployment/web']).toBeDefined();
    } finally {
      rmSync(path.join(repo, 'apps/overlay'), { recursive: true, force: true });
    }
  });
});

describe('drift against a commit and a URL', () => {
  it('reads the manifests of --git-ref, not the working tree', async () => {
    write('apps/web.yaml', DEPLOYMENT('nginx:1.28'));
    git('commit', '--quiet', '-am', 'Deploy web 1.28');
    const atHead = engineFor();
    await atHead.run();
    expect(byName(atHead.store.getState().items)['Deployment/web'].status).toBe('OutOfSync');
    const atFirst = engineFor({ ref: firstCommit.slice(0, 10) });
    await atFirst.run();
    const state = atFirst.store.getState();
    expect(state.error).toBeUndefined();
    expect(state.source).toMatchObject({ ref: firstCommit.slice(0, 10), dirty: false, commit: { subject: 'Deploy web 1.25' } });
    expect(byName(state.items)['Deployment/web'].status).toBe('Synced');
    expect(state.manifestErrors.map((e) => e.file)).toEqual(['apps/broken.yaml']);
  });

  it('clones a file:// URL into the cache directory and reads its HEAD', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'daytwo-git-cache-'));
    const engine = engineFor({ location: `file://${repo}`, cacheDir });
    await engine.run();
    const state = engine.store.getState();
    expect(state.source?.commit?.subject).toBe('Deploy web 1.28');
    expect(byName(state.items)['Deployment/web'].diffs.map((d) => d.git)).toEqual(['nginx:1.28']);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('reports an unknown ref as an error of the source', async () => {
    const engine = engineFor({ ref: 'no-such-branch' });
    await engine.run();
    expect(engine.store.getState()).toMatchObject({ phase: 'error', error: expect.stringContaining('--git-ref no-such-branch: no such commit') });
  });
});
