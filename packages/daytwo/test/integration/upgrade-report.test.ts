/**
 * `daytwo report upgrade` against the simulated demo cluster: live objects last applied
 * through removed apiVersions, a Helm release Secret, a Git repository, a PDB that blocks,
 * a pool without room; and `-f` with no cluster at all.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { encodeHelmReleaseData } from '../../src/domain/upgrade/helm-release.js';
import { KubeHttp } from '../../src/kube/http.js';
import { listHelmReleases } from '../../src/kube/upgrade/helm-releases.js';
import { runCli } from '../helpers/cli.js';

let t: TestSim;
let kubeconfig: string;
let viewerConfig: string;
let http: KubeHttp;
const tmp = mkdtempSync(join(tmpdir(), 'daytwo-upgrade-'));

const HELM_MANIFEST = `---
# Source: legacy/templates/ingress.yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy-web
spec:
  backend: {serviceName: web, servicePort: 80}
`;

beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
  kubeconfig = join(tmp, 'kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
  viewerConfig = join(tmp, 'viewer');
  writeFileSync(viewerConfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  http = new KubeHttp(t.kc);
  // A Deployment whose last `kubectl apply` went through apps/v1beta2 (removed in 1.16).
  const lastApplied = { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'old-api', namespace: 'shop' } };
  await http.requestJson('/apis/apps/v1/namespaces/shop/deployments', {
    method: 'POST',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'old-api', namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'old-api' } }, template: { metadata: { labels: { app: 'old-api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    },
  });
  // A Helm release (two revisions: the newest deployed one counts) with a removed Ingress.
  for (const [revision, status] of [
    [1, 'superseded'],
    [2, 'deployed'],
  ] as const) {
    await http.requestJson('/api/v1/namespaces/shop/secrets', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: { name: `sh.helm.release.v1.legacy.v${revision}`, namespace: 'shop', labels: { owner: 'helm', name: 'legacy', status, version: String(revision) } },
        data: { release: encodeHelmReleaseData({ name: 'legacy', namespace: 'shop', version: revision, info: { status }, config: { password: 'hunter2' }, manifest: HELM_MANIFEST }) },
      },
    });
  }
});
afterAll(async () => {
  http.close();
  await t.stop();
});

const daytwo = (...args: string[]) => runCli([...args, '--kubeconfig', kubeconfig]);

describe('Helm release Secrets', () => {
  it('lists them by label owner=helm and keeps the newest deployed revision of each release', async () => {
    const { releases, errors } = await listHelmReleases(http);
    expect(errors).toEqual([]);
    expect(releases.map((r) => `${r.namespace}/${r.name} r${r.revision}`)).toEqual(['batch/reporting r1', 'shop/legacy r2']);
    expect(releases[1].uses).toEqual([{ apiVersion: 'extensions/v1beta1', kind: 'Ingress', name: 'legacy-web', namespace: 'shop', source: 'helm: shop/legacy r2' }]);
  });
});

describe('daytwo report upgrade', () => {
  it('finds removed apiVersions in live objects and Helm releases, and the PDB that blocks; exits 1', async () => {
    const { code, stdout } = await daytwo('report', 'upgrade', '-o', 'json');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ kind: 'upgrade', target: '1.31', apiServer: '1.30' });
    expect(doc.verdict).toMatch(/^blocked: \d+$/);
    const apis = doc.apis.map((a: Record<string, unknown>) => `${a.kind} ${a.namespace}/${a.name} ${a.apiVersion} ${a.source} ${a.removedIn} ${a.blocks}`);
    expect(apis).toEqual(
      expect.arrayContaining([
        'Deployment shop/old-api apps/v1beta2 live (last-applied) 1.16 true',
        'Ingress shop/legacy-web extensions/v1beta1 helm: shop/legacy r2 1.22 true',
        'PodDisruptionBudget batch/legacy-reporter policy/v1beta1 live (last-applied) 1.25 true',
        'CronJob batch/reporting-weekly batch/v1beta1 helm: batch/reporting r1 1.25 true',
      ]),
    );
    expect(doc.apis[0]).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'old-api',
      apiVersion: 'apps/v1beta2',
      source: 'live (last-applied)',
      deprecatedIn: '1.9',
      removedIn: '1.16',
      replacement: 'apps/v1',
      replacementAvailableIn: '1.9',
      blocks: true,
    });
    expect(doc.drainBlockers).toContainEqual(expect.objectContaining({ type: 'pdb-never-disrupts', kind: 'PodDisruptionBudget', namespace: 'payments', name: 'api', severity: 'blocker' }));
    // The demo's ng-r5 pool is on kubelet 1.27: four minors behind 1.31.
    expect(doc.skew.map((s: { pool: string; supported: boolean }) => [s.pool, s.supported])).toEqual([
      ['ng-r5', false],
      ['ng-old', true],
      ['ng-new', true],
    ]);
    expect(doc.sequence[0].blockers).toContain('pool ng-r5: kubelet 1.27 is 4 minor versions older than kube-apiserver 1.31 (at most 3 supported); upgrade its kubelets first');
    expect(doc.drainBlockers).toContainEqual(expect.objectContaining({ type: 'fits-only-pool', severity: 'blocker', namespace: 'batch', pools: ['ng-r5'] }));
    expect(doc.sequence.map((s: { name: string }) => s.name)).toEqual(['control plane', 'pool ng-r5', 'pool ng-old', 'pool ng-new']);
    // Release data (values, manifest) is never printed.
    expect(stdout).not.toContain('hunter2');
    expect(stdout).not.toContain('H4sI');
  });

  it('says ng-old is unsupported too when the target is four minors beyond it', async () => {
    const { stdout } = await daytwo('report', 'upgrade', '--to', '1.33', '-o', 'json');
    const doc = JSON.parse(stdout);
    expect(doc.skew.map((s: { pool: string; minorsBehind: number; supported: boolean }) => [s.pool, s.minorsBehind, s.supported])).toEqual([
      ['ng-r5', 6, false],
      ['ng-old', 4, false],
      ['ng-new', 3, true],
    ]);
    expect(doc.sequence[0].blockers).toContain('pool ng-old: kubelet 1.29 is 4 minor versions older than kube-apiserver 1.33 (at most 3 supported); upgrade its kubelets first');
  });

  it('reads the manifests of a Git repository (--git) with file and line', async () => {
    const repo = join(tmp, 'repo');
    mkdirSync(join(repo, 'apps'), { recursive: true });
    writeFileSync(join(repo, 'apps', 'hpa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: autoscaling/v2beta1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {}\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '--quiet', '--initial-branch=main');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'commit', '--quiet', '-m', 'hpa');
    const { code, stdout } = await daytwo('report', 'upgrade', '--git', repo, '-o', 'json');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.apis).toContainEqual(expect.objectContaining({ kind: 'HorizontalPodAutoscaler', name: 'web', apiVersion: 'autoscaling/v2beta1', source: 'git: apps/hpa.yaml:5', removedIn: '1.25' }));
  });

  it('finds a pool without room for its pods, one node at a time', async () => {
    const nodes = t.sim.store.list('nodes') as Node[];
    const newNode = nodes.find((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === 'ng-new')?.metadata.name as string;
    t.sim.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'huge-0', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'huge', uid: 'huge-uid', controller: true }] },
      spec: { nodeName: newNode, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory: '14Gi' } } }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const { stdout } = await daytwo('report', 'upgrade', '-o', 'json');
    const doc = JSON.parse(stdout);
    const pool = doc.capacity.find((c: { pool: string }) => c.pool === 'ng-new');
    expect(pool.fits).toBe(false);
    expect(pool.failures).toContainEqual({ node: newNode, pod: 'default/huge-0', reason: expect.stringMatching(/insufficient memory|nodes are available/) });
    expect(doc.sequence.find((s: { name: string }) => s.name === 'pool ng-new').blockers.some((b: string) => b.startsWith(`no room for default/huge-0 when ${newNode} drains`))).toBe(true);
  });

  it('prints the verdict, the sections and the sequence as a table', async () => {
    const { code, stdout } = await daytwo('report', 'upgrade');
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(/^Upgrade 1\.30 -> 1\.31: blocked: \d+$/);
    expect(stdout).toMatch(/\nAPIs:\nSTATUS +KIND +NAME +APIVERSION +DEPRECATED +REMOVED +REPLACEMENT +SOURCE\n/);
    expect(stdout).toContain('Sequence:\n1. control plane: upgrade to 1.31');
  });

  it('exits 2 when the Helm release Secrets cannot be read (a viewer may not list Secrets)', async () => {
    const { code, stdout } = await runCli(['report', 'upgrade', '-o', 'json', '--kubeconfig', viewerConfig]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).errors[0]).toMatch(/^Helm releases \(Secrets labelled owner=helm\): /);
  });
});

describe('daytwo report upgrade -f (no cluster)', () => {
  const dir = join(tmp, 'manifests');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(
    join(dir, 'list.yaml'),
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: policy/v1beta1\n  kind: PodDisruptionBudget\n  metadata: {name: db, namespace: shop}\n- apiVersion: rbac.authorization.k8s.io/v1beta1\n  kind: ClusterRole\n  metadata: {name: reader}\n',
  );
  writeFileSync(join(dir, 'sub', 'fs.yaml'), 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: fs}\n');
  writeFileSync(join(tmp, 'ok.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok}\n');

  it('counts the items of a List and walks folders; exits 1 when something is removed at the target', async () => {
    const { code, stdout } = await runCli(['report', 'upgrade', '-f', dir, '--to', '1.31', '-o', 'json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.apis.map((a: Record<string, unknown>) => `${a.kind} ${a.name} ${a.blocks} ${a.source}`)).toEqual([
      `ClusterRole reader true file: ${dir}/list.yaml:1`,
      `PodDisruptionBudget db true file: ${dir}/list.yaml:1`,
      `FlowSchema fs false file: ${dir}/sub/fs.yaml:1`,
    ]);
    expect(doc.verdict).toBe('blocked: 2');
  });

  it('exits 0 when nothing is removed, 2 when a file cannot be read', async () => {
    expect((await runCli(['report', 'upgrade', '-f', join(tmp, 'ok.yaml')])).code).toBe(0);
    const missing = await runCli(['report', 'upgrade', '-f', join(tmp, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('Errors:');
  });
});
