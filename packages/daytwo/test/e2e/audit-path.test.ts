/**
 * Issue 13 case 5: an audit log path whose directory cannot be made (under /proc) fails at
 * once with one line; Node's recursive mkdirSync looped there at full CPU forever. The built
 * CLI runs in a child process, so a hang is a killed child, not a stuck test worker.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Node } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

const run = promisify(execFile);
let t: TestSim;
let config: string;

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
  config = join(mkdtempSync(join(tmpdir(), 'daytwo-audit-path-')), 'admin.kubeconfig');
  writeFileSync(config, t.sim.kubeconfig('admin'), { mode: 0o600 });
});
afterAll(async () => {
  await t.stop();
});

describe.skipIf(process.platform !== 'linux')('an audit log under /proc', () => {
  it('cordon fails at once naming the audit log, and leaves the node as it was', async () => {
    const node = (t.sim.store.list('nodes') as Node[]).find((n) => !n.spec?.unschedulable)?.metadata.name as string;
    const result = await run('node', ['bin/daytwo.js', 'cordon', node, '--kubeconfig', config], {
      env: { ...process.env, DAYTWO_AUDIT_LOG: '/proc/x/audit.log' },
      timeout: 30_000,
    }).then(
      () => ({ code: 0, stderr: '', killed: false }),
      (err: { code?: number; stderr?: string; killed?: boolean }) => ({ code: err.code, stderr: err.stderr ?? '', killed: err.killed }),
    );
    expect(result).toEqual({
      code: 1,
      killed: false,
      stderr: `error: unable to cordon node "${node}": cordon not started: audit log /proc/x/audit.log not writable: ENOENT: no such file or directory, mkdir '/proc/x'\n`,
    });
    expect((t.sim.store.get('nodes', '', node) as Node).spec?.unschedulable).toBeFalsy();
  }, 60_000);
});
