/**
 * delete, scale and rollout restart against the simulated cluster, as kubectl does them:
 * the scale subresource, DeleteOptions' propagationPolicy (what happens to the
 * ReplicaSets and pods a Deployment owns) and grace period, the restartedAt annotation the
 * Deployment controller rolls out. Each is guarded (RBAC, --readonly) and audited.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deployment, Pod, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { RESTARTED_AT } from '../../src/domain/object-actions.js';
import type { ObjectRef } from '../../src/domain/object-ref.js';
import { ActionRefused } from '../../src/kube/actions/guard.js';
import { deleteObject, restartObject, scaleObject } from '../../src/kube/actions/object-actions.js';
import { AuditLog } from '../../src/kube/audit.js';
import { KubeHttp } from '../../src/kube/http.js';
import { createAppStore } from '../../src/store/app-store.js';

let t: TestSim;
let dir: string;
const NS = 'actions';

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', speed: 20 });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-object-actions-'));
  const http = new KubeHttp(t.kc);
  await http.requestJson('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  http.close();
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(user: 'admin' | 'viewer' = 'admin', readonly = false) {
  const audit = new AuditLog(path.join(dir, `${user}-${Math.random().toString(36).slice(2)}.log`));
  const store = createAppStore({ context: 'daytwo-sim', user, readonly });
  const lines = () =>
    readFileSync(audit.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { env: { kc: t.kubeConfigFor(user), store, audit }, lines };
}

async function createDeployment(name: string, replicas: number): Promise<ObjectRef> {
  const http = new KubeHttp(t.kc);
  await http.requestJson(`/apis/apps/v1/namespaces/${NS}/deployments`, {
    method: 'POST',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      },
    },
  });
  http.close();
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name };
  await vi.waitFor(() => expect(podsOf(name).filter((p) => p.status?.phase === 'Running')).toHaveLength(replicas), { timeout: 15_000 });
  return ref;
}

const deployment = (name: string) => t.sim.store.get('apps/deployments', NS, name) as Deployment | undefined;
const replicaSetsOf = (name: string) => t.sim.store.list('apps/replicasets', { namespace: NS }).filter((rs) => rs.metadata.labels?.app === name);
const podsOf = (name: string): Pod[] =>
  (t.sim.store.list('pods', { namespace: NS }) as Pod[]).filter((p) => p.metadata.labels?.app === name);

describe('scale', () => {
  it('sets spec.replicas through the scale subresource; the controllers follow; audited', async () => {
    const ref = await createDeployment('scale-me', 1);
    const { env, lines } = envFor();
    expect(await scaleObject(env, ref, 3)).toBe('deployment.apps/scale-me scaled');
    expect(deployment('scale-me')?.spec?.replicas).toBe(3);
    await vi.waitFor(() => expect(podsOf('scale-me').filter((p) => p.status?.phase === 'Running')).toHaveLength(3), { timeout: 15_000 });
    // The scale subresource changed the spec's replicas only: the template (and so the ReplicaSet) stays.
    expect(replicaSetsOf('scale-me')).toHaveLength(1);
    expect(lines().map((l) => [l.action, l.target, l.phase, l.result, l.options?.replicas])).toEqual([
      ['scale', 'deployment.apps/scale-me', 'start', undefined, 3],
      ['scale', 'deployment.apps/scale-me', 'end', 'succeeded', 3],
    ]);
    expect(await scaleObject(env, ref, 0)).toBe('deployment.apps/scale-me scaled');
    await vi.waitFor(() => expect(podsOf('scale-me').filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(0), { timeout: 15_000 });
  });

  it('scales a StatefulSet too', async () => {
    const sts = t.sim.store.list('apps/statefulsets')[0] as StatefulSet;
    const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sts.metadata.namespace, name: sts.metadata.name as string };
    const before = sts.spec?.replicas as number;
    const { env } = envFor();
    expect(await scaleObject(env, ref, before + 1)).toBe(`statefulset.apps/${ref.name} scaled`);
    expect((t.sim.store.get('apps/statefulsets', ref.namespace, ref.name) as StatefulSet | undefined)?.spec?.replicas).toBe(before + 1);
    await scaleObject(env, ref, before);
  });

  it('is refused to a viewer (RBAC) and under --readonly, with the refusal audited', async () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'frontend' };
    const replicas = (t.sim.store.get('apps/deployments', 'shop', 'frontend') as Deployment | undefined)?.spec?.replicas;
    for (const [user, readonly, why] of [
      ['viewer', false, /scale refused: not allowed to patch deployments\.apps\/scale in shop named frontend/],
      ['admin', true, /scale refused: daytwo is read-only/],
    ] as const) {
      const { env, lines } = envFor(user, readonly);
      await expect(scaleObject(env, ref, 7)).rejects.toThrow(ActionRefused);
      await expect(scaleObject(env, ref, 7)).rejects.toThrow(why);
      expect(lines()[0]).toMatchObject({ action: 'scale', phase: 'refused', result: 'refused' });
    }
    expect((t.sim.store.get('apps/deployments', 'shop', 'frontend') as Deployment | undefined)?.spec?.replicas).toBe(replicas);
  });
});

describe('rollout restart', () => {
  it("sets the template's restartedAt annotation and the Deployment controller rolls out a new ReplicaSet", async () => {
    const ref = await createDeployment('restart-me', 2);
    const oldPods = new Set(podsOf('restart-me').map((p) => p.metadata?.name));
    const { env, lines } = envFor();
    const before = Date.now();
    expect(await restartObject(env, ref)).toBe('deployment.apps/restart-me restarted');
    const at = deployment('restart-me')?.spec?.template?.metadata?.annotations?.[RESTARTED_AT] as string;
    // RFC 3339 to the second, as Go's time.RFC3339 prints it.
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    await vi.waitFor(
      () => {
        const sets = replicaSetsOf('restart-me');
        expect(sets).toHaveLength(2);
        const running = podsOf('restart-me').filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
        expect(running).toHaveLength(2);
        for (const p of running) expect(oldPods.has(p.metadata?.name)).toBe(false);
        expect(running.every((p) => p.metadata?.annotations?.[RESTARTED_AT] === at)).toBe(true);
      },
      { timeout: 20_000 },
    );
    expect(deployment('restart-me')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(lines().map((l) => [l.action, l.phase, l.result])).toEqual([
      ['restart', 'start', undefined],
      ['restart', 'end', 'succeeded'],
    ]);
  });

  it("refuses a paused Deployment with kubectl's message, and a second restart within the same second", async () => {
    const ref = await createDeployment('paused', 1);
    const http = new KubeHttp(t.kc);
    await http.requestJson(`/apis/apps/v1/namespaces/${NS}/deployments/paused`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { paused: true } },
    });
    http.close();
    const { env } = envFor();
    await expect(restartObject(env, ref)).rejects.toThrow("can't restart paused deployment (run rollout resume first)");
    expect(deployment('paused')?.spec?.template?.metadata?.annotations?.[RESTARTED_AT]).toBeUndefined();

    const same = new Date('2026-12-05T10:00:00Z');
    const other = await createDeployment('twice', 1);
    await restartObject(env, other, () => same);
    await expect(restartObject(env, other, () => same)).rejects.toThrow(/if restart has already been triggered within the past second/);
  });
});

describe('delete', () => {
  it('background (the default): the Deployment goes at once, the garbage collector removes its ReplicaSets and pods', async () => {
    const ref = await createDeployment('del-bg', 2);
    const { env, lines } = envFor();
    expect(await deleteObject(env, ref, { cascade: 'background' })).toBe('deployment.apps "del-bg" deleted from actions namespace');
    expect(deployment('del-bg')).toBeUndefined();
    await vi.waitFor(() => expect([...replicaSetsOf('del-bg'), ...podsOf('del-bg')]).toHaveLength(0), { timeout: 15_000 });
    expect(lines()[0]).toMatchObject({ action: 'delete', target: 'deployment.apps/del-bg', phase: 'start', options: { cascade: 'background' } });
  });

  it('foreground: the Deployment stays, with the foregroundDeletion finalizer, until its dependents are gone', async () => {
    const ref = await createDeployment('del-fg', 2);
    const { env } = envFor();
    await deleteObject(env, ref, { cascade: 'foreground' });
    const during = deployment('del-fg');
    expect(during?.metadata.deletionTimestamp).toBeDefined();
    expect(during?.metadata.finalizers).toContain('foregroundDeletion');
    await vi.waitFor(() => expect(deployment('del-fg')).toBeUndefined(), { timeout: 15_000 });
    expect(replicaSetsOf('del-fg')).toHaveLength(0);
  });

  it('orphan: the ReplicaSet and its pods stay, without their owner reference', async () => {
    const ref = await createDeployment('del-orphan', 1);
    const { env } = envFor();
    await deleteObject(env, ref, { cascade: 'orphan' });
    await vi.waitFor(() => expect(deployment('del-orphan')).toBeUndefined(), { timeout: 15_000 });
    await vi.waitFor(() => {
      const [rs] = replicaSetsOf('del-orphan');
      expect(rs).toBeDefined();
      expect(rs.metadata.ownerReferences ?? []).toEqual([]);
    });
    expect(podsOf('del-orphan').filter((p) => p.status?.phase === 'Running')).toHaveLength(1);
  });

  it('a pod with the grace period 0 is force deleted at once; with its own it terminates first', async () => {
    await createDeployment('graceful', 2);
    const [a, b] = podsOf('graceful').map((p) => ({ apiVersion: 'v1', kind: 'Pod', namespace: NS, name: p.metadata?.name as string }));
    const { env } = envFor();
    expect(await deleteObject(env, a, { cascade: 'background', gracePeriodSeconds: 0 })).toBe(`pod "${a.name}" force deleted from actions namespace`);
    expect(t.sim.store.get('pods', NS, a.name)).toBeUndefined();
    expect(await deleteObject(env, b, { cascade: 'background' })).toBe(`pod "${b.name}" deleted from actions namespace`);
    const terminating = t.sim.store.get('pods', NS, b.name);
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    expect(terminating?.metadata.deletionGracePeriodSeconds).toBe(30);
  });

  it('is refused to a viewer, and the object stays', async () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' };
    const { env, lines } = envFor('viewer');
    await expect(deleteObject(env, ref, { cascade: 'background' })).rejects.toThrow(/delete refused: not allowed to delete deployments\.apps in shop named cart/);
    expect(t.sim.store.get('apps/deployments', 'shop', 'cart')).toBeDefined();
    expect(lines()[0]).toMatchObject({ action: 'delete', phase: 'refused' });
  });
});
