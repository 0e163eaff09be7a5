/**
 * `daytwo report namespaces` at the command line against the simulated demo cluster: its
 * output shapes, `-n`, node-level reports ignoring `-n`, and its exit codes, including a
 * kind the user may not list (real RBAC: the sim's `restricted` user reads namespace shop only).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RESTRICTED_NAMESPACE } from '@daytwo/sim/auth.js';
import { runCli } from '../helpers/cli.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

let t: TestSim;
let dir: string;
let admin: string;
let restricted: string;
let unreachable: string;
const DEMO_NAMESPACES = ['batch', 'default', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'payments', 'shop'];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
  dir = mkdtempSync(join(tmpdir(), 'daytwo-report-cli-'));
  admin = join(dir, 'admin.kubeconfig');
  restricted = join(dir, 'restricted.kubeconfig');
  unreachable = join(dir, 'unreachable.kubeconfig');
  writeFileSync(admin, t.sim.kubeconfig('admin'), { mode: 0o600 });
  writeFileSync(restricted, t.sim.kubeconfig('restricted'), { mode: 0o600 });
  const port = await closedPort();
  writeFileSync(unreachable, t.sim.kubeconfig('admin').replace(/https:\/\/127\.0\.0\.1:\d+/, `https://127.0.0.1:${port}`), { mode: 0o600 });
});
afterAll(async () => {
  await t.stop();
});

const daytwo = (...args: string[]) => runCli(args);

describe('an unreachable server', () => {
  it('daytwo rollback says so, not that access was refused', async () => {
    const { code, stderr } = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--kubeconfig', unreachable);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: cannot reach the API server https:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(stderr).not.toContain('refused: not allowed');
  });
});

describe('--help on a subcommand', () => {
  it.each(['report', 'logs', 'rollback'])('daytwo %s --help prints the usage and exits 0', async (command) => {
    const { code, stdout } = await daytwo(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`daytwo ${command}`);
    expect(stdout).toContain('Usage:');
  });
});

describe('daytwo report namespaces', () => {
  it('prints a kubectl-style table, one row per namespace', async () => {
    const { code, stdout, stderr } = await daytwo('report', 'namespaces', '--kubeconfig', admin);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+STATUS\s+AGE\s+PODS R\/P\/F\s+RESTARTS\s+WORKLOADS\s+QOS G\/B\/BE\s+LIMITRANGE\s+QUOTA$/);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(DEMO_NAMESPACES);
    expect(rows.find((r) => r.startsWith('shop '))).toMatch(/^shop\s+Active\s+\d+d\s+\d+\/\d+\/\d+\s+\d+\s+\d+\s+\d+\/\d+\/\d+\s+yes\s+\d+% /);
  });

  it('prints {"kind","items"} as JSON and YAML, namespace and name on every item', async () => {
    const json = await daytwo('report', 'ns', '-o', 'json', '--kubeconfig', admin);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(['kind', 'items']);
    expect(doc.kind).toBe('namespaces');
    expect(doc.items.map((i: { name: string }) => i.name)).toEqual(DEMO_NAMESPACES);
    for (const item of doc.items) {
      expect(item.namespace).toBe(item.name);
      expect(item).toMatchObject({ phase: 'Active', pods: { total: expect.any(Number) }, qos: { guaranteed: expect.any(Number) } });
    }
    const shop = doc.items.find((i: { name: string }) => i.name === 'shop');
    expect(shop.pods.total).toBeGreaterThan(0);
    expect(shop.hasLimitRange).toBe(true);

    const yaml = await daytwo('report', 'namespaces', '-o', 'yaml', '--kubeconfig', admin);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(doc);
  });

  it('-n lists only that namespace, like kubectl get namespace NAME, and fails like it for an unknown one', async () => {
    const { code, stdout } = await daytwo('report', 'namespaces', '-n', 'shop', '-o', 'json', '--kubeconfig', admin);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.items.map((i: { name: string }) => i.name)).toEqual(['shop']);
    expect(doc.items[0].pods.total).toBeGreaterThan(0);

    const missing = await daytwo('report', 'namespaces', '-n', 'nosuch', '--kubeconfig', admin);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): namespaces "nosuch" not found\n' });
  });

  it('exits 2 with one line for an unknown view or output format', async () => {
    const view = await daytwo('report', 'nosuch', '--kubeconfig', admin);
    expect(view.code).toBe(2);
    expect(view.stdout).toBe('');
    expect(view.stderr).toMatch(/^daytwo: unknown view "nosuch" \(views: namespaces, .*\)\n$/);
    const format = await daytwo('report', 'namespaces', '-o', 'xml', '--kubeconfig', admin);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('daytwo: unknown output format "xml" (formats: table, json, yaml)\n');
  });

  it('gives up on an unreachable server with one line naming it, and exit code 2', async () => {
    const { code, stdout, stderr } = await daytwo('report', 'namespaces', '--kubeconfig', unreachable);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^daytwo: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(context daytwo-sim\): .*ECONNREFUSED.*\n$/);
  });

  it('fails with the server\'s Forbidden message for a kind the user may not list, instead of printing zeros', async () => {
    const { code, stdout, stderr } = await daytwo('report', 'namespaces', '--kubeconfig', restricted);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toContain(
      'Error from server (Forbidden): namespaces is forbidden: User "restricted" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    expect(lines).toContain(
      'Error from server (Forbidden): pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope',
    );
    for (const line of lines) expect(line).toMatch(/^Error from server \(Forbidden\): /);
  });

  it('works for the same user within the namespace it may read', async () => {
    const { code, stdout, stderr } = await daytwo('report', 'namespaces', '-n', RESTRICTED_NAMESPACE, '-o', 'json', '--kubeconfig', restricted);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.items.map((i: { name: string }) => i.name)).toEqual([RESTRICTED_NAMESPACE]);
    // The namespace itself is read with `get` (a RoleBinding in it allows that), so its phase is known.
    expect(doc.items[0].phase).toBe('Active');
    expect(doc.items[0].pods.total).toBeGreaterThan(0);
  });

  it('report qos fails the same way when pods cannot be listed', async () => {
    const { code, stdout, stderr } = await daytwo('report', 'qos', '-o', 'json', '--kubeconfig', restricted);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error from server (Forbidden): pods is forbidden: User "restricted" cannot list resource "pods"');
  });
});

describe('node-level reports ignore -n, as kubectl drain does', () => {
  it('report nodepools counts every namespace\'s pods whatever -n says', async () => {
    const all = JSON.parse((await daytwo('report', 'nodepools', '-o', 'json', '--kubeconfig', admin)).stdout);
    const scoped = await daytwo('report', 'nodepools', '-o', 'json', '-n', 'shop', '--kubeconfig', admin);
    expect(scoped.code).toBe(0);
    const pods = (doc: { items: { pods: number }[] }) => doc.items.map((p) => p.pods);
    expect(pods(JSON.parse(scoped.stdout))).toEqual(pods(all));
  });

  it('report drain-plan lists the node\'s pods in every namespace under -n', async () => {
    const node = 'ip-10-0-16-12.eu-west-1.compute.internal';
    const all = JSON.parse((await daytwo('report', 'drain-plan', '--node', node, '-o', 'json', '--kubeconfig', admin)).stdout);
    const scoped = JSON.parse((await daytwo('report', 'drain-plan', '--node', node, '-o', 'json', '-n', 'shop', '--kubeconfig', admin)).stdout);
    const keys = (doc: { items: { namespace: string; name: string }[] }) => doc.items.map((i) => `${i.namespace}/${i.name}`);
    expect(keys(scoped)).toEqual(keys(all));
    expect(new Set(scoped.items.map((i: { namespace: string }) => i.namespace)).size).toBeGreaterThan(1);
  });

  it('daytwo drain --dry-run -n shop plans the whole node (DaemonSets of kube-system included)', async () => {
    process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
    try {
      const node = 'ip-10-0-16-12.eu-west-1.compute.internal';
      const { code, stdout, stderr } = await daytwo('drain', node, '--dry-run', '--ignore-daemonsets', '-n', 'shop', '--kubeconfig', admin);
      expect(stderr).not.toContain('not found');
      expect(code).toBe(0);
      expect(stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/aws-node-/);
      expect(stdout).toContain('evicting pod payments/');
      expect(stdout).toContain(`node/${node} drained (dry run)`);
    } finally {
      delete process.env.DAYTWO_AUDIT_LOG;
    }
  });
});
