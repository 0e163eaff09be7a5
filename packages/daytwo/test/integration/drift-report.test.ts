/**
 * `daytwo report drift` against the simulated cluster: the JSON document, the table, and
 * kubectl diff's exit codes (0 Synced, 1 drifted, 2 on error).
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { driftDocumentItem } from '../../src/report/drift-report.js';
import { runCli } from '../helpers/cli.js';
import { createDriftRepo, DEPLOYMENT, type DriftRepo } from '../helpers/drift-repo.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

let t: TestSim;
let repo: DriftRepo;
let kubeconfig: string;
let plain: string;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
  repo = await createDriftRepo(t);
  plain = mkdtempSync(path.join(tmpdir(), 'daytwo-drift-plain-'));
  kubeconfig = path.join(plain, 'kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
});
afterAll(async () => {
  await t.stop();
  repo.remove();
  rmSync(plain, { recursive: true, force: true });
});

const report = (...args: string[]) => runCli(['report', 'drift', '--kubeconfig', kubeconfig, ...args]);

/** A plain directory (no Git) holding some of the repository's manifests. */
function plainDir(name: string, files: Record<string, string>): string {
  const dir = path.join(plain, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, from] of Object.entries(files)) cpSync(path.join(repo.dir, from), path.join(dir, file), { recursive: true });
  return dir;
}

/** `report drift -o json`, as the tests read it. */
interface DriftDocument {
  kind: string;
  counts: Record<string, number>;
  source: { dirty: boolean; commit?: { subject?: string } };
  items: ReturnType<typeof driftDocumentItem>[];
  errors: { file: string; line: number; reason: string }[];
}
const parseDocument = (stdout: string) => JSON.parse(stdout) as DriftDocument;

describe('daytwo report drift', () => {
  it('prints items with apiVersion, kind, namespace, name, status, diffs and liveOnly as JSON', async () => {
    const { code, stdout } = await report('--git', repo.dir, '--git-namespace', 'shop', '-o', 'json');
    const doc = parseDocument(stdout);
    expect(doc.kind).toBe('drift');
    expect(doc.source).toMatchObject({ dirty: false, commit: { subject: 'Deploy web 1.25' } });
    expect(doc.counts).toEqual({ Synced: 2, OutOfSync: 1, Missing: 1, Extra: 1 });
    const web = doc.items.find((i) => i.name === 'web');
    expect(web).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      status: 'OutOfSync',
      diffs: [{ path: 'spec.template.spec.containers[name=app].image', git: 'nginx:1.25', live: 'nginx:1.26', manager: 'kubectl-edit' }],
      liveOnly: [{ path: 'metadata.labels.debug', live: 'true', manager: 'kubectl-edit', time: expect.any(String) }],
      source: 'apps/web.yaml:1',
    });
    expect(doc.items.map((i) => [i.name, i.status])).toContainEqual(['stray', 'Extra']);
    expect(doc.errors).toEqual([expect.objectContaining({ file: 'apps/broken.yaml', line: 5 })]);
    expect(stdout).not.toContain('hunter2');
    // A malformed manifest is an error, as for kubectl diff: exit code 2.
    expect(code).toBe(2);
  });

  it('exits 0 when everything is Synced and 1 when anything drifted', async () => {
    const synced = plainDir('synced', { 'settings.yaml': 'apps/configs.yaml' });
    // configs.yaml also declares a ConfigMap that was never applied: keep only the Synced ones.
    writeFileSync(path.join(synced, 'settings.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: info}\n');
    const ok = await report('--git', synced, '--git-namespace', 'shop', '--prune-selector', 'nothing=matches');
    expect(ok.stdout).toMatch(/\(not a Git repository\)/);
    expect(ok.stdout).toMatch(/Synced 1\s+OutOfSync 0\s+Missing 0\s+Extra 1/);
    // `stray` was applied and Git (this directory) lacks it: Extra, so this is drift too.
    expect(ok.code).toBe(1);

    const drifted = plainDir('drifted', { 'web.yaml': 'apps/web.yaml' });
    const bad = await report('--git', drifted, '--git-namespace', 'shop');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/OutOfSync\s+Deployment\.apps\s+shop\s+web/);
    expect(bad.stdout).toMatch(/\+ git:\s+nginx:1\.25/);

    const onlyDeployment = await report('--git', drifted, '--git-namespace', 'shop', '-o', 'json');
    expect(parseDocument(onlyDeployment.stdout).items.map((i) => i.status)).toEqual(['OutOfSync']);
  });

  it('exits 0 for a Synced object whose kind has nothing Extra', async () => {
    const dir = plainDir('secret-only', {});
    writeFileSync(path.join(dir, 'creds.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'hunter2' } }));
    const { code, stdout } = await report('--git', dir, '--git-namespace', 'shop');
    expect(stdout).toMatch(/Synced 1\s+OutOfSync 0\s+Missing 0\s+Extra 0/);
    expect(code).toBe(0);
  });

  it('reads a commit with --git-ref', async () => {
    repo.write('apps/web.yaml', DEPLOYMENT('nginx:1.26'));
    try {
      const now = await report('--git', repo.dir, '--git-path', 'apps', '--git-namespace', 'shop', '-o', 'json');
      expect(parseDocument(now.stdout).items.find((i) => i.name === 'web')?.status).toBe('Synced');
      const then = await report('--git', repo.dir, '--git-ref', repo.firstCommit, '--git-path', 'apps', '--git-namespace', 'shop', '-o', 'json');
      expect(parseDocument(then.stdout).items.find((i) => i.name === 'web')?.status).toBe('OutOfSync');
      expect(parseDocument(then.stdout).source.dirty).toBe(false);
      expect(parseDocument(now.stdout).source.dirty).toBe(true);
    } finally {
      repo.git('checkout', '--quiet', '--', 'apps/web.yaml');
    }
  });

  it('fails with one line and exit code 2 on a bad source or bad options', async () => {
    const missing = await report('--git', path.join(plain, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`daytwo: --git ${path.join(plain, 'nope')}: not a directory\n`);
    const noGit = await report();
    expect(noGit).toMatchObject({ code: 2, stderr: 'daytwo: report drift needs --git PATH (a directory or a Git URL)\n' });
    const refWithoutGit = await report('--git-ref', 'main');
    expect(refWithoutGit.stderr).toBe('daytwo: --git-ref needs --git PATH\n');
    const badSelector = await report('--git', repo.dir, '--prune-selector', 'a in (');
    expect(badSelector.code).toBe(2);
    expect(badSelector.stderr).toMatch(/^daytwo: invalid --prune-selector "a in \(": /);
  });
});

describe.skipIf(!hasKubectl)('against kubectl', () => {
  // Asynchronous: the simulated cluster runs in this process and must keep answering.
  const kubectl = (...args: string[]) =>
    new Promise<{ status: number; stdout: string }>((resolve) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (err, stdout) => {
        resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout });
      });
    });

  it('finds OutOfSync exactly the objects `kubectl diff` shows after kubectl apply and live edits', async () => {
    const dir = path.join(plain, 'kubectl');
    mkdirSync(dir, { recursive: true });
    const manifests = [
      DEPLOYMENT('nginx:1.25').replace('name: web', 'name: api').replaceAll('app: web', 'app: api'),
      DEPLOYMENT('nginx:1.25').replace('name: web', 'name: worker').replaceAll('app: web', 'app: worker'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: feature-flags}\ndata: {checkout: "on", search: "off"}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits}\ndata: {max: "10"}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports:\n  - port: 80\n    targetPort: 8080\n',
    ];
    writeFileSync(path.join(dir, 'all.yaml'), manifests.join('---\n'));
    expect((await kubectl('create', 'namespace', 'kd')).status).toBe(0);
    expect((await kubectl('apply', '-n', 'kd', '-f', dir)).status).toBe(0);
    // Live edits: one field Git sets per drifted object, and one Git does not set.
    expect((await kubectl('scale', '-n', 'kd', 'deployment/worker', '--replicas=5')).status).toBe(0);
    expect((await kubectl('patch', '-n', 'kd', 'configmap/feature-flags', '-p', '{"data":{"search":"on"}}')).status).toBe(0);
    expect((await kubectl('label', '-n', 'kd', 'configmap/limits', 'owner=sre')).status).toBe(0);

    const diff = await kubectl('diff', '-n', 'kd', '-f', dir);
    expect(diff.status).toBe(1);
    const changedByKubectl = [...diff.stdout.matchAll(/^diff -u -N \S+\/LIVE-\d+\/(\S+) /gm)].map((m) => m[1].split('.').slice(-3).join('/')).sort();
    const ours = await report('--git', dir, '--git-namespace', 'kd', '-o', 'json');
    const doc = parseDocument(ours.stdout);
    const outOfSync = doc.items.filter((i) => i.status === 'OutOfSync').map((i) => `${i.kind}/${i.namespace}/${i.name}`).sort();
    expect(outOfSync).toEqual(changedByKubectl);
    expect(outOfSync).toEqual(['ConfigMap/kd/feature-flags', 'Deployment/kd/worker']);
    expect(doc.items.find((i) => i.name === 'limits')?.liveOnly.map((e) => [e.path, e.manager])).toEqual([['metadata.labels.owner', 'kubectl-label']]);
    expect(ours.code).toBe(1);
  });
});
