/**
 * The rollback flow from the keyboard against the simulated cluster: real watches feed the
 * store, the real actions check RBAC, patch and audit, and the progress pane follows the
 * store until the rollout completes.
 */
import { existsSync, readFileSync, } from 'node:fs';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import type { AuditLog } from '../../src/kube/audit.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { KEYS, type Rendered, tick, waitForFrame } from '../helpers/render.js';

/** Ctrl-L: k9s's rollback key (r restarts in the Workloads view, as in k9s). */
const CTRL_L = '\u000c';

const consoles = liveConsoleHooks('daytwo-rollback-view-', () => startTestSim({ scenario: 'demo', speed: 20 }));
async function openConsole(user: 'admin' | 'viewer', readonly = false): Promise<{ app: Rendered; audit: AuditLog }> {
  return consoles.open({ initialView: 'workloads', user, readonly, columns: 160, rows: 36 });
}

async function selectWorkload(r: Rendered, name: string): Promise<void> {
  await r.press('/');
  await r.type(name);
  await r.press(KEYS.enter);
  await waitForFrame(r, (f) => expect(f).toMatch(new RegExp(`(deploy|ds|sts)\\s+${name}\\b`)));
}

const selectFrontend = (r: Rendered) => selectWorkload(r, 'frontend');

/** The line of the progress pane that names the rollout's state and elapsed time. */
const rolloutLine = (r: Rendered) => r.frame().split('\n').find((l) => l.includes('Rollout of '));

describe('rollback from the Workloads view', () => {
  it('Ctrl-L preselects the previous revision, shows the diff, confirms, rolls back and follows the rollout', async () => {
    const { app: r, audit } = await openConsole('admin');
    await selectFrontend(r);
    // The key is offered once SelfSubjectAccessReview has answered.
    await waitForFrame(r, (f) => expect(f).toContain('Ctrl-L rollback'));
    await r.press(CTRL_L);
    await waitForFrame(r, (f) => expect(f).toContain('Roll back deployment.apps/frontend in shop'));
    expect(r.cursorLine()).toMatch(/\s2\s+kubectl set image deployment\/frontend frontend=ghcr\.io\/acme\/shop-frontend:1\.4\.1/);
    expect(r.frame()).toContain('Pod template: current → revision 2');
    expect(r.frame()).toContain('- spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.5.0');
    expect(r.frame()).toContain('+ spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.4.1');
    // Any revision can be chosen: move to revision 1 and back to 2.
    await r.press('j');
    expect(r.frame()).toContain('Pod template: current → revision 1');
    await r.press('k');
    await r.press('r');
    await waitForFrame(r, (f) => expect(f).toContain('Roll back deployment.apps/frontend to revision 2?'));
    expect(r.frame()).toContain('+ spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.4.1');
    await r.press('y');
    await waitForFrame(r, (f) => expect(f).toContain('deployment.apps/frontend rolled back'));
    await waitForFrame(r, (f) => expect(f).toMatch(/Rollout of deployment\.apps\/frontend to revision 2: complete/), 30_000);
    expect(r.frame()).toMatch(/updated\s+\d+\/\d+/);
    expect((consoles.sim.sim.store.get('apps/deployments', 'shop', 'frontend') as Deployment | undefined)?.spec?.template?.spec?.containers?.[0]?.image).toBe('ghcr.io/acme/shop-frontend:1.4.1');
    const lines = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.phase, l.result])).toEqual([
      ['rollback', 'start', undefined],
      ['rollback', 'end', 'succeeded'],
    ]);
    // The new revision shows in the history: 2 became 4.
    await waitForFrame(r, (f) => expect(f).toMatch(/4 \(current\)\s+kubectl set image deployment\/frontend frontend=ghcr\.io\/acme\/shop-frontend:1\.4\.1/));
  });

  it('cancelling the dialog changes nothing', async () => {
    const { app: r } = await openConsole('admin');
    await selectFrontend(r);
    await waitForFrame(r, (f) => expect(f).toContain('Ctrl-L rollback'));
    const before = consoles.sim.sim.store.get('apps/deployments', 'shop', 'frontend')?.metadata.generation;
    await r.press(CTRL_L);
    await waitForFrame(r, (f) => expect(f).toContain('Roll back deployment.apps/frontend in shop'));
    await r.press('r');
    await waitForFrame(r, (f) => expect(f).toMatch(/Roll back deployment\.apps\/frontend to revision \d+\?/));
    await r.press('n');
    await tick(200);
    expect(consoles.sim.sim.store.get('apps/deployments', 'shop', 'frontend')?.metadata.generation).toBe(before);
  });

  it('does not offer Ctrl-L to a viewer (RBAC) and says why in the history', async () => {
    const { app: r } = await openConsole('viewer');
    await selectFrontend(r);
    await waitForFrame(r, (f) => expect(f).toMatch(/Ctrl-L: rollback not allowed for frontend: /));
    expect(r.frame()).not.toContain('Ctrl-L rollback');
    await r.press(CTRL_L);
    expect(r.frame()).not.toContain('Roll back deployment.apps/frontend');
    await r.press(KEYS.enter);
    await waitForFrame(r, (f) => expect(f).toContain('History of deployment.apps/frontend in shop'));
    await waitForFrame(r, (f) => expect(f).toMatch(/rollback not allowed: /));
    expect(r.frame()).not.toContain('roll back');
  });

  it('does not offer Ctrl-L under --readonly', async () => {
    const { app: r } = await openConsole('admin', true);
    await selectFrontend(r);
    await tick(300);
    expect(r.frame()).not.toContain('Ctrl-L rollback');
    expect(r.frame()).toContain('Enter history');
  });

  it('r on the current revision sends nothing and says what kubectl says', async () => {
    const { app: r, audit } = await openConsole('admin');
    await selectFrontend(r);
    await r.press(KEYS.enter);
    await waitForFrame(r, (f) => expect(f).toContain('History of deployment.apps/frontend in shop'));
    await waitForFrame(r, (f) => expect(f).toContain('roll back'));
    const current = /(\d+) \(current\)/.exec(r.cursorLine() ?? '')?.[1];
    expect(current).toBeDefined();
    const generation = consoles.sim.sim.store.get('apps/deployments', 'shop', 'frontend')?.metadata.generation;
    await r.press('r');
    await waitForFrame(r, (f) => expect(f).toContain(`deployment.apps/frontend skipped rollback (current template already matches revision ${current})`));
    expect(r.frame()).not.toContain('Roll back deployment.apps/frontend to revision');
    expect(consoles.sim.sim.store.get('apps/deployments', 'shop', 'frontend')?.metadata.generation).toBe(generation);
    expect(existsSync(audit.path)).toBe(false);
  });

  it('r on a workload with a single revision says kubectl\'s refusal at once, and Enter on it that it is current', async () => {
    const { app: r } = await openConsole('admin');
    await selectWorkload(r, 'cart');
    await waitForFrame(r, (f) => expect(f).toContain('Ctrl-L rollback'));
    await r.press(CTRL_L);
    await waitForFrame(r, (f) => expect(f).toContain('Roll back deployment.apps/cart in shop'));
    await waitForFrame(r, (f) => expect(f).toContain('no rollout history found for deployment "cart"'));
    await waitForFrame(r, (f) => expect(f).toContain('roll back'));
    await r.press(KEYS.enter);
    await waitForFrame(r, (f) => expect(f).toContain('deployment.apps/cart skipped rollback (current template already matches revision 1)'));
  });

  it('stops the rollout\'s clock when it completes', async () => {
    const { app: r } = await openConsole('admin');
    await selectFrontend(r);
    await waitForFrame(r, (f) => expect(f).toContain('Ctrl-L rollback'));
    await r.press(CTRL_L);
    await waitForFrame(r, (f) => expect(f).toContain('Roll back deployment.apps/frontend in shop'));
    await r.press('r');
    await waitForFrame(r, (f) => expect(f).toMatch(/Roll back deployment\.apps\/frontend to revision \d+\?/));
    await r.press('y');
    await waitForFrame(r, (f) => expect(f).toMatch(/Rollout of deployment\.apps\/frontend to revision \d+: complete \(\d+s\)/), 30_000);
    const done = rolloutLine(r);
    // The progress pane redraws every second; two more redraws must show the same time.
    await tick(2_200);
    expect(rolloutLine(r)).toBe(done);
  });
});

