
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { alive, createFakeKubectl, type FakeKubectl } from '../helpers/fake-kubectl.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { frameShows, KEYS, type Rendered, tick } from '../helpers/render.js';

const CTRL_D = '\u0004';

let fake: FakeKubectl;
const savedPath = process.env.PATH;

const consoles = liveConsoleHooks('daytwo-pf-view-', () => startTestSim({ scenario: 'demo', speed: 20 }));
beforeAll(() => {
  fake = createFakeKubectl();
  process.env.FAKE_KUBECTL_DIR = fake.dir;
  delete process.env.FAKE_KUBECTL_MODE;
  // Before the console's actions are made: they find kubectl on PATH once.
  process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_KUBECTL_DIR;
  fake?.remove();
});

async function openFrontend(user: 'admin' | 'viewer', readonly = false): Promise<Rendered> {
  const live = await consoles.open({ initialView: 'workloads', user, readonly, columns: 180, rows: 36 });
  const r = live.app;
  await r.press('/');
  await r.type('frontend');
  await r.press(KEYS.enter);
  await frameShows(r, />.*deploy\s+frontend\b/);
  return r;
}

describe('port-forward keys', () => {
  it('Shift-F asks for the port, forwards; :pf lists it; Ctrl-D there stops it and its kubectl', async () => {
    const r = await openFrontend('admin');
    await frameShows(r, 'F port-fwd');
    const before = fake.runs().length;
    await r.press('F');
    await frameShows(r, 'Port-forward deployment.apps/frontend in shop?');
    expect(r.frame()).toContain('<frontend::8080> 1 remote port');
    expect(r.frame()).toContain('<same as the remote port> 2 local port');
    await r.press('2', '2');
    expect(r.frame()).toContain('<8080> 2 local port');
    await r.press('2');
    expect(r.frame()).toContain('<8000> 2 local port');
    await r.press('y');
    await frameShows(r, 'deployment/frontend: Forwarding from 127.0.0.1:8000 -> 8080');
    const [run] = fake.runs().slice(before);
    expect(run.args.slice(0, 7)).toEqual(['port-forward', '-n', 'shop', 'deployment/frontend', '8000:8080', '--address', 'localhost']);

    await r.press(':');
    await r.type('pf');
    await r.press(KEYS.enter);
    await frameShows(r, /Port-forwards\(1\)/);
    await frameShows(r, /shop\s+deployment\/frontend\s+frontend\s+8000:8080\s+localhost\s+forwarding/);
    await r.press(CTRL_D);
    await frameShows(r, 'Stop port-forward deployment/frontend 8000:8080?');
    await r.press('y');
    await frameShows(r, 'port-forward 8000:8080 to deployment/frontend stopped');
    await frameShows(r, 'no port-forwards: Shift-F on a pod, service or workload starts one');
    expect(alive(run.pid)).toBe(false);
  });

  it('stays offered under --readonly, as in k9s; a user without create pods/portforward is told why', async () => {
    const ro = await openFrontend('admin', true);
    await frameShows(ro, 'F port-fwd');
    expect(ro.frame()).not.toContain('Ctrl-D delete');
    await consoles.close();

    const viewer = await openFrontend('viewer');
    await tick(300);
    expect(viewer.frame()).not.toContain('F port-fwd');
    await viewer.press('F');
    expect(viewer.frame()).not.toContain('Port-forward deployment.apps/frontend');
    expect(viewer.store.getState().messages.at(-1)?.text).toMatch(/port-forward not allowed for frontend/);
  });
});
