/**
 * The same tests against the simulated cluster and, when it runs, the real control plane
 * (test/real-cluster): watches, RBAC, cordon, drains blocked by a PodDisruptionBudget
 * (429), rollbacks of all three kinds, server-side apply drift and reports. Each test
 * works in a namespace of its own and puts the nodes back as it found them.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Deployment, ListOf, Node, Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCordonCommand } from '../../src/cli/cordon-command.js';
import { type CommandOutput, runDrainCommand } from '../../src/cli/drain-command.js';
import { continueTokenOfHead, withoutManagedFields } from '../../src/kube/list-body.js';
import { listAll } from '../../src/kube/list.js';
import { openSession } from '../../src/kube/session.js';
import { type Backend, backendNames, get, httpFor, NODES, startBackend, tempNamespace } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { PageRecordingHttp } from '../helpers/page-requests.js';

const WAIT = { timeout: 60_000, interval: 250 };

function buffers(): CommandOutput & { text: () => string } {
  let text = '';
  return { out: { write: (s: string) => (text += s) }, err: { write: (s: string) => (text += s) }, text: () => text };
}

async function drain(backend: Backend, args: string[]) {
  const io = buffers();
  const code = await runDrainCommand([...args, '--kubeconfig', backend.kubeconfig], io);
  return { code, text: io.text() };
}

async function cordon(backend: Backend, on: boolean, node: string, kubeconfig = backend.kubeconfig) {
  const io = buffers();
  const code = await runCordonCommand(on, [node, '--kubeconfig', kubeconfig], io);
  return { code, text: io.text() };
}

function deployment(name: string, image: string, extra: { replicas?: number; nodeName?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image }],
          ...(extra.nodeName ? { nodeSelector: { 'kubernetes.io/hostname': extra.nodeName } } : {}),
        },
      },
    },
  };
}

const podsOf = async (backend: Backend, ns: string, app: string) =>
  (await get<ListOf<Pod>>(backend, `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`)).items;
const ready = (pod: Pod) => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe.each(backendNames())('on the %s cluster', (name) => {
  let backend: Backend;
  let dir: string;

  beforeAll(async () => {
    backend = await startBackend(name);
    dir = mkdtempSync(join(tmpdir(), `daytwo-${name}-`));
    process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
  }, 120_000);
  afterAll(async () => {
    delete process.env.DAYTWO_AUDIT_LOG;
    for (const node of NODES) await cordon(backend, false, node.name);
    await backend?.stop();
  });

  it('reports the node pools and their kubelets', { timeout: 60_000 }, async () => {
    const { code, stdout } = await runCli(['report', 'nodepools', '-o', 'json', '--kubeconfig', backend.kubeconfig]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.items.map((p: { name: string; nodeCount: number }) => [p.name, p.nodeCount])).toEqual([
      ['pool-a', 2],
      ['pool-b', 1],
    ]);
    expect(doc.items[0].poolLabel).toBe('cloud.google.com/gke-nodepool');
    expect(doc.items[0].skew).toEqual({ minorsBehind: 0, supported: true });
  });

  it("cuts pods' and nodes' managed fields out of a page before parsing it, and asks for the next page from its head, as the server wrote them", { timeout: 90_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-page');
    try {
      await backend.api.requestJson(`/apis/apps/v1/namespaces/${ns.name}/deployments`, { method: 'POST', body: deployment('paged', 'nginx:1.27', { replicas: 3 }) });
      await vi.waitFor(async () => expect(await podsOf(backend, ns.name, 'paged')).toHaveLength(3), WAIT);
      for (const path of [`/api/v1/namespaces/${ns.name}/pods`, '/api/v1/nodes']) {
        const { text } = await backend.api.requestText(path, { query: { limit: 2 } });
        const page = JSON.parse(text) as ListOf<KubeObject>;
        expect(page.items.every((o) => (o.metadata.managedFields?.length ?? 0) > 0)).toBe(true);
        for (const item of page.items) delete item.metadata.managedFields;
        expect(JSON.parse(withoutManagedFields(text))).toEqual(page);
        // The next page is named in the head, before the items: listAll asks for it from there.
        expect(page.metadata?.continue).toBeTruthy();
        expect(continueTokenOfHead(text.slice(0, text.indexOf('"items":') + 8))).toBe(page.metadata?.continue);
      }
      const http = PageRecordingHttp.fromFile(backend.kubeconfig);
      const listed = await listAll(http, `/api/v1/namespaces/${ns.name}/pods`, { limit: 1, dropManagedFields: true });
      expect(listed.items.map((p) => p.metadata.name).sort()).toEqual((await podsOf(backend, ns.name, 'paged')).map((p) => p.metadata.name).sort());
      http.expectPagesAskedAhead(3);
    } finally {
      await ns.remove();
    }
  });

  it('watches objects into the store as they come and go', { timeout: 90_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-watch');
    const session = await openSession({ kubeconfig: backend.kubeconfig });
    try {
      await session.waitForSync(['pods', 'namespaces'], 60_000);
      await backend.api.requestJson(`/apis/apps/v1/namespaces/${ns.name}/deployments`, { method: 'POST', body: deployment('watched', 'nginx:1.27', { replicas: 2 }) });
      await vi.waitFor(() => {
        const pods = [...session.store.getState().objects.pods.values()].filter((p) => p.metadata.namespace === ns.name);
        expect(pods).toHaveLength(2);
      }, WAIT);
      await backend.api.requestJson(`/apis/apps/v1/namespaces/${ns.name}/deployments/watched`, { method: 'DELETE' });
      await vi.waitFor(() => {
        const pods = [...session.store.getState().objects.pods.values()].filter((p) => p.metadata.namespace === ns.name);
        expect(pods).toHaveLength(0);
      }, WAIT);
    } finally {
      await session.stop();
      await ns.remove();
    }
  });

  it('cordons and uncordons a node; a viewer is refused by RBAC (403)', { timeout: 60_000 }, async () => {
    const node = NODES[2].name;
    const refused = await cordon(backend, true, node, backend.viewerKubeconfig);
    expect(refused.code).toBe(1);
    expect(refused.text).toContain(`error: unable to cordon node "${node}": cordon refused: not allowed to patch nodes`);
    expect((await get<Node>(backend, `/api/v1/nodes/${node}`)).spec?.unschedulable).toBeUndefined();
    // The API server itself refuses the viewer's patch with 403 Forbidden.
    const viewer = httpFor(backend.viewerKubeconfig);
    try {
      await expect(
        viewer.requestJson(`/api/v1/nodes/${node}`, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: true } } }),
      ).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      viewer.close();
    }

    expect(await cordon(backend, true, node)).toEqual({ code: 0, text: `node/${node} cordoned\n` });
    const cordoned = await get<Node>(backend, `/api/v1/nodes/${node}`);
    expect(cordoned.spec?.unschedulable).toBe(true);
    await vi.waitFor(async () => {
      const taints = (await get<Node>(backend, `/api/v1/nodes/${node}`)).spec?.taints ?? [];
      expect(taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
    }, WAIT);
    expect(await cordon(backend, false, node)).toEqual({ code: 0, text: `node/${node} uncordoned\n` });
    expect((await get<Node>(backend, `/api/v1/nodes/${node}`)).spec?.unschedulable).toBeUndefined();
  });

  it('drains: a PodDisruptionBudget that allows no disruption is retried (429) until the timeout, then evicted once it allows', { timeout: 120_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-drain');
    const node = NODES[0].name;
    try {
      await backend.api.requestJson(`/apis/apps/v1/namespaces/${ns.name}/deployments`, { method: 'POST', body: deployment('pinned', 'nginx:1.27', { nodeName: node }) });
      await backend.api.requestJson(`/apis/policy/v1/namespaces/${ns.name}/poddisruptionbudgets`, {
        method: 'POST',
        body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pinned' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'pinned' } } } },
      });
      await vi.waitFor(async () => expect((await podsOf(backend, ns.name, 'pinned')).filter(ready)).toHaveLength(1), WAIT);
      await vi.waitFor(async () => {
        const pdb = await get(backend, `/apis/policy/v1/namespaces/${ns.name}/poddisruptionbudgets/pinned`);
        expect(pdb.status).toMatchObject({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
      }, WAIT);
      const [pod] = await podsOf(backend, ns.name, 'pinned');

      const blocked = await drain(backend, [node, '--ignore-daemonsets', '--timeout', '4s']);
      expect(blocked.code).toBe(1);
      expect(blocked.text).toContain(`node/${node} cordoned`);
      expect(blocked.text).toContain(`evicting pod ${ns.name}/${pod.metadata.name}`);
      expect(blocked.text).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
      expect((await podsOf(backend, ns.name, 'pinned')).map((p) => p.metadata.name)).toContain(pod.metadata.name);

      await backend.api.requestJson(`/apis/policy/v1/namespaces/${ns.name}/poddisruptionbudgets/pinned`, { method: 'DELETE' });
      const drained = await drain(backend, [node, '--ignore-daemonsets', '--timeout', '60s']);
      expect(drained.text).toContain(`pod/${pod.metadata.name} evicted`);
      expect(drained.text).toContain(`node/${node} drained`);
      expect(drained.code).toBe(0);
    } finally {
      await cordon(backend, false, node);
      await ns.remove();
    }
  });

  describe('rollback', () => {
    const kinds = [
      {
        kind: 'deployment',
        path: 'deployments',
        object: (image: string) => deployment('web', image, { replicas: 2 }),
      },
      {
        kind: 'statefulset',
        path: 'statefulsets',
        object: (image: string) => ({
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'web' },
          spec: { replicas: 2, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } } },
        }),
      },
      {
        kind: 'daemonset',
        path: 'daemonsets',
        object: (image: string) => ({
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'web' },
          spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } } },
        }),
      },
    ] as const;

    it.each(kinds)('rolls a $kind back to the previous image, as a new revision', { timeout: 150_000 }, async ({ kind, path, object }) => {
      const ns = await tempNamespace(backend, `d2-${kind.slice(0, 3)}`);
      const base = `/apis/apps/v1/namespaces/${ns.name}/${path}`;
      try {
        await backend.api.requestJson(base, { method: 'POST', body: object('nginx:1.26') });
        await vi.waitFor(async () => expect((await podsOf(backend, ns.name, 'web')).filter(ready).length).toBeGreaterThan(0), WAIT);
        await backend.api.requestJson(`${base}/web`, {
          method: 'PATCH',
          contentType: 'application/strategic-merge-patch+json',
          body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } },
        });
        const imageOf = async () => (await get<Deployment>(backend, `${base}/web`)).spec!.template.spec!.containers[0].image;
        const settled = async () => {
          const live = await get<Deployment>(backend, `${base}/web`);
          expect(live.status?.observedGeneration).toBe(live.metadata.generation);
          const pods = await podsOf(backend, ns.name, 'web');
          expect(pods.length).toBeGreaterThan(0);
          for (const p of pods) expect(p.spec!.containers[0].image).toBe(live.spec!.template.spec!.containers[0].image);
        };
        await vi.waitFor(settled, WAIT);

        const { code, stdout, stderr } = await runCli(['rollback', `${kind}/web`, '-n', ns.name, '--kubeconfig', backend.kubeconfig]);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toContain('rolled back');
        expect(await imageOf()).toBe('nginx:1.26');
        await vi.waitFor(settled, WAIT);
      } finally {
        await ns.remove();
      }
    });
  });

  it('reports upgrade readiness: an apiVersion the target removed and a PodDisruptionBudget that never allows a disruption block it', { timeout: 90_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-upgrade');
    try {
      const server = await get<{ minor: string }>(backend, '/version');
      const target = `1.${Number.parseInt(server.minor, 10) + 1}`;
      await backend.api.requestJson(`/apis/apps/v1/namespaces/${ns.name}/deployments`, { method: 'POST', body: deployment('guarded', 'nginx:1.27', { replicas: 2 }) });
      // Last applied through policy/v1beta1, removed in 1.25: what kubectl apply of an old manifest leaves.
      const lastApplied = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: ns.name }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } } };
      await backend.api.requestJson(`/apis/policy/v1/namespaces/${ns.name}/poddisruptionbudgets`, {
        method: 'POST',
        body: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'guarded', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) } },
          spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } },
        },
      });
      await vi.waitFor(async () => expect((await podsOf(backend, ns.name, 'guarded')).filter(ready)).toHaveLength(2), WAIT);
      const { code, stdout } = await runCli(['report', 'upgrade', '--to', target, '-o', 'json', '--kubeconfig', backend.kubeconfig]);
      expect(code).toBe(1);
      const doc = JSON.parse(stdout);
      expect(doc.target).toBe(target);
      expect(doc.verdict).toMatch(/^blocked: \d+$/);
      expect(doc.apis).toContainEqual(
        expect.objectContaining({ kind: 'PodDisruptionBudget', namespace: ns.name, name: 'guarded', apiVersion: 'policy/v1beta1', removedIn: '1.25', replacement: 'policy/v1', blocks: true }),
      );
      expect(doc.drainBlockers).toContainEqual(expect.objectContaining({ type: 'pdb-never-disrupts', kind: 'PodDisruptionBudget', namespace: ns.name, name: 'guarded', severity: 'blocker' }));
    } finally {
      await ns.remove();
    }
  });

  it('finds drift against manifests in Git and syncs it back with server-side apply', { timeout: 90_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-drift');
    const repo = mkdtempSync(join(tmpdir(), 'daytwo-drift-repo-'));
    try {
      writeFileSync(
        join(repo, 'settings.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns.name}\ndata:\n  mode: fast\n`,
      );
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'settings');
      await backend.api.requestJson(`/api/v1/namespaces/${ns.name}/configmaps`, {
        method: 'POST',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'slow' } },
      });
      const report = async () => runCli(['report', 'drift', '--git', repo, '-o', 'json', '--kubeconfig', backend.kubeconfig]);
      const drifted = await report();
      expect(drifted.code).toBe(1);
      const row = JSON.parse(drifted.stdout).items.find((i: { name: string }) => i.name === 'settings');
      expect(row.status).toBe('OutOfSync');

      await backend.api.requestJson(`/api/v1/namespaces/${ns.name}/configmaps/settings`, {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'daytwo', force: true },
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns.name }, data: { mode: 'fast' } },
      });
      const synced = await report();
      expect(JSON.parse(synced.stdout).items.find((i: { name: string }) => i.name === 'settings').status).toBe('Synced');
    } finally {
      await ns.remove();
    }
  });
});
