/**
 * `daytwo drain|cordon|uncordon` against the simulated cluster: kubectl's lines and exit
 * codes, and `--dry-run` listing exactly what `kubectl drain --dry-run=client` lists.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCordonCommand } from '../../src/cli/cordon-command.js';
import { type CommandOutput, runDrainCommand } from '../../src/cli/drain-command.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const run = promisify(execFile);

let t: TestSim;
let dir: string;
let adminConfig: string;
let viewerConfig: string;

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
  dir = mkdtempSync(join(tmpdir(), 'daytwo-drain-cli-'));
  adminConfig = join(dir, 'admin.kubeconfig');
  viewerConfig = join(dir, 'viewer.kubeconfig');
  writeFileSync(adminConfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
  writeFileSync(viewerConfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
});
afterAll(async () => {
  delete process.env.DAYTWO_AUDIT_LOG;
  await t.stop();
});

function buffers(): CommandOutput & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    stdout: () => out,
    stderr: () => err,
  };
}

async function daytwo(command: 'drain' | 'cordon' | 'uncordon', args: string[], kubeconfig = adminConfig) {
  const io = buffers();
  const argv = [...args, '--kubeconfig', kubeconfig];
  const code = command === 'drain' ? await runDrainCommand(argv, io) : await runCordonCommand(command === 'cordon', argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

async function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('kubectl', ['--kubeconfig', adminConfig, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (caught: unknown) {
    // execFile's error: the exit code and what the process printed.
    const err = caught as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(caught) };
  }
}

/**
 * kubectl aggregates errors and warnings through Go maps, so their order varies from run to
 * run: compare the lines as a set, and a warning line's `; `-joined messages as a set.
 */
function stderrLines(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => (l.startsWith('Warning: ') ? `Warning: ${l.slice('Warning: '.length).split('; ').sort().join('; ')}` : l))
    .sort();
}

const nodes = () => (t.sim.store.list('nodes') as Node[]).map((n) => n.metadata.name as string).sort();
const simNode = (name: string) => (t.sim.store.list('nodes') as Node[]).find((n) => n.metadata.name === name);

describe.skipIf(!hasKubectl)('daytwo drain --dry-run vs kubectl drain --dry-run=client', () => {
  it('prints the same lines and exit code for every node of the demo cluster', async () => {
    let evictions = 0;
    for (const node of nodes()) {
      for (const flags of [['--ignore-daemonsets'], []]) {
        const ours = await daytwo('drain', [node, '--dry-run', ...flags]);
        const theirs = await kubectl(['drain', node, '--dry-run=client', ...flags]);
        expect({ node, flags, code: ours.code, stdout: ours.stdout }).toEqual({ node, flags, code: theirs.code, stdout: theirs.stdout });
        expect(stderrLines(ours.stderr)).toEqual(stderrLines(theirs.stderr));
        evictions += ours.stdout.split('\n').filter((l) => l.startsWith('evicting pod ')).length;
      }
    }
    // Not agreeing on nothing: the demo cluster has pods to evict.
    expect(evictions).toBeGreaterThan(5);
  });

  it('agrees on blocked pods: no controller, emptyDir, and what --force and --delete-emptydir-data allow', async () => {
    const node = nodes().find((n) => !simNode(n)?.spec?.unschedulable) as string;
    t.sim.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bare', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'scratch', emptyDir: {} }] },
    });
    try {
      for (const flags of [['--ignore-daemonsets'], ['--ignore-daemonsets', '--force'], ['--ignore-daemonsets', '--force', '--delete-emptydir-data']]) {
        const ours = await daytwo('drain', [node, '--dry-run', ...flags]);
        const theirs = await kubectl(['drain', node, '--dry-run=client', ...flags]);
        expect({ flags, code: ours.code, stdout: ours.stdout }).toEqual({ flags, code: theirs.code, stdout: theirs.stdout });
        expect(stderrLines(ours.stderr)).toEqual(stderrLines(theirs.stderr));
      }
    } finally {
      t.sim.store.delete('pods', 'default', 'bare');
    }
    expect(simNode(node)?.spec?.unschedulable).toBeFalsy();
  });

  it('fails like kubectl on a node that does not exist', async () => {
    const ours = await daytwo('drain', ['no-such-node', '--dry-run']);
    const theirs = await kubectl(['drain', 'no-such-node', '--dry-run=client']);
    expect(ours).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr });
  });
});

describe('daytwo drain, cordon, uncordon', () => {
  it('drains a node with kubectl lines: a PDB 429 is retried with a backoff (first after 1s) until the budget allows it', async () => {
    const frontend = (t.sim.store.list('pods') as Pod[]).filter((p) => p.metadata.labels?.app === 'frontend');
    const counts = new Map<string, number>();
    for (const p of frontend) counts.set(p.spec!.nodeName!, (counts.get(p.spec!.nodeName!) ?? 0) + 1);
    const node = [...counts].find(([, n]) => n >= 2)?.[0] as string;
    expect(node).toBeDefined();
    const names = frontend.filter((p) => p.spec!.nodeName === node).map((p) => p.metadata.name as string);

    const result = await daytwo('drain', [node, '--ignore-daemonsets', '--timeout', '60s']);
    expect(result.code).toBe(0);
    const out = result.stdout.split('\n').filter(Boolean);
    expect(out[0]).toBe(`node/${node} cordoned`);
    expect(out.at(-1)).toBe(`node/${node} drained`);
    for (const name of names) {
      expect(out).toContain(`evicting pod shop/${name}`);
      expect(out).toContain(`pod/${name} evicted`);
    }
    expect(result.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: /);
    expect(result.stderr).toMatch(
      /error when evicting pods\/"frontend-[\w-]+" -n "shop" \(will retry after 1s\): Cannot evict pod as it would violate the pod's disruption budget\.\n/,
    );
    const audit = readFileSync(process.env.DAYTWO_AUDIT_LOG as string, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.slice(-2)).toEqual([
      expect.objectContaining({ action: 'drain', target: `node/${node}`, phase: 'start' }),
      expect.objectContaining({ action: 'drain', target: `node/${node}`, phase: 'end', result: 'succeeded' }),
    ]);
  });

  it('gives up at --timeout with exit code 1 and names the pending pods', async () => {
    const api = (t.sim.store.list('pods') as Pod[]).find(
      (p) => p.metadata.labels?.app === 'api' && p.metadata.namespace === 'payments' && !simNode(p.spec!.nodeName!)?.spec?.unschedulable,
    )!;
    const result = await daytwo('drain', [api.spec!.nodeName!, '--ignore-daemonsets', '--timeout=1s', '--pod-selector', 'app=api']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error when evicting pods/"${api.metadata.name}" -n "payments": global timeout reached: 1s`);
    expect(result.stderr).toContain(`There are pending pods in node "${api.spec!.nodeName}" when an error occurred:`);
    expect(result.stderr).toContain(`error: unable to drain node "${api.spec!.nodeName}" due to error:`);
    expect(result.stderr).toContain(`There are pending nodes to be drained:\n ${api.spec!.nodeName}\n`);
    expect((t.sim.store.list('pods') as Pod[]).some((p) => p.metadata.uid === api.metadata.uid && !p.metadata.deletionTimestamp)).toBe(true);
  });

  it('cordons and uncordons with kubectl wording; a viewer is refused with exit code 1', async () => {
    const node = nodes().find((n) => !simNode(n)?.spec?.unschedulable) as string;
    expect(await daytwo('cordon', [node])).toEqual({ code: 0, stdout: `node/${node} cordoned\n`, stderr: '' });
    expect(await daytwo('cordon', [node])).toEqual({ code: 0, stdout: `node/${node} already cordoned\n`, stderr: '' });
    expect(await daytwo('uncordon', [node, '--dry-run'])).toEqual({ code: 0, stdout: `node/${node} uncordoned (dry run)\n`, stderr: '' });
    expect(simNode(node)?.spec?.unschedulable).toBe(true);
    expect(await daytwo('uncordon', [node])).toEqual({ code: 0, stdout: `node/${node} uncordoned\n`, stderr: '' });
    const refused = await daytwo('cordon', [node], viewerConfig);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: unable to cordon node "${node.replace(/\./g, '\\.')}": cordon refused: not allowed to patch nodes`));
    expect(simNode(node)?.spec?.unschedulable).toBeFalsy();
    const drainRefused = await daytwo('drain', [node, '--ignore-daemonsets'], viewerConfig);
    expect(drainRefused.code).toBe(1);
    expect(drainRefused.stderr).toMatch(/^error: drain refused: not allowed to patch nodes/);
  });
});

describe('exit codes for bad arguments, as kubectl (cmdutil.CheckErr: 1)', () => {
  const cases: [command: 'drain' | 'cordon' | 'uncordon', args: string[], stderr: RegExp][] = [
    ['drain', [], /^error: USAGE: drain NODE\.\.\. \[flags\]\nSee 'daytwo drain --help' for usage\.\n$/],
    ['drain', ['x', '--bogus'], /^error: Unknown option '--bogus'.*\nSee 'daytwo drain --help' for usage\.\n$/],
    ['drain', ['x', '--grace-period', 'abc'], /^error: invalid argument "abc" for "--grace-period" flag/],
    ['drain', ['x', '--timeout', 'zz'], /^error: invalid argument "zz" for "--timeout" flag/],
    ['drain', ['x', '--dry-run=bogus'], /^error: Invalid dry-run value \(bogus\)\. Must be "none", "server", or "client"\./],
    ['cordon', [], /^error: USAGE: cordon NODE\.\.\. \[flags\]\n/],
    ['uncordon', ['--bogus'], /^error: Unknown option '--bogus'.*\nSee 'daytwo uncordon --help' for usage\.\n$/],
  ];
  for (const [command, args, stderr] of cases) {
    it(`daytwo ${command} ${args.join(' ')} exits 1${hasKubectl ? ', as kubectl does' : ''}`, async () => {
      const ours = await daytwo(command, args);
      expect(ours.stderr).toMatch(stderr);
      expect(ours.stdout).toBe('');
      expect(ours.code).toBe(1);
      if (hasKubectl) expect((await kubectl([command, ...args])).code).toBe(ours.code);
    });
  }

  it('prints its usage on --help and exits 0', async () => {
    const help = await daytwo('drain', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: daytwo drain NODE\.\.\./);
  });
});
