import { createServer } from 'node:net';
import { podRecord } from '@daytwo/k8s/compact.js';
import { type KubeObject, objectKey } from '@daytwo/k8s/kube-object.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { generateTokens, type SimTokens } from '@daytwo/sim/auth.js';
import { Faults } from '@daytwo/sim/faults.js';
import { simKubeconfig } from '@daytwo/sim/kubeconfig.js';
import { SimServer } from '@daytwo/sim/server.js';
import { MemoryStore } from '@daytwo/sim/store.js';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestSim } from '../../../sim/test/helpers/sim.js';
import { collectionPath, KIND_NAMES, type KindName, WATCHED_KINDS } from '../../src/domain/kinds.js';
import { canI } from '../../src/kube/access.js';
import { KubeHttp } from '../../src/kube/http.js';
import { listAll } from '../../src/kube/list.js';
import { type KubeSession, openSession, SyncTimeoutError } from '../../src/kube/session.js';

/**
 * The simulated API server built from its parts rather than `startSim`, because these
 * tests need what the handle does not offer: a fixed port (a server that appears later, or
 * restarts over the same store and tokens), plain HTTP, and a tiny watch history (real 410s).
 */
interface KubeSim {
  store: MemoryStore;
  faults: Faults;
  tokens: SimTokens;
  url: string;
  kc: KubeConfig;
  kcFor(user: 'admin' | 'viewer'): KubeConfig;
  stop(): Promise<void>;
}

async function startKubeSim(
  opts: { port?: number; tokens?: SimTokens; historyLimit?: number; store?: MemoryStore } = {},
): Promise<KubeSim> {
  let store = opts.store;
  if (!store) {
    store = new MemoryStore({ historyLimit: opts.historyLimit });
    for (const name of ['default', 'kube-system']) store.create('namespaces', namespace(name));
  }
  const faults = new Faults();
  const tokens = opts.tokens ?? generateTokens();
  const server = await SimServer.start(
    { store, faults, tokens, serverVersion: 'v1.31.0', bookmarkIntervalMs: 200 },
    { port: opts.port ?? 0 },
  );
  const kcFor = (user: 'admin' | 'viewer'): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromString(simKubeconfig({ server: server.url, users: tokens, user }));
    return kc;
  };
  const sim: KubeSim = { store, faults, tokens, url: server.url, kc: kcFor('admin'), kcFor, stop: () => server.close() };
  cleanups.push(() => sim.stop());
  return sim;
}

const FAST = { backoff: { initialMs: 50, maxMs: 400 }, recheckMs: 300 };
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function session(kc: KubeConfig, opts: Parameters<typeof openSession>[0] = {}): Promise<KubeSession> {
  const s = await openSession({ kubeConfigObject: kc, ...FAST, ...opts });
  cleanups.push(() => s.stop());
  return s;
}

function pod(namespace: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** key -> resourceVersion of what the store holds for `kind`. */
function storeSnapshot(s: KubeSession, kind: KindName): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, obj] of s.store.getState().objects[kind]) out[key] = obj.metadata.resourceVersion;
  return out;
}

/** key -> resourceVersion from a fresh LIST against the server. */
async function listSnapshot(kc: KubeConfig, path: string): Promise<Record<string, string | undefined>> {
  const { items } = await listAll(new KubeHttp(kc), path);
  return Object.fromEntries(items.map((o) => [objectKey(o), o.metadata.resourceVersion]));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Creates, updates and deletes pods for a while, like a busy cluster. */
async function churn(s: KubeSim, rounds: number, ns = 'default'): Promise<void> {
  const store = s.store;
  for (let i = 0; i < rounds; i++) {
    store.create('pods', pod(ns, `churn-${i}`, { round: String(i) }));
    if (i >= 2) {
      const prev = structuredClone(store.get('pods', ns, `churn-${i - 2}`) as Pod);
      prev.metadata.labels = { ...prev.metadata.labels, touched: 'yes' };
      store.update('pods', prev);
    }
    if (i >= 4 && i % 2 === 0) store.delete('pods', ns, `churn-${i - 4}`, { gracePeriodSeconds: 0 });
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('watches into the store', () => {
  it('fills the store with every kind and the server version', async () => {
    const s = await startKubeSim();
    s.store.create('namespaces', namespace('shop'));
    for (let i = 0; i < 5; i++) s.store.create('pods', pod('shop', `web-${i}`));
    const ks = await session(s.kc);
    await ks.waitForSync();
    const state = ks.store.getState();
    for (const kind of Object.keys(state.connection) as KindName[]) expect(state.connection[kind].state).toBe('live');
    expect(storeSnapshot(ks, 'pods')).toEqual(await listSnapshot(s.kc, '/api/v1/pods'));
    expect(storeSnapshot(ks, 'namespaces')).toEqual(await listSnapshot(s.kc, '/api/v1/namespaces'));
    expect(state.objects.pods.get('shop/web-0')?.kind).toBe('Pod');
    await vi.waitFor(() => expect(ks.store.getState().cluster.version).toBe('v1.31.0'));
    expect(ks.store.getState().cluster).toMatchObject({ reachable: true, server: s.url });
  });

  it('follows creates, updates and deletes', async () => {
    const s = await startKubeSim();
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    const store = s.store;
    store.create('pods', pod('default', 'a'));
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.has('default/a')).toBe(true));
    const updated = structuredClone(store.get('pods', 'default', 'a') as Pod);
    updated.metadata.labels = { tier: 'front' };
    store.update('pods', updated);
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.get('default/a')?.metadata.labels).toEqual({ tier: 'front' }));
    store.delete('pods', 'default', 'a', { gracePeriodSeconds: 0 });
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.has('default/a')).toBe(false));
  });

  it('batches a burst of events into few flushes', async () => {
    const s = await startKubeSim();
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    const before = ks.store.getState().flushes;
    for (let i = 0; i < 300; i++) s.store.create('pods', pod('default', `burst-${i}`));
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.size).toBe(300));
    // 300 events written at once: far fewer flushes than events.
    expect(ks.store.getState().flushes - before).toBeLessThan(30);
  });

  it('drops managedFields and the last-applied annotation of kinds kept whole', async () => {
    const s = await startKubeSim();
    s.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'annotated', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' } },
    });
    const ks = await session(s.kc);
    await ks.waitForSync(['namespaces']);
    const stored = ks.store.getState().objects.namespaces.get('annotated');
    expect(stored?.metadata.annotations).toEqual({ keep: 'me' });
    expect(stored?.metadata.managedFields).toBeUndefined();
  });

  it('keeps a pod as its compact record, listed or watched, under the API paths', async () => {
    const s = await startKubeSim();
    const listed = pod('default', 'listed');
    listed.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kubernetes.io/config.mirror': 'x', other: 'y' };
    s.store.create('pods', listed);
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    s.store.create('pods', { ...pod('default', 'watched'), metadata: { ...pod('default', 'watched').metadata, annotations: { other: 'y' } } });
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.has('default/watched')).toBe(true));
    const http = new KubeHttp(s.kc);
    for (const name of ['listed', 'watched']) {
      const whole = await http.requestJson<Pod>(`/api/v1/namespaces/default/pods/${name}`);
      const stored = ks.store.getState().objects.pods.get(`default/${name}`);
      expect(whole.metadata.managedFields).toBeDefined();
      expect(stored).toEqual(podRecord(whole));
      expect(stored?.spec?.containers?.[0]?.name).toBe(whole.spec!.containers[0].name);
    }
    expect(ks.store.getState().objects.pods.get('default/listed')?.metadata.annotations).toEqual({ 'kubernetes.io/config.mirror': 'x' });
  });

  it('survives dropped watches without losing or duplicating objects', async () => {
    const s = await startKubeSim();
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    s.faults.dropWatchesMs = 150;
    await churn(s, 60);
    s.faults.dropWatchesMs = 0;
    const expected = await listSnapshot(s.kc, '/api/v1/pods');
    await vi.waitFor(() => expect(storeSnapshot(ks, 'pods')).toEqual(expected), { timeout: 10_000 });
    expect(Object.keys(expected).length).toBeGreaterThan(20);
  });

  it('relists on 410 Gone and removes what vanished meanwhile', async () => {
    const s = await startKubeSim();
    for (let i = 0; i < 10; i++) s.store.create('pods', pod('default', `old-${i}`));
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    s.faults.expireOnResume = true;
    s.faults.dropWatchesMs = 150;
    for (let i = 0; i < 10; i += 2) s.store.delete('pods', 'default', `old-${i}`, { gracePeriodSeconds: 0 });
    await churn(s, 40);
    s.faults.dropWatchesMs = 0;
    const expected = await listSnapshot(s.kc, '/api/v1/pods');
    await vi.waitFor(() => expect(storeSnapshot(ks, 'pods')).toEqual(expected), { timeout: 10_000 });
    expect(expected['default/old-0']).toBeUndefined();
    expect(expected['default/old-1']).toBeDefined();
  });

  it('marks a forbidden kind without failing the others, and re-checks it', async () => {
    const s = await startKubeSim();
    s.faults.forbid = ['events'];
    const ks = await session(s.kc);
    await ks.waitForSync(['events', 'pods', 'nodes']);
    const conn = ks.store.getState().connection;
    expect(conn.events.state).toBe('forbidden');
    expect(conn.events.error).toMatch(/forbidden/);
    expect(conn.pods.state).toBe('live');
    expect(conn.nodes.state).toBe('live');
    s.faults.forbid = [];
    await vi.waitFor(() => expect(ks.store.getState().connection.events.state).toBe('live'), { timeout: 5000 });
  });

  it('scopes namespaced kinds to -n and keeps nodes and namespaces cluster-wide', async () => {
    const s = await startKubeSim();
    for (const ns of ['a', 'b']) {
      s.store.create('namespaces', namespace(ns));
      for (let i = 0; i < 3; i++) s.store.create('pods', pod(ns, `p-${i}`));
    }
    const ks = await session(s.kc, { namespace: 'a' });
    await ks.waitForSync(['pods', 'namespaces', 'nodes']);
    const state = ks.store.getState();
    expect([...state.objects.pods.keys()].sort()).toEqual(['a/p-0', 'a/p-1', 'a/p-2']);
    expect(state.objects.namespaces.has('b')).toBe(true);
    expect(state.cluster.namespace).toBe('a');
    s.store.create('pods', pod('b', 'late'));
    s.store.create('pods', pod('a', 'late'));
    await vi.waitFor(() => expect(ks.store.getState().objects.pods.has('a/late')).toBe(true));
    expect(ks.store.getState().objects.pods.has('b/late')).toBe(false);
  });

  it('shows just the -n namespace when namespaces may not be listed', async () => {
    const s = await startKubeSim();
    s.store.create('namespaces', namespace('a'));
    s.faults.forbid = ['namespaces'];
    const ks = await session(s.kc, { namespace: 'a' });
    await ks.waitForSync(['namespaces', 'pods']);
    const state = ks.store.getState();
    expect(state.connection.namespaces.state).toBe('forbidden');
    await vi.waitFor(() => expect([...ks.store.getState().objects.namespaces.keys()]).toEqual(['a']));
    expect(state.connection.pods.state).toBe('live');
  });

  it('relists when the watch history is too short to resume (real 410)', async () => {
    const s = await startKubeSim({ historyLimit: 5 });
    const ks = await session(s.kc);
    await ks.waitForSync(['pods']);
    // Everything below happens while no watch is open, and overflows the 5-event history.
    s.faults.dropWatchesMs = 100;
    s.faults.latencyMs = 300;
    await churn(s, 30);
    s.faults.dropWatchesMs = 0;
    s.faults.latencyMs = 0;
    const expected = await listSnapshot(s.kc, '/api/v1/pods');
    await vi.waitFor(() => expect(storeSnapshot(ks, 'pods')).toEqual(expected), { timeout: 10_000 });
  });

  it('lists large collections in pages', async () => {
    const s = await startKubeSim();
    for (let i = 0; i < 1203; i++) s.store.create('pods', pod('default', `many-${String(i).padStart(4, '0')}`));
    const result = await listAll(new KubeHttp(s.kc), '/api/v1/pods', { limit: 500 });
    expect(result.pages).toBe(3);
    expect(new Set(result.items.map(objectKey)).size).toBe(1203);
    const ks = await session(s.kc, { pageSize: 500 });
    await ks.waitForSync(['pods']);
    expect(ks.store.getState().objects.pods.size).toBe(1203);
  });
});

describe('the demo cluster over HTTPS (startSim, controllers running)', () => {
  it('syncs every kind, for admin and for viewer, matching a fresh LIST', async () => {
    const demo = await startTestSim({ scenario: 'demo' });
    cleanups.push(() => demo.stop());
    for (const user of ['admin', 'viewer'] as const) {
      const kc = demo.kubeConfigFor(user);
      expect(kc.getCurrentCluster()?.server).toMatch(/^https:/);
      const ks = await session(kc);
      await ks.waitForSync();
      for (const kind of KIND_NAMES) expect(ks.store.getState().connection[kind].state).toBe('live');
      expect(ks.store.getState().objects.pods.size).toBeGreaterThan(10);
      expect(ks.store.getState().cluster.user).toBe(`daytwo-sim-${user}`);
      await vi.waitFor(() => expect(ks.store.getState().cluster.version).toBe('v1.30.4'));
      await ks.stop();
      // Controllers keep writing (events, status), so compare kinds that settle: the store
      // must hold exactly what a LIST returns once quiet.
      for (const kind of ['nodes', 'deployments', 'services'] as const) {
        const watched = WATCHED_KINDS.find((k) => k.kind === kind);
        if (!watched) throw new Error(kind);
        const listed = Object.keys(await listSnapshot(kc, collectionPath(watched)));
        expect(Object.keys(storeSnapshot(ks, kind)).sort()).toEqual(listed.sort());
      }
    }
  });
});

describe('connectivity', () => {
  it('marks an unreachable server and recovers when one appears', async () => {
    const port = await freePort();
    const tokens = generateTokens();
    const kc = new KubeConfig();
    kc.loadFromString(simKubeconfig({ server: `http://127.0.0.1:${port}`, users: tokens }));
    const ks = await session(kc);
    await expect(ks.waitForSync(['pods', 'nodes'], 500)).rejects.toBeInstanceOf(SyncTimeoutError);
    await vi.waitFor(() => expect(ks.store.getState().cluster.reachable).toBe(false));
    expect(ks.store.getState().connection.pods.state).toBe('reconnecting');
    expect(ks.store.getState().connection.pods.error).toMatch(/ECONNREFUSED/);

    const late = await startKubeSim({ port, tokens });
    late.store.create('pods', pod('default', 'arrived'));
    await ks.waitForSync(['pods', 'nodes'], 10_000);
    expect(ks.store.getState().cluster.reachable).toBe(true);
    expect(ks.store.getState().objects.pods.has('default/arrived')).toBe(true);
    await vi.waitFor(() => expect(ks.store.getState().cluster.version).toBe('v1.31.0'));
  });

  it('goes unreachable when the API server restarts, and catches up on what changed meanwhile', async () => {
    const port = await freePort();
    const tokens = generateTokens();
    const first = await startKubeSim({ port, tokens });
    first.store.create('pods', pod('default', 'before'));
    first.store.create('pods', pod('default', 'doomed'));
    const ks = await session(first.kc);
    await ks.waitForSync(['pods', 'nodes']);
    await first.stop();
    await vi.waitFor(() => expect(ks.store.getState().cluster.reachable).toBe(false));
    expect(ks.store.getState().connection.pods.state).toBe('reconnecting');
    // The data outlives the API server process, as etcd does.
    first.store.create('pods', pod('default', 'after'));
    first.store.delete('pods', 'default', 'doomed', { gracePeriodSeconds: 0 });
    await startKubeSim({ port, tokens, store: first.store });
    await vi.waitFor(
      () => expect([...ks.store.getState().objects.pods.keys()].sort()).toEqual(['default/after', 'default/before']),
      { timeout: 10_000 },
    );
    expect(ks.store.getState().cluster.reachable).toBe(true);
    await vi.waitFor(() => expect(ks.store.getState().connection.pods.state).toBe('live'));
  });
});

describe('canI', () => {
  it('asks the server with SelfSubjectAccessReview', async () => {
    const s = await startKubeSim();
    const admin = s.kcFor('admin');
    const viewer = s.kcFor('viewer');
    const q = { verb: 'delete', group: '', resource: 'pods', namespace: 'default' };
    expect((await canI(admin, q)).allowed).toBe(true);
    expect((await canI(viewer, q)).allowed).toBe(false);
    expect((await canI(viewer, { verb: 'list', group: 'apps', resource: 'deployments' })).allowed).toBe(true);
    const evict = { verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: 'default' };
    expect((await canI(viewer, evict)).allowed).toBe(false);
  });

  it('answers a failed check, with the reason on one line, when the check itself fails (never a denial)', async () => {
    const port = await freePort();
    const kc = new KubeConfig();
    kc.loadFromString(simKubeconfig({ server: `http://127.0.0.1:${port}`, users: generateTokens() }));
    const decision = await canI(kc, { verb: 'get', group: '', resource: 'pods' });
    expect(decision.allowed).toBe(false);
    expect(decision.failed).toBe(true);
    expect(decision.reason).toMatch(/ECONNREFUSED/);
    expect(decision.reason).not.toContain('\n');
  });
});
