/**
 * k9s's action keys on a row, against the simulated cluster: `s` scales, `r` restarts and
 * Ctrl-D deletes the workload under the cursor, each after a dialog; they vanish under
 * --readonly and say why when RBAC denies them.
 */
import { readFileSync, } from 'node:fs';
import path from 'node:path';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { RESTARTED_AT } from '../../src/domain/object-actions.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { findKubectl } from '../../src/kube/kubectl.js';
import { openSession } from '../../src/kube/session.js';
import { App } from '../../src/views/App.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { frameShows, KEYS, type Rendered, renderElement, tick } from '../helpers/render.js';

const CTRL_D = '\u0004';

const consoles = liveConsoleHooks('daytwo-action-keys-', () => startTestSim({ scenario: 'demo', speed: 20 }));
async function openWorkloads(user: 'admin' | 'viewer', readonly = false): Promise<{ app: Rendered; audit: AuditLog }> {
  return consoles.open({ initialView: 'workloads', user, readonly, columns: 180, rows: 36 });
}

async function select(r: Rendered, name: string): Promise<void> {
  await r.press('/');
  await r.type(name);
  await r.press(KEYS.enter);
  await frameShows(r, new RegExp(`>.*deploy\\s+${name}\\b`));
}

describe('action keys on a workload row', () => {
  it('s scales after asking how many replicas (- and + change it)', async () => {
    const { app: r, audit } = await openWorkloads('admin');
    await select(r, 'recommendations');
    await frameShows(r, 's scale');
    const before = (consoles.sim.sim.store.get('apps/deployments', 'shop', 'recommendations') as Deployment | undefined)?.spec?.replicas as number;
    await r.press('s');
    await frameShows(r, 'Scale deployment.apps/recommendations in shop?');
    expect(r.frame()).toContain(`<${before}> -/+ replicas`);
    await r.press('+', '+', '-');
    expect(r.frame()).toContain(`<${before + 1}> -/+ replicas`);
    await r.press('y');
    await frameShows(r, 'deployment.apps/recommendations scaled');
    expect((consoles.sim.sim.store.get('apps/deployments', 'shop', 'recommendations') as Deployment | undefined)?.spec?.replicas).toBe(before + 1);
    await frameShows(r, new RegExp(`deploy\\s+recommendations\\s+\\d+/${before + 1}`));
    expect(readFileSync(audit.path, 'utf8')).toContain('"action":"scale"');
  });

  it('r restarts the rollout after a confirmation', async () => {
    const { app: r } = await openWorkloads('admin');
    await select(r, 'cart');
    await frameShows(r, 'r restart');
    await r.press('r');
    await frameShows(r, 'Restart deployment.apps/cart in shop?');
    await r.press('y');
    await frameShows(r, 'deployment.apps/cart restarted');
    expect((consoles.sim.sim.store.get('apps/deployments', 'shop', 'cart') as Deployment | undefined)?.spec?.template?.metadata?.annotations?.[RESTARTED_AT]).toBeDefined();
    // The rollout shows in the row: a new revision.
    await frameShows(r, /deploy\s+cart\s+\S+\s+\d+\s+\d+\s+2\s/, 20_000);
  });

  it('Ctrl-D deletes after choosing the cascade; Enter on the focused Cancel does nothing', async () => {
    const { app: r } = await openWorkloads('admin');
    await select(r, 'ops-toolbox');
    await frameShows(r, 'Ctrl-D delete');
    await r.press(CTRL_D);
    await frameShows(r, 'Delete deployment.apps/ops-toolbox in default?');
    expect(r.frame()).toContain('<object default> 1 grace period');
    expect(r.frame()).toContain('<background> 2 cascade');
    await r.press(KEYS.enter);
    expect(consoles.sim.sim.store.get('apps/deployments', 'default', 'ops-toolbox')).toBeDefined();
    await r.press(CTRL_D);
    await frameShows(r, 'Delete deployment.apps/ops-toolbox in default?');
    await r.press('2', '2');
    expect(r.frame()).toContain('<orphan> 2 cascade');
    await r.press('y');
    await frameShows(r, 'deployment.apps "ops-toolbox" deleted from default namespace');
    expect(consoles.sim.sim.store.get('apps/deployments', 'default', 'ops-toolbox')).toBeUndefined();
    // Orphaned: its ReplicaSet stays.
    expect(consoles.sim.sim.store.list('apps/replicasets', { namespace: 'default' }).some((rs) => rs.metadata.name?.startsWith('ops-toolbox-'))).toBe(true);
  });

  it('hides s, r and Ctrl-D under --readonly and refuses them with the reason', async () => {
    const { app: r } = await openWorkloads('admin', true);
    await select(r, 'frontend');
    await tick(300);
    for (const hint of ['s scale', 'r restart', 'Ctrl-D delete']) expect(r.frame()).not.toContain(hint);
    expect(r.frame()).toContain('y yaml');
    await r.press('s');
    expect(r.frame()).not.toContain('Scale deployment.apps/frontend');
    expect(r.store.getState().messages.at(-1)?.text).toMatch(/refused, daytwo is read-only/);
  });

  it('s on a pod asks which container, then would hand the terminal to kubectl; without a terminal it says why', async () => {
    const session = await openSession({ kubeConfigObject: consoles.sim.kubeConfigFor('admin') });
    consoles.closeAfterTest({ session });
    session.start();
    await session.waitForSync(undefined, 20_000);
    let app: Rendered | undefined;
    const handedOver: string[] = [];
    const terminal = {
      handOver<T>(run: () => T): T {
        handedOver.push('kubectl');
        return run();
      },
    };
    const env = { kc: session.kc, store: session.store, audit: new AuditLog(path.join(consoles.dir, 'shell.log')) };
    const open = async (withTerminal: boolean) => {
      const actions = createClusterActions(withTerminal ? { ...env, terminal } : env);
      app?.unmount();
      app = await renderElement(<App store={session.store} initialView="qos" callbacks={{ actions }} />, session.store, { columns: 180, rows: 36 });
      consoles.closeAfterTest({ app });
      await app.press('/');
      await app.type('coredns');
      await app.press(KEYS.enter);
      await frameShows(app, />\s+kube-system\s+coredns-/);
      return app;
    };
    const r = await open(false);
    await r.press('s');
    expect(r.store.getState().messages.at(-1)?.text).toMatch(/a shell needs (the console|kubectl on the PATH)/);
    expect(r.frame()).not.toContain('Shell in pod/');
    if (!findKubectl()) {
      console.log('object-action-keys: kubectl is not on the PATH: the shell dialog is not checked');
      return;
    }
    const r2 = await open(true);
    await frameShows(r2, 's shell');
    await r2.press('s');
    await frameShows(r2, /Shell in pod\/coredns-\S+ in kube-system\?/);
    await r2.press('n');
    expect(handedOver).toEqual([]);
  });

  it('tells a viewer that RBAC denies them', async () => {
    const { app: r } = await openWorkloads('viewer');
    await select(r, 'frontend');
    await frameShows(r, 'y yaml');
    await tick(500);
    expect(r.frame()).not.toContain('s scale');
    await r.press('s');
    await frameShows(r, /scale not allowed for frontend: /);
    await r.press(CTRL_D);
    await frameShows(r, /delete not allowed for frontend: /);
    expect(r.frame()).not.toContain('Delete deployment.apps/frontend');
  });
});
