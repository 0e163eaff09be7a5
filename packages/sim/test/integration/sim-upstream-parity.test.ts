/**
 * Behaviours of a real API server and controller manager that third-party manifests and
 * kubectl rely on, reproduced by the simulated cluster (issue: the sim diverged on each).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Namespace, PersistentVolumeClaim, SelfSubjectAccessReview, SelfSubjectReview, Status } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createControllers, settle } from '../../src/controllers/index.js';
import { loadFixtureFiles } from '../../src/fixtures.js';
import { MemoryStore } from '../../src/store.js';
import { getAs, listAs } from '../helpers/kinds.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo' });
});
afterAll(() => t?.stop());

/** A request as admin; the body read as `T`: the object written, or the metav1.Status of a refusal. */
async function send<T = Status>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, t.url), {
    method,
    headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const podSpec = (mounts: { name: string; mountPath: string }[] = []) => ({ containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: mounts }] });

describe('StatefulSet volumeClaimTemplates', () => {
  it('accepts template mounts of a claim template (apps validation does not check them against volumes)', async () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: podSpec([{ name: 'data', mountPath: '/var/lib/db' }]) },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    const res = await send('POST', '/apis/apps/v1/namespaces/default/statefulsets', sts);
    expect(res.status).toBe(201);
  });
});

describe('Job selector generation', () => {
  it('labels the template with job-name and controller-uid and selects on the uid, so pods of other jobs are never read', async () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default' }, spec: { template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } };
    const res = await send<Job>('POST', '/apis/batch/v1/namespaces/default/jobs', job);
    expect(res.status).toBe(201);
    const uid = res.body.metadata.uid;
    expect(res.body.spec!.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(res.body.spec!.template.metadata!.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'once',
      'controller-uid': uid,
      'job-name': 'once',
    });
  });

  it('keeps a manual selector', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'manual', namespace: 'default' },
      spec: { manualSelector: true, selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: { ...podSpec(), restartPolicy: 'Never' } } },
    };
    const res = await send<Job>('POST', '/apis/batch/v1/namespaces/default/jobs', job);
    expect(res.status).toBe(201);
    expect(res.body.spec!.selector).toEqual({ matchLabels: { app: 'm' } });
  });
});

describe('deletion', () => {
  it('deletes a namespace with everything in it, instead of leaving it Terminating', async () => {
    expect((await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } })).status).toBe(201);
    await send('POST', '/api/v1/namespaces/gone/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    await send('POST', '/apis/apps/v1/namespaces/gone/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() } },
    });
    const res = await send<Namespace>('DELETE', '/api/v1/namespaces/gone');
    expect(res.body.status!.phase).toBe('Terminating');
    await vi.waitFor(async () => expect((await send('GET', '/api/v1/namespaces/gone')).status).toBe(404), { timeout: 15_000, interval: 100 });
    expect(listAs(t.sim.store, 'configmaps', { namespace: 'gone' })).toEqual([]);
    expect(listAs(t.sim.store, 'pods', { namespace: 'gone' })).toEqual([]);
  });

  it('removes the Endpoints of a deleted Service', async () => {
    await send('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'brief' }, spec: { selector: { app: 'brief' }, ports: [{ port: 80 }] } });
    await vi.waitFor(() => expect(getAs(t.sim.store, 'endpoints', 'default', 'brief')).toBeDefined(), { timeout: 5_000, interval: 50 });
    await send('DELETE', '/api/v1/namespaces/default/services/brief');
    await vi.waitFor(() => expect(getAs(t.sim.store, 'endpoints', 'default', 'brief')).toBeUndefined(), { timeout: 5_000, interval: 50 });
  });
});

describe('foreground deletion', () => {
  it('keeps the owner, with the foregroundDeletion finalizer, until its dependents are gone', () => {
    const store = new MemoryStore();
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const rs = store.create('apps/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: podSpec() } },
    });
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true };
    // A pod with a finalizer of its own holds the owner until someone releases it.
    store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', namespace: 'default', ownerReferences: [ref], finalizers: ['example.com/hold'] }, spec: podSpec() });
    const controllers = createControllers().filter((c) => c.name === 'garbage-collector');

    const marked = store.delete('apps/replicasets', 'default', 'rs', { propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    settle(store, controllers);
    expect(store.get('apps/replicasets', 'default', 'rs')).toBeDefined();
    expect(store.get('pods', 'default', 'held')?.metadata.deletionTimestamp).toBeDefined();

    const pod = structuredClone(store.get('pods', 'default', 'held')!);
    pod.metadata.finalizers = [];
    store.update('pods', pod);
    settle(store, controllers);
    expect(store.get('pods', 'default', 'held')).toBeUndefined();
    expect(store.get('apps/replicasets', 'default', 'rs')).toBeUndefined();
  });

  it('completes at once for an owner without dependents', () => {
    const store = new MemoryStore();
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lonely', namespace: 'default' } });
    store.delete('configmaps', 'default', 'lonely', { propagationPolicy: 'Foreground' });
    settle(store, createControllers().filter((c) => c.name === 'garbage-collector'));
    expect(store.get('configmaps', 'default', 'lonely')).toBeUndefined();
  });
});

describe('kubectl auth whoami', () => {
  it('answers a SelfSubjectReview with the user of the request', async () => {
    const res = await send<SelfSubjectReview>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', status: { userInfo: { username: 'admin' } } });
    expect(res.body.status!.userInfo!.groups).toContain('system:authenticated');
  });
});

describe('fixtures load like kubectl apply', () => {
  it('updates objects that already exist (a dump of a real cluster holds default and kube-system)', () => {
    const store = new MemoryStore();
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const before = store.get('namespaces', undefined, 'default')!;
    const dir = mkdtempSync(join(tmpdir(), 'daytwo-fixture-'));
    const file = join(dir, 'dump.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: v1',
        '  kind: Namespace',
        '  metadata: {name: default, uid: 1111-from-the-dump, labels: {kubernetes.io/metadata.name: default, team: core}}',
        '- apiVersion: v1',
        '  kind: ConfigMap',
        '  metadata: {name: settings, namespace: default}',
        '  data: {mode: fast}',
      ].join('\n'),
    );
    loadFixtureFiles(store, [file]);
    const after = store.get('namespaces', undefined, 'default')!;
    expect(after.metadata.labels?.team).toBe('core');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(store.get('configmaps', 'default', 'settings')?.data).toEqual({ mode: 'fast' });
  });
});

describe('server-side apply of list-map keys with defaults', () => {
  it('keys a port that leaves protocol out as protocol TCP, so a second apply keeps it', async () => {
    const apply = (ports: object[]) =>
      fetch(new URL('/api/v1/namespaces/default/services/keyed?fieldManager=tool', t.url), {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'application/apply-patch+yaml' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'keyed' }, spec: { selector: { app: 'k' }, ports } }),
      });
    expect((await apply([{ port: 80, protocol: 'TCP', targetPort: 8080 }])).status).toBe(201);
    expect((await apply([{ port: 80, targetPort: 8080 }])).status).toBe(200);
    const svc = getAs(t.sim.store, 'services', 'default', 'keyed')!;
    expect(svc.spec!.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
    const entry = svc.metadata.managedFields?.find((e) => e.manager === 'tool');
    expect(JSON.stringify(entry?.fieldsV1)).toContain('k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}');
  });
});

describe("server-side apply by kubectl over a client-side applied object (lastAppliedUpdater)", () => {
  it('rewrites last-applied as the sent configuration, which bumps a Deployment\'s generation; another manager leaves it', async () => {
    const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'csa', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'csa' } }, template: { metadata: { labels: { app: 'csa' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    };
    // What `kubectl apply` (client-side) leaves: the manifest with an empty annotations map.
    const csa = `${JSON.stringify({ ...manifest, metadata: { annotations: {}, ...manifest.metadata } })}\n`;
    const created = await fetch(new URL('/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-client-side-apply', t.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...manifest, metadata: { ...manifest.metadata, annotations: { [LAST]: csa } } }),
    });
    expect(created.status).toBe(201);
    const apply = (manager: string) =>
      fetch(new URL(`/apis/apps/v1/namespaces/default/deployments/csa?fieldManager=${manager}`, t.url), {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': 'application/apply-patch+yaml' },
        body: JSON.stringify(manifest),
      });
    expect((await apply('other')).status).toBe(200);
    const untouched = t.sim.store.get('apps/deployments', 'default', 'csa')!;
    expect(untouched.metadata.annotations?.[LAST]).toBe(csa);
    expect(untouched.metadata.generation).toBe(1);

    expect((await apply('kubectl')).status).toBe(200);
    const synced = t.sim.store.get('apps/deployments', 'default', 'csa')!;
    // Keys sorted as Go encodes a map, no annotations key (the sent configuration had none).
    expect(synced.metadata.annotations?.[LAST]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"csa","namespace":"default"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"csa"}},"template":{"metadata":{"labels":{"app":"csa"}},"spec":{"containers":[{"image":"nginx:1.27","name":"web"}]}}}}\n',
    );
    expect(synced.metadata.generation).toBe(2);
  });
});

describe('minReadySeconds and availability counters', () => {
  let fast: TestSim;
  beforeAll(async () => {
    fast = await startTestSim({ scenario: 'demo', speed: 20 });
  });
  afterAll(() => fast?.stop());

  const post = (path: string, body: unknown) =>
    fetch(new URL(path, fast.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${fast.sim.tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('makes StatefulSet pods available once minReadySeconds have passed after Ready', async () => {
    const res = await post('/apis/apps/v1/namespaces/default/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'slow' },
      spec: { replicas: 2, minReadySeconds: 2, serviceName: 'slow', selector: { matchLabels: { app: 'slow' } }, template: { metadata: { labels: { app: 'slow' } }, spec: podSpec() } },
    });
    expect(res.status).toBe(201);
    await vi.waitFor(() => expect(getAs(fast.sim.store, 'apps/statefulsets', 'default', 'slow')?.status?.readyReplicas).toBe(2), { timeout: 20_000, interval: 100 });
    await vi.waitFor(() => expect(getAs(fast.sim.store, 'apps/statefulsets', 'default', 'slow')?.status?.availableReplicas).toBe(2), { timeout: 20_000, interval: 100 });
  });

  it('clears a DaemonSet numberUnavailable once its pods are available', async () => {
    const res = await post('/apis/apps/v1/namespaces/default/daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { minReadySeconds: 1, selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: podSpec() } },
    });
    expect(res.status).toBe(201);
    await vi.waitFor(
      () => {
        const status = getAs(fast.sim.store, 'apps/daemonsets', 'default', 'agent')?.status;
        expect(status?.desiredNumberScheduled).toBeGreaterThan(0);
        expect(status?.numberAvailable).toBe(status?.desiredNumberScheduled);
        expect(status?.numberUnavailable).toBeUndefined();
      },
      { timeout: 20_000, interval: 100 },
    );
  });
});

describe('claims and volume binding', () => {
  const claim = (name: string, storageClassName?: string) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName !== undefined ? { storageClassName } : {}) },
  });
  const podWithClaim = (name: string, claimName: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...podSpec([{ name: 'data', mountPath: '/data' }]), volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  });
  const scheduled = (name: string) => getAs(t.sim.store, 'pods', 'default', name)?.status?.conditions?.find((c) => c.type === 'PodScheduled');

  it('keeps a pod whose claim does not exist Pending, with the scheduler reason', async () => {
    expect((await send('POST', '/api/v1/namespaces/default/pods', podWithClaim('no-claim', 'missing'))).status).toBe(201);
    await vi.waitFor(() => expect(scheduled('no-claim')?.message).toMatch(/^0\/\d+ nodes are available: persistentvolumeclaim "missing" not found\. preemption:/), { timeout: 5_000, interval: 50 });
    expect(getAs(t.sim.store, 'pods', 'default', 'no-claim')!.spec!.nodeName).toBeUndefined();
  });

  it('keeps a pod Pending while its Immediate claim cannot be bound (a class that does not exist)', async () => {
    await send('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('nowhere', 'no-such-class'));
    expect((await send('POST', '/api/v1/namespaces/default/pods', podWithClaim('unbound', 'nowhere'))).status).toBe(201);
    await vi.waitFor(() => expect(scheduled('unbound')?.message).toMatch(/nodes are available: pod has unbound immediate PersistentVolumeClaims\./), { timeout: 5_000, interval: 50 });
    expect(getAs(t.sim.store, 'persistentvolumeclaims', 'default', 'nowhere')?.status?.phase).toBe('Pending');
  });

  it('gives a claim without a class the default class and provisions it when its pod is scheduled (WaitForFirstConsumer)', async () => {
    const created = await send<PersistentVolumeClaim>('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('late'));
    expect(created.body.spec!.storageClassName).toBe('gp3');
    await new Promise((r) => setTimeout(r, 200));
    expect(getAs(t.sim.store, 'persistentvolumeclaims', 'default', 'late')?.status?.phase).toBe('Pending');
    await send('POST', '/api/v1/namespaces/default/pods', podWithClaim('consumer', 'late'));
    await vi.waitFor(
      () => {
        const pvc = getAs(t.sim.store, 'persistentvolumeclaims', 'default', 'late');
        expect(pvc?.status?.phase).toBe('Bound');
        expect(pvc?.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(getAs(t.sim.store, 'pods', 'default', 'consumer')!.spec!.nodeName);
        expect(getAs(t.sim.store, 'persistentvolumes', undefined, pvc!.spec!.volumeName!)?.status?.phase).toBe('Bound');
      },
      { timeout: 5_000, interval: 50 },
    );
  });
});

describe('CronJob validation', () => {
  it("refuses a schedule robfig/cron cannot parse, and an unknown time zone, with batch validation's field paths", async () => {
    const cronJob = (schedule: string, timeZone?: string) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'bad' },
      spec: { schedule, ...(timeZone ? { timeZone } : {}), jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } } },
    });
    const fields = await send('POST', '/apis/batch/v1/namespaces/default/cronjobs', cronJob('* * * *'));
    expect(fields.status).toBe(422);
    expect(fields.body.message).toBe('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]');
    const zone = await send('POST', '/apis/batch/v1/namespaces/default/cronjobs', cronJob('0 2 * * *', 'Mars/Olympus'));
    expect(zone.status).toBe(422);
    expect(zone.body.message).toContain('spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  });
});

describe('rbac.authorization.k8s.io', () => {
  const asViewer = (method: string, path: string, body?: unknown) =>
    fetch(new URL(path, t.url), {
      method,
      headers: { Authorization: `Bearer ${t.sim.tokens.viewer}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('serves Roles and RoleBindings, and a stored RoleBinding grants what its Role allows, in its namespace only', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'granted' }, data: { a: '1' } };
    expect((await asViewer('POST', '/api/v1/namespaces/default/configmaps', cm)).status).toBe(403);
    const role = await send('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'cm-writer' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }],
    });
    expect(role.status).toBe(201);
    const binding = await send('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer-writes-cm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-writer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    });
    expect(binding.status).toBe(201);
    expect((await asViewer('POST', '/api/v1/namespaces/default/configmaps', cm)).status).toBe(201);
    expect((await asViewer('POST', '/api/v1/namespaces/shop/configmaps', cm)).status).toBe(403);

    const review = (await (
      await asViewer('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'create', resource: 'configmaps', namespace: 'default' } },
      })
    ).json()) as SelfSubjectAccessReview;
    expect(review.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "viewer-writes-cm/default" of Role "cm-writer" to User "viewer"' });

    await send('DELETE', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/viewer-writes-cm');
    expect((await asViewer('POST', '/api/v1/namespaces/default/configmaps', { ...cm, metadata: { name: 'again' } })).status).toBe(403);
  });
});

describe('EndpointSlices', () => {
  it("keeps one slice per selecting Service, with each ready pod's address, conditions, node and zone, and removes it with the Service", async () => {
    await send('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sliced' }, spec: { selector: { app: 'sliced' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sliced' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'sliced' } }, template: { metadata: { labels: { app: 'sliced' } }, spec: podSpec() } },
    });
    const slicesOf = () => listAs(t.sim.store, 'discovery.k8s.io/endpointslices', { namespace: 'default' }).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'sliced');
    await vi.waitFor(
      () => {
        const [slice, ...more] = slicesOf();
        expect(more).toEqual([]);
        expect(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
        expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
        expect(slice.endpoints).toHaveLength(2);
        for (const endpoint of slice.endpoints) {
          expect(endpoint.conditions).toEqual({ ready: true, serving: true, terminating: false });
          const pod = getAs(t.sim.store, 'pods', 'default', endpoint.targetRef!.name!)!;
          expect(endpoint.addresses).toEqual([pod.status!.podIP]);
          expect(endpoint.nodeName).toBe(pod.spec!.nodeName);
          expect(endpoint.zone).toBe(getAs(t.sim.store, 'nodes', undefined, pod.spec!.nodeName!)?.metadata.labels?.['topology.kubernetes.io/zone']);
        }
      },
      { timeout: 15_000, interval: 100 },
    );
    await send('DELETE', '/api/v1/namespaces/default/services/sliced');
    await vi.waitFor(() => expect(slicesOf()).toEqual([]), { timeout: 5_000, interval: 50 });
  });
});
