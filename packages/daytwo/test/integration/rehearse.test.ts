/**
 * `daytwo rehearse migrate` against a simulated "live" cluster behind a counting proxy: the
 * live cluster receives GET requests only, and the rehearsal predicts the Pending pods that
 * the real migration then produces.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { deployment } from '@daytwo/sim/scenarios/builders.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { CommandOutput } from '../../src/cli/drain-command.js';
import { runDrainCommand } from '../../src/cli/drain-command.js';
import { runRehearseCommand } from '../../src/cli/rehearse-command.js';
import type { DrainRehearsal } from '../../src/domain/drain-rehearsal.js';
import type { MigrationRehearsal } from '../../src/domain/migration-rehearsal.js';
import { startMigration } from '../../src/kube/actions/migrate.js';
import { AuditLog } from '../../src/kube/audit.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { acceptedEvictions, type CountingProxy, startCountingProxy } from '../helpers/counting-proxy.js';
import { buildMigrationCluster, MIGRATION_NS, poolNodes, simPods, until } from '../helpers/migration-cluster.js';

let t: TestSim;
let proxy: CountingProxy;
let dir: string;
let kubeconfig: string;
const sessions: KubeSession[] = [];

async function startLive(extra: { gr: string; obj: KubeObject }[] = []): Promise<void> {
  t = await startTestSim({ scenario: 'empty', speed: 10 });
  await buildMigrationCluster(t, extra);
  proxy = await startCountingProxy(t);
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-rehearse-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, proxy.kubeconfig(), { mode: 0o600 });
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
}

beforeEach(() => {
  sessions.length = 0;
});
afterEach(async () => {
  for (const s of sessions) await s.stop();
  await proxy.close();
  await t.stop();
  delete process.env.XDG_STATE_HOME;
});

async function run<R>(command: (argv: string[], io: CommandOutput) => Promise<number>, args: string[]): Promise<{ code: number; report: R; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { out: { write: (s: string) => (stdout += s) }, err: { write: (s: string) => (stderr += s) } };
  const code = await command([...args, '--kubeconfig', kubeconfig], io);
  return { code, report: (args.includes('json') ? JSON.parse(stdout || '{}') : {}) as R, stdout, stderr };
}

const rehearse = (args: string[]) => run<MigrationRehearsal>(runRehearseCommand, ['migrate', ...args, '-o', 'json']);
const rehearseDrain = (args: string[]) => run<DrainRehearsal>(runRehearseCommand, ['drain', ...args, '-o', 'json']);

const workloadsOf = (pending: readonly { workload?: string }[]) => [...new Set(pending.map((p) => p.workload))].sort();

describe('daytwo rehearse migrate', () => {
  it('rehearses the migration on a copy and sends the live cluster nothing but GETs', async () => {
    await startLive();
    const before = JSON.stringify(simPods(t).map((p) => [p.metadata.uid, p.spec?.nodeName]));
    const { code, report, stderr } = await rehearse(['--from', 'blue', '--to', 'green']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.result).toBe('succeeded');
    expect(report.evictions).toBe(6);
    expect(report.nodes.map((n) => n.state)).toEqual(['done', 'done', 'done']);
    expect(report.pending).toEqual([]);
    // The web PDB (maxUnavailable 1) held at least one second eviction on a node running two web pods.
    expect(report.pdbBlocks.every((b) => b.pdb === 'shop/web' && b.evicted)).toBe(true);
    expect(report.estimatedSeconds).toBeGreaterThan(0);

    const writes = proxy.requests.filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect(proxy.requests.some((r) => r.path.includes('watch'))).toBe(false);
    expect(proxy.requests.length).toBeGreaterThan(10);
    // The live pods are where they were: same UIDs on the same nodes.
    expect(JSON.stringify(simPods(t).map((p) => [p.metadata.uid, p.spec?.nodeName]))).toBe(before);
    expect(t.sim.store.list('nodes').some((n) => (n as Node).spec?.unschedulable)).toBe(false);
  });

  it('predicts the Pending pods that the real migration then produces', { timeout: 90_000 }, async () => {
    // A Deployment pinned to the blue pool: once blue is cordoned its replacement cannot run anywhere.
    const pinned = deployment({
      name: 'pinned',
      namespace: MIGRATION_NS,
      replicas: 1,
      containers: [{ name: 'pinned', image: 'ghcr.io/acme/pinned:1.0.0', requests: { cpu: '100m', memory: '64Mi' } }],
      podSpec: { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'blue' } },
    });
    await startLive([{ gr: 'apps/deployments', obj: pinned }]);
    await until('the pinned pod to run', () => simPods(t).some((p) => p.metadata.labels?.app === 'pinned' && p.status?.phase === 'Running'));

    const { code, report } = await rehearse(['--from', 'blue', '--to', 'green', '--gate-timeout', '1m']);
    expect(code).toBe(1);
    expect(report.result).toBe('failed');
    expect(report.message).toMatch(/timed out after 60s: waiting for Deployment shop\/pinned \(0\/1 available, 1 Pending\)/);
    expect(workloadsOf(report.pending)).toEqual(['Deployment shop/pinned']);
    expect(report.preflightBlockers.some((b) => b.includes('would stay Pending: it fits only the source pool'))).toBe(true);
    expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    // The real run, on the live cluster.
    const session = await openSession({ kubeConfigObject: t.kc, flushIntervalMs: 10 });
    sessions.push(session);
    session.start();
    await session.waitForSync();
    const summary = await startMigration(
      { kc: session.kc, store: session.store, audit: new AuditLog(path.join(dir, 'audit.log')) },
      { from: 'blue', to: ['green'], gateTimeoutSeconds: 5, ignorePreflight: true, journalFile: path.join(dir, 'journal.json'), retryBackoff: { initialMs: 200, maxMs: 200 } },
    ).done;
    expect(summary.state).toBe('failed');
    const livePending = simPods(t).filter(
      (p) => p.status?.phase === 'Pending' && p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'),
    );
    expect(livePending.map((p) => p.metadata.labels?.app)).toEqual(['pinned']);
    const liveReason = livePending[0].status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;
    expect(report.pending.map((p) => p.reason)).toEqual([liveReason]);
    // Both stopped at the same node, the one the pinned pod ran on.
    expect(summary.drained.length).toBe(report.nodes.filter((n) => n.state === 'done').length);
  });
});

/** The pods the scheduler has refused, with its message. */
const unschedulable = (pods: readonly Pod[]) =>
  pods.flatMap((p) => {
    const cond = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return p.status?.phase === 'Pending' && cond ? [{ app: p.metadata.labels?.app, reason: cond.message }] : [];
  });

describe('daytwo rehearse drain', () => {
  /** The blue node running the most web pods (two, so the web PDB holds one eviction), with a Deployment pinned to it. */
  async function startWithPinnedPod(): Promise<string> {
    await startLive();
    const web = (n: string) => simPods(t).filter((p) => p.metadata.labels?.app === 'web' && p.spec?.nodeName === n).length;
    const node = poolNodes(t, 'blue').sort((a, b) => web(b) - web(a))[0];
    t.sim.store.create(
      'apps/deployments',
      deployment({
        name: 'pinned',
        namespace: MIGRATION_NS,
        replicas: 1,
        containers: [{ name: 'pinned', image: 'ghcr.io/acme/pinned:1.0.0', requests: { cpu: '100m', memory: '64Mi' } }],
        podSpec: { nodeSelector: { 'kubernetes.io/hostname': node } },
      }),
    );
    await until('the pinned pod to run', () => simPods(t).some((p) => p.metadata.labels?.app === 'pinned' && p.status?.phase === 'Running'));
    return node;
  }

  it('drains the node on a copy, reports evictions, Pending pods and PDB holds, and sends the live cluster nothing but GETs', { timeout: 90_000 }, async () => {
    const node = await startWithPinnedPod();
    const before = JSON.stringify(simPods(t).map((p) => [p.metadata.uid, p.spec?.nodeName]));
    const onNode = simPods(t)
      .filter((p) => p.spec?.nodeName === node)
      .map((p) => `${MIGRATION_NS}/${p.metadata.name}`)
      .sort();
    const { code, report, stderr } = await rehearseDrain([node, '--ignore-daemonsets']);
    expect(stderr).toBe('');
    // The pinned pod cannot come back anywhere: the rehearsal fails on it.
    expect(code).toBe(1);
    expect(report.result).toBe('drained');
    expect(report.nodes).toEqual([node]);
    expect([...report.evicted].sort()).toEqual(onNode);
    expect(report.evictions).toBe(onNode.length);
    expect(report.pending.map((p) => [p.workload, p.stillPending, p.beforeDrain])).toEqual([['Deployment shop/pinned', true, false]]);
    expect(report.pending[0].reason).toMatch(/^0\/6 nodes are available/);
    expect(report.pdbBlocks.length).toBeGreaterThan(0);
    expect(report.pdbBlocks.every((b) => b.pdb === 'shop/web' && b.evicted)).toBe(true);
    expect(report.timeoutAssumedSeconds).toBe(600);
    expect(report.estimatedSeconds).toBeGreaterThanOrEqual(report.simulatedSeconds);

    expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(proxy.requests.some((r) => r.path.includes('watch'))).toBe(false);
    expect(JSON.stringify(simPods(t).map((p) => [p.metadata.uid, p.spec?.nodeName]))).toBe(before);
    expect(t.sim.store.list('nodes').some((n) => (n as Node).spec?.unschedulable)).toBe(false);
  });

  it('predicts the Pending pods that the real daytwo drain then produces', { timeout: 90_000 }, async () => {
    const node = await startWithPinnedPod();
    const rehearsal = await rehearseDrain([node, '--ignore-daemonsets', '--timeout', '2m']);
    // The table says the same, on a copy of its own.
    const table = await run<unknown>(runRehearseCommand, ['drain', node, '--ignore-daemonsets', '--timeout', '2m']);
    expect(table.stdout).toContain(`Rehearsal of the drain of node/${node} on a simulated copy (30x): drained`);
    expect(table.stdout).toMatch(/pending\s+shop\/pinned-\S+\s+[\d.]+\s+Deployment shop\/pinned: 0\/6 nodes are available/);
    const writesBefore = proxy.requests.filter((r) => r.method !== 'GET').length;
    expect(writesBefore).toBe(0);

    const real = await run<unknown>(runDrainCommand, [node, '--ignore-daemonsets', '--timeout', '2m']);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`node/${node} drained`);
    const live = await until('the pinned replacement to be refused by the scheduler', () => {
      const refused = unschedulable(simPods(t));
      return refused.length > 0 && refused;
    });
    expect(live.map((p) => p.app)).toEqual(['pinned']);
    expect(rehearsal.report.pending.map((p) => p.reason)).toEqual([live[0].reason]);
    // The real drain evicted exactly the pods the rehearsal did, and the web budget held as many of them.
    expect([...acceptedEvictions(proxy.requests).keys()].sort()).toEqual([...rehearsal.report.evicted].sort());
    const held = new Set([...real.stderr.matchAll(/error when evicting pods\/"([^"]+)" -n "shop" \(will retry after/g)].map((m) => m[1]));
    expect(held.size).toBe(rehearsal.report.pdbBlocks.length);
    expect(held.size).toBeGreaterThan(0);
  });
});
