import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { createUpgradeSourcesStore } from '../../src/store/upgrade.js';
import { KEYS, type Rendered, renderApp, tick } from '../helpers/render.js';

function node(name: string, pool: string, kubelet: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, 'eks.amazonaws.com/nodegroup': pool } },
    spec: {},
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: kubelet } },
  };
}

function pod(name: string, nodeName: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs', controller: true }] },
    spec: { nodeName, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const pdb = (disruptionsAllowed: number): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: {
    name: 'web',
    namespace: 'shop',
    generation: 1,
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"policy/v1beta1","kind":"PodDisruptionBudget"}' },
  },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  status: { observedGeneration: 1, disruptionsAllowed, currentHealthy: 1 + disruptionsAllowed, desiredHealthy: 1, expectedPods: 2 },
});

const objects = () => ({
  nodes: [node('old-1', 'ng-old', 'v1.28.9'), node('old-2', 'ng-old', 'v1.28.9'), node('new-1', 'ng-new', 'v1.30.2'), node('new-2', 'ng-new', 'v1.30.2')],
  pods: [pod('web-1', 'old-1', { app: 'web' }), pod('web-2', 'new-1', { app: 'web' })],
  poddisruptionbudgets: [pdb(0)],
  daemonsets: [],
  deployments: [],
  statefulsets: [],
});

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

async function openUpgrade(): Promise<Rendered> {
  const upgrade = createUpgradeSourcesStore({
    helmPhase: 'ready',
    helmReleases: [{ name: 'legacy', namespace: 'shop', revision: 3, uses: [{ apiVersion: 'batch/v1beta1', kind: 'CronJob', name: 'nightly', namespace: 'shop', source: 'helm: shop/legacy r3' }], errors: [] }],
  });
  const r = await renderApp({ objects: objects(), cluster: { version: 'v1.30.4' }, columns: 200, rows: 20, props: { callbacks: { upgrade } } });
  await r.type(':upgrade');
  await r.press(KEYS.enter);
  return r;
}

describe('Upgrade view', () => {
  it('opens with :upgrade and shows the verdict, the section bar and the removed APIs of live objects and Helm releases', async () => {
    app = await openUpgrade();
    const frame = app.frame();
    expect(frame).toMatch(/Upgrade 1\.30 -> 1\.31: blocked: 4/); // two removed APIs, and the PDB in the drains of both pools
    expect(frame).toContain(' APIs 2 ');
    expect(frame).toMatch(/REMOVED +CronJob +shop\/nightly +batch\/v1beta1 +1\.21 +1\.25 +batch\/v1 \(1\.21\) +helm: shop\/legacy r3/);
    expect(frame).toMatch(/REMOVED +PodDisruptionBudget +shop\/web +policy\/v1beta1 .*live \(last-applied\)/);
  });

  it('moves between sections with Tab and shows the PDB that blocks the drains', async () => {
    app = await openUpgrade();
    await app.press(KEYS.tab);
    expect(app.frame()).toMatch(/ng-old +2 +v1\.28\.9 +3 +ok/);
    await app.press(KEYS.tab);
    expect(app.frame()).toMatch(/blocker +PodDisruptionBudget +shop\/web +ng-new,ng-old +disruptionsAllowed 0 now/);
    await app.press(KEYS.tab, KEYS.tab);
    expect(app.frame()).toMatch(/1 +control plane +upgrade to 1\.31/);
    expect(app.frame()).toMatch(/2 +pool ng-old/);
  });

  it('changes the target with + and -, and says when kubelets fall out of the skew policy', async () => {
    app = await openUpgrade();
    await app.press('+');
    expect(app.frame()).toMatch(/Upgrade 1\.30 -> 1\.32: blocked: \d+/);
    await app.press(KEYS.tab);
    expect(app.frame()).toMatch(/ng-old +2 +v1\.28\.9 +4 +UNSUPPORTED/);
    await app.press('-', '-');
    expect(app.frame()).toMatch(/Upgrade 1\.30 -> 1\.31/);
  });

  it('is live: fixing the PDB removes its blocker', async () => {
    app = await openUpgrade();
    await app.press(KEYS.tab, KEYS.tab);
    expect(app.frame()).toContain('disruptionsAllowed 0 now');
    app.store.getState().applyChanges([{ kind: 'poddisruptionbudgets', type: 'upsert', object: pdb(1) }]);
    await tick(100);
    expect(app.frame()).not.toContain('disruptionsAllowed 0 now');
    expect(app.frame()).toMatch(/Upgrade 1\.30 -> 1\.31: blocked: 2/);
  });
});
