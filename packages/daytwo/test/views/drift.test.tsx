/**
 * The Drift view over a real comparison: a simulated cluster in drift from a temporary Git
 * repository (test/helpers/drift-repo.ts), the real drift engine and the real, guarded sync.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { createDriftEngine } from '../../src/kube/drift/load.js';
import { createDriftActions } from '../../src/kube/drift/sync.js';
import { openSession } from '../../src/kube/session.js';
import { App } from '../../src/views/App.js';
import { createDriftRepo, type DriftRepo } from '../helpers/drift-repo.js';
import { KEYS, renderApp, renderElement } from '../helpers/render.js';

let t: TestSim;
let repo: DriftRepo;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
  repo = await createDriftRepo(t);
});
afterAll(async () => {
  await t.stop();
  repo.remove();
});

async function openDrift(user: 'admin' | 'viewer' = 'admin', readonly = false) {
  const session = await openSession({ kubeConfigObject: t.kubeConfigFor(user), readonly });
  const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
  const engine = createDriftEngine(session.kc, { location: repo.dir, namespace: 'shop' });
  await engine.run();
  const env = { kc: session.kc, store: session.store, audit };
  const actions = { ...createClusterActions(env), ...createDriftActions(env, engine) };
  const rendered = await renderElement(<App store={session.store} initialView="drift" callbacks={{ actions, drift: engine }} />, session.store, {
    columns: 120,
    rows: 30,
  });
  const close = async () => {
    rendered.unmount();
    engine.stop();
    await session.stop();
  };
  return { rendered, audit, engine, close };
}

describe('Drift view', () => {
  it('shows the commit, the counts per status and every object', async () => {
    const { rendered, close } = await openDrift();
    const frame = rendered.frame();
    expect(frame).toContain(`@ ${repo.firstCommit.slice(0, 7)} "Deploy web 1.25"`);
    expect(frame).toMatch(/Synced 2\s+OutOfSync 1\s+Missing 1\s+Extra 1/);
    expect(frame).toContain('apps/broken.yaml:5');
    for (const name of ['web', 'not-yet-applied', 'stray', 'settings', 'creds']) expect(frame).toContain(name);
    // Drifted objects first.
    expect(rendered.cursorLine()).toMatch(/OutOfSync\s+Deployment\.apps\s+shop\s+web/);
    await close();
  });

  it('filters by status with f', async () => {
    const { rendered, close } = await openDrift();
    await rendered.press('f', 'f');
    const rows = () => rendered.lines().filter((l) => /\bshop\b/.test(l));
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain('web');
    expect(rendered.frame()).toContain('showing: OutOfSync');
    // OutOfSync -> Missing -> Extra -> all -> Synced
    await rendered.press('f', 'f', 'f', 'f');
    expect(rendered.frame()).toContain('showing: Synced');
    expect(rows().map((l) => l.match(/(settings|creds)/)?.[1]).sort()).toEqual(['creds', 'settings']);
    // The console's namespace scope applies too.
    rendered.store.getState().setScope('payments');
    await rendered.press('f', 'f', 'f', 'f');
    expect(rows()).toEqual([]);
    expect(rendered.frame()).toContain('Drift in payments');
    expect(rendered.frame()).toContain('no objects in payments');
    await close();
  });

  it('shows the diff of the selected object on Enter, Git versus live with the manager, and closes on Esc', async () => {
    const { rendered, close } = await openDrift();
    await rendered.press(KEYS.enter);
    const frame = rendered.frame();
    expect(frame).toContain('Deployment shop/web (OutOfSync): Git (+) versus live (-)');
    expect(frame).toContain('spec.template.spec.containers[name=app].image');
    expect(frame).toMatch(/\+ git:\s+nginx:1\.25/);
    expect(frame).toMatch(/- live: \(kubectl-edit\) nginx:1\.26/);
    expect(frame).toContain('Changed live, not in Git');
    expect(frame).toMatch(/metadata\.labels\.debug\s+by kubectl-edit/);
    // The help opening and closing re-renders the shell: Esc still belongs to the open diff.
    await rendered.press('?', KEYS.escape);
    expect(rendered.frame()).toContain('Git (+) versus live (-)');
    await rendered.press(KEYS.escape);
    expect(rendered.frame()).not.toContain('Git (+) versus live (-)');
    expect(rendered.cursorLine()).toContain('web');
    await close();
  });

  it('shows what a sync of a Missing object would create', async () => {
    const { rendered, close } = await openDrift();
    while (!rendered.cursorLine()?.includes('not-yet-applied')) await rendered.press('j');
    await rendered.press(KEYS.enter);
    const frame = rendered.frame();
    expect(frame).toContain('ConfigMap shop/not-yet-applied (Missing)');
    expect(frame).toContain('a sync creates it');
    const lines = rendered.lines();
    const data = lines.indexOf('+ data:');
    expect(data).toBeGreaterThan(0);
    expect(lines[data + 1]).toBe('+   a: "1"');
    await close();
  });

  it('never shows a Secret value', async () => {
    const { rendered, engine, close } = await openDrift();
    repo.write('apps/configs.yaml', readFileSync(path.join(repo.dir, 'apps/configs.yaml'), 'utf8').replace('hunter2', 'swordfish'));
    try {
      await engine.run();
      await rendered.press('f', 'f');
      const secretRow = rendered.lines().findIndex((l) => l.includes('creds'));
      expect(secretRow).toBeGreaterThan(0);
      while (!rendered.cursorLine()?.includes('creds')) await rendered.press('j');
      await rendered.press(KEYS.enter);
      const frame = rendered.frame();
      expect(frame).toContain('data.password');
      expect(frame).toMatch(/\+ git:\s+<redacted>/);
      for (const secret of ['hunter2', 'swordfish', 'aHVudGVyMg', 'c3dvcmRmaXNo']) expect(frame).not.toContain(secret);
    } finally {
      repo.git('checkout', '--quiet', '--', 'apps/configs.yaml');
      await close();
    }
  });

  it('a 20 MiB value in Git: the sync dialog and the diff show a cut line with its size, and q still quits (issue 13 case 2)', async () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    repo.write('apps/big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: ${big}\n`);
    const opened = await openDrift();
    try {
      const { rendered } = opened;
      while (!rendered.cursorLine()?.includes('big')) await rendered.press('j');
      await vi.waitFor(() => expect(rendered.frame()).toContain('a sync'));
      await rendered.press('a');
      const dialog = rendered.frame();
      expect(dialog).toContain('Sync ConfigMap shop/big back to Git?');
      expect(dialog).toContain('(cut: 20.0 MiB more of 20.0 MiB)');
      await rendered.press(KEYS.escape);
      await rendered.press(KEYS.enter);
      expect(rendered.frame()).toContain('ConfigMap shop/big (Missing)');
      expect(rendered.frame()).toContain('(cut: 20.0 MiB more of 20.0 MiB)');
      // Nothing on screen is longer than the terminal could wrap in a few rows.
      expect(Math.max(...rendered.lines().map((l) => l.length))).toBeLessThanOrEqual(120);
      await rendered.press(KEYS.escape);
      await rendered.press('q');
      await expect(rendered.exited).resolves.toBeUndefined();
    } finally {
      rmSync(path.join(repo.dir, 'apps/big.yaml'));
      await opened.close();
    }
  }, 60_000);

  it('syncs the selected object after a confirmation showing the diff, and audits it', async () => {
    const { rendered, audit, close } = await openDrift();
    await vi.waitFor(() => expect(rendered.frame()).toContain('sync'));
    await rendered.press('a');
    expect(rendered.frame()).toContain('Sync Deployment shop/web back to Git?');
    expect(rendered.frame()).toContain('Takes over the fields changed by: kubectl-edit.');
    await rendered.press('y');
    await vi.waitFor(() => expect(rendered.frame()).toMatch(/Synced 3\s+OutOfSync 0/), { timeout: 10_000 });
    expect(rendered.frame()).toContain('synced Deployment shop/web to Git');
    const lines = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.result ?? l.phase])).toEqual([
      ['sync', 'deployments.apps/shop/web', 'start'],
      ['sync', 'deployments.apps/shop/web', 'succeeded'],
    ]);
    await close();
  });

  it('does not offer sync under --readonly or when RBAC denies it', async () => {
    for (const [user, readonly] of [['admin', true], ['viewer', false]] as const) {
      const { rendered, audit, close } = await openDrift(user, readonly);
      await vi.waitFor(() => expect(rendered.frame()).toContain('refresh'));
      if (user === 'viewer') await vi.waitFor(() => expect(rendered.frame()).toContain('sync not allowed'));
      const footer = rendered.lines().at(-2) ?? '';
      expect(footer).not.toMatch(/\bsync\b/);
      await rendered.press('a');
      expect(rendered.frame()).not.toContain('back to Git?');
      // The key says why on the status line instead of doing nothing.
      expect(rendered.store.getState().messages.at(-1)?.text).toMatch(readonly ? /read-only/ : /sync not allowed/);
      expect(() => readFileSync(audit.path, 'utf8')).toThrow();
      await close();
    }
  });

  it('says how to get a Git source when there is none', async () => {
    const rendered = await renderApp({ props: { initialView: 'drift' } });
    expect(rendered.frame()).toContain('No Git source: start daytwo with --git PATH');
    rendered.unmount();
  });
});
