import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { startTestSim } from '../helpers/sim.js';

it('scratch', async () => {
  const t = await startTestSim({ scenario: (process.env.SCEN as any) ?? 'demo' });
  writeFileSync('/tmp/dtsim/kc', t.sim.kubeconfig('admin'));
  writeFileSync('/tmp/dtsim/kcv', t.sim.kubeconfig('viewer'));
  const cmds = (process.env.KCMDS ?? 'get ns').split(';');
  for (const c of cmds) {
    try {
      const { stdout: out } = await run('kubectl', ['--kubeconfig', c.includes('VIEWER') ? '/tmp/dtsim/kcv' : '/tmp/dtsim/kc', ...c.replace('VIEWER', '').trim().split(/\s+/)], { encoding: 'utf8', timeout: 20000 });
      console.log(`$ kubectl ${c}\n${out}`);
    } catch (e: any) {
      console.log(`$ kubectl ${c} FAILED\n${e.stdout}\n${e.stderr}`);
    }
  }
  await t.stop();
}, 120000);
