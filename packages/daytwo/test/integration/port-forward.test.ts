/**
 * Port-forwards as `kubectl port-forward` child processes. The simulated cluster serves no
 * port-forward stream, so the process management is tested against a fake `kubectl` first
 * on PATH (test/helpers/fake-kubectl.ts), which prints what kubectl prints; the guard (RBAC
 * through the sim's SelfSubjectAccessReview) and the audit log are real. One test runs the
 * real kubectl, where installed, to see its refusal reach the console.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimUser } from '../../../sim/src/auth.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { ObjectRef } from '../../src/domain/object-ref.js';
import { DEFAULT_FORWARD_ADDRESS } from '../../src/domain/port-forward.js';
import { ActionRefused } from '../../src/kube/actions/guard.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { createPortForwards } from '../../src/kube/actions/port-forward.js';
import { AuditLog } from '../../src/kube/audit.js';
import { KubeHttp } from '../../src/kube/http.js';
import { findKubectl } from '../../src/kube/kubectl.js';
import { createAppStore } from '../../src/store/app-store.js';
import { alive, createFakeKubectl, type FakeKubectl } from '../helpers/fake-kubectl.js';

const realKubectl = findKubectl();
if (!realKubectl) console.log('port-forward.test: kubectl is not on the PATH: the test that runs the real kubectl is skipped');

let t: TestSim;
let fake: FakeKubectl;
let dir: string;
let pod: ObjectRef;
const savedPath = process.env.PATH;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo' });
  fake = createFakeKubectl();
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-pf-'));
  process.env.FAKE_KUBECTL_DIR = fake.dir;
  const http = new KubeHttp(t.kc);
  const list = await http.requestJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces/shop/pods');
  http.close();
  pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: list.items[0].metadata.name };
});
afterAll(async () => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_KUBECTL_DIR;
  delete process.env.FAKE_KUBECTL_MODE;
  await t?.stop();
  fake?.remove();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(user: SimUser = 'admin', readonly = false) {
  const audit = new AuditLog(path.join(dir, `${user}-${Math.random().toString(36).slice(2)}.log`));
  const env = { kc: t.kubeConfigFor(user), store: createAppStore({ context: 'daytwo-sim', user, readonly }), audit };
  const lines = () =>
    existsSync(audit.path)
      ? readFileSync(audit.path, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { action: string; phase: string; result?: string; options?: Record<string, unknown>; message?: string })
      : [];
  return { env, lines };
}

const request = (localPort: number | undefined, remotePort = 80, ref: ObjectRef = pod) => ({ ref, localPort, remotePort, address: DEFAULT_FORWARD_ADDRESS });
const newRuns = (before: number) => fake.runs().slice(before);

describe('port-forwards through kubectl port-forward (a fake kubectl on PATH)', () => {
  it("passes the session's kubeconfig, context and namespace, lists it with kubectl's addresses, stops it and audits both", async () => {
    delete process.env.FAKE_KUBECTL_MODE;
    const { env, lines } = envFor();
    const forwards = createPortForwards(env, fake.kubectl);
    const before = fake.runs().length;
    expect(await forwards.start(request(8080))).toBe('Forwarding from 127.0.0.1:8080 -> 80');
    const [run] = newRuns(before);
    const kubeconfig = run.args[run.args.indexOf('--kubeconfig') + 1];
    expect(run.args).toEqual(['port-forward', '-n', 'shop', `pod/${pod.name}`, '8080:80', '--address', 'localhost', '--kubeconfig', kubeconfig, '--context', env.kc.getCurrentContext()]);
    expect(readFileSync(kubeconfig, 'utf8')).toContain(env.kc.getCurrentCluster()?.server);

    await vi.waitFor(() => expect([...forwards.store.getState().entries.values()][0]?.listening).toHaveLength(2));
    const [entry] = [...forwards.store.getState().entries.values()];
    expect(entry).toMatchObject({ state: 'forwarding', localPort: 8080, remotePort: 80, listening: ['127.0.0.1:8080', '[::1]:8080'] });
    expect(entry.lastError).toBeUndefined();
    await expect(forwards.start(request(8080))).rejects.toThrow(`port-forward 8080:80 to pod/${pod.name} is already active`);

    expect(await forwards.stop(entry.id)).toBe(`port-forward 8080:80 to pod/${pod.name} stopped`);
    expect(forwards.store.getState().entries.size).toBe(0);
    expect(alive(run.pid)).toBe(false);
    expect(existsSync(kubeconfig)).toBe(false);
    expect(lines().map((l) => [l.action, l.phase, l.result, l.options?.ports])).toEqual([
      ['port-forward', 'start', undefined, '8080:80'],
      ['port-forward', 'end', 'succeeded', '8080:80'],
      ['port-forward-stop', 'start', undefined, '8080:80'],
      ['port-forward-stop', 'end', 'succeeded', '8080:80'],
    ]);
  });

  it('lets kubectl pick the local port (`:REMOTE`) and lists the one it chose; a service by its name', async () => {
    delete process.env.FAKE_KUBECTL_MODE;
    const { env } = envFor();
    const forwards = createPortForwards(env, fake.kubectl);
    const before = fake.runs().length;
    const svc = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' };
    expect(await forwards.start(request(undefined, 443, svc))).toBe('Forwarding from 127.0.0.1:41234 -> 443');
    expect(newRuns(before)[0].args.slice(0, 5)).toEqual(['port-forward', '-n', 'shop', 'service/web', ':443']);
    expect([...forwards.store.getState().entries.values()][0]).toMatchObject({ localPort: 41234, remotePort: 443 });
    await forwards.stopAll();
    expect(alive(newRuns(before)[0].pid)).toBe(false);
  });

  it("fails with kubectl's error line when it exits before listening, and is not listed", async () => {
    process.env.FAKE_KUBECTL_MODE = 'fail';
    const { env, lines } = envFor();
    const forwards = createPortForwards(env, fake.kubectl);
    await expect(forwards.start(request(8081))).rejects.toThrow('error: unable to forward port because pod is not running. Current status=Pending');
    expect(forwards.store.getState().entries.size).toBe(0);
    expect(lines().map((l) => [l.phase, l.result])).toEqual([
      ['start', undefined],
      ['end', 'failed'],
    ]);
  });

  it('stays listed as ended, with the last error line, when kubectl loses the connection later', async () => {
    process.env.FAKE_KUBECTL_MODE = 'die';
    const { env } = envFor();
    const forwards = createPortForwards(env, fake.kubectl);
    await forwards.start(request(8082));
    await vi.waitFor(() => expect([...forwards.store.getState().entries.values()][0]?.state).toBe('ended'));
    const [entry] = [...forwards.store.getState().entries.values()];
    expect(entry.lastError).toMatch(/portforward.go:413\] an error occurred forwarding 8082 -> 80: lost connection to pod$/);
    await forwards.stop(entry.id);
    expect(forwards.store.getState().entries.size).toBe(0);
  });

  it('is refused to a user without create pods/portforward before kubectl runs; allowed under --readonly, as k9s allows it', async () => {
    delete process.env.FAKE_KUBECTL_MODE;
    const before = fake.runs().length;
    const viewer = envFor('viewer');
    const refused = createPortForwards(viewer.env, fake.kubectl).start(request(8083));
    await expect(refused).rejects.toThrow(ActionRefused);
    await expect(refused).rejects.toThrow(`port-forward refused: not allowed to create pods/portforward in shop named ${pod.name}`);
    expect(newRuns(before)).toHaveLength(0);
    expect(viewer.lines().map((l) => [l.action, l.phase])).toEqual([['port-forward', 'refused']]);

    const readonly = envFor('admin', true);
    const forwards = createPortForwards(readonly.env, fake.kubectl);
    await forwards.start(request(8083));
    expect(newRuns(before)).toHaveLength(1);
    await forwards.stopAll();
  });

  it('stops every kubectl when the console quits (cancelRunning)', async () => {
    delete process.env.FAKE_KUBECTL_MODE;
    process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
    const { env } = envFor();
    const actions = createClusterActions(env);
    const forwards = actions.portForwards;
    if (!forwards) throw new Error('no port-forwards');
    const before = fake.runs().length;
    await forwards.start(request(8084));
    await forwards.start(request(8085, 443));
    const runs = newRuns(before);
    expect(runs.map((r) => alive(r.pid))).toEqual([true, true]);
    await actions.cancelRunning?.();
    expect(runs.map((r) => alive(r.pid))).toEqual([false, false]);
    expect(forwards.store.getState().entries.size).toBe(0);
    process.env.PATH = savedPath;
  });

  it('says kubectl is missing in one line where it is not on PATH', async () => {
    const { env } = envFor();
    const forwards = createPortForwards(env, undefined);
    expect(forwards.unavailable).toBe('a port-forward needs kubectl on the PATH, and there is none');
    await expect(forwards.start(request(8086))).rejects.toThrow('a port-forward needs kubectl on the PATH, and there is none');
  });
});

describe.skipIf(!realKubectl)('the real kubectl against the simulated cluster', () => {
  it("fails with kubectl's own error line (the sim serves no port-forward stream) and leaves nothing running", async () => {
    const { env } = envFor();
    const forwards = createPortForwards(env, realKubectl);
    const failure = await forwards.start(request(18087)).then(
      () => undefined,
      (err: Error) => err.message,
    );
    // kubectl 1.3x here: `error: error upgrading connection: the server could not find the requested resource`.
    expect(failure).toMatch(/^error: /);
    expect(forwards.store.getState().entries.size).toBe(0);
  });
});
