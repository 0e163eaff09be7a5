/**
 * k9s's port-forward keys on a console over the simulated cluster: Shift-F on a workload
 * asks which port (the pod template's TCP ports) and which local port, `:pf` lists the
 * forward, Ctrl-D there stops it. The sim serves no port-forward stream, so `kubectl` is a
 * fake first on PATH that prints what kubectl prints (test/helpers/fake-kubectl.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { KubeSession } from '../../src/kube/session.js';
import { alive, createFakeKubectl, type FakeKubectl } from '../helpers/fake-kubectl.js';
import { openLiveConsole } from '../helpers/live-console.js';
import { frameShows, KEYS, type Rendered, tick } from '../helpers/render.js';

const CTRL_D = '\u0004';

let t: TestSim;
let dir: string;
let fake: FakeKubectl;
let app: Rendered | undefined;
let session: KubeSession | undefined;
const savedPath = process.env.PATH;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', speed: 20 });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-pf-view-'));
  fake = createFakeKubectl();
  process.env.FAKE_KUBECTL_DIR = fake.dir;
  delete process.env.FAKE_KUBECTL_MODE;
  // Before the console's actions are made: they find kubectl on PATH once.
  process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
});
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await session?.stop();
  session = undefined;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_KUBECTL_DIR;
  await t?.stop();
  fake?.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function openFrontend(user: 'admin' | 'viewer', readonly = false): Promise<Rendered> {
  const live = await openLiveConsole(t, { dir, initialView: 'workloads', user, readonly, columns: 180, rows: 36 });
  ({ app, session } = live);
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
    ro.unmount();
    await session?.stop();

    const viewer = await openFrontend('viewer');
    await tick(300);
    expect(viewer.frame()).not.toContain('F port-fwd');
    await viewer.press('F');
    expect(viewer.frame()).not.toContain('Port-forward deployment.apps/frontend');
    expect(viewer.store.getState().messages.at(-1)?.text).toMatch(/port-forward not allowed for frontend/);
  });
});
