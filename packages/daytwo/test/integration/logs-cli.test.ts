import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

/** `daytwo logs` from the built CLI (`npm test` builds first) against the simulated cluster. */
const BIN = path.resolve(__dirname, '../../bin/daytwo.js');
let t: TestSim;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo' });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-logs-cli-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig());
  // Pods of a sim started a moment ago have a line or two at the default 1 line/s: write faster.
  for (const pod of t.sim.store.list('pods') as Pod[]) {
    if (pod.metadata.labels?.app !== 'frontend') continue;
    t.sim.store.update('pods', { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, 'sim.daytwo.dev/log-rate': '50' } } });
  }
});

afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[], config = kubeconfig): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'logs', ...args, '--kubeconfig', config], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Runs `daytwo logs ARGS` to its end: exit code and the lines it printed. */
async function run(args: string[], config = kubeconfig): Promise<{ code: number | null; lines: string[]; err: string }> {
  const r = start(args, config);
  const code = await r.exit;
  return { code, lines: r.out().split('\n').filter(Boolean), err: r.err() };
}

const simPods = () => t.sim.store.list('pods') as Pod[];

/** The API server's log of a pod, one string per line. */
async function apiLog(namespace: string, pod: string, query: Record<string, string> = {}): Promise<string[]> {
  const { KubeHttp } = await import('../../src/kube/http.js');
  const res = await new KubeHttp(t.kc).openStream(`/api/v1/namespaces/${namespace}/pods/${pod}/log`, { query });
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk;
  return text.split('\n').filter(Boolean);
}

const frontendPods = () =>
  (t.sim.store.list('pods') as Pod[]).filter((p) => p.metadata.namespace === 'shop' && p.metadata.labels?.app === 'frontend').map((p) => p.metadata.name as string);

describe('daytwo logs', () => {
  it("prints a deployment's pods merged, each line prefixed pod/container, and exits", async () => {
    const run = start(['deployment/frontend', '-n', 'shop', '--tail', '2', '--timestamps']);
    expect(await run.exit).toBe(0);
    const lines = run.out().trim().split('\n');
    const pods = frontendPods();
    expect(lines).toHaveLength(pods.length * 2);
    for (const pod of pods) expect(lines.filter((l) => new RegExp(`^\\S+Z ${pod}/frontend `).test(l))).toHaveLength(2);
  });

  it('follows with -f until interrupted', async () => {
    const run = start(['-l', 'app=frontend', '-n', 'shop', '-f', '--tail', '0']);
    await vi.waitFor(() => expect(run.out().split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 100 });
    expect(run.out()).toMatch(/^frontend-\S+\/frontend /m);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it("says a target is not found in kubectl's words, and refuses bad arguments", async () => {
    const missing = start(['deployment/nope', '-n', 'shop']);
    expect(await missing.exit).toBe(1);
    expect(missing.err()).toContain('deployments.apps "nope" not found');
    const badSince = start(['pod/x', '--since', '5']);
    expect(await badSince.exit).toBe(2);
    expect(badSince.err()).toContain('invalid duration "5" for --since');
    const both = start(['pod/x', '-l', 'app=web']);
    expect(await both.exit).toBe(2);
    expect(both.err()).toContain('not both');
  });

  it('takes --tail -1 and --tail=-1 (all lines), as kubectl does', async () => {
    const [pod] = frontendPods();
    // More lines than the default tail of 100 must exist first: the pod writes them as time passes.
    await vi.waitFor(async () => expect((await apiLog('shop', pod)).length).toBeGreaterThan(100), { timeout: 60_000, interval: 500 });
    for (const tail of [['--tail', '-1'], ['--tail=-1']]) {
      const before = (await apiLog('shop', pod)).length;
      const { code, lines } = await run([`pod/${pod}`, '-n', 'shop', ...tail]);
      expect(code).toBe(0);
      expect(lines.length).toBeGreaterThanOrEqual(before);
      expect(lines.length).toBeGreaterThan(100);
    }
    const bad = await run([`pod/${pod}`, '-n', 'shop', '--tail', '-2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--tail must be an integer >= -1, got "-2"');
  });

  it('prints every line to a reader slower than daytwo: it exits only once the pipe has taken them', async () => {
    const pod = simPods().find((p) => p.metadata.namespace === 'shop' && p.metadata.labels?.app !== 'frontend' && p.status?.phase === 'Running');
    if (!pod) throw new Error('the demo has a running pod in shop besides the frontend');
    const name = pod.metadata.name as string;
    t.sim.store.update('pods', { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, 'sim.daytwo.dev/log-rate': '1000' } } });
    // Far more than a pipe (64 KiB) and the reader's buffer hold: 5,000 lines of about 100 bytes.
    await vi.waitFor(async () => expect((await apiLog('shop', name)).length).toBeGreaterThan(5000), { timeout: 30_000, interval: 250 });
    const r = start([`pod/${name}`, '-n', 'shop', '--tail', '5000']);
    const drained = new Promise((resolve) => r.child.stdout?.once('close', resolve));
    r.child.stdout?.pause();
    // Read nothing until daytwo has exited (the old behaviour) or 3 s have passed (daytwo waits for the pipe).
    await Promise.race([r.exit, new Promise((resolve) => setTimeout(resolve, 3000))]);
    r.child.stdout?.resume();
    expect(await r.exit).toBe(0);
    await drained;
    expect(r.out().split('\n').filter(Boolean)).toHaveLength(5000);
  });

  it('reads everything within --since, past the default tail, unless --tail is given too', async () => {
    const [pod] = frontendPods();
    await vi.waitFor(async () => expect((await apiLog('shop', pod, { sinceSeconds: '3600' })).length).toBeGreaterThan(150), { timeout: 30_000, interval: 100 });
    const since = await run([`pod/${pod}`, '-n', 'shop', '--since', '1h']);
    expect(since.code).toBe(0);
    expect(since.lines.length).toBeGreaterThan(150);
    const both = await run([`pod/${pod}`, '-n', 'shop', '--since', '1h', '--tail', '5']);
    expect(both.lines).toHaveLength(5);
    // A window shorter than the history: only lines within it (50 lines/s here, a 2 s window).
    const short = await run([`pod/${pod}`, '-n', 'shop', '--since', '2s', '--timestamps']);
    expect(short.lines.length).toBeGreaterThan(0);
    expect(short.lines.length).toBeLessThan(since.lines.length);
  });

  it('narrows to a container with -c: on a pod, a workload and a selector', async () => {
    const pods = frontendPods();
    const onPod = await run([`pod/${pods[0]}`, '-n', 'shop', '-c', 'frontend', '--tail', '1']);
    expect(onPod.code).toBe(0);
    expect(onPod.lines).toEqual([expect.stringMatching(new RegExp(`^${pods[0]}/frontend `))]);
    for (const target of [['deployment/frontend'], ['-l', 'app=frontend']]) {
      const { code, lines } = await run([...target, '-n', 'shop', '-c', 'frontend', '--tail', '1']);
      expect(code).toBe(0);
      expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(pods.map((p) => `${p}/frontend`).sort());
    }
  });

  it("refuses a container the pod does not have, in kubectl's words, with exit code 1", async () => {
    const [pod] = frontendPods();
    for (const target of [[`pod/${pod}`], ['deploy/frontend'], ['-l', 'app=frontend']]) {
      const { code, lines, err } = await run([...target, '-n', 'shop', '-c', 'nope']);
      expect(code).toBe(1);
      expect(lines).toEqual([]);
      expect(err).toMatch(/^error: container nope is not valid for pod frontend-\S+ out of: frontend\n$/);
    }
  });

  it("says a refused list in kubectl's words, exit 1, instead of finding no pods", async () => {
    const restricted = path.join(dir, 'restricted.kubeconfig');
    writeFileSync(restricted, t.sim.kubeconfig('restricted'));
    for (const target of [['deploy/api'], ['-l', 'app=api']]) {
      const { code, lines, err } = await run([...target, '-n', 'payments'], restricted);
      expect(code).toBe(1);
      expect(lines).toEqual([]);
      expect(err).toMatch(/^Error from server \(Forbidden\): pods is forbidden: User "restricted" cannot list resource "pods" in API group "" in the namespace "payments"/);
    }
  });

  it('says a named target that does not exist is not found even with -f, as kubectl does', async () => {
    for (const target of ['nopod', 'deploy/nope']) {
      const { code, err } = await run([target, '-n', 'shop', '-f']);
      expect(code).toBe(1);
      expect(err).toMatch(/not found/);
    }
  });

  it("refuses -p in kubectl's words, exit 1, when no container has a previous instance", async () => {
    const [pod] = frontendPods();
    const { code, lines, err } = await run([`pod/${pod}`, '-n', 'shop', '-p']);
    expect(code).toBe(1);
    expect(lines).toEqual([]);
    expect(err).toBe(`Error from server (BadRequest): previous terminated container "frontend" in pod "${pod}" not found\n`);
  });

  it("reads the previous instance with -p: the run in lastState.terminated", async () => {
    const crashing = () => simPods().find((p) => p.metadata.namespace === 'shop' && p.metadata.labels?.app === 'recommendations')!;
    await vi.waitFor(() => expect(crashing().status?.containerStatuses?.[0]?.lastState?.terminated).toBeDefined(), { timeout: 30_000, interval: 100 });
    const name = crashing().metadata.name as string;
    const { code, lines } = await run([`pod/${name}`, '-n', 'shop', '-p', '--tail', '3', '--timestamps']);
    expect(code).toBe(0);
    const expected = await apiLog('shop', name, { previous: 'true', tailLines: '3', timestamps: 'true' });
    expect(expected).toHaveLength(3);
    expect(lines).toEqual(expected.map((l) => l.replace(' ', ` ${name}/recommendations `)));
  });

  it("reads a Job's pods, every attempt merged", async () => {
    const jobPods = simPods().filter((p) => p.metadata.namespace === 'batch' && p.metadata.labels?.['job-name'] === 'db-migrate-20261120');
    expect(jobPods.length).toBeGreaterThan(1);
    const { code, lines } = await run(['job/db-migrate-20261120', '-n', 'batch', '--tail', '2']);
    expect(code).toBe(0);
    for (const p of jobPods) expect(lines.filter((l) => l.startsWith(`${p.metadata.name}/task `))).toHaveLength(2);
  });

  it("uses the context's namespace for -l without -n, as kubectl does; -A reads every namespace", async () => {
    const inShop = path.join(dir, 'kubeconfig-shop');
    writeFileSync(inShop, t.sim.kubeconfig().replace(/namespace: default/g, 'namespace: shop'));
    const frontends = simPods().filter((p) => p.metadata.labels?.app === 'frontend');
    const scoped = await run(['-l', 'app=frontend', '--tail', '1'], inShop);
    expect(scoped.lines).toHaveLength(frontendPods().length);
    const inDefault = await run(['-l', 'app=frontend', '--tail', '1']);
    expect(inDefault.code).toBe(0);
    expect(inDefault.lines).toEqual([]);
    expect(inDefault.err).toContain('selector app=frontend in default');
    const everywhere = await run(['-l', 'app=frontend', '--tail', '1', '-A']);
    expect(everywhere.lines).toHaveLength(frontends.length);
    // Across namespaces the prefix carries the namespace: namespace/pod/container.
    expect(everywhere.lines.map((l) => l.split(' ')[0]).sort()).toEqual(frontends.map((p) => `${p.metadata.namespace}/${p.metadata.name}/frontend`).sort());
  });
});
