/** `daytwo rollback` and `daytwo report workloads` against the simulated cluster, in-process. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCli } from '../helpers/cli.js';

let t: TestSim;
let dir: string;
let kubeconfig: string;
let viewerConfig: string;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', speed: 20 });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-rollback-cli-'));
  kubeconfig = path.join(dir, 'admin.kubeconfig');
  viewerConfig = path.join(dir, 'viewer.kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
  writeFileSync(viewerConfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  vi.stubEnv('DAYTWO_AUDIT_LOG', path.join(dir, 'audit.log'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const daytwo = (...args: string[]) => runCli(args);
/** `onStdout` sees each write to stdout as it happens. */
const daytwoWatching = (onStdout: (chunk: string) => void, ...args: string[]) => runCli(args, onStdout);

const frontendImage = () => (t.sim.store.get('apps/deployments', 'shop', 'frontend') as Deployment | undefined)?.spec?.template?.spec?.containers?.[0]?.image;

describe('daytwo rollback', () => {
  it('--dry-run prints the template diff and kubectl\'s line, and changes nothing', async () => {
    const before = frontendImage();
    const r = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--dry-run', '--kubeconfig', kubeconfig);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('roll back deployment.apps/frontend to revision 2');
    expect(r.stdout).toContain('- spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.5.0\n+ spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.4.1\n');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('deployment.apps/frontend rolled back (server dry run)');
    expect(frontendImage()).toBe(before);
  });

  it('rolls back with kubectl\'s wording and writes the audit log', async () => {
    const r = await daytwo('rollback', 'deploy/frontend', '-n', 'shop', '--kubeconfig', kubeconfig);
    expect(r).toEqual({ code: 0, stdout: 'deployment.apps/frontend rolled back\n', stderr: '' });
    expect(frontendImage()).toBe('ghcr.io/acme/shop-frontend:1.4.1');
    const audit = readFileSync(path.join(dir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ action: 'rollback', target: 'deployment/shop/frontend', phase: 'end', result: 'succeeded' });
    // "The previous revision" (0) is recorded as the revision it was: 2.
    expect(audit.at(-1).options).toEqual({ toRevision: 0, restoredRevision: 2 });
  });

  it('skips a rollback to the revision the template already matches', async () => {
    // The rollback above made revision 2 the new revision 4.
    const r = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--to-revision', '4', '--kubeconfig', kubeconfig);
    expect(r).toEqual({ code: 0, stdout: 'deployment.apps/frontend skipped rollback (current template already matches revision 4)\n', stderr: '' });
  });

  it('answers errors in one line: unknown revision, missing workload, RBAC, bad arguments', async () => {
    expect(await daytwo('rollback', 'ds/node-exporter', '-n', 'monitoring', '--to-revision', '7', '--kubeconfig', kubeconfig)).toMatchObject({
      code: 1,
      stderr: 'error: unable to find specified revision 7 in history\n',
    });
    const missing = await daytwo('rollback', 'statefulset/nope', '-n', 'monitoring', '--kubeconfig', kubeconfig);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*statefulsets\.apps "nope" not found\n$/);
    const viewer = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--kubeconfig', viewerConfig);
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toMatch(/^error: rollback refused: not allowed to (get|list|patch) /);
    expect(await daytwo('rollback', 'job/x', '--kubeconfig', kubeconfig)).toMatchObject({ code: 2 });
    expect((await daytwo('rollback', 'frontend', '--kubeconfig', kubeconfig)).stderr).toBe(
      'daytwo: expected KIND/NAME (e.g. deployment/web), got "frontend"\n',
    );
    expect((await daytwo('rollback', 'deployment/frontend', '--to-revision', 'two', '--kubeconfig', kubeconfig)).stderr).toBe(
      'daytwo: --to-revision must be a non-negative integer, got "two"\n',
    );
  });
});

describe('daytwo rollback --dry-run', () => {
  it('prints the diff before the server answers, and keeps it when the server then refuses the patch', async () => {
    // The API server starts refusing Deployments as soon as the plan is printed: only the dry-run PATCH is refused.
    const r = await daytwoWatching(
      (chunk) => {
        if (chunk.startsWith('roll back deployment.apps/frontend')) t.sim.faults.forbid = ['deployments'];
      },
      'rollback',
      'deployment/frontend',
      '-n',
      'shop',
      '--dry-run',
      '--kubeconfig',
      kubeconfig,
    ).finally(() => {
      t.sim.faults.forbid = [];
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^roll back deployment\.apps\/frontend to revision \d+ \(ReplicaSet frontend-\w+\)\n- spec\.containers\[frontend\]\.image: /);
    expect(r.stdout).not.toContain('rolled back');
    expect(r.stderr).toMatch(/^error: failed restoring revision 0: .*deployments\.apps "frontend" is forbidden/);
  });

  it('is access-checked first: a viewer is told it may not roll back, and no plan is shown', async () => {
    const r = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--dry-run', '--kubeconfig', viewerConfig);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: rollback refused: not allowed to patch deployments\.apps in shop named frontend/),
    });
  });

  it('is allowed under --readonly, changes nothing and writes no audit line', async () => {
    const before = t.sim.store.get('apps/deployments', 'shop', 'frontend');
    const auditBefore = readFileSync(path.join(dir, 'audit.log'), 'utf8');
    const r = await daytwo('rollback', 'deployment/frontend', '-n', 'shop', '--dry-run', '--readonly', '--kubeconfig', kubeconfig);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('deployment.apps/frontend rolled back (server dry run)');
    expect(t.sim.store.get('apps/deployments', 'shop', 'frontend')?.metadata.generation).toBe(before?.metadata.generation);
    expect(readFileSync(path.join(dir, 'audit.log'), 'utf8')).toBe(auditBefore);
  });
});

describe('daytwo report workloads', () => {
  it('-o json lists every Deployment, StatefulSet and DaemonSet with revision, images, rolloutStatus and history', async () => {
    const r = await daytwo('report', 'workloads', '-o', 'json', '--kubeconfig', kubeconfig);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('workloads');
    const names = doc.items.map((i: { kind: string; namespace: string; name: string }) => `${i.kind}/${i.namespace}/${i.name}`);
    expect(names).toEqual(expect.arrayContaining(['Deployment/shop/frontend', 'StatefulSet/monitoring/prometheus', 'DaemonSet/monitoring/node-exporter']));
    expect(names).toHaveLength(
      t.sim.store.list('apps/deployments').length + t.sim.store.list('apps/statefulsets').length + t.sim.store.list('apps/daemonsets').length,
    );
    const frontend = doc.items.find((i: { name: string }) => i.name === 'frontend');
    expect(frontend).toMatchObject({ namespace: 'shop', images: ['ghcr.io/acme/shop-frontend:1.4.1'] });
    expect(frontend.revision).toBe(Math.max(...frontend.history.map((h: { revision: number }) => h.revision)));
    expect(frontend.rolloutStatus.state).toMatch(/^(complete|progressing)$/);
    expect(frontend.history.map((h: { revision: number }) => h.revision)).toEqual([1, 3, 4]);
    expect(frontend.history[0]).toMatchObject({
      changeCause: 'kubectl apply --filename=shop/frontend.yaml --record=true',
      images: ['ghcr.io/acme/shop-frontend:1.4.0'],
      current: false,
    });
    expect(frontend.history[2]).toMatchObject({ current: true, replicas: expect.any(Number), readyReplicas: expect.any(Number) });
    const prometheus = doc.items.find((i: { name: string }) => i.name === 'prometheus');
    expect(prometheus).toMatchObject({ kind: 'StatefulSet', revision: 1, rolloutStatus: { state: 'complete' } });
  });

  it('prints a table by default', async () => {
    const r = await daytwo('report', 'wl', '--kubeconfig', kubeconfig, '-n', 'monitoring');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+KIND\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+REV\s+ROLLOUT\s+IMAGES\s+AGE/);
    expect(r.stdout).toMatch(/monitoring\s+sts\s+prometheus\s+2\/2/);
    expect(r.stdout).not.toContain('frontend');
  });
});
