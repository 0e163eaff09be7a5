/**
 * Issue 13 case 1: the API server dies while a drain waits for evicted pods to terminate.
 * The drain must say so within seconds, naming the server, and end with an exact account
 * (moved, unknown, not moved), exit 1 and an audit end line; a cancel must not count a pod
 * still terminating as moved.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { type CommandOutput, runDrainCommand } from '../../src/cli/drain-command.js';
import { drainNodes } from '../../src/kube/actions/drain.js';
import { ActionCancelled } from '../../src/kube/actions/guard.js';
import { AuditLog } from '../../src/kube/audit.js';
import { openSession } from '../../src/kube/session.js';

const HOLD = 'daytwo.test/hold';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daytwo-drain-lost-'));
  process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
});
afterAll(() => {
  delete process.env.DAYTWO_AUDIT_LOG;
});

/** A node with no PodDisruptionBudget-covered pods to keep the drain short, and two bare pods on it that a finalizer keeps terminating. */
function holdPodsOn(t: TestSim): { node: string; held: string[] } {
  const pods = t.sim.store.list('pods') as Pod[];
  const node = (t.sim.store.list('nodes') as Node[]).map((n) => n.metadata.name as string).sort()[0];
  const held = ['held-1', 'held-2'];
  for (const name of held) {
    t.sim.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', finalizers: [HOLD] },
      spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'nginx' }] },
    });
  }
  expect(pods.length).toBeGreaterThan(0);
  return { node, held: held.map((n) => `default/${n}`) };
}

const terminating = (t: TestSim, key: string) => {
  const [namespace, name] = key.split('/');
  return Boolean((t.sim.store.get('pods', namespace, name) as Pod | undefined)?.metadata.deletionTimestamp);
};

/** `4 pods moved, 2 evicted and still terminating (a/b, c/d), 1 unknown (e/f), 1 not moved (g/h)`. */
function parseCounts(text: string): { moved: number; terminating: string[]; unknown: string[]; notMoved: string[] } {
  const part = (label: string) => {
    const m = new RegExp(`(\\d+) ${label}(?: \\(([^)]*)\\))?`).exec(text);
    const keys = m?.[2] ? m[2].split(', ') : [];
    if (m) expect(keys).toHaveLength(Number(m[1]));
    return keys;
  };
  const moved = /^(\d+) pods? moved/.exec(text);
  expect(moved).not.toBeNull();
  return { moved: Number(moved?.[1]), terminating: part('evicted and still terminating'), unknown: part('unknown'), notMoved: part('not moved') };
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a drain that loses its API server', () => {
  it('reports the unreachable server by URL, ends with what moved and what is unknown, exits 1 and audits the end', async () => {
    const t = await startTestSim({ speed: 20 });
    const config = join(dir, 'admin.kubeconfig');
    writeFileSync(config, t.sim.kubeconfig('admin'), { mode: 0o600 });
    const { node, held } = holdPodsOn(t);
    let stdout = '';
    let stderr = '';
    const io: CommandOutput = { out: { write: (s: string) => (stdout += s) }, err: { write: (s: string) => (stderr += s) } };
    const drained = runDrainCommand([node, '--ignore-daemonsets', '--force', '--delete-emptydir-data', '--timeout', '120s', '--kubeconfig', config], io);
    // The server dies while the held pods are evicted and waited for, after some pods moved.
    await until('a pod evicted and the held pods terminating', () => /^pod\/\S+ evicted$/m.test(stdout) && held.every((k) => terminating(t, k)));
    await t.stop();
    const code = await drained;

    expect(code).toBe(1);
    for (const key of held) {
      const [namespace, name] = key.split('/');
      expect(stdout).toContain(`evicting pod ${key}\n`);
      expect(stdout).not.toContain(`pod/${name} evicted`);
      expect(stderr).toContain(`error when waiting for pod "${name}" in namespace "${namespace}" to terminate: Get "${t.url.replace('http:', 'https:')}/api/v1/namespaces/${namespace}/pods/${name}": `);
    }
    expect(stderr).toMatch(/ECONNREFUSED|ECONNRESET/);
    const summary = stderr.split('\n').filter((l) => l.startsWith('summary: '));
    expect(summary).toHaveLength(1);
    // Exact: as many moved as "evicted" lines, the held pods unknown, every pod the drain went for accounted once.
    const account = parseCounts(summary[0].slice('summary: '.length));
    const lines = stdout.split('\n');
    expect(account.moved).toBe(lines.filter((l) => /^pod\/\S+ evicted$/.test(l)).length);
    expect(account.unknown).toEqual(expect.arrayContaining(held));
    const evicting = new Set(lines.filter((l) => l.startsWith('evicting pod ')).map((l) => l.slice('evicting pod '.length)));
    expect(account.moved + account.unknown.length + account.notMoved.length).toBe(evicting.size);
    const audit = readFileSync(process.env.DAYTWO_AUDIT_LOG as string, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ action: 'drain', target: `node/${node}`, phase: 'end', result: 'failed' });
    expect(audit.at(-1).message.endsWith(summary[0].slice('summary: '.length))).toBe(true);
  }, 60_000);

  it('a cancel counts an evicted pod still terminating as such, not as moved', async () => {
    const t = await startTestSim({ speed: 20 });
    try {
      const { node, held } = holdPodsOn(t);
      const session = await openSession({ kubeConfigObject: t.kubeConfigFor('admin'), flushIntervalMs: 10 });
      session.start();
      await session.waitForSync();
      const env = { kc: session.kc, store: session.store, audit: new AuditLog(join(dir, 'cancel-audit.log')) };
      const abort = new AbortController();
      let evicted = 0;
      const drained = drainNodes(env, {
        nodes: [node],
        flags: { ignoreDaemonSets: true, force: true, deleteEmptyDirData: true },
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === 'evicted') evicted++;
        },
      }).catch((e: unknown) => e);
      await until('the held pods terminating', () => held.every((k) => terminating(t, k)));
      abort.abort();
      const err = await drained;
      await session.stop();
      expect(err).toBeInstanceOf(ActionCancelled);
      const message = (err as Error).message;
      expect(message).toMatch(/^drain cancelled: .*; the node stays cordoned$/);
      const account = parseCounts(message.slice('drain cancelled: '.length).replace(/; the node stays cordoned$/, ''));
      expect(account.moved).toBe(evicted);
      expect(account.terminating).toEqual(expect.arrayContaining(held));
    } finally {
      await t.stop();
    }
  }, 60_000);
});
