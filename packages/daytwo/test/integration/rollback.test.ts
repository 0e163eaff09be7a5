/**
 * Rollbacks against the simulated cluster: the template afterwards is the target revision's
 * and a new revision appears; where kubectl is installed, `kubectl rollout undo` on a second
 * sim of the same scenario and seed leaves the same template.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { equalIgnoreHash } from '@daytwo/k8s/pod-template.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { RevisionEntry, RolloutWorkload } from '../../src/domain/rollout-history.js';
import type { WorkloadRef } from '../../src/domain/workloads.js';
import { ActionRefused } from '../../src/kube/actions/guard.js';
import { fetchLiveWorkload, outcomeLine, rollbackWorkload } from '../../src/kube/actions/rollback.js';
import { AuditLog } from '../../src/kube/audit.js';
import { KubeHttp } from '../../src/kube/http.js';
import { createAppStore } from '../../src/store/app-store.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const run = promisify(execFile);

const FRONTEND: WorkloadRef = { kind: 'Deployment', namespace: 'shop', name: 'frontend' };
const PROMETHEUS: WorkloadRef = { kind: 'StatefulSet', namespace: 'monitoring', name: 'prometheus' };
const NODE_EXPORTER: WorkloadRef = { kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter' };

const PLURAL = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' } as const;
const workloadPath = (ref: WorkloadRef) => `/apis/apps/v1/namespaces/${ref.namespace}/${PLURAL[ref.kind]}/${ref.name}`;

const maxRevision = async (http: KubeHttp, ref: WorkloadRef) => Math.max(0, ...(await fetchLiveWorkload(http, ref)).history.map((h) => h.revision));

/** Changes the first container's image and waits until the controller has recorded the new revision. */
async function release(http: KubeHttp, ref: WorkloadRef, image: string): Promise<void> {
  const before = await maxRevision(http, ref);
  const live = await http.requestJson<RolloutWorkload>(workloadPath(ref));
  const container = live.spec!.template.spec!.containers[0].name;
  await http.requestJson(workloadPath(ref), {
    method: 'PATCH',
    contentType: 'application/strategic-merge-patch+json',
    body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } },
  });
  await vi.waitFor(async () => expect(await maxRevision(http, ref)).toBeGreaterThan(before), { timeout: 20_000, interval: 100 });
}

/** Sets up the same history on a sim: StatefulSet and DaemonSet get a second release. */
async function prepare(http: KubeHttp): Promise<void> {
  await release(http, PROMETHEUS, 'quay.io/prometheus/prometheus:v2.54.1');
  await release(http, NODE_EXPORTER, 'quay.io/prometheus/node-exporter:v1.8.2');
}

function envFor(t: TestSim, user: 'admin' | 'viewer' | 'operator' = 'admin', readonly = false) {
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-rollback-'));
  const audit = new AuditLog(path.join(dir, 'audit.log'));
  const store = createAppStore({ context: 'daytwo-sim', user, readonly });
  const lines = () =>
    readFileSync(audit.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { env: { kc: t.kubeConfigFor(user), store, audit }, lines, dir };
}

describe('rollback against the simulated cluster', () => {
  let t: TestSim;
  let http: KubeHttp;
  beforeAll(async () => {
    t = await startTestSim({ scenario: 'demo', speed: 20 });
    http = new KubeHttp(t.kc);
    await prepare(http);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it.each([FRONTEND, PROMETHEUS, NODE_EXPORTER])('rolls back $kind $name to the previous revision: the template is the target revision\'s and a new revision appears', async (ref) => {
    const { env, lines } = envFor(t);
    const before = await fetchLiveWorkload(http, ref);
    const revisions = before.history.map((h) => h.revision);
    const latest = Math.max(...revisions);
    const target = before.history.find((h) => h.revision === [...revisions].sort((a, b) => b - a)[1])!;
    expect(target).toBeDefined();
    const outcome = await rollbackWorkload(env, ref);
    expect(outcomeLine(outcome)).toBe(`${ref.kind.toLowerCase()}.apps/${ref.name} rolled back`);
    expect(outcome.plan.targetRevision).toBe(target.revision);

    const live = await http.requestJson<RolloutWorkload>(workloadPath(ref));
    // Semantic equality, as the controllers judge it: kubectl's patch writes a null creationTimestamp the RS lacks.
    expect(equalIgnoreHash(live.spec!.template, target.template)).toBe(true);
    expect(live.spec!.template.spec!.containers.map((c) => c.image)).toEqual(target.images);
    const after = await vi.waitFor(async () => {
      const h = (await fetchLiveWorkload(http, ref)).history;
      expect(Math.max(...h.map((e) => e.revision))).toBeGreaterThan(latest);
      return h;
    }, { timeout: 20_000, interval: 100 });
    const newest = after.reduce((a, b) => (b.revision > a.revision ? b : a));
    expect(newest.revision).toBe(latest + 1);
    expect(equalIgnoreHash(newest.template, target.template)).toBe(true);
    // The revision rolled back to is now the newest one (the controllers re-number it).
    expect(after.some((h) => h.revision === target.revision)).toBe(false);

    expect(lines()).toEqual([
      expect.objectContaining({ phase: 'start', action: 'rollback', target: `${ref.kind.toLowerCase()}/${ref.namespace}/${ref.name}`, options: { toRevision: 0 } }),
      expect.objectContaining({ phase: 'end', result: 'succeeded' }),
    ]);
    const op = [...env.store.getState().operations.values()][0];
    expect(op).toMatchObject({ action: 'rollback', state: 'succeeded', message: outcomeLine(outcome) });
  });

  it('keeps the Deployment\'s last-applied annotation, which the store never holds', async () => {
    const lastApplied = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"frontend"}}';
    await http.requestJson(workloadPath(FRONTEND), {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } } },
    });
    const { env } = envFor(t);
    const previous = (await fetchLiveWorkload(http, FRONTEND)).history.at(-2)!.revision;
    await rollbackWorkload(env, { ...FRONTEND, toRevision: previous });
    const live = await http.requestJson<RolloutWorkload>(workloadPath(FRONTEND));
    expect(live.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe(lastApplied);
  });

  it('does nothing when rolling back to the current revision, and says so like kubectl', async () => {
    await vi.waitFor(async () => {
      const live = await http.requestJson<RolloutWorkload>(workloadPath(FRONTEND));
      expect(live.metadata.annotations?.['deployment.kubernetes.io/revision']).toBeDefined();
    }, { timeout: 20_000, interval: 100 });
    const { history } = await fetchLiveWorkload(http, FRONTEND);
    const current = history.find((h) => h.current)!;
    // Controllers keep writing status, so the spec's generation (not the resourceVersion) shows whether it changed.
    const generation = (await http.requestJson<RolloutWorkload>(workloadPath(FRONTEND))).metadata.generation;
    const { env } = envFor(t);
    const outcome = await rollbackWorkload(env, { ...FRONTEND, toRevision: current.revision });
    expect(outcomeLine(outcome)).toBe(`deployment.apps/frontend skipped rollback (current template already matches revision ${current.revision})`);
    expect((await http.requestJson<RolloutWorkload>(workloadPath(FRONTEND))).metadata.generation).toBe(generation);
  });

  it('fails with kubectl\'s message for an unknown revision', async () => {
    const { env } = envFor(t);
    await expect(rollbackWorkload(env, { ...PROMETHEUS, toRevision: 99 })).rejects.toThrow('unable to find specified revision 99 in history');
  });

  it('refuses a paused Deployment with kubectl\'s message', async () => {
    const ref: WorkloadRef = { kind: 'Deployment', namespace: 'payments', name: 'api' };
    await http.requestJson(workloadPath(ref), { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { paused: true } } });
    const { env } = envFor(t);
    // Paused is checked after the revision is found; give the Deployment a second one first.
    await expect(rollbackWorkload(env, { ...ref, toRevision: 1 })).rejects.toThrow(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    await http.requestJson(workloadPath(ref), { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { paused: false } } });
  });

  it('refuses a viewer (RBAC) and read-only mode, writing the refusal to the audit log', async () => {
    const viewer = envFor(t, 'viewer');
    await expect(rollbackWorkload(viewer.env, FRONTEND)).rejects.toThrow(ActionRefused);
    await expect(rollbackWorkload(viewer.env, FRONTEND)).rejects.toThrow(/rollback refused: not allowed to patch deployments\.apps in shop named frontend/);
    expect(viewer.lines()[0]).toMatchObject({ phase: 'refused', action: 'rollback' });
    const readonly = envFor(t, 'admin', true);
    await expect(rollbackWorkload(readonly.env, FRONTEND)).rejects.toThrow('rollback refused: daytwo is read-only (--readonly)');
  });

  it('sends a server-side dry run that changes nothing', async () => {
    const { env, dir } = envFor(t);
    const before = await http.requestJson<RolloutWorkload>(workloadPath(NODE_EXPORTER));
    const outcome = await rollbackWorkload(env, { ...NODE_EXPORTER, dryRun: true });
    expect(outcomeLine(outcome)).toBe('daemonset.apps/node-exporter rolled back (server dry run)');
    const after = await http.requestJson<RolloutWorkload>(workloadPath(NODE_EXPORTER));
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec!.template).toEqual(before.spec!.template);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!hasKubectl)('daytwo rollback and kubectl rollout undo leave the same template', () => {
  let ours: TestSim;
  let theirs: TestSim;
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startTestSim({ scenario: 'demo', speed: 20 }), startTestSim({ scenario: 'demo', speed: 20 })]);
    await Promise.all([prepare(new KubeHttp(ours.kc)), prepare(new KubeHttp(theirs.kc))]);
    dir = mkdtempSync(path.join(tmpdir(), 'daytwo-undo-'));
    kubeconfig = path.join(dir, 'admin.kubeconfig');
    writeFileSync(kubeconfig, theirs.sim.kubeconfig('admin'), { mode: 0o600 });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ours?.stop(), theirs?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `kubectl rollout undo` against the second sim; kubectl's stdout. */
  const kubectlUndo = async (ref: WorkloadRef, toRevision: number) =>
    (
      await run(
        'kubectl',
        ['--kubeconfig', kubeconfig, '-n', ref.namespace, 'rollout', 'undo', `${ref.kind.toLowerCase()}/${ref.name}`, `--to-revision=${toRevision}`],
        { timeout: 60_000 },
      )
    ).stdout.trim();

  // kubectl compares the bytes of its own `getPatch` of the live workload with the revision's
  // `data`, so this holds only when the sim writes `data` byte for byte as the controllers do.
  const settledCurrent = (http: KubeHttp, ref: WorkloadRef) =>
    vi.waitFor(async () => {
      const { history } = await fetchLiveWorkload(http, ref);
      const current = history.find((h) => h.current);
      expect(current?.revision, `the newest revision of ${ref.name} to be current`).toBe(Math.max(...history.map((h) => h.revision)));
      return current as RevisionEntry;
    }, { timeout: 20_000, interval: 100 });
  const skipsTheCurrentRevision = async (ref: WorkloadRef) => {
    const theirsHttp = new KubeHttp(theirs.kc);
    const current = await settledCurrent(theirsHttp, ref);
    const generation = (await theirsHttp.requestJson<RolloutWorkload>(workloadPath(ref))).metadata.generation;
    const skipped = `${ref.kind.toLowerCase()}.apps/${ref.name} skipped rollback (current template already matches revision ${current.revision})`;
    expect(await kubectlUndo(ref, current.revision)).toBe(skipped);
    expect((await theirsHttp.requestJson<RolloutWorkload>(workloadPath(ref))).metadata.generation).toBe(generation);
    const { env } = envFor(ours);
    const ourCurrent = await settledCurrent(new KubeHttp(ours.kc), ref);
    expect(outcomeLine(await rollbackWorkload(env, { ...ref, toRevision: ourCurrent.revision }))).toBe(skipped);
  };

  it.each([PROMETHEUS, NODE_EXPORTER])('%o to its current revision (after a release): kubectl skips it, as daytwo does', skipsTheCurrentRevision);

  /** The last line kubectl writes to stderr when it refuses an undo (warnings may come first). */
  const kubectlRefusal = async (ref: WorkloadRef, toRevision: number): Promise<string> => {
    try {
      await kubectlUndo(ref, toRevision);
    } catch (err) {
      return String((err as { stderr?: string }).stderr ?? '').trim().split('\n').at(-1) ?? '';
    }
    throw new Error(`kubectl did not refuse to roll back ${ref.name}`);
  };
  // kubectl <= 1.25 advised 'kubectl rollout resume deployment/NAME'; kubernetes/kubernetes#111795
  // (first in 1.26) dropped the name because the command lacked the namespace. daytwo prints
  // today's text, so an older kubectl is compared modulo that known difference.
  const asCurrentKubectl = (line: string) => line.replace(/'kubectl rollout resume deployment\/[^']+'/, "'kubectl rollout resume'");
  const daytwoRefusal = async (ref: WorkloadRef, toRevision: number): Promise<string> => {
    const { env } = envFor(ours);
    const err = await rollbackWorkload(env, { ...ref, toRevision }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    if (!err) throw new Error(`daytwo did not refuse to roll back ${ref.name}`);
    return `error: ${err.message}`;
  };
  const API: WorkloadRef = { kind: 'Deployment', namespace: 'payments', name: 'api' };
  const AWS_NODE: WorkloadRef = { kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node' };

  it.each([
    [API, 0, 'error: no rollout history found for deployment "api"'],
    [AWS_NODE, 0, 'error: no last revision to roll back to'],
    [PROMETHEUS, 42, 'error: unable to find specified revision 42 in history'],
  ] as const)('%o to revision %d is refused with kubectl\'s words', async (ref, toRevision, expected) => {
    expect(asCurrentKubectl(await kubectlRefusal(ref, toRevision))).toBe(expected);
    expect(await daytwoRefusal(ref, toRevision)).toBe(expected);
  });

  it('refuses a paused Deployment with the words of the installed kubectl', async () => {
    const pause = (t: TestSim, paused: boolean) =>
      new KubeHttp(t.kc).requestJson(workloadPath(API), { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { paused } } });
    await Promise.all([pause(ours, true), pause(theirs, true)]);
    try {
      const expected = "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again";
      expect(asCurrentKubectl(await kubectlRefusal(API, 1))).toBe(expected);
      expect(await daytwoRefusal(API, 1)).toBe(expected);
    } finally {
      await Promise.all([pause(ours, false), pause(theirs, false)]);
    }
  });

  it.each([
    [FRONTEND, 0],
    [PROMETHEUS, 0],
    [NODE_EXPORTER, 0],
    [FRONTEND, 1],
  ] as const)('%o to revision %d', async (ref, toRevision) => {
    const { env } = envFor(ours);
    const outcome = await rollbackWorkload(env, { ...ref, toRevision });
    expect(await kubectlUndo(ref, toRevision)).toBe(outcomeLine(outcome));
    const a = await new KubeHttp(ours.kc).requestJson<RolloutWorkload>(workloadPath(ref));
    const b = await new KubeHttp(theirs.kc).requestJson<RolloutWorkload>(workloadPath(ref));
    expect(a.spec!.template).toEqual(b.spec!.template);
    expect(a.metadata.annotations).toEqual(b.metadata.annotations);
  });

  it.each([PROMETHEUS, NODE_EXPORTER])('%o to its current revision (after a rollback): kubectl skips it, as daytwo does', skipsTheCurrentRevision);
});
