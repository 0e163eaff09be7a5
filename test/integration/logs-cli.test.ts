import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/domain/kube-object.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

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
  for (const pod of t.sim.store.list('pods') as KubeObject[]) {
    if (pod.metadata.labels?.app !== 'frontend') continue;
    t.sim.store.update('pods', { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, 'sim.daytwo.dev/log-rate': '50' } } });
  }
});

afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'logs', ...args, '--kubeconfig', kubeconfig], { env: { ...process.env, NO_COLOR: '1' } });
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

const frontendPods = () =>
  (t.sim.store.list('pods') as KubeObject[]).filter((p) => p.metadata.namespace === 'shop' && p.metadata.labels?.app === 'frontend').map((p) => p.metadata.name as string);

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
    const deadline = Date.now() + 20_000;
    while (run.out().split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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
});
