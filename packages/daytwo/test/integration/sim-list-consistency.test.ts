/**
 * LIST resourceVersion semantics of the simulated API server, checked over HTTP: paged
 * lists are one snapshot (every page at the first page's resourceVersion), Exact and
 * NotOlderThan reads, 410/504/422 answers with upstream's messages, and that daytwo's
 * listAll + watch loses no deletion made while it pages.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { generateTokens } from '@daytwo/sim/auth.js';
import { Faults } from '@daytwo/sim/faults.js';
import { SimServer } from '@daytwo/sim/server.js';
import { MemoryStore } from '@daytwo/sim/store.js';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { type JsonRequest, KubeHttp, type RawResponse } from '../../src/kube/http.js';
import { listAll } from '../../src/kube/list.js';

interface ListBody {
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
  // Status fields when the answer is an error.
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

let t: TestSim;
let nsCounter = 0;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
});
afterAll(() => t?.stop());

type Query = Record<string, string | number>;

async function get(base: string, token: string, path: string, query: Query = {}) {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as ListBody };
}

const list = (path: string, query: Query = {}) => get(t.url, t.sim.tokens.admin, path, query);
const names = (body: ListBody) => body.items.map((i) => i.metadata.name);

/** A fresh namespace holding configmaps named `names`. */
function namespaceWith(...cms: string[]): string {
  const ns = `pg${++nsCounter}`;
  t.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const name of cms) configMap(ns, name);
  return ns;
}

function configMap(ns: string, name: string, data: Record<string, string> = {}): KubeObject {
  return t.sim.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
}

describe('paged lists are one consistent snapshot', () => {
  it('serves a continued page from the first page’s resourceVersion, whatever changed meanwhile', async () => {
    const ns = namespaceWith('a', 'b', 'c', 'd', 'e', 'f');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const first = await list(path, { limit: 2 });
    expect(names(first.body)).toEqual(['a', 'b']);
    const rv = first.body.metadata.resourceVersion!;
    expect(first.body.metadata.remainingItemCount).toBe(4);

    t.sim.store.delete('configmaps', ns, 'a');
    t.sim.store.delete('configmaps', ns, 'd');
    configMap(ns, 'cc');
    t.sim.store.update('configmaps', { ...t.sim.store.get('configmaps', ns, 'e')!, data: { changed: 'yes' } });

    const second = await list(path, { limit: 10, continue: first.body.metadata.continue! });
    expect(second.status).toBe(200);
    expect(second.body.metadata.resourceVersion).toBe(rv);
    // As of the first page: d still there, cc not yet, e unchanged.
    expect(names(second.body)).toEqual(['c', 'd', 'e', 'f']);
    expect(second.body.items.find((i) => i.metadata.name === 'e')?.data).toEqual({});
    expect(second.body.metadata.continue).toBeUndefined();

    // A watch from that resourceVersion replays what changed since.
    const events = await watchUntil(path, rv, (evs) => evs.some((e) => e.object.metadata.name === 'e'));
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED a', 'DELETED d', 'ADDED cc', 'MODIFIED e']);
  });

  it('pages a cluster-wide list in key order, namespace "a-b" before "a"', async () => {
    for (const ns of ['ko', 'ko-b']) {
      t.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      configMap(ns, 'x');
      configMap(ns, 'y');
    }
    const all = await list('/api/v1/configmaps', { fieldSelector: 'metadata.name!=none' });
    const keys = all.body.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
    expect(keys.indexOf('ko-b/y')).toBeLessThan(keys.indexOf('ko/x'));
    // Paging one item at a time yields the same list: no item skipped or repeated.
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await list('/api/v1/configmaps', { limit: 1, ...(token ? { continue: token } : {}) });
      paged.push(...page.body.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`));
      token = page.body.metadata.continue;
    } while (token);
    expect(paged).toEqual(keys);
  });

  it('daytwo’s listAll + watch loses no deletion made while it pages', async () => {
    const ns = namespaceWith('a', 'b', 'c', 'd', 'e', 'f');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const http = new KubeHttp(t.kc);
    let deleted = false;
    const result = await listAll(http, path, {
      limit: 2,
      mapItem: (item) => {
        // Deleted while the client holds the first page, before it asks for the second.
        if (!deleted) {
          deleted = true;
          t.sim.store.delete('configmaps', ns, 'a');
        }
        return item;
      },
    });
    expect(result.pages).toBe(3);
    const cache = new Map(result.items.map((i) => [i.metadata.name!, i]));
    const events = await watchUntil(path, result.resourceVersion, () => true, 'zz-sentinel');
    for (const ev of events) {
      if (ev.type === 'DELETED') cache.delete(ev.object.metadata.name!);
      else cache.set(ev.object.metadata.name!, ev.object);
    }
    cache.delete('zz-sentinel');
    expect([...cache.keys()].sort()).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
});

describe('resourceVersion on LIST', () => {
  it('reads at the given resourceVersion when a limit is set (legacy Exact) or Exact is asked for', async () => {
    const ns = namespaceWith('a', 'b', 'c');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const rv = String(t.sim.store.resourceVersion);
    t.sim.store.delete('configmaps', ns, 'b');
    configMap(ns, 'd');

    const legacy = await list(path, { resourceVersion: rv, limit: 10 });
    expect(legacy.status).toBe(200);
    expect(legacy.body.metadata.resourceVersion).toBe(rv);
    expect(names(legacy.body)).toEqual(['a', 'b', 'c']);

    const exact = await list(path, { resourceVersion: rv, resourceVersionMatch: 'Exact' });
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    expect(names(exact.body)).toEqual(['a', 'b', 'c']);

    // Paging an Exact read continues at the same resourceVersion.
    const page = await list(path, { resourceVersion: rv, limit: 1 });
    const next = await list(path, { limit: 5, continue: page.body.metadata.continue! });
    expect(next.body.metadata.resourceVersion).toBe(rv);
    expect(names(next.body)).toEqual(['b', 'c']);

    // Without a limit, or with NotOlderThan, any newer state will do: the latest.
    const current = String(t.sim.store.resourceVersion);
    const queries: Query[] = [{ resourceVersion: rv }, { resourceVersion: rv, resourceVersionMatch: 'NotOlderThan', limit: 10 }, { resourceVersion: '0', limit: 10 }];
    for (const query of queries) {
      const latest = await list(path, query);
      expect(latest.body.metadata.resourceVersion).toBe(current);
      expect(names(latest.body)).toEqual(['a', 'c', 'd']);
    }
  });

  it('answers a resourceVersion the server has not reached with 504 Too large resource version', async () => {
    const current = t.sim.store.resourceVersion;
    const future = current + 1000;
    const queries: Query[] = [{ resourceVersion: future }, { resourceVersion: future, limit: 5 }, { resourceVersion: future, resourceVersionMatch: 'Exact' }];
    for (const query of queries) {
      const res = await list('/api/v1/configmaps', query);
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({
        kind: 'Status',
        reason: 'Timeout',
        code: 504,
        message: `Timeout: Too large resource version: ${future}, current: ${current}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      });
    }
  });

  it('refuses bad resourceVersionMatch combinations with 422 Invalid ListOptions, as ValidateListOptions does', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ resourceVersionMatch: 'NotOlderThan' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
      [{ resourceVersion: '0', resourceVersionMatch: 'Exact' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
      [{ resourceVersion: '1', resourceVersionMatch: 'Newest' }, 'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""'],
    ];
    for (const [query, detail] of cases) {
      const res = await list('/api/v1/configmaps', query);
      expect(res.status).toBe(422);
      expect(res.body.reason).toBe('Invalid');
      expect(res.body.message).toBe(`ListOptions.meta.k8s.io "" is invalid: ${detail}`);
      expect(res.body.details?.causes?.[0]?.field).toBe('resourceVersionMatch');
    }
  });
});

describe('a resourceVersion that has left the history', () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function smallHistorySim() {
    const store = new MemoryStore({ historyLimit: 5 });
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const name of ['a', 'b', 'c', 'd']) {
      store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });
    }
    const tokens = generateTokens();
    const server = await SimServer.start({ store, faults: new Faults(), tokens, serverVersion: 'v1.31.0' }, { port: 0 });
    stops.push(() => server.close());
    const churn = () => {
      let cm = store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'zz', namespace: 'default' }, data: {} });
      for (let i = 0; i < 10; i++) cm = store.update('configmaps', { ...cm, data: { i: String(i) } });
    };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'admin', token: tokens.admin }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'admin' }],
      currentContext: 'sim',
    });
    return { store, churn, kc, list: (query: Query) => get(server.url, tokens.admin, '/api/v1/namespaces/default/configmaps', query) };
  }

  it('answers an expired continue token with 410 and a token that continues, inconsistently, at the latest state', async () => {
    const sim = await smallHistorySim();
    const first = await sim.list({ limit: 2 });
    expect(names(first.body)).toEqual(['a', 'b']);
    sim.store.delete('configmaps', 'default', 'c');
    sim.churn();

    const expired = await sim.list({ limit: 2, continue: first.body.metadata.continue! });
    expect(expired.status).toBe(410);
    expect(expired.body.reason).toBe('Expired');
    expect(expired.body.message).toBe(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
    const inconsistent = expired.body.metadata.continue!;
    expect(JSON.parse(Buffer.from(inconsistent, 'base64url').toString())).toMatchObject({ v: 'meta.k8s.io/v1', rv: -1 });

    const rest = await sim.list({ limit: 10, continue: inconsistent });
    expect(rest.status).toBe(200);
    expect(rest.body.metadata.resourceVersion).toBe(String(sim.store.resourceVersion));
    expect(names(rest.body)).toEqual(['d', 'zz']);
  });

  it('daytwo’s listAll starts over page by page when its continue token expires, never one unpaginated list', async () => {
    const sim = await smallHistorySim();
    let churned = false;
    /** The history moves past the first page's resourceVersion as the second is asked for. */
    class ChurningHttp extends KubeHttp {
      override requestText(path: string, req: JsonRequest = {}): Promise<RawResponse> {
        if (req.query?.continue !== undefined && !churned) {
          churned = true;
          sim.store.delete('configmaps', 'default', 'c');
          sim.churn();
        }
        return super.requestText(path, req);
      }
    }
    const result = await listAll(new ChurningHttp(sim.kc), '/api/v1/namespaces/default/configmaps', { limit: 2 });
    // The first page, the 410 on the second, then two pages of the list started over (an unpaginated fallback would make 2).
    expect(result.pages).toBe(3);
    expect(result.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'd', 'zz']);
    expect(result.resourceVersion).toBe(String(sim.store.resourceVersion));
  });

  it('answers an Exact read at an expired resourceVersion with 410', async () => {
    const sim = await smallHistorySim();
    const rv = sim.store.resourceVersion;
    sim.churn();
    const queries: Query[] = [{ resourceVersion: rv, limit: 2 }, { resourceVersion: rv, resourceVersionMatch: 'Exact' }];
    for (const query of queries) {
      const res = await sim.list(query);
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
    }
  });
});

type WatchEvent = { type: string; object: KubeObject };

/**
 * Watches `path` from `resourceVersion` until `done` holds. With `sentinel`, creates that
 * configmap once the watch is open and waits for its ADDED event: everything before it has
 * then been delivered.
 */
async function watchUntil(path: string, resourceVersion: string, done: (events: WatchEvent[]) => boolean, sentinel?: string): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const finished = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const isDone = () => (sentinel ? events.some((e) => e.object.metadata.name === sentinel) : done(events));
  const req = await new Watch(t.kc).watch(
    path,
    { resourceVersion },
    (type, object) => {
      events.push({ type, object: object as KubeObject });
      if (isDone()) resolve();
    },
    (err) => (err ? reject(err) : resolve()),
  );
  if (sentinel) configMap(path.split('/')[4], sentinel);
  try {
    await finished;
  } finally {
    req.abort();
  }
  return events;
}
