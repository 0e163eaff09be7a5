/** `daytwo report nodepools` and `daytwo report drain-plan` against the simulated demo cluster. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCli } from '../helpers/cli.js';

let t: TestSim;
let kubeconfig: string;
beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'daytwo-report-')), 'kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
});
afterAll(async () => {
  await t.stop();
});

/** Runs `daytwo <args> --kubeconfig <sim>` in-process. */
const daytwo = (...args: string[]) => runCli([...args, '--kubeconfig', kubeconfig]);

describe('daytwo report nodepools', () => {
  it('prints the pools with their nodes, pool label, kubelet version and skew against the API server', async () => {
    const { code, stdout } = await daytwo('report', 'nodepools', '-o', 'json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.kind).toBe('nodepools');
    expect(doc.apiServerVersion).toBe('v1.30.4');
    expect(doc.items.map((p: { name: string }) => p.name)).toEqual(['ng-new', 'ng-old', 'ng-r5']);
    const old = doc.items[1];
    expect(old).toMatchObject({ namespace: '', name: 'ng-old', poolLabel: 'eks.amazonaws.com/nodegroup', nodeCount: 4, ready: 3, notReady: 1, cordoned: 1, mixedVersions: false });
    expect(old.kubeletVersions).toEqual(['v1.29.6-eks-1552ad0']);
    expect(old.skew).toEqual({ minorsBehind: 1, supported: true });
    for (const n of old.nodes) {
      expect(n).toMatchObject({ namespace: '', pool: 'ng-old', poolLabel: 'eks.amazonaws.com/nodegroup', kubeletVersion: 'v1.29.6-eks-1552ad0', skew: { minorsBehind: 1, supported: true } });
      // Three from the start, and the fourth whose kubelet stopped reporting.
      expect(n.name).toMatch(/^ip-10-0-16-1[0127]\./);
    }
    expect(doc.items[0].nodes[0].skew).toEqual({ minorsBehind: 0, supported: true });
  });

  it('prints a table of pools, then of nodes', async () => {
    const { code, stdout } = await daytwo('report', 'nodepools');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^POOL +LABEL +NODES +READY/);
    expect(stdout).toMatch(/\nNAME +POOL +STATUS +ROLES +AGE +VERSION +SKEW/);
    expect(stdout).toMatch(/ip-10-0-16-10\.eu-west-1\.compute\.internal +ng-old +Ready,SchedulingDisabled/);
  });
});

describe('daytwo report drain-plan', () => {
  const pods = () => t.sim.store.list('pods') as Pod[];
  const schedulableOld = () =>
    (t.sim.store.list('nodes') as Node[]).find((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === 'ng-old' && !n.spec?.unschedulable)?.metadata
      .name as string;

  it('gives every pod of the node a verdict and reason, the PDB refusals, and the capacity check', async () => {
    const node = (t.sim.store.list('nodes') as Node[]).find((n) => n.spec?.unschedulable)?.metadata.name as string;
    const { code, stdout } = await daytwo('report', 'drain-plan', '--node', node, '--ignore-daemonsets', '-o', 'json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ kind: 'drain-plan', node, blocked: false, errors: [] });
    const onNode = pods().filter((p) => p.spec!.nodeName === node);
    expect(doc.items.map((i: { name: string }) => i.name).sort()).toEqual(onNode.map((p) => p.metadata.name).sort());
    for (const item of doc.items) {
      expect(['evict', 'skip', 'blocked']).toContain(item.verdict);
      expect(item.namespace).not.toBe('');
      expect(item.reason).not.toBe('');
    }
    const api = doc.items.find((i: { namespace: string; name: string }) => i.namespace === 'payments' && i.name.startsWith('api-'));
    expect(api).toMatchObject({ verdict: 'evict', pdb: { name: 'api', disruptionsAllowed: 0 } });
    expect(api.pdb.message).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    expect(doc.items.filter((i: { verdict: string }) => i.verdict === 'skip').every((i: { reason: string }) => i.reason === 'DaemonSet-managed')).toBe(true);
    expect(doc.pdbRefusals).toBe(1);
    expect(doc.capacity.fits).toBe(true);
    expect(doc.capacity.pods.length).toBe(doc.items.filter((i: { verdict: string }) => i.verdict === 'evict').length);
    expect(api.placement.node).not.toBe(node);
  });

  it('says blocked, with kubectl\'s errors and exit code 1, without --ignore-daemonsets', async () => {
    const { code, stdout } = await daytwo('report', 'drain-plan', '--node', schedulableOld());
    expect(code).toBe(1);
    expect(stdout).toMatch(/drain blocked/);
    expect(stdout).toContain('error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ');
    expect(stdout).toMatch(/\nNAMESPACE +NAME +VERDICT +REASON/);
  });

  it('refuses bad options with one line and exit code 2', async () => {
    expect(await daytwo('report', 'drain-plan')).toMatchObject({ code: 2, stderr: 'daytwo: report drain-plan needs --node NODE\n' });
    expect(await daytwo('report', 'drain-plan', '--node', 'x', '--timeout', '5x')).toMatchObject({
      code: 2,
      stderr: 'daytwo: invalid argument "5x" for "--timeout" flag: time: unknown unit "x" in duration "5x"\n',
    });
    expect(await daytwo('report', 'nodepools', '--node', 'x')).toMatchObject({ code: 2, stderr: 'daytwo: --node is not an option of report nodepools\n' });
    expect(await daytwo('report', 'drain-plan', '--node', 'no-such-node')).toMatchObject({ code: 2, stderr: 'daytwo: nodes "no-such-node" not found\n' });
  });
});
