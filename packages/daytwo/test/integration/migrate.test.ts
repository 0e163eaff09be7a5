/**
 * Node pool migration against the simulated cluster: a 3-node pool with a PDB-protected
 * Deployment and a StatefulSet, the gate holding the next node until replicas are back, and
 * a migration whose process is killed mid-way and resumed without evicting a pod twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runMigrateCommand } from '../../src/cli/migrate-command.js';
import { type MigrationEvent, startMigration } from '../../src/kube/actions/migrate.js';
import { AuditLog } from '../../src/kube/audit.js';
import { journalPath, readJournal } from '../../src/kube/migration-journal.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { acceptedEvictions, type CountingProxy, startCountingProxy } from '../helpers/counting-proxy.js';
import { buildMigrationCluster, isReady, poolNodes, simNodes, simPods, until } from '../helpers/migration-cluster.js';

const BIN = path.resolve(__dirname, '../../bin/daytwo.js');
let t: TestSim;
let dir: string;
const sessions: KubeSession[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  t = await startTestSim({ scenario: 'empty', speed: 10 });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-migrate-'));
  await buildMigrationCluster(t);
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of sessions.splice(0)) await s.stop();
  await t.stop();
});
afterAll(() => {
  delete process.env.XDG_STATE_HOME;
  delete process.env.DAYTWO_AUDIT_LOG;
});

const auditLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Ready, not terminating pods of an app, and where they run. */
const readyPods = (app: string) => simPods(t).filter((p) => p.metadata.labels?.app === app && isReady(p) && !p.metadata.deletionTimestamp);

describe('node pool migration against the simulated cluster', () => {
  it('cordons the pool, drains one node at a time and holds the next node at the gate until replicas are back', async () => {
    const session = await openSession({ kubeConfigObject: t.kc, flushIntervalMs: 10 });
    sessions.push(session);
    session.start();
    await session.waitForSync();
    const audit = new AuditLog(path.join(dir, 'audit.log'));
    const journalFile = path.join(dir, 'journal.json');
    const blue = poolNodes(t, 'blue');
    expect(blue).toHaveLength(3);

    const events: MigrationEvent[] = [];
    /** At each node's drain start: web and db as they stand in the cluster. */
    const atDrainStart: { node: string; web: number; db: number }[] = [];
    const handle = startMigration(
      { kc: session.kc, store: session.store, audit },
      {
        from: 'blue',
        to: ['green'],
        gateTimeoutSeconds: 60,
        journalFile,
        retryBackoff: { initialMs: 200, maxMs: 200 },
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'draining') atDrainStart.push({ node: e.node, web: readyPods('web').length, db: readyPods('db').length });
        },
      },
    );
    const summary = await handle.done;

    expect(summary.state).toBe('succeeded');
    expect(summary.drained).toEqual(blue);
    expect(summary.preflight.blockers).toEqual([]);
    // Every node of the pool was cordoned before the first eviction.
    const firstEviction = events.findIndex((e) => e.type === 'drain' && e.event.type === 'evicting');
    const cordons = events.flatMap((e, i) => (e.type === 'cordoned' ? [i] : []));
    expect(cordons).toHaveLength(3);
    expect(Math.max(...cordons)).toBeLessThan(firstEviction);
    // Nodes were drained in order, one at a time, each after the previous one's gate opened.
    expect(atDrainStart.map((d) => d.node)).toEqual(blue);
    const order = events.flatMap((e) => (e.type === 'draining' ? [`drain ${e.node}`] : e.type === 'gate-open' ? [`open ${e.node}`] : []));
    expect(order).toEqual(blue.flatMap((n) => [`drain ${n}`, `open ${n}`]));
    // The gate was seen closed after a node (replacements not yet Ready), and each next node
    // started only when web had its 4 replicas and db its 2 Ready again.
    const closed = events.filter((e) => e.type === 'gate' && !e.gate.open);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.some((e) => e.type === 'gate' && e.gate.workloads.some((w) => !w.satisfied && w.workload.name === 'web'))).toBe(true);
    for (const d of atDrainStart) expect([d.web, d.db]).toEqual([4, 2]);

    // Everything runs on green; blue stays cordoned.
    expect(summary.moved).toHaveLength(6);
    expect(readyPods('web').every((p) => poolNodes(t, 'green').includes(p.spec?.nodeName ?? ''))).toBe(true);
    await until('db back on green', () => readyPods('db').length === 2 && readyPods('db').every((p) => poolNodes(t, 'green').includes(p.spec?.nodeName ?? '')));
    for (const n of simNodes(t).filter((x) => blue.includes(x.metadata.name ?? ''))) expect(n.spec?.unschedulable).toBe(true);

    const journal = readJournal(journalFile);
    expect(journal?.state).toBe('succeeded');
    expect(journal?.nodes.map((n) => n.state)).toEqual(['done', 'done', 'done']);
    expect(journal?.evicted.map((e) => e.pod).sort()).toEqual([...summary.moved].sort());
    const steps = auditLines(audit.path).map((l) => `${l.action} ${l.phase}${l.result ? ` ${l.result}` : ''}`);
    expect(steps[0]).toBe('migrate start');
    expect(steps.at(-1)).toBe('migrate end succeeded');
    expect(steps.filter((s) => s === 'cordon end succeeded')).toHaveLength(3);
    expect(steps.filter((s) => s === 'drain end succeeded')).toHaveLength(3);
    expect(steps.filter((s) => s === 'migrate-gate end succeeded')).toHaveLength(3);
  });

  it('resumes a migration whose process was killed mid-way without evicting any pod twice', { timeout: 90_000 }, async () => {
    const proxy: CountingProxy = await startCountingProxy(t);
    try {
      const kubeconfig = path.join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, proxy.kubeconfig(), { mode: 0o600 });
      process.env.XDG_STATE_HOME = path.join(dir, 'state');
      process.env.DAYTWO_AUDIT_LOG = path.join(dir, 'audit.log');
      const child = spawn(process.execPath, [BIN, 'migrate', '--from', 'blue', '--to', 'green', '--kubeconfig', kubeconfig], { env: { ...process.env } });
      children.push(child);
      let out = '';
      child.stdout?.on('data', (d) => {
        out += d;
      });
      // Killed as soon as it starts evicting on the second node: an eviction may be in flight.
      await until('the second node to start draining', () => /drained\n[\s\S]*evicting pod /.test(out), 60_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const blue = poolNodes(t, 'blue');
      const killed = readJournal(journalPath('daytwo-sim', 'blue'));
      expect(killed?.state).toBe('running');
      expect(killed?.nodes[0].state).toBe('done');
      for (const n of simNodes(t).filter((x) => blue.includes(x.metadata.name ?? ''))) expect(n.spec?.unschedulable).toBe(true);

      // A fresh start refuses while the journal is unfinished; --resume finishes it.
      let stdout = '';
      let stderr = '';
      const io = { out: { write: (s: string) => (stdout += s) }, err: { write: (s: string) => (stderr += s) } };
      expect(await runMigrateCommand(['--from', 'blue', '--kubeconfig', kubeconfig], io)).toBe(1);
      expect(stderr).toContain('an unfinished migration of node pool "blue" exists');
      stdout = '';
      stderr = '';
      const code = await runMigrateCommand(['--from', 'blue', '--resume', '--kubeconfig', kubeconfig], io);
      expect(stderr).not.toMatch(/^error: /m);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^resuming the migration started .* \(running\): 1\/3 nodes done/m);
      expect(stdout).toContain(`node/${blue[1]} already cordoned`);
      expect(stdout).toContain(`node/${blue[0]} already drained`);
      expect(stdout).not.toContain(`node/${blue[0]} already cordoned`);
      if (code !== 0) console.log(stdout, stderr);
      expect(stdout).toMatch(/nodepool\/blue migrated: 3\/3 nodes drained, 6 pods moved/);

      // Every pod of the pool was evicted exactly once, across both processes.
      const evictions = acceptedEvictions(proxy.requests);
      expect([...evictions.values()].every((n) => n === 1)).toBe(true);
      expect(evictions.size).toBe(6);
      for (const n of simNodes(t).filter((x) => blue.includes(x.metadata.name ?? ''))) expect(n.spec?.unschedulable).toBe(true);
      await until('everything Ready on green', () => readyPods('web').length === 4 && readyPods('db').length === 2);
      expect(readJournal(journalPath('daytwo-sim', 'blue'))?.state).toBe('succeeded');
    } finally {
      await proxy.close();
    }
  });

  it('pauses before the next node, and an abort leaves the pool cordoned and names the pods that moved', async () => {
    const session = await openSession({ kubeConfigObject: t.kc, flushIntervalMs: 10 });
    sessions.push(session);
    session.start();
    await session.waitForSync();
    const journalFile = path.join(dir, 'journal.json');
    const blue = poolNodes(t, 'blue');
    const events: MigrationEvent[] = [];
    const handle = startMigration(
      { kc: session.kc, store: session.store, audit: new AuditLog(path.join(dir, 'audit.log')) },
      { from: 'blue', to: ['green'], gateTimeoutSeconds: 60, journalFile, retryBackoff: { initialMs: 200, maxMs: 200 }, onEvent: (e) => events.push(e) },
    );
    await until('the first node to drain', () => events.some((e) => e.type === 'draining'));
    handle.control.pause();
    expect(handle.control.paused).toBe(true);
    await until('the first gate to open', () => events.some((e) => e.type === 'gate-open'));
    await until('the journal to say paused', () => readJournal(journalFile)?.state === 'paused');
    // Paused: the first node finished with its gate, the next one is not started.
    await new Promise((r) => setTimeout(r, 500));
    expect(events.filter((e) => e.type === 'draining')).toHaveLength(1);
    handle.control.abort();
    const summary = await handle.done;

    expect(summary.state).toBe('aborted');
    const journal = readJournal(journalFile);
    expect(journal?.state).toBe('aborted');
    const moved = journal?.evicted.filter((e) => e.accepted).map((e) => e.pod) ?? [];
    expect(moved.length).toBeGreaterThan(0);
    expect([...summary.moved].sort()).toEqual([...moved].sort());
    expect(summary.message).toBe(
      `migration of nodepool/blue aborted: 1/3 nodes drained, ${moved.length} pod${moved.length === 1 ? '' : 's'} moved (${summary.moved.join(', ')}); every node of the pool stays cordoned`,
    );
    for (const n of simNodes(t).filter((x) => blue.includes(x.metadata.name ?? ''))) expect(n.spec?.unschedulable).toBe(true);
    // The pods of the other two nodes are where they were.
    expect(simPods(t).filter((p) => blue.slice(1).includes(p.spec?.nodeName ?? '')).length).toBe(6 - moved.length);
  });

  it('--dry-run prints the preflight and the plan and sends no write', async () => {
    const proxy = await startCountingProxy(t);
    try {
      const kubeconfig = path.join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, proxy.kubeconfig(), { mode: 0o600 });
      process.env.XDG_STATE_HOME = path.join(dir, 'state');
      let stdout = '';
      let stderr = '';
      const io = { out: { write: (s: string) => (stdout += s) }, err: { write: (s: string) => (stderr += s) } };
      const code = await runMigrateCommand(['--from', 'blue', '--to', 'green', '--dry-run', '--kubeconfig', kubeconfig], io);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const blue = poolNodes(t, 'blue');
      expect(stdout).toMatch(/^preflight: nodepool\/blue -> green: 3 nodes, 6 evictions$/m);
      for (const n of blue) expect(stdout).toContain(`node/${n} cordoned (dry run)`);
      expect(stdout.match(/^evicting pod shop\/\S+ \(dry run\)$/gm)).toHaveLength(6);
      expect(stdout).toMatch(/3 nodes, 6 evictions planned \(dry run\)$/m);
      expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(readJournal(journalPath('daytwo-sim', 'blue'))).toBeUndefined();

      // --readonly: refused before anything changes, no journal.
      stdout = '';
      stderr = '';
      expect(await runMigrateCommand(['--from', 'blue', '--to', 'green', '--readonly', '--kubeconfig', kubeconfig], io)).toBe(1);
      expect(stderr).toBe('error: migrate refused: daytwo is read-only (--readonly)\n');
      expect(proxy.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(readJournal(journalPath('daytwo-sim', 'blue'))).toBeUndefined();

      // Bad input: one line, exit 1.
      stdout = '';
      stderr = '';
      expect(await runMigrateCommand(['--from', 'nope', '--kubeconfig', kubeconfig], io)).toBe(1);
      expect(stderr).toBe('error: node pool "nope" not found (pools: blue, green)\n');
      stderr = '';
      expect(await runMigrateCommand(['--from', 'blue', '--gate-timeout', 'soon', '--kubeconfig', kubeconfig], io)).toBe(1);
      expect(stderr.split('\n')[0]).toMatch(/^error: invalid argument "soon" for "--gate-timeout" flag/);
    } finally {
      await proxy.close();
    }
  });
});
