import type { ConfigMap, Deployment, Namespace, Pod, PodSpec } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject, StoreEvent } from '../../src/types.js';

const T0 = Date.parse('2026-11-21T12:00:00Z');

function storeAt(start = T0, extra: ConstructorParameters<typeof MemoryStore>[0] = {}) {
  let now = start;
  const store = new MemoryStore({ now: () => new Date(now), ...extra });
  store.create('namespaces', { metadata: { name: 'default' } });
  return {
    store,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

function pod(name: string, extra: Partial<PodSpec> = {}, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
  };
}

function deployment(name: string, replicas = 1): Deployment {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('MemoryStore create', () => {
  it('never changes the object it is given, unless the caller hands it over with adopt', () => {
    const { store } = storeAt();
    for (const name of ['web', 'svc']) {
      const input = name === 'web' ? pod(name) : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } };
      const before = structuredClone(input);
      const stored = store.create(name === 'web' ? 'pods' : 'configmaps', input);
      expect(input).toEqual(before);
      expect(stored).not.toBe(input);
    }
    const handed = pod('adopted');
    const stored = store.create('pods', handed, { adopt: true }) as Pod;
    expect(stored).toBe(handed);
    // Defaulted and given its identity like any other created object.
    expect(stored.spec!.restartPolicy).toBe('Always');
    expect(stored.metadata.uid).toEqual(expect.any(String));
    expect(store.get('pods', 'default', 'adopted')).toBe(stored);
  });

  it('fills server-side metadata, apiVersion and kind, and bumps the global resourceVersion', () => {
    const { store } = storeAt();
    const before = store.resourceVersion;
    const created = store.create('apps/deployments', { metadata: { name: 'web', namespace: 'default' }, spec: {} });
    expect(created.apiVersion).toBe('apps/v1');
    expect(created.kind).toBe('Deployment');
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.metadata.creationTimestamp).toBe('2026-11-21T12:00:00Z');
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.resourceVersion).toBe(String(before + 1));
    expect(store.resourceVersion).toBe(before + 1);
    expect(store.get('apps/deployments', 'default', 'web')).toBe(created);
  });

  it('does not give generation to kinds whose strategy does not track it', () => {
    const { store } = storeAt();
    const cm = store.create('configmaps', { metadata: { name: 'c', namespace: 'default', generation: 7 }, data: {} });
    expect(cm.metadata.generation).toBeUndefined();
  });

  it('clones its input so later changes by the caller do not leak into the store', () => {
    const { store } = storeAt();
    const input = pod('a');
    const created = store.create('pods', input) as Pod;
    input.spec!.containers[0].image = 'changed';
    expect(created.spec!.containers[0].image).toBe('nginx:1.27');
    expect(created).not.toBe(input);
  });

  it('honours generateName with 5 characters of the upstream alphabet', () => {
    const { store } = storeAt();
    const created = store.create('pods', { metadata: { generateName: 'web-', namespace: 'default' }, spec: {} });
    expect(created.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses an object without name or generateName with the server message', () => {
    const { store } = storeAt();
    const err = apiError(() => store.create('pods', { metadata: { namespace: 'default' } }));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('refuses a name that is not a DNS subdomain', () => {
    const { store } = storeAt();
    const err = apiError(() => store.create('pods', pod('Web_1')));
    expect(err.code).toBe(422);
    expect(err.message).toContain('metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain');
  });

  it('refuses invalid label keys and values on create and update', () => {
    const { store } = storeAt();
    const err = apiError(() => store.create('pods', pod('a', {}, { 'bad key': 'x' })));
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/^Pod "a" is invalid: metadata.labels: Invalid value: "bad key": name part must consist of/);
    const created = store.create('pods', pod('a', {}, { app: 'web' }));
    const change = structuredClone(created);
    change.metadata.labels = { app: 'not valid!' };
    expect(apiError(() => store.update('pods', change)).message).toContain(
      'metadata.labels: Invalid value: "not valid!": a valid label must be an empty string',
    );
  });

  it('answers 409 AlreadyExists for a duplicate', () => {
    const { store } = storeAt();
    store.create('pods', pod('a'));
    const err = apiError(() => store.create('pods', pod('a')));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('AlreadyExists');
    expect(err.message).toBe('pods "a" already exists');
  });

  it('requires the namespace to exist unless told otherwise', () => {
    const { store } = storeAt();
    const err = apiError(() => store.create('pods', { ...pod('a'), metadata: { name: 'a', namespace: 'nope' } }));
    expect(err.code).toBe(404);
    expect(err.message).toBe('namespaces "nope" not found');
    const created = store.create('pods', { ...pod('a'), metadata: { name: 'a', namespace: 'nope' } }, { allowMissingNamespace: true });
    expect(created.metadata.namespace).toBe('nope');
  });

  it('refuses new content in a terminating namespace with 403', () => {
    const { store } = storeAt();
    store.create('namespaces', { metadata: { name: 'old' }, spec: { finalizers: ['kubernetes'] } });
    store.delete('namespaces', undefined, 'old');
    const err = apiError(() => store.create('configmaps', { metadata: { name: 'c', namespace: 'old' } }));
    expect(err.code).toBe(403);
    expect(err.message).toBe(
      'configmaps "c" is forbidden: unable to create new content in namespace old because it is being terminated',
    );
  });

  it('drops the namespace of cluster-scoped objects', () => {
    const { store } = storeAt();
    const node = store.create('nodes', { metadata: { name: 'n1', namespace: 'default' } });
    expect(node.metadata.namespace).toBeUndefined();
    expect(store.get('nodes', undefined, 'n1')).toBe(node);
  });

  it('answers 404 with the generic message for an unknown resource', () => {
    const { store } = storeAt();
    const err = apiError(() => store.create('example.com/widgets', { metadata: { name: 'w' } }));
    expect(err.code).toBe(404);
    expect(err.message).toBe('the server could not find the requested resource');
  });

  it('stores nothing and emits nothing on dryRun, but still validates', () => {
    const { store } = storeAt();
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const rv = store.resourceVersion;
    const result = store.create('pods', pod('a'), { dryRun: true });
    expect(result.metadata.uid).toBeDefined();
    expect(result.metadata.resourceVersion).toBeUndefined();
    expect(store.get('pods', 'default', 'a')).toBeUndefined();
    expect(store.resourceVersion).toBe(rv);
    expect(events).toHaveLength(0);
    store.create('pods', pod('b'));
    expect(apiError(() => store.create('pods', pod('b'), { dryRun: true })).reason).toBe('AlreadyExists');
  });
});

describe('MemoryStore update', () => {
  it('bumps resourceVersion, keeps identity and creation time', () => {
    const { store, advance } = storeAt();
    const created = store.create('pods', pod('a'));
    advance(60);
    const change = structuredClone(created);
    change.metadata.labels = { tier: 'web' };
    change.metadata.uid = '';
    change.metadata.creationTimestamp = '2000-01-01T00:00:00Z';
    const updated = store.update('pods', change);
    expect(Number(updated.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    expect(updated.metadata.uid).toBe(created.metadata.uid);
    expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(updated.metadata.labels).toEqual({ tier: 'web' });
  });

  it('answers 404 for an absent object', () => {
    const { store } = storeAt();
    const err = apiError(() => store.update('apps/deployments', deployment('ghost')));
    expect(err.code).toBe(404);
    expect(err.message).toBe('deployments.apps "ghost" not found');
  });

  it('answers 409 Conflict for a stale resourceVersion and accepts an unconditional update', () => {
    const { store } = storeAt();
    const v1 = store.create('pods', pod('a'));
    const stale = structuredClone(v1);
    const fresh = structuredClone(v1);
    fresh.metadata.labels = { a: '1' };
    store.update('pods', fresh);
    stale.metadata.labels = { a: '2' };
    const err = apiError(() => store.update('pods', stale));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe(
      'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    stale.metadata.resourceVersion = '';
    expect(store.update('pods', stale).metadata.labels).toEqual({ a: '2' });
  });

  it('answers 409 when the uid names another incarnation of the object', () => {
    const { store } = storeAt();
    const v1 = store.create('pods', pod('a'));
    const other = structuredClone(v1);
    other.metadata.uid = '00000000-0000-0000-0000-000000000000';
    other.metadata.resourceVersion = undefined;
    const err = apiError(() => store.update('pods', other));
    expect(err.code).toBe(409);
    expect(err.message).toContain('Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000');
  });

  it('returns the stored object without a new resourceVersion or event for a no-op update', () => {
    const { store, advance } = storeAt();
    const created = store.create('apps/deployments', deployment('web'));
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    advance(30);
    const same = store.update('apps/deployments', structuredClone(created), { fieldManager: 'someone-else' });
    expect(same).toBe(created);
    expect(store.resourceVersion).toBe(Number(created.metadata.resourceVersion));
    expect(events).toHaveLength(0);
  });

  it('bumps generation on spec changes only, never on status writes', () => {
    const { store } = storeAt();
    const created = store.create('apps/deployments', deployment('web')) as Deployment;
    const scaled = structuredClone(created);
    scaled.spec!.replicas = 3;
    const v2 = store.update('apps/deployments', scaled);
    expect(v2.metadata.generation).toBe(2);

    const labelled = structuredClone(v2);
    labelled.metadata.labels = { team: 'a' };
    expect(store.update('apps/deployments', labelled).metadata.generation).toBe(2);

    const status = structuredClone(store.get('apps/deployments', 'default', 'web')! as Deployment);
    status.status = { observedGeneration: 2, replicas: 3 };
    status.spec!.replicas = 99; // a status write cannot change spec
    const v4 = store.update('apps/deployments', status, { subresource: 'status' }) as Deployment;
    expect(v4.metadata.generation).toBe(2);
    expect(v4.spec!.replicas).toBe(3);
    expect(v4.status).toEqual({ observedGeneration: 2, replicas: 3 });
  });

  it('bumps a deployment generation when its annotations change, as its strategy does', () => {
    const { store } = storeAt();
    const created = store.create('apps/deployments', deployment('web'));
    const annotated = structuredClone(created);
    annotated.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
    expect(store.update('apps/deployments', annotated).metadata.generation).toBe(2);
  });

  it('does nothing on dryRun', () => {
    const { store } = storeAt();
    const created = store.create('pods', pod('a'));
    const change = structuredClone(created);
    change.metadata.labels = { x: 'y' };
    const result = store.update('pods', change, { dryRun: true });
    expect(result.metadata.labels).toEqual({ x: 'y' });
    expect(store.get('pods', 'default', 'a')).toBe(created);
  });
});

describe('MemoryStore delete', () => {
  it('removes ordinary objects at once and returns them with the deletion resourceVersion', () => {
    const { store } = storeAt();
    store.create('configmaps', { metadata: { name: 'c', namespace: 'default' } });
    const deleted = store.delete('configmaps', 'default', 'c');
    expect(deleted.metadata.resourceVersion).toBe(String(store.resourceVersion));
    expect(store.get('configmaps', 'default', 'c')).toBeUndefined();
    expect(apiError(() => store.delete('configmaps', 'default', 'c')).message).toBe('configmaps "c" not found');
  });

  it('removes unbound pods at once', () => {
    const { store } = storeAt();
    store.create('pods', pod('pending'));
    store.delete('pods', 'default', 'pending');
    expect(store.get('pods', 'default', 'pending')).toBeUndefined();
  });

  it('deletes bound pods gracefully until deleted again with grace period 0', () => {
    const { store } = storeAt();
    store.create('pods', pod('a', { nodeName: 'n1', terminationGracePeriodSeconds: 45 }));
    const marked = store.delete('pods', 'default', 'a');
    expect(marked.metadata.deletionTimestamp).toBe('2026-11-21T12:00:45Z');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(45);
    expect(store.get('pods', 'default', 'a')).toBe(marked);

    // A second delete with a longer grace period changes nothing; a shorter one moves the deadline.
    expect(store.delete('pods', 'default', 'a', { gracePeriodSeconds: 60 })).toBe(marked);
    const shorter = store.delete('pods', 'default', 'a', { gracePeriodSeconds: 5 });
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(shorter.metadata.deletionTimestamp).toBe('2026-11-21T12:00:05Z');

    store.delete('pods', 'default', 'a', { gracePeriodSeconds: 0 });
    expect(store.get('pods', 'default', 'a')).toBeUndefined();
  });

  it('uses the request grace period, else 30 s by default, and 0 for finished pods', () => {
    const { store } = storeAt();
    store.create('pods', pod('a', { nodeName: 'n1' }));
    expect(store.delete('pods', 'default', 'a').metadata.deletionGracePeriodSeconds).toBe(30);
    store.create('pods', pod('b', { nodeName: 'n1' }));
    expect(store.delete('pods', 'default', 'b', { gracePeriodSeconds: 3 }).metadata.deletionGracePeriodSeconds).toBe(3);
    store.create('pods', { ...pod('done', { nodeName: 'n1' }), status: { phase: 'Succeeded' } });
    store.delete('pods', 'default', 'done');
    expect(store.get('pods', 'default', 'done')).toBeUndefined();
  });

  it('keeps objects with finalizers until the last finalizer is removed', () => {
    const { store } = storeAt();
    store.create('apps/deployments', { ...deployment('web'), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/hold'] } });
    const marked = store.delete('apps/deployments', 'default', 'web');
    expect(marked.metadata.deletionTimestamp).toBe('2026-11-21T12:00:00Z');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(marked.metadata.generation).toBe(2);
    expect(store.get('apps/deployments', 'default', 'web')).toBe(marked);

    const released = structuredClone(marked);
    released.metadata.finalizers = [];
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.update('apps/deployments', released);
    expect(store.get('apps/deployments', 'default', 'web')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['DELETED']);
  });

  it('passes propagationPolicy through on the event only', () => {
    const { store } = storeAt();
    store.create('apps/replicasets', { metadata: { name: 'rs', namespace: 'default' }, spec: {} });
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const deleted = store.delete('apps/replicasets', 'default', 'rs', { propagationPolicy: 'Orphan' });
    expect(events[0]).toMatchObject({ type: 'DELETED', propagationPolicy: 'Orphan' });
    expect(JSON.stringify(deleted)).not.toContain('Orphan');
  });

  it('marks a namespace Terminating while it has spec.finalizers', () => {
    const { store } = storeAt();
    store.create('namespaces', { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
    const marked = store.delete('namespaces', undefined, 'team') as Namespace;
    expect(marked.status!.phase).toBe('Terminating');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    const finalized = structuredClone(marked);
    finalized.spec!.finalizers = [];
    store.update('namespaces', finalized, { subresource: 'finalize' });
    expect(store.get('namespaces', undefined, 'team')).toBeUndefined();
  });

  it('does nothing on dryRun', () => {
    const { store } = storeAt();
    store.create('configmaps', { metadata: { name: 'c', namespace: 'default' } });
    store.delete('configmaps', 'default', 'c', { dryRun: true });
    expect(store.get('configmaps', 'default', 'c')).toBeDefined();
  });
});

describe('MemoryStore list', () => {
  it('orders by namespace then name and filters by namespace, labels and fields', () => {
    const { store } = storeAt();
    store.create('namespaces', { metadata: { name: 'b-team' } });
    store.create('pods', pod('zeta', { nodeName: 'n1' }, { app: 'web' }));
    store.create('pods', pod('alpha', {}, { app: 'db' }));
    store.create('pods', { ...pod('mid', { nodeName: 'n2' }, { app: 'web' }), metadata: { name: 'mid', namespace: 'b-team', labels: { app: 'web' } } });
    const names = (objs: KubeObject[]) => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names(store.list('pods'))).toEqual(['b-team/mid', 'default/alpha', 'default/zeta']);
    expect(names(store.list('pods', { namespace: 'default' }))).toEqual(['default/alpha', 'default/zeta']);
    expect(names(store.list('pods', { labelSelector: 'app=web' }))).toEqual(['b-team/mid', 'default/zeta']);
    expect(names(store.list('pods', { fieldSelector: 'spec.nodeName=n1' }))).toEqual(['default/zeta']);
    expect(names(store.list('pods', { fieldSelector: 'spec.nodeName=' }))).toEqual(['default/alpha']);
    expect(store.count('pods')).toBe(3);
  });

  it('rejects unsupported field selectors with 400', () => {
    const { store } = storeAt();
    const err = apiError(() => store.list('pods', { fieldSelector: 'spec.hostname=x' }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.hostname');
  });

  it('reflects writes in later lists and hands out the stored objects', () => {
    const { store } = storeAt();
    const a = store.create('pods', pod('a'));
    expect(store.list('pods')[0]).toBe(a);
    store.create('pods', pod('b'));
    store.delete('pods', 'default', 'a');
    expect(store.list('pods').map((p) => p.metadata.name)).toEqual(['b']);
  });

  it('caches the serialization of each stored object', () => {
    const { store } = storeAt();
    const a = store.create('pods', pod('a'));
    const json = store.serialized(a);
    expect(JSON.parse(json)).toEqual(a);
    expect(store.serialized(a)).toBe(json);
  });
});

describe('MemoryStore events', () => {
  it('delivers every committed write synchronously and in order, also writes made by listeners', () => {
    const { store } = storeAt();
    const seen: string[][] = [[], []];
    store.subscribe((e) => {
      seen[0].push(`${e.type}:${e.object.metadata.name}:${e.resourceVersion}`);
      if (e.type === 'ADDED' && e.gr === 'pods') {
        store.create('configmaps', { metadata: { name: `for-${e.object.metadata.name}`, namespace: 'default' } });
      }
    });
    store.subscribe((e) => seen[1].push(`${e.type}:${e.object.metadata.name}:${e.resourceVersion}`));
    const rv = store.resourceVersion;
    store.create('pods', pod('a'));
    const expected = [`ADDED:a:${rv + 1}`, `ADDED:for-a:${rv + 2}`];
    expect(seen[0]).toEqual(expected);
    expect(seen[1]).toEqual(expected);
  });

  it('stops delivering after unsubscribe', () => {
    const { store } = storeAt();
    const seen: StoreEvent[] = [];
    const off = store.subscribe((e) => seen.push(e));
    store.create('pods', pod('a'));
    off();
    store.create('pods', pod('b'));
    expect(seen).toHaveLength(1);
  });

  it('replays the events after a resourceVersion and reports expired ones', () => {
    const store = new MemoryStore({ historyLimit: 3 });
    store.create('namespaces', { metadata: { name: 'default' } }); // rv 1
    store.create('pods', pod('a')); // 2
    store.create('pods', pod('b')); // 3
    expect((store.eventsSince(1) as StoreEvent[]).map((e) => e.resourceVersion)).toEqual([2, 3]);
    expect(store.eventsSince(3)).toEqual([]);
    store.create('pods', pod('c')); // 4
    store.create('pods', pod('d')); // 5: history keeps 3..5
    expect((store.eventsSince(2) as StoreEvent[]).map((e) => e.resourceVersion)).toEqual([3, 4, 5]);
    expect(store.eventsSince(1)).toBe('expired');
    expect(store.eventsSince(0)).toBe('expired');
    for (let i = 0; i < 20; i++) store.create('configmaps', { metadata: { name: `c${i}`, namespace: 'default' } });
    expect((store.eventsSince(store.resourceVersion - 3) as StoreEvent[]).map((e) => e.object.metadata.name)).toEqual([
      'c17',
      'c18',
      'c19',
    ]);
  });

  it('keeps every change readable until the compactor passes it, as kube-apiserver compacts etcd every interval', () => {
    // The compactor wakes every interval (5 minutes by default), compacts to the resourceVersion it
    // recorded at its previous wake-up and records the current one; the first wake-up compacts nothing.
    const minute = 60_000;
    let now = Date.parse('2026-12-01T00:00:00Z');
    const store = new MemoryStore({ now: () => new Date(now) });
    const write = (name: string) => store.create('configmaps', { metadata: { name, namespace: 'default' } });
    store.create('namespaces', { metadata: { name: 'default' } }); // rv 1
    for (let i = 0; i < 30_000; i++) write(`early-${i}`); // far more changes than any fixed window kept
    const early = store.resourceVersion;
    now += 4 * minute;
    expect((store.eventsSince(0) as StoreEvent[]).length).toBe(early);
    now += 1 * minute; // first wake-up (5 min): records `early`, compacts nothing
    write('late');
    expect(store.compactedResourceVersion).toBe(0);
    expect((store.eventsSince(0) as StoreEvent[]).length).toBe(early + 1);
    now += 5 * minute; // second wake-up (10 min): compacts to `early`
    expect(store.compactedResourceVersion).toBe(early);
    expect(store.eventsSince(early - 1)).toBe('expired');
    expect(store.listAt('configmaps', early - 1)).toBe('expired');
    expect((store.eventsSince(early) as StoreEvent[]).map((e) => e.object.metadata.name)).toEqual(['late']);
    expect(store.listAt('configmaps', early)).toHaveLength(30_000);
    now += 10 * minute; // two more wake-ups with nothing written: compacted to the current resourceVersion
    expect(store.compactedResourceVersion).toBe(early + 1);
    expect(store.eventsSince(early)).toBe('expired');
    expect(store.eventsSince(early + 1)).toEqual([]);
  });

  it('never compacts with a compaction interval of 0, as --etcd-compaction-interval=0', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const store = new MemoryStore({ now: () => new Date(now), compactionIntervalMs: 0 });
    store.create('namespaces', { metadata: { name: 'default' } });
    now += 86_400_000;
    store.create('configmaps', { metadata: { name: 'c', namespace: 'default' } });
    now += 86_400_000;
    expect(store.compactedResourceVersion).toBe(0);
    expect((store.eventsSince(0) as StoreEvent[]).map((e) => e.resourceVersion)).toEqual([1, 2]);
  });

  it('records DELETED events with the object as it was', () => {
    const { store } = storeAt();
    store.create('configmaps', { metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } });
    const rv = store.resourceVersion;
    store.delete('configmaps', 'default', 'c');
    const [event] = store.eventsSince(rv) as StoreEvent[];
    expect(event.type).toBe('DELETED');
    expect(event.object.data).toEqual({ k: 'v' });
    expect(event.object.metadata.resourceVersion).toBe(String(rv + 1));
  });
});

describe('MemoryStore registry', () => {
  it('serves the built-in types and finds them by apiVersion and kind', () => {
    const store = new MemoryStore();
    expect(store.resourceType('apps/deployments')?.kind).toBe('Deployment');
    expect(store.grForKind('apps/v1', 'Deployment')).toBe('apps/deployments');
    expect(store.grForKind('v1', 'Pod')).toBe('pods');
    expect(store.grForKind('policy/v1beta1', 'PodDisruptionBudget')).toBe('policy/poddisruptionbudgets');
    expect(store.grForKind('v1', 'Widget')).toBeUndefined();
  });

  it('registers generic types whose objects track generation on any non-metadata change', () => {
    const store = new MemoryStore();
    store.registerType({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
      singularName: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      namespaced: false,
      verbs: ['get', 'list'],
    });
    expect(store.grForKind('example.com/v1', 'Widget')).toBe('example.com/widgets');
    const w = store.create('example.com/widgets', { metadata: { name: 'w' }, size: 1 });
    expect(w.apiVersion).toBe('example.com/v1');
    expect(w.metadata.generation).toBe(1);
    expect(store.update('example.com/widgets', { ...w, size: 2 }).metadata.generation).toBe(2);
  });
});

describe('MemoryStore managed fields', () => {
  it('records the creating manager and transfers changed fields to the updating one', () => {
    const { store } = storeAt();
    const created = store.create('configmaps', { metadata: { name: 'c', namespace: 'default' }, data: { a: '1', b: '2' } }, { fieldManager: 'kubectl-create' }) as ConfigMap;
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-21T12:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } },
      },
    ]);
    const edit = structuredClone(created);
    edit.data!.a = 'changed';
    const updated = store.update('configmaps', edit, { fieldManager: 'kubectl-edit' });
    expect(updated.metadata.managedFields?.map((m) => [m.manager, m.fieldsV1])).toEqual([
      ['kubectl-create', { 'f:data': { '.': {}, 'f:b': {} } }],
      ['kubectl-edit', { 'f:data': { 'f:a': {} } }],
    ]);
  });

  it('marks status writes with their subresource', () => {
    const { store } = storeAt();
    const created = store.create('pods', pod('a'));
    const status = structuredClone(created);
    status.status = { phase: 'Running' };
    const updated = store.update('pods', status, { fieldManager: 'kubelet', subresource: 'status' });
    const kubelet = updated.metadata.managedFields?.find((m) => m.manager === 'kubelet');
    expect(kubelet?.subresource).toBe('status');
    expect(kubelet?.fieldsV1).toEqual({ 'f:status': { 'f:phase': {} } });
  });

  it('can be switched off', () => {
    const store = new MemoryStore({ managedFields: false });
    store.create('namespaces', { metadata: { name: 'default' } });
    expect(store.create('pods', pod('a')).metadata.managedFields).toBeUndefined();
  });
});
