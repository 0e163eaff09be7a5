/**
 * Issue 13 case 5: the audit log becomes unwritable during an action. The failure is
 * reported at once and clearly, and the action's outcome is still printed exactly (with
 * its own exit code); an audit log that cannot take the "start" line stops the action.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCordonCommand } from '../../src/cli/cordon-command.js';
import { type CommandOutput, runDrainCommand } from '../../src/cli/drain-command.js';

let t: TestSim;
let dir: string;
let config: string;

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
  dir = mkdtempSync(join(tmpdir(), 'daytwo-audit-unwritable-'));
  config = join(dir, 'admin.kubeconfig');
  writeFileSync(config, t.sim.kubeconfig('admin'), { mode: 0o600 });
});
afterAll(async () => {
  delete process.env.DAYTWO_AUDIT_LOG;
  await t.stop();
});

function io(onOut: (text: string) => void = () => {}): CommandOutput & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: {
      write: (s: string) => {
        out += s;
        onOut(s);
      },
    },
    err: { write: (s: string) => (err += s) },
    stdout: () => out,
    stderr: () => err,
  };
}

/** The audit log turns into a directory once the node is cordoned (root ignores file modes; EISDIR it cannot). */
function breakAuditOnCordon(audit: string) {
  return (text: string) => {
    if (!text.endsWith(' cordoned\n')) return;
    rmSync(audit);
    mkdirSync(audit);
  };
}

const nodes = () => (t.sim.store.list('nodes') as Node[]).map((n) => n.metadata.name as string).sort();
const podsOn = (node: string) => (t.sim.store.list('pods') as Pod[]).filter((p) => p.spec?.nodeName === node);

describe('an audit log that becomes unwritable during an action', () => {
  it('a drain that succeeds prints its lines, then says at once that its end is not recorded; exit 0', async () => {
    // A node none of whose pods a PodDisruptionBudget holds.
    const node = nodes().find((n) => podsOn(n).every((p) => !['api', 'frontend'].includes(p.metadata.labels?.app ?? '')));
    expect(node).toBeDefined();
    const audit = join(dir, 'ok', 'audit.log');
    process.env.DAYTWO_AUDIT_LOG = audit;
    const out = io(breakAuditOnCordon(audit));
    const code = await runDrainCommand([node as string, '--ignore-daemonsets', '--force', '--delete-emptydir-data', '--kubeconfig', config], out);
    expect(out.stdout().trim().split('\n').at(-1)).toBe(`node/${node} drained`);
    expect(out.stderr()).toContain(
      `error: audit log ${audit} not writable: EISDIR: illegal operation on a directory, open '${audit}'; the end of drain node/${node} (succeeded) is not recorded\n`,
    );
    expect(code).toBe(0);
  }, 60_000);

  it('a drain that fails prints why, and says its end is not recorded; exit 1', async () => {
    // The payments API PDB (minAvailable 2 of 2) refuses the eviction until the timeout.
    const api = (t.sim.store.list('pods') as Pod[]).find((p) => p.metadata.labels?.app === 'api' && p.metadata.namespace === 'payments');
    const node = api?.spec?.nodeName as string;
    const audit = join(dir, 'failed', 'audit.log');
    process.env.DAYTWO_AUDIT_LOG = audit;
    const out = io(breakAuditOnCordon(audit));
    const code = await runDrainCommand([node, '--ignore-daemonsets', '--force', '--delete-emptydir-data', '--timeout', '2s', '--kubeconfig', config], out);
    expect(code).toBe(1);
    expect(out.stderr()).toContain(`error: unable to drain node "${node}" due to error:`);
    expect(out.stderr()).toMatch(new RegExp(`error: audit log ${audit} not writable: EISDIR: [^\\n]*; the end of drain node/${node} \\(failed\\) is not recorded\\n`));
  }, 60_000);

  it('an audit log that cannot be created stops the action before it starts, naming the file', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const audit = join(blocker, 'audit.log');
    process.env.DAYTWO_AUDIT_LOG = audit;
    const node = nodes()[0];
    const before = (t.sim.store.get('nodes', '', node) as Node).spec?.unschedulable;
    const out = io();
    const code = await runCordonCommand(true, [node, '--kubeconfig', config], out);
    expect(code).toBe(1);
    expect(out.stderr()).toBe(`error: unable to cordon node "${node}": cordon not started: audit log ${audit} not writable: ENOTDIR: not a directory, mkdir '${blocker}'\n`);
    expect((t.sim.store.get('nodes', '', node) as Node).spec?.unschedulable).toBe(before);
    expect(readFileSync(blocker, 'utf8')).toBe('');
  });
});
