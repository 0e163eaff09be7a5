import { PassThrough } from 'node:stream';
import type { ContainerStatus, Pod, Status, Wire } from '@daytwo/k8s/wire-types.js';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  type KubeConfig,
  Log,
  makeInformer,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
  type V1APIResourceList,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../src/types.js';
import { getAs, listAs } from '../helpers/kinds.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

/** Parses the metav1.Status of a failed client-node call. */
async function apiError(promise: Promise<unknown>): Promise<{ code: number; status: Status }> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    return { code: err.code, status: body };
  }
  throw new Error('expected the call to fail');
}

interface WatchEvent {
  type: string;
  /** The object, or for an ERROR event the metav1.Status. */
  object: KubeObject;
}

/** Opens a watch and collects its events until `stop()`. */
async function collectWatch(kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: WatchEvent[] = [];
  let done: (err: unknown) => void = () => {};
  const ended = new Promise<unknown>((resolve) => {
    done = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object });
    },
    (err) => done(err ?? null),
  );
  const until = (predicate: (events: WatchEvent[]) => boolean, what = 'watch events') =>
    vi.waitFor(() => expect(predicate(events), `${what}: ${JSON.stringify(events.map((e) => e.type))}`).toBe(true), { timeout: 10_000, interval: 20 });

  return { events, ended, until, stop: () => controller.abort() };
}

function configMap(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): V1ConfigMap {
  return { metadata: { name, labels }, data };
}

/** A pod as the kubelet would report it: bound, Running and (un)ready. */
function runningPod(name: string, labels: Record<string, string>, ready = true, node = 'node-a'): Pod {
  // Its container status carries only what the sim reads (no image, imageID).
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'app:1' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'app', ready, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
    },
  } as Pod;
}

describe('sim API server (frozen, empty cluster)', () => {
  let t: TestSim;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'empty', controllers: 'none', serverVersion: 'v1.31.5-eks-abc1234' });
    core = t.kc.makeApiClient(CoreV1Api);
    apps = t.kc.makeApiClient(AppsV1Api);
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => {
    t.sim.faults.reset();
  });

  describe('discovery', () => {
    it('reports the version as providers print it', async () => {
      const res = await fetch(`${t.url}/version`, { headers: { Authorization: `Bearer ${t.sim.tokens.viewer}` } });
      const version: unknown = await res.json();
      expect(version).toMatchObject({ major: '1', minor: '31+', gitVersion: 'v1.31.5-eks-abc1234', platform: 'linux/amd64' });
    });

    it('lists subresources with their group and kind (kubectl drain checks pods/eviction)', async () => {
      const res = await fetch(`${t.url}/api/v1`, { headers: { Authorization: `Bearer ${t.sim.tokens.admin}` } });
      const list = (await res.json()) as Wire<V1APIResourceList>;
      expect(list.kind).toBe('APIResourceList');
      const byName = new Map(list.resources.map((r) => [r.name, r]));
      expect(byName.get('pods')).toMatchObject({ namespaced: true, kind: 'Pod', shortNames: ['po'] });
      expect(byName.get('pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
      expect(byName.get('pods/log')).toMatchObject({ kind: 'Pod', verbs: ['get'] });
    });

    it('answers 401 without a token and 404 in Status form for unknown groups', async () => {
      const anonymous = await fetch(`${t.url}/api/v1/pods`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      const unknown = await fetch(`${t.url}/apis/example.com/v1/widgets`, { headers: { Authorization: `Bearer ${t.sim.tokens.admin}` } });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ reason: 'NotFound', message: 'the server could not find the requested resource' });
    });
  });

  describe('CRUD', () => {
    it('creates, reads, updates and deletes, with the real errors', async () => {
      const created = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('crud', { a: '1' }, { k: 'v' }) });
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.resourceVersion).toBeTruthy();

      const dup = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: configMap('crud') }));
      expect(dup.code).toBe(409);
      expect(dup.status).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "crud" already exists' });

      const read = await core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' });
      const updated = await core.replaceNamespacedConfigMap({
        name: 'crud',
        namespace: 'default',
        body: { ...read, data: { k: 'v2' } },
      });
      expect(updated.data).toEqual({ k: 'v2' });
      expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));

      const stale = await apiError(core.replaceNamespacedConfigMap({ name: 'crud', namespace: 'default', body: { ...read, data: { k: 'v3' } } }));
      expect(stale.code).toBe(409);
      expect(stale.status.reason).toBe('Conflict');

      await core.deleteNamespacedConfigMap({ name: 'crud', namespace: 'default' });
      const gone = await apiError(core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' }));
      expect(gone.code).toBe(404);
      expect(gone.status.message).toBe('configmaps "crud" not found');
    });

    it('deletes a collection by label selector', async () => {
      for (const name of ['bulk-1', 'bulk-2', 'keep-1']) {
        await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(name, { bulk: String(name.startsWith('bulk')) }) });
      }
      await core.deleteCollectionNamespacedConfigMap({ namespace: 'default', labelSelector: 'bulk=true' });
      const left = listAs(t.sim.store, 'configmaps', { namespace: 'default', labelSelector: 'bulk' }).map((c) => c.metadata.name);
      expect(left).toEqual(['keep-1']);
    });

    it('answers 405 for verbs a resource does not serve and 406 for media types it cannot produce', async () => {
      const headers = { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'application/json' };
      const post = await fetch(`${t.url}/api/v1/componentstatuses`, { method: 'POST', headers, body: '{}' });
      expect(post.status).toBe(405);
      expect(((await post.json()) as Status).reason).toBe('MethodNotAllowed');
      const proto = await fetch(`${t.url}/api/v1/namespaces`, { headers: { ...headers, Accept: 'application/vnd.kubernetes.protobuf' } });
      expect(proto.status).toBe(406);
    });

    it('binds a pod to a node once', async () => {
      const pod = runningPod('unbound', { app: 'unbound' });
      delete pod.spec!.nodeName;
      t.sim.store.create('pods', pod);
      const binding = { metadata: { name: 'unbound' }, target: { kind: 'Node', name: 'node-b' } };
      await core.createNamespacedPodBinding({ name: 'unbound', namespace: 'default', body: binding });
      expect(getAs(t.sim.store, 'pods', 'default', 'unbound')!.spec!.nodeName).toBe('node-b');
      const again = await apiError(core.createNamespacedPodBinding({ name: 'unbound', namespace: 'default', body: binding }));
      expect(again.code).toBe(409);
      expect(again.status.message).toContain('pod unbound is already assigned to node "node-b"');
    });

    it('stores nothing on dryRun=All', async () => {
      const answer = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('dry'), dryRun: 'All' });
      expect(answer.metadata?.name).toBe('dry');
      expect(getAs(t.sim.store, 'configmaps', 'default', 'dry')).toBeUndefined();
    });

    it('derives the field manager from the User-Agent unless given', async () => {
      const headers = {
        Authorization: `Bearer ${t.sim.tokens.admin}`,
        'Content-Type': 'application/json',
        'User-Agent': 'kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc',
      };
      await fetch(`${t.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers,
        body: JSON.stringify(configMap('ua', {}, { a: 'b' })),
      });
      const stored = getAs(t.sim.store, 'configmaps', 'default', 'ua')!;
      expect(stored.metadata.managedFields?.map((m) => m.manager)).toEqual(['kubectl-edit']);
      await fetch(`${t.url}/api/v1/namespaces/default/configmaps/ua?fieldManager=ops-bot`, {
        method: 'PATCH',
        headers: { ...headers, 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ data: { c: 'd' } }),
      });
      const patched = getAs(t.sim.store, 'configmaps', 'default', 'ua')!;
      expect(patched.metadata.managedFields?.map((m) => m.manager).sort()).toEqual(['kubectl-edit', 'ops-bot']);
    });
  });

  describe('list and watch', () => {
    it('lists with label and field selectors and pages with limit/continue', async () => {
      for (let i = 0; i < 5; i++) {
        await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(`page-${i}`, { set: 'paging', odd: String(i % 2) }) });
      }
      const odd = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'set=paging,odd=1' });
      expect(odd.items.map((c) => c.metadata?.name)).toEqual(['page-1', 'page-3']);
      const byName = await core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'metadata.name=page-2' });
      expect(byName.items.map((c) => c.metadata?.name)).toEqual(['page-2']);

      const names: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'set=paging', limit: 2, _continue: next });
        names.push(...page.items.map((c) => c.metadata!.name!));
        next = page.metadata?._continue;
        pages++;
      } while (next);
      expect(pages).toBe(3);
      expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);

      const badSelector = await apiError(core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'spec.color=red' }));
      expect(badSelector.code).toBe(400);
    });

    it('returns the current resourceVersion on lists', async () => {
      const list = await core.listNamespacedConfigMap({ namespace: 'default' });
      expect(list.metadata?.resourceVersion).toBe(String(t.sim.store.resourceVersion));
    });

    it('watches from now, from a resourceVersion, and with selectors (objects leaving it are DELETED)', async () => {
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('w-existing', { watch: 'me' }) });
      const rv = t.sim.store.resourceVersion;
      const all = await collectWatch(t.kc, '/api/v1/namespaces/default/configmaps', {});
      const selected = await collectWatch(t.kc, '/api/v1/namespaces/default/configmaps', { labelSelector: 'watch=me', resourceVersion: String(rv) });
      await all.until((e) => e.some((x) => x.object.metadata.name === 'w-existing'), 'initial ADDED');
      expect(all.events.every((e) => e.type === 'ADDED')).toBe(true);

      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('w-new', { watch: 'me' }) });
      await core.patchNamespacedConfigMap(
        { name: 'w-new', namespace: 'default', body: { metadata: { labels: { watch: 'other' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'w-existing', namespace: 'default' });

      await selected.until((e) => e.length >= 3, 'selected events');
      expect(selected.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED w-new',
        'DELETED w-new',
        'DELETED w-existing',
      ]);
      await all.until((e) => e.filter((x) => x.type !== 'ADDED').length >= 2);
      expect(all.events.filter((e) => e.type !== 'ADDED').map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'MODIFIED w-new',
        'DELETED w-existing',
      ]);
      all.stop();
      selected.stop();
    });

    it('replays from a resourceVersion after a reconnect', async () => {
      const first = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('resume-1') });
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('resume-2') });
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('resume-3') });
      const w = await collectWatch(t.kc, '/api/v1/namespaces/default/configmaps', { resourceVersion: first.metadata?.resourceVersion });
      await w.until((e) => e.length >= 2);
      expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED resume-2', 'ADDED resume-3']);
      w.stop();
    });

    it('replays an object leaving the selector while disconnected as DELETED', async () => {
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('gap', { phase: 'one' }) });
      const rv = String(t.sim.store.resourceVersion);
      await core.patchNamespacedConfigMap(
        { name: 'gap', namespace: 'default', body: { metadata: { labels: { phase: 'two' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const w = await collectWatch(t.kc, '/api/v1/namespaces/default/configmaps', { labelSelector: 'phase=one', resourceVersion: rv });
      await w.until((e) => e.length >= 1);
      expect(w.events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels!.phase}`)).toEqual(['DELETED gap one']);
      w.stop();
    });

    it('serves a continue token and a watch from its resourceVersion until the compactor passes it, then answers 410 Expired', async () => {
      // The compactor wakes every interval and compacts to the resourceVersion it recorded at its previous wake-up.
      const intervalMs = 2000;
      const t2 = await startTestSim({ scenario: 'empty', controllers: 'none', compactionIntervalMs: intervalMs });
      try {
        const api = t2.kc.makeApiClient(CoreV1Api);
        for (const name of ['a', 'b']) await api.createNamespacedConfigMap({ namespace: 'default', body: configMap(name) });
        const firstPage = await api.listNamespacedConfigMap({ namespace: 'default', limit: 1 });
        const token = firstPage.metadata?._continue;
        const listRv = firstPage.metadata?.resourceVersion;
        await api.createNamespacedConfigMap({ namespace: 'default', body: configMap('after-the-token') });
        // Before a compaction passes the token's resourceVersion: the next page, read at it.
        const secondPage = await api.listNamespacedConfigMap({ namespace: 'default', limit: 1, _continue: token });
        expect(secondPage.items.map((c) => c.metadata?.name)).toEqual(['b']);
        expect(secondPage.metadata?.resourceVersion).toBe(listRv);
        const served = await collectWatch(t2.kc, '/api/v1/namespaces/default/configmaps', { resourceVersion: listRv });
        await served.until((e) => e.length >= 1);
        expect(served.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED after-the-token']);
        served.stop();

        // Two or three wake-ups later the write after the token has been recorded, then compacted to.
        await vi.waitFor(() => expect(t2.sim.store.compactedResourceVersion).toBe(Number(listRv) + 1), { timeout: 4 * intervalMs, interval: 100 });
        const staleContinue = await apiError(api.listNamespacedConfigMap({ namespace: 'default', limit: 1, _continue: token }));
        expect(staleContinue.code).toBe(410);
        expect(staleContinue.status.reason).toBe('Expired');
        expect(staleContinue.status.message).toMatch(/^The provided continue parameter is too old/);
        const w = await collectWatch(t2.kc, '/api/v1/namespaces/default/configmaps', { resourceVersion: listRv });
        await w.until((e) => e.length >= 1);
        expect(w.events[0].type).toBe('ERROR');
        expect(w.events[0].object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
        const expired = w.events[0].object as Status;
        expect(expired.message).toBe(`too old resource version: ${listRv} (${t2.sim.store.compactedResourceVersion})`);
        await w.ended;
      } finally {
        await t2.stop();
      }
    });

    it('sends bookmarks when allowed and ends a watch after timeoutSeconds', async () => {
      const t2 = await startTestSim({ scenario: 'empty', controllers: 'none', bookmarkIntervalMs: 200 });
      try {
        const w = await collectWatch(t2.kc, '/api/v1/namespaces', { allowWatchBookmarks: true, timeoutSeconds: 1 });
        await w.until((e) => e.some((x) => x.type === 'BOOKMARK'));
        const bookmark = w.events.find((e) => e.type === 'BOOKMARK')!.object;
        expect(bookmark).toEqual({ kind: 'Namespace', apiVersion: 'v1', metadata: { resourceVersion: String(t2.sim.store.resourceVersion) } });
        expect(await w.ended).toBeNull();
      } finally {
        await t2.stop();
      }
    });

    it('feeds a client-node informer', async () => {
      const informer = makeInformer(t.kc, '/api/v1/namespaces/default/configmaps', () =>
        core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'informer=yes' }),
        'informer=yes',
      );
      const seen: string[] = [];
      informer.on('add', (obj) => seen.push(`add ${obj.metadata?.name}`));
      informer.on('update', (obj) => seen.push(`update ${obj.metadata?.name}`));
      informer.on('delete', (obj) => seen.push(`delete ${obj.metadata?.name}`));
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('inf-1', { informer: 'yes' }) });
      await informer.start();
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('inf-2', { informer: 'yes' }) });
      await core.patchNamespacedConfigMap(
        { name: 'inf-1', namespace: 'default', body: { data: { x: 'y' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'inf-2', namespace: 'default' });
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
      await informer.stop();
      expect(seen).toEqual(['add inf-1', 'add inf-2', 'update inf-1', 'delete inf-2']);
    });
  });

  describe('patches', () => {
    const deployment = {
      metadata: { name: 'patchme', labels: { app: 'patchme' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'patchme' } },
        template: {
          metadata: { labels: { app: 'patchme' } },
          spec: {
            containers: [
              { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
              { name: 'side', image: 'side:1' },
            ],
          },
        },
      },
    };

    beforeAll(async () => {
      await apps.createNamespacedDeployment({ namespace: 'default', body: deployment });
    });

    it('applies a JSON merge patch', async () => {
      const result = await apps.patchNamespacedDeployment(
        { name: 'patchme', namespace: 'default', body: { metadata: { labels: { merged: 'yes' } }, spec: { replicas: 2 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(result.metadata?.labels).toEqual({ app: 'patchme', merged: 'yes' });
      expect(result.spec?.replicas).toBe(2);
    });

    it('applies a JSON patch and fails it on a failed test', async () => {
      const result = await apps.patchNamespacedDeployment(
        {
          name: 'patchme',
          namespace: 'default',
          body: [
            { op: 'test', path: '/spec/replicas', value: 2 },
            { op: 'replace', path: '/spec/replicas', value: 3 },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      expect(result.spec?.replicas).toBe(3);
      const failed = await apiError(
        apps.patchNamespacedDeployment(
          { name: 'patchme', namespace: 'default', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      expect(failed.code).toBe(422);
    });

    it('applies a strategic merge patch by merge keys', async () => {
      const result = await apps.patchNamespacedDeployment(
        {
          name: 'patchme',
          namespace: 'default',
          body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] }] } } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const containers = result.spec!.template.spec!.containers;
      expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=app:2', 'side=side:1']);
      expect(containers[0].env?.map((e) => e.name)).toEqual(['A', 'B']);
    });

    it('refuses unsupported patch content types with 415', async () => {
      const res = await fetch(`${t.url}/apis/apps/v1/namespaces/default/deployments/patchme`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'text/plain' },
        body: 'replicas=3',
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as Status).reason).toBe('UnsupportedMediaType');
    });

    it('server-side applies: owns applied fields, conflicts with other managers, force takes over', async () => {
      const applied = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default', labels: { owner: 'gitops' } },
        data: { a: '1', b: '2' },
      };
      const first = await core.patchNamespacedConfigMap(
        { name: 'ssa', namespace: 'default', body: applied, fieldManager: 'gitops' },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      expect(first.data).toEqual({ a: '1', b: '2' });
      const entry = first.metadata?.managedFields?.find((m) => m.manager === 'gitops');
      expect(entry).toMatchObject({ operation: 'Apply' });
      expect(entry?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:owner': {} } } });

      // Applying the same configuration again changes nothing, not even the resourceVersion.
      const again = await core.patchNamespacedConfigMap(
        { name: 'ssa', namespace: 'default', body: applied, fieldManager: 'gitops' },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);

      // Someone else changes `a` with a plain update: applying a different `a` now conflicts.
      await core.patchNamespacedConfigMap(
        { name: 'ssa', namespace: 'default', body: { data: { a: 'hand-edited' } }, fieldManager: 'kubectl-edit' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const conflict = await apiError(
        core.patchNamespacedConfigMap(
          { name: 'ssa', namespace: 'default', body: applied, fieldManager: 'gitops' },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        ),
      );
      expect(conflict.code).toBe(409);
      expect(conflict.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a');
      expect(conflict.status.details!.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.a' }]);

      // Forced, and dropping `b` from the configuration removes it.
      const forced = await core.patchNamespacedConfigMap(
        { name: 'ssa', namespace: 'default', body: { ...applied, data: { a: '1' } }, fieldManager: 'gitops', force: true },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      expect(forced.data).toEqual({ a: '1' });
      expect(forced.metadata?.managedFields?.map((m) => m.manager)).toEqual(['gitops']);

      const noManager = await apiError(
        core.patchNamespacedConfigMap({ name: 'ssa', namespace: 'default', body: applied }, setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply)),
      );
      expect(noManager.code).toBe(422);
      expect(noManager.status.message).toContain('fieldManager: Required value: is required for apply patch');
    });

    it('creates through server-side apply', async () => {
      const created = await core.patchNamespacedConfigMap(
        {
          name: 'ssa-new',
          namespace: 'default',
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-new' }, data: { x: '1' } },
          fieldManager: 'gitops',
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.managedFields).toEqual([expect.objectContaining({ manager: 'gitops', operation: 'Apply' })]);
    });

    it('scales through the scale subresource and keeps status out of main-resource writes', async () => {
      const scale = await apps.replaceNamespacedDeploymentScale({
        name: 'patchme',
        namespace: 'default',
        body: { metadata: { name: 'patchme', namespace: 'default' }, spec: { replicas: 5 } },
      });
      expect(scale.spec?.replicas).toBe(5);
      expect(scale.status?.selector).toBe('app=patchme');
      const read = await apps.readNamespacedDeploymentScale({ name: 'patchme', namespace: 'default' });
      expect(read.spec?.replicas).toBe(5);

      await apps.patchNamespacedDeployment(
        { name: 'patchme', namespace: 'default', body: { status: { replicas: 42 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect((await apps.readNamespacedDeployment({ name: 'patchme', namespace: 'default' })).status?.replicas).toBeUndefined();
      const status = await apps.patchNamespacedDeploymentStatus(
        { name: 'patchme', namespace: 'default', body: { status: { replicas: 42 }, spec: { replicas: 1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(status.status?.replicas).toBe(42);
      expect(status.spec?.replicas).toBe(5);
    });
  });

  describe('RBAC', () => {
    it('forbids the viewer to write, with the RBAC message', async () => {
      const viewerCore = t.kubeConfigFor('viewer').makeApiClient(CoreV1Api);
      const list = await viewerCore.listNamespacedConfigMap({ namespace: 'default' });
      expect(list.items.length).toBeGreaterThan(0);
      const denied = await apiError(viewerCore.deleteNamespacedConfigMap({ name: 'page-0', namespace: 'default' }));
      expect(denied.code).toBe(403);
      expect(denied.status).toMatchObject({
        reason: 'Forbidden',
        message: 'configmaps "page-0" is forbidden: User "viewer" cannot delete resource "configmaps" in API group "" in the namespace "default"',
      });
      const secrets = await apiError(viewerCore.listSecretForAllNamespaces());
      expect(secrets.status.message).toBe('secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope');
    });

    it('answers SelfSubjectAccessReviews for each user', async () => {
      const review = (verb: string) => ({
        spec: { resourceAttributes: { verb, resource: 'pods', subresource: 'eviction', namespace: 'default' } },
      });
      const viewer = t.kubeConfigFor('viewer').makeApiClient(AuthorizationV1Api);
      const admin = t.kc.makeApiClient(AuthorizationV1Api);
      expect((await viewer.createSelfSubjectAccessReview({ body: review('create') })).status).toEqual({ allowed: false });
      expect((await admin.createSelfSubjectAccessReview({ body: review('create') })).status).toEqual({
        allowed: true,
        reason: 'RBAC: allowed by ClusterRoleBinding "daytwo-admin" of ClusterRole "cluster-admin" to User "admin"',
      });
    });
  });

  describe('eviction', () => {
    const pdb = (disruptionsAllowed: number) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'guard', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
      status: { observedGeneration: 1, disruptionsAllowed, currentHealthy: 1 + disruptionsAllowed, desiredHealthy: 1, expectedPods: 1 + disruptionsAllowed },
    });

    it('is refused while the PDB has no budget, then allowed and consumes it', async () => {
      const { store } = t.sim;
      store.create('pods', runningPod('guarded-1', { app: 'guarded' }));
      store.create('pods', runningPod('guarded-2', { app: 'guarded' }));
      const budget = store.create('policy/poddisruptionbudgets', pdb(0));
      const body = { metadata: { name: 'guarded-1', namespace: 'default' } };

      const refused = await apiError(core.createNamespacedPodEviction({ name: 'guarded-1', namespace: 'default', body }));
      expect(refused.code).toBe(429);
      expect(refused.status).toMatchObject({
        reason: 'TooManyRequests',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget guard needs 1 healthy pods and has 1 currently' }] },
      });
      expect(getAs(store, 'pods', 'default', 'guarded-1')).toBeDefined();

      store.update('policy/poddisruptionbudgets', { ...budget, status: pdb(1).status }, { subresource: 'status' });
      await core.createNamespacedPodEviction({ name: 'guarded-1', namespace: 'default', body: { ...body, deleteOptions: { gracePeriodSeconds: 0 } } });
      expect(getAs(store, 'pods', 'default', 'guarded-1')).toBeUndefined();
      const after = getAs(store, 'policy/poddisruptionbudgets', 'default', 'guard')!;
      expect(after.status!.disruptionsAllowed).toBe(0);
      expect(Object.keys(after.status!.disruptedPods!)).toEqual(['guarded-1']);

      const again = await apiError(core.createNamespacedPodEviction({ name: 'guarded-2', namespace: 'default', body: { metadata: { name: 'guarded-2' } } }));
      expect(again.code).toBe(429);
    });

    it('evicts unready pods when the budget is otherwise healthy, and refuses two PDBs with 500', async () => {
      const { store } = t.sim;
      store.create('pods', runningPod('twice', { app: 'twice' }));
      for (const name of ['pdb-a', 'pdb-b']) {
        store.create('policy/poddisruptionbudgets', {
          ...pdb(1),
          metadata: { name, namespace: 'default' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'twice' } } },
        });
      }
      const two = await apiError(core.createNamespacedPodEviction({ name: 'twice', namespace: 'default', body: { metadata: { name: 'twice' } } }));
      expect(two.code).toBe(500);
      expect(two.status.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');

      store.create('pods', runningPod('guarded-unready', { app: 'guarded' }, false));
      const budget = getAs(store, 'policy/poddisruptionbudgets', 'default', 'guard')!;
      store.update('policy/poddisruptionbudgets', { ...budget, status: { ...budget.status, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 } }, { subresource: 'status' });
      await core.createNamespacedPodEviction({ name: 'guarded-unready', namespace: 'default', body: { metadata: { name: 'guarded-unready' } } });
      const evicted = getAs(store, 'pods', 'default', 'guarded-unready');
      // Bound pods get a graceful deletion; the eviction marks them DisruptionTarget first.
      expect(evicted?.metadata.deletionTimestamp).toBeTruthy();
      expect(evicted!.status!.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', reason: 'EvictionByEvictionAPI' }));
    });

    it('checks the Eviction name against the URL', async () => {
      const wrong = await apiError(core.createNamespacedPodEviction({ name: 'guarded-2', namespace: 'default', body: { metadata: { name: 'other' } } }));
      expect(wrong.code).toBe(400);
      expect(wrong.status.message).toBe('name in URL does not match name in Eviction object');
    });

    it('accepts policy/v1 PDB reads for the viewer but forbids eviction', async () => {
      const viewerPolicy = t.kubeConfigFor('viewer').makeApiClient(PolicyV1Api);
      expect((await viewerPolicy.listNamespacedPodDisruptionBudget({ namespace: 'default' })).items.length).toBeGreaterThan(0);
      const viewerCore = t.kubeConfigFor('viewer').makeApiClient(CoreV1Api);
      const denied = await apiError(viewerCore.createNamespacedPodEviction({ name: 'guarded-2', namespace: 'default', body: { metadata: { name: 'guarded-2' } } }));
      expect(denied.code).toBe(403);
      expect(denied.status.message).toContain('cannot create resource "pods/eviction"');
    });
  });

  describe('pod logs', () => {
    it('requires a container name for multi-container pods, with the real message', async () => {
      const pod = runningPod('two-containers', { app: 'two' });
      pod.spec!.containers.push({ name: 'sidecar', image: 'side:1' });
      pod.status!.containerStatuses!.push({ name: 'sidecar', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } } as ContainerStatus);
      t.sim.store.create('pods', pod);
      const res = await fetch(`${t.url}/api/v1/namespaces/default/pods/two-containers/log`, {
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}` },
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        reason: 'BadRequest',
        message: 'a container name must be specified for pod two-containers, choose one of: [app sidecar]',
      });
    });

    it('serves tailLines as text/plain', async () => {
      t.sim.store.create('pods', runningPod('talker', { app: 'talker' }));
      const res = await fetch(`${t.url}/api/v1/namespaces/default/pods/talker/log?tailLines=3&timestamps=true`, {
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain');
      const lines = (await res.text()).split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /);
    });
  });

  describe('faults', () => {
    it('latency delays every response', async () => {
      t.sim.faults.latencyMs = 300;
      const started = Date.now();
      await core.listNamespace();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('errors fail non-watch requests with 500 InternalError', async () => {
      t.sim.faults.errorRate = 1;
      const failed = await apiError(core.listNamespace());
      expect(failed.code).toBe(500);
      expect(failed.status.reason).toBe('InternalError');
      const w = await collectWatch(t.kc, '/api/v1/namespaces', {});
      await w.until((e) => e.length >= 4);
      w.stop();
    });

    it('drop-watches closes open watch streams', async () => {
      const w = await collectWatch(t.kc, '/api/v1/namespaces', {});
      await w.until((e) => e.length >= 1);
      t.sim.faults.dropWatchesMs = 300;
      expect(await w.ended).toBeNull();
    });

    it('expire-on-resume answers any resume with 410', async () => {
      t.sim.faults.expireOnResume = true;
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('expire-me') });
      const w = await collectWatch(t.kc, '/api/v1/namespaces/default/configmaps', { resourceVersion: String(t.sim.store.resourceVersion - 1) });
      await w.until((e) => e.length >= 1);
      expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    });

    it('slow-logs spaces streamed log lines', async () => {
      t.sim.faults.slowLogsMs = 250;
      const started = Date.now();
      const res = await fetch(`${t.url}/api/v1/namespaces/default/pods/talker/log?tailLines=3`, {
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}` },
      });
      const lines = (await res.text()).split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 250);
    });

    it('forbid refuses a resource with 403', async () => {
      t.sim.faults.forbid = ['configmaps'];
      expect((await apiError(core.listNamespacedConfigMap({ namespace: 'default' }))).code).toBe(403);
      expect((await core.listNamespace()).items.length).toBeGreaterThan(0);
    });
  });
});

/** Controllers (rollouts, rescheduling) act on their own: allow them time on a loaded machine. */
const CONTROLLERS = { timeout: 45_000, interval: 50 };
// These wait on controllers (rollouts, rescheduling): allow them time on a loaded machine.
describe('sim API server (demo cluster with controllers)', { timeout: 90_000 }, () => {
  let t: TestSim;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'demo', speed: 10 });
    core = t.kc.makeApiClient(CoreV1Api);
    apps = t.kc.makeApiClient(AppsV1Api);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const pods = () => listAs(t.sim.store, 'pods');
  const controllerOf = (obj: KubeObject) => obj.metadata.ownerReferences?.find((o) => o.controller);

  it('follows a pod log until the pod is deleted', async () => {
    const pod = pods().find((p) => p.status?.phase === 'Running' && p.spec!.containers.length === 1 && controllerOf(p)?.kind === 'ReplicaSet')!;
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    const finished = new Promise((resolve) => out.on('finish', resolve));
    await new Log(t.kc).log(pod.metadata.namespace!, pod.metadata.name!, pod.spec!.containers[0].name, out, { follow: true, tailLines: 1 });
    await vi.waitFor(() => expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4), CONTROLLERS);
    await core.deleteNamespacedPod({ name: pod.metadata.name!, namespace: pod.metadata.namespace!, gracePeriodSeconds: 0 });
    await finished;
    expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
  });

  it('records deployment revisions on template updates and reuses the old ReplicaSet on rollback', async () => {
    const body = {
      metadata: { name: 'revisions' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'revisions' } },
        template: { metadata: { labels: { app: 'revisions' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
      },
    };
    await apps.createNamespacedDeployment({ namespace: 'default', body });
    const revisionOf = () => getAs(t.sim.store, 'apps/deployments', 'default', 'revisions')?.metadata.annotations?.['deployment.kubernetes.io/revision'];
    await vi.waitFor(() => expect(revisionOf()).toBe('1'), CONTROLLERS);
    const setImage = (image: string) =>
      apps.patchNamespacedDeployment(
        { name: 'revisions', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
    await setImage('app:2');
    await vi.waitFor(() => expect(revisionOf()).toBe('2'), CONTROLLERS);
    await setImage('app:1');
    await vi.waitFor(() => expect(revisionOf()).toBe('3'), CONTROLLERS);
    const deployment = getAs(t.sim.store, 'apps/deployments', 'default', 'revisions')!;
    const owned = listAs(t.sim.store, 'apps/replicasets', { namespace: 'default' }).filter((rs) => controllerOf(rs)?.uid === deployment.metadata.uid);
    expect(owned).toHaveLength(2);
    const byImage = new Map(owned.map((rs) => [rs.spec!.template!.spec!.containers[0].image, rs.metadata.annotations?.['deployment.kubernetes.io/revision']]));
    expect(byImage.get('app:1')).toBe('3');
    expect(byImage.get('app:2')).toBe('2');
  });

  it('drains a node through cordon and evictions; the evicted pods come back elsewhere', async () => {
    const budgets = listAs(t.sim.store, 'policy/poddisruptionbudgets');
    const guarded = (pod: KubeObject) =>
      budgets.some(
        (b) =>
          b.metadata.namespace === pod.metadata.namespace &&
          Object.entries(b.spec?.selector?.matchLabels ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v),
      );
    // Prefer a node whose pods no budget guards, so the drain does not wait on replacements.
    const candidates = listAs(t.sim.store, 'nodes').filter((n) => {
      const here = pods().filter((p) => p.spec?.nodeName === n.metadata.name && controllerOf(p)?.kind !== 'DaemonSet');
      return !n.spec?.unschedulable && here.length > 0 && here.every((p) => controllerOf(p)?.kind === 'ReplicaSet');
    });
    const unguarded = (n: KubeObject) => !pods().some((p) => p.spec?.nodeName === n.metadata.name && guarded(p));
    const node = candidates.find(unguarded) ?? candidates[0];
    const nodeName = node.metadata.name!;
    await core.patchNode(
      { name: nodeName, body: { spec: { unschedulable: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` });
    const toEvict = onNode.items.filter((p) => p.metadata?.ownerReferences?.find((o) => o.controller)?.kind !== 'DaemonSet');
    expect(toEvict.length).toBeGreaterThan(0);
    const owners = new Set(toEvict.map((p) => p.metadata!.ownerReferences!.find((o) => o.controller)!.uid));
    for (const pod of toEvict) {
      // Budgets may refuse (429) until the replacement of an earlier eviction is ready: retry like kubectl drain.
      for (let attempt = 0; ; attempt++) {
        try {
          await core.createNamespacedPodEviction({
            name: pod.metadata!.name!,
            namespace: pod.metadata!.namespace!,
            body: { metadata: { name: pod.metadata!.name!, namespace: pod.metadata!.namespace! } },
          });
          break;
        } catch (err) {
          if (!(err instanceof ApiException) || err.code !== 429 || attempt > 200) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    // The node empties of everything but DaemonSet pods.
    await vi.waitFor(
      () => expect(pods().filter((p) => p.spec?.nodeName === nodeName && controllerOf(p)?.kind !== 'DaemonSet')).toEqual([]),
      CONTROLLERS,
    );
    for (const uid of owners) {
      const rs = listAs(t.sim.store, 'apps/replicasets').find((r) => r.metadata.uid === uid)!;
      await vi.waitFor(() => {
        const mine = pods().filter((p) => controllerOf(p)?.uid === uid && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
        expect(mine.map((p) => p.spec!.nodeName === nodeName), `replicas of ${rs.metadata.name} running elsewhere`).toEqual(new Array(rs.spec!.replicas).fill(false));
      }, CONTROLLERS);
    }
  });
});
