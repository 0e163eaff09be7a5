/**
 * Real kubectl against the simulated cluster: the sim must speak the API well enough
 * for kubectl's own discovery, patches, evictions, rollouts, logs and access reviews.
 */

import { type ExecFileException, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/types.js';
import { getAs, listAs } from '../helpers/kinds.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const run = promisify(execFile);

// kubectl runs as a child process and waits on rollouts and evictions: allow it time on a loaded machine.
describe.skipIf(!hasKubectl)('kubectl against the sim', { timeout: 90_000 }, () => {
  let t: TestSim;
  let dir: string;
  let adminConfig: string;
  let viewerConfig: string;

  /** Runs kubectl (asynchronously: the sim serves from this process). */
  async function kubectl(args: string[], kubeconfig = adminConfig): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      // execFile rejects with the exit code and the output it collected.
      const failed = err as ExecFileException & { stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(err) };
    }
  }

  const pods = () => listAs(t.sim.store, 'pods');
  const ownerKind = (pod: KubeObject) => pod.metadata.ownerReferences?.find((o) => o.controller)?.kind;

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'demo', speed: 10 });
    dir = mkdtempSync(join(tmpdir(), 'daytwo-kubectl-'));
    adminConfig = join(dir, 'admin.kubeconfig');
    viewerConfig = join(dir, 'viewer.kubeconfig');
    writeFileSync(adminConfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
    writeFileSync(viewerConfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  });
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('moves client-side-applied ports without protocol to server-side apply without losing them', async () => {
    const file = join(dir, 'ports.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: ssa-web, namespace: default}',
        'spec: {selector: {app: ssa-web}, ports: [{name: http, port: 80, targetPort: 8080}]}',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: ssa-web, namespace: default}',
        'spec:',
        '  selector: {matchLabels: {app: ssa-web}}',
        '  template:',
        '    metadata: {labels: {app: ssa-web}}',
        '    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}',
      ].join('\n'),
    );
    expect((await kubectl(['apply', '-f', file])).code).toBe(0);
    const template = structuredClone(getAs(t.sim.store, 'apps/deployments', 'default', 'ssa-web')!.spec!.template);
    const ssa = await kubectl(['apply', '--server-side', '-f', file]);
    expect(ssa.stderr).toBe('');
    expect(getAs(t.sim.store, 'services', 'default', 'ssa-web')!.spec!.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    const deployment = getAs(t.sim.store, 'apps/deployments', 'default', 'ssa-web')!;
    expect(deployment.spec!.template.spec!.containers[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    // No new rollout: the template did not change. Generation is 2 all the same, as on kube-apiserver
    // 1.36: the apply by `kubectl` rewrites the last-applied annotation, and a Deployment's
    // annotation change bumps it (conformance scenario "moving from client-side to server-side apply").
    expect(deployment.spec!.template).toEqual(template);
    expect(deployment.metadata.generation).toBe(2);
  });

  it('creates Roles and RoleBindings (kubectl posts RoleBindings as protobuf) that grant access', async () => {
    expect((await kubectl(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'payments'])).code).toBe(0);
    const bound = await kubectl(['create', 'rolebinding', 'viewer-reads', '--role=pod-reader', '--user=viewer', '--serviceaccount=payments:default', '-n', 'payments']);
    expect(bound.stderr).toBe('');
    expect(t.sim.store.get('rbac.authorization.k8s.io/rolebindings', 'payments', 'viewer-reads')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' },
        { kind: 'ServiceAccount', name: 'default', namespace: 'payments' },
      ],
    });
    const crb = await kubectl(['create', 'clusterrolebinding', 'devs-view', '--clusterrole=view', '--group=devs']);
    expect(crb.stderr).toBe('');
  });

  it('gets nodes and pods across namespaces', async () => {
    const result = await kubectl(['get', 'nodes,pods', '-A']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Server-side printing: kubectl shows the API server's columns.
    expect(result.stdout).toMatch(/NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    expect(result.stdout).toMatch(/NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    for (const node of listAs(t.sim.store, 'nodes')) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      expect(result.stdout).toMatch(new RegExp(`${node.metadata.name}\\s+${ready ? 'Ready' : 'NotReady'}`));
    }
    for (const pod of pods().slice(0, 5)) expect(result.stdout).toContain(pod.metadata.name);
  });

  it('cordons and uncordons a node', async () => {
    const node = listAs(t.sim.store, 'nodes').find((n) => !n.spec?.unschedulable)!;
    const name = node.metadata.name!;
    expect(await kubectl(['cordon', name])).toMatchObject({ code: 0, stdout: `node/${name} cordoned\n` });
    expect(getAs(t.sim.store, 'nodes', undefined, name)!.spec!.unschedulable).toBe(true);
    expect(await kubectl(['uncordon', name])).toMatchObject({ code: 0, stdout: `node/${name} uncordoned\n` });
    expect(getAs(t.sim.store, 'nodes', undefined, name)!.spec!.unschedulable).toBeFalsy();
  });

  it('answers auth can-i for admin (yes) and viewer (no)', async () => {
    expect(await kubectl(['auth', 'can-i', 'create', 'pods/eviction', '-n', 'shop'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    const viewer = await kubectl(['auth', 'can-i', 'create', 'pods/eviction', '-n', 'shop'], viewerConfig);
    expect(viewer.code).toBe(1);
    expect(viewer.stdout).toBe('no\n');
    expect(await kubectl(['auth', 'can-i', 'list', 'pods', '-A'], viewerConfig)).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('drains a node whose pods no PDB blocks, and the pods run elsewhere', async () => {
    const budgets = listAs(t.sim.store, 'policy/poddisruptionbudgets');
    const budgetOf = (pod: KubeObject) =>
      budgets.find(
        (b) =>
          b.metadata.namespace === pod.metadata.namespace &&
          Object.entries(b.spec?.selector?.matchLabels ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v),
      );
    // No budget may need to allow more evictions than it does right now.
    const drainable = (here: KubeObject[]) =>
      here.every((p) => {
        const budget = budgetOf(p);
        return !budget || here.filter((q) => budgetOf(q) === budget).length <= (budget.status?.disruptionsAllowed ?? 0);
      });
    const node = listAs(t.sim.store, 'nodes').find((n) => {
        const here = pods().filter((p) => p.spec?.nodeName === n.metadata.name && ownerKind(p) !== 'DaemonSet');
        return !n.spec?.unschedulable && here.length > 0 && here.every((p) => ownerKind(p) === 'ReplicaSet') && drainable(here);
      })!;
    expect(node).toBeDefined();
    const nodeName = node.metadata.name!;
    const moved = pods().filter((p) => p.spec?.nodeName === nodeName && ownerKind(p) === 'ReplicaSet');

    const drain = await kubectl(['drain', nodeName, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(drain.stderr).not.toMatch(/^error/m);
    expect(drain.code).toBe(0);
    expect(drain.stdout).toContain(`node/${nodeName} drained`);
    for (const pod of moved) expect(drain.stdout).toContain(`pod/${pod.metadata.name} evicted`);

    expect(pods().filter((p) => p.spec?.nodeName === nodeName && ownerKind(p) !== 'DaemonSet')).toEqual([]);
    for (const pod of moved) {
      const owner = pod.metadata.ownerReferences!.find((o) => o.controller)!;
      const siblings = pods().filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === owner.uid));
      expect(siblings.length).toBeGreaterThan(0);
      expect(siblings.every((p) => p.spec?.nodeName !== nodeName)).toBe(true);
    }
  });

  it('shows rollout history and undoes a rollout into a new revision', async () => {
    const deployments = listAs(t.sim.store, 'apps/deployments');
    const replicaSets = listAs(t.sim.store, 'apps/replicasets');
    const target = deployments.find(
      (d) => replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid)).length >= 2,
    )!;
    expect(target).toBeDefined();
    const { name, namespace } = target.metadata;
    const revision = Number(target.metadata.annotations?.['deployment.kubernetes.io/revision']);

    const history = await kubectl(['rollout', 'history', `deployment/${name}`, '-n', namespace!]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history.stdout).toMatch(new RegExp(`^${revision}\\s`, 'm'));

    const imageBefore = target.spec!.template.spec!.containers[0].image;
    const undo = await kubectl(['rollout', 'undo', `deployment/${name}`, '-n', namespace!]);
    expect(undo).toMatchObject({ code: 0, stdout: `deployment.apps/${name} rolled back\n` });
    const after = getAs(t.sim.store, 'apps/deployments', namespace, name!)!;
    expect(after.spec!.template.spec!.containers[0].image).not.toBe(imageBefore);
    const status = await kubectl(['rollout', 'status', `deployment/${name}`, '-n', namespace!, '--timeout=60s']);
    expect(status.code).toBe(0);
    expect(Number(getAs(t.sim.store, 'apps/deployments', namespace, name!)!.metadata.annotations?.['deployment.kubernetes.io/revision'])).toBe(revision + 1);
  });

  it('applies server-side, then diffs against the live object', async () => {
    const manifest = join(dir, 'settings.yaml');
    const write = (level: string) =>
      writeFileSync(
        manifest,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  level: "${level}"\n`,
      );
    write('info');
    expect(await kubectl(['apply', '--server-side', '-f', manifest])).toMatchObject({ code: 0, stdout: 'configmap/settings serverside-applied\n' });
    const stored = getAs(t.sim.store, 'configmaps', 'default', 'settings')!;
    expect(stored.data).toEqual({ level: 'info' });
    expect(stored.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(['kubectl/Apply']);

    expect((await kubectl(['diff', '--server-side', '-f', manifest])).code).toBe(0);
    write('debug');
    const diff = await kubectl(['diff', '--server-side', '-f', manifest]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+level: info$/m);
    expect(diff.stdout).toMatch(/^\+\s+level: debug$/m);
    expect(getAs(t.sim.store, 'configmaps', 'default', 'settings')!.data).toEqual({ level: 'info' });
  });

  it('follows logs until killed', async () => {
    const pod = pods().find((p) => p.status?.phase === 'Running' && p.spec?.containers?.length === 1)!;
    const child = spawn('kubectl', ['--kubeconfig', adminConfig, 'logs', '-f', '--tail=2', '-n', pod.metadata.namespace!, pod.metadata.name!]);
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const lines = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log lines: ${out} ${err}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const got = out.split('\n').filter(Boolean);
        if (got.length >= 4) {
          clearTimeout(timer);
          resolve(got);
        }
      });
    });
    child.kill('SIGTERM');
    expect(err).toBe('');
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });
});
