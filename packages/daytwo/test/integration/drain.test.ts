import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Node, Pod, PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { Operation } from '../../src/domain/operations.js';
import { cordonNodes } from '../../src/kube/actions/cordon.js';
import { type DrainEvent, drainNodes } from '../../src/kube/actions/drain.js';
import { ActionCancelled, type ActionEnv, ActionRefused } from '../../src/kube/actions/guard.js';
import { AuditLog } from '../../src/kube/audit.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';

let t: TestSim;
const sessions: KubeSession[] = [];

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
});
afterAll(async () => {
  for (const s of sessions) await s.stop();
  await t.stop();
});

async function envFor(user: 'admin' | 'viewer' = 'admin', namespace?: string): Promise<ActionEnv & { auditLines: () => Record<string, unknown>[] }> {
  const session = await openSession({ kubeConfigObject: t.kubeConfigFor(user), flushIntervalMs: 10, namespace });
  sessions.push(session);
  session.start();
  await session.waitForSync();
  const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-drain-')), 'audit.log'));
  const auditLines = () =>
    readFileSync(audit.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { kc: session.kc, store: session.store, audit, auditLines };
}

/** The sim's own view of the cluster, not the session's. */
const simPods = () => t.sim.store.list('pods') as Pod[];
const simNode = (name: string) => (t.sim.store.list('nodes') as Node[]).find((n) => n.metadata.name === name);
const isReady = (p: Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const ownedBy = (p: KubeObject, kind: string) => p.metadata.ownerReferences?.some((r: { kind: string; controller?: boolean }) => r.controller && r.kind === kind);

describe('drain engine against the simulated cluster', () => {
  it('evicts through a PodDisruptionBudget that blocks until the replacement is Ready elsewhere, then completes', async () => {
    const env = await envFor();
    // Seed 1 puts two of the three shop/frontend pods (PDB minAvailable 50%: one disruption) on one node.
    const frontend = simPods().filter((p) => p.metadata.namespace === 'shop' && p.metadata.labels?.app === 'frontend');
    const counts = new Map<string, number>();
    for (const p of frontend) counts.set(p.spec!.nodeName!, (counts.get(p.spec!.nodeName!) ?? 0) + 1);
    const node = [...counts].find(([, n]) => n >= 2)?.[0];
    expect(node, 'a node with two frontend pods').toBeDefined();
    const target = node as string;
    const evictedUids = new Set(frontend.filter((p) => p.spec!.nodeName === target).map((p) => p.metadata.uid));

    const events: DrainEvent[] = [];
    let readyElsewhereAtSecondEviction = -1;
    const summary = await drainNodes(env, {
      nodes: [target],
      flags: { ignoreDaemonSets: true },
      retryBackoff: { initialMs: 300, maxMs: 300 },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'evicted' && events.some((x) => x.type === 'retry' && x.name === e.name)) {
          readyElsewhereAtSecondEviction = simPods().filter(
            (p) => p.metadata.labels?.app === 'frontend' && p.spec!.nodeName !== target && isReady(p) && !p.metadata.deletionTimestamp,
          ).length;
        }
      },
    });

    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatchObject({ message: "Cannot evict pod as it would violate the pod's disruption budget." });
    // The budget let the second pod go only once two frontends were Ready off the node.
    expect(readyElsewhereAtSecondEviction).toBeGreaterThanOrEqual(2);
    expect(events.at(0)).toEqual({ type: 'cordoned', node: target, outcome: 'cordoned' });
    expect(events.at(-1)).toEqual({ type: 'drained', node: target });
    expect(summary.drained).toEqual([target]);
    expect(summary.moved.filter((k) => k.startsWith('shop/frontend-'))).toHaveLength(2);
    expect(summary.notMoved).toEqual([]);

    // Evicted pods run on other nodes afterwards; only DaemonSet pods stay; the node stays cordoned.
    expect(simNode(target)?.spec?.unschedulable).toBe(true);
    const left = simPods().filter((p) => p.spec!.nodeName === target && !ownedBy(p, 'DaemonSet'));
    expect(left.map((p) => p.metadata.name)).toEqual([]);
    // Three Ready frontends, none on the node, none of them an evicted pod.
    await vi.waitFor(
      () => {
        const running = simPods().filter((p) => p.metadata.labels?.app === 'frontend' && isReady(p));
        expect(running.map((p) => [p.spec!.nodeName === target, evictedUids.has(p.metadata.uid)])).toEqual([
          [false, false],
          [false, false],
          [false, false],
        ]);
      },
      { timeout: 20_000 },
    );
    // The operation follows each evicted pod to the node it runs on again.
    const op = await vi.waitFor(
      () => {
        const o = [...env.store.getState().operations.values()].find((x) => x.action === 'drain');
        expect(o?.items.filter((i) => i.key.startsWith('shop/frontend-')).map((i) => i.state)).toEqual(['running-elsewhere', 'running-elsewhere']);
        return o as Operation;
      },
      { timeout: 20_000 },
    );
    expect(op.state).toBe('succeeded');
    for (const item of op.items.filter((i) => i.key.startsWith('shop/frontend-'))) {
      expect(item.message).toMatch(/^running again on ip-[\w.-]+ as frontend-/);
      expect(item.message).not.toContain(target);
    }
    expect(env.auditLines().map((l) => [l.action, l.phase, l.result])).toEqual([
      ['drain', 'start', undefined],
      ['drain', 'end', 'succeeded'],
    ]);
  });

  it('retries a 429 with a backoff (1 s, 2 s, ... capped at 5 s) and evicts once the budget allows it', async () => {
    const env = await envFor();
    const pdbs = t.sim.store.list('policy/poddisruptionbudgets') as PodDisruptionBudget[];
    const isBudgeted = (p: Pod) =>
      pdbs.some(
        (b) =>
          b.metadata.namespace === p.metadata.namespace &&
          Object.entries(b.spec?.selector?.matchLabels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v),
      );
    const victim = simPods().find(
      (p) => ownedBy(p, 'ReplicaSet') && p.metadata.labels?.app && !isBudgeted(p) && !simNode(p.spec!.nodeName!)?.spec?.unschedulable,
    )!;
    expect(victim, 'a Deployment pod with no budget yet').toBeDefined();
    const { namespace } = victim.metadata;
    const app = victim.metadata.labels?.app as string;
    // A budget that refuses every eviction until the test loosens it.
    t.sim.store.create('policy/poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'hold', namespace },
      spec: { selector: { matchLabels: { app } }, maxUnavailable: 0 },
    });
    const allowed = () => (t.sim.store.get('policy/poddisruptionbudgets', namespace, 'hold') as PodDisruptionBudget | undefined)?.status?.disruptionsAllowed;
    await vi.waitFor(() => expect(allowed()).toBe(0), { timeout: 20_000 });
    const events: DrainEvent[] = [];
    const drained = drainNodes(env, {
      nodes: [victim.spec!.nodeName!],
      flags: { ignoreDaemonSets: true, podSelector: `app=${app}` },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'retry' && events.filter((x) => x.type === 'retry').length === 2) {
          const pdb = t.sim.store.get('policy/poddisruptionbudgets', namespace, 'hold') as PodDisruptionBudget;
          t.sim.store.update('policy/poddisruptionbudgets', { ...pdb, spec: { ...pdb.spec, maxUnavailable: 1 } });
        }
      },
    }).finally(async () => {
      t.sim.store.delete('policy/poddisruptionbudgets', namespace, 'hold');
      // The later tests need schedulable nodes.
      await cordonNodes(env, [victim.spec!.nodeName!], false);
    });
    const summary = await drained;
    const delays = events.flatMap((e) => (e.type === 'retry' && e.name === victim.metadata.name ? [e.delayMs] : []));
    expect(delays.slice(0, 2)).toEqual([1000, 2000]);
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000, 5000].slice(0, delays.length));
    expect(summary.drained).toEqual([victim.spec!.nodeName!]);
    expect(summary.moved).toContain(`${namespace}/${victim.metadata.name}`);
  });

  it('cancels mid-drain: the node stays cordoned, the refused pod is not deleted, and the summary says what moved', async () => {
    const env = await envFor();
    // The payments API PDB (minAvailable 2 of 2) allows no disruption: its pod's eviction is retried until cancelled.
    const api = simPods().find(
      (p) => p.metadata.namespace === 'payments' && p.metadata.labels?.app === 'api' && !simNode(p.spec!.nodeName!)?.spec?.unschedulable,
    );
    expect(api, 'a payments/api pod on a schedulable node').toBeDefined();
    const target = api?.spec?.nodeName as string;
    const apiKey = `payments/${api?.metadata.name}`;
    const abort = new AbortController();
    const drained = drainNodes(env, { nodes: [target], flags: { ignoreDaemonSets: true }, retryBackoff: { initialMs: 200, maxMs: 200 }, signal: abort.signal, operationId: 'cancel-me' });
    const outcome = drained.catch((e: unknown) => e);
    await vi.waitFor(() => expect(env.store.getState().operations.get('cancel-me')?.items.find((i) => i.key === apiKey)?.state).toBe('waiting-for-pdb'), {
      timeout: 20_000,
    });
    // Let the pods without a budget finish first, so the summary has both kinds.
    await vi.waitFor(
      () => {
        const items = env.store.getState().operations.get('cancel-me')?.items ?? [];
        const pods = items.filter((i) => !i.key.startsWith('node/') && i.state !== 'skipped' && i.key !== apiKey);
        expect(pods.length).toBeGreaterThan(0);
        expect(pods.filter((i) => i.state !== 'terminated' && i.state !== 'running-elsewhere')).toEqual([]);
      },
      { timeout: 20_000 },
    );
    abort.abort();
    const err = await outcome;
    expect(err).toBeInstanceOf(ActionCancelled);
    const op = env.store.getState().operations.get('cancel-me') as Operation;
    expect(op.state).toBe('cancelled');
    expect(op.message).toMatch(/^drain cancelled: \d+ pods? moved, (\d+ evicted and still terminating \([^)]*\), )?1 not moved \(payments\/api-[\w-]+\); the node stays cordoned$/);
    expect(op.items.find((i) => i.key === apiKey)?.state).toBe('not-evicted');
    expect(op.items.find((i) => i.key === `node/${target}`)?.state).toBe('cordoned');
    expect(simNode(target)?.spec?.unschedulable).toBe(true);
    // Never deleted: the same pod (same UID) still runs on the node.
    const still = simPods().find((p) => p.metadata.uid === api?.metadata.uid);
    expect(still?.metadata.deletionTimestamp).toBeUndefined();
    expect(still?.spec?.nodeName).toBe(target);
    expect(env.auditLines().at(-1)).toMatchObject({ action: 'drain', phase: 'end', result: 'cancelled' });
  });

  it('refuses a viewer: nothing is cordoned or evicted, and the refusal is audited', async () => {
    const env = await envFor('viewer');
    const node = (t.sim.store.list('nodes') as Node[]).find((n) => !n.spec?.unschedulable)?.metadata.name as string;
    const before = simPods().filter((p) => p.spec!.nodeName === node).map((p) => p.metadata.uid);
    await expect(drainNodes(env, { nodes: [node], flags: {} })).rejects.toThrow(ActionRefused);
    await expect(drainNodes(env, { nodes: [node], flags: {} })).rejects.toThrow(/drain refused: not allowed to patch nodes/);
    expect(simNode(node)?.spec?.unschedulable).toBeFalsy();
    expect(simPods().filter((p) => p.spec!.nodeName === node).map((p) => p.metadata.uid)).toEqual(before);
    expect(env.store.getState().access['patch nodes']?.allowed).toBe(false);
    expect(env.auditLines()[0]).toMatchObject({ action: 'drain', phase: 'refused', result: 'refused' });

    const results = await cordonNodes(env, [node], true);
    expect(results).toEqual([{ node, error: expect.stringMatching(/^cordon refused: not allowed to patch nodes/) }]);
    expect(simNode(node)?.spec?.unschedulable).toBeFalsy();
  });

  it('drains several nodes one at a time, after cordoning them all (a whole pool)', async () => {
    const env = await envFor();
    const hasBudgetedPod = (n: string) => simPods().some((p) => p.spec!.nodeName === n && p.metadata.namespace === 'payments' && p.metadata.labels?.app === 'api');
    const targets = (t.sim.store.list('nodes') as Node[])
      .map((n) => n.metadata.name as string)
      .filter((n) => !simNode(n)?.spec?.unschedulable && !hasBudgetedPod(n))
      .slice(0, 2);
    expect(targets).toHaveLength(2);
    const events: DrainEvent[] = [];
    const summary = await drainNodes(env, {
      nodes: targets,
      flags: { ignoreDaemonSets: true, deleteEmptyDirData: true, gracePeriodSeconds: 0 },
      retryBackoff: { initialMs: 200, maxMs: 200 },
      onEvent: (e) => events.push(e),
    });
    expect(summary.drained).toEqual(targets);
    expect(events.slice(0, 2)).toEqual(targets.map((node) => ({ type: 'cordoned', node, outcome: 'cordoned' })));
    const firstDrained = events.findIndex((e) => e.type === 'drained' && e.node === targets[0]);
    const secondStarts = events.findIndex((e) => e.type !== 'cordoned' && e.node === targets[1]);
    expect(firstDrained).toBeGreaterThan(0);
    // The second node's pods are touched only once the first node is drained.
    expect(secondStarts).toBeGreaterThan(firstDrained);
    expect(events.at(-1)).toEqual({ type: 'drained', node: targets[1] });
    for (const node of targets) {
      expect(simNode(node)?.spec?.unschedulable).toBe(true);
      expect(simPods().filter((p) => p.spec!.nodeName === node && !ownedBy(p, 'DaemonSet') && !p.metadata.deletionTimestamp)).toEqual([]);
    }
  });

  it('under -n, skips the DaemonSet pods of other namespaces as kubectl does (it looks each DaemonSet up)', async () => {
    const env = await envFor('admin', 'shop');
    expect([...env.store.getState().objects.daemonsets.values()]).toEqual([]);
    const runsDaemonSetPods = (n: string) => simPods().some((p) => p.spec!.nodeName === n && ownedBy(p, 'DaemonSet'));
    const target = (t.sim.store.list('nodes') as Node[])
      .map((n) => n.metadata.name as string)
      .find((n) => !simNode(n)?.spec?.unschedulable && runsDaemonSetPods(n));
    expect(target).toBeDefined();
    const events: DrainEvent[] = [];
    const summary = await drainNodes(env, {
      nodes: [target as string],
      dryRun: true,
      flags: { ignoreDaemonSets: true, deleteEmptyDirData: true },
      onEvent: (e) => events.push(e),
    });
    expect(summary.failed).toEqual([]);
    expect(summary.drained).toEqual([target]);
  });

  it('cordons and uncordons with kubectl outcomes', async () => {
    const env = await envFor();
    const node = (t.sim.store.list('nodes') as Node[]).find((n) => !n.spec?.unschedulable)?.metadata.name as string;
    expect(await cordonNodes(env, [node], true)).toEqual([{ node, outcome: 'cordoned' }]);
    expect(simNode(node)?.spec?.unschedulable).toBe(true);
    expect(await cordonNodes(env, [node], true)).toEqual([{ node, outcome: 'already cordoned' }]);
    expect(await cordonNodes(env, [node], false)).toEqual([{ node, outcome: 'uncordoned' }]);
    expect(simNode(node)?.spec?.unschedulable).toBeFalsy();
    expect(await cordonNodes(env, ['no-such-node'], true)).toEqual([{ node: 'no-such-node', error: 'nodes "no-such-node" not found' }]);
    expect(env.store.getState().messages.map((m) => m.text)).toContain(`node/${node} uncordoned`);
  });
});
