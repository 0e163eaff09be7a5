import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { Text } from 'ink';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { VIEWS, type ViewSpec } from '../../src/views/registry.js';
import { useShell } from '../../src/views/shell.js';
import { KEYS, type Rendered, renderApp, tick } from '../helpers/render.js';
import { controllerRevision, deployment, replicaSet, workload } from '../unit/fixtures/workloads.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const rs1 = replicaSet('5f7c9d8b6', '1', 'shop/web:1.0', { created: '2026-11-01T10:00:00Z', changeCause: 'first release' });
const rs2 = replicaSet('6c8d7f9a4', '2', 'shop/web:1.1', { created: '2026-11-05T10:00:00Z', changeCause: 'bump to 1.1' });
const rs3 = replicaSet('7d4b9c8f5', '3', 'shop/web:1.2', { created: '2026-11-10T10:00:00Z', replicas: 3, ready: 2 });

function seed(): Partial<Record<'deployments' | 'replicasets' | 'statefulsets' | 'daemonsets' | 'controllerrevisions', KubeObject[]>> {
  const sts = workload('StatefulSet', 'agent:2', {
    observedGeneration: 3,
    replicas: 2,
    readyReplicas: 1,
    updatedReplicas: 1,
    currentRevision: 'agent-aaa',
    updateRevision: 'agent-bbb',
  });
  sts.spec!.replicas = 2;
  const ds: KubeObject = {
    ...workload('DaemonSet', 'collector:7', {
      observedGeneration: 3,
      desiredNumberScheduled: 4,
      currentNumberScheduled: 4,
      updatedNumberScheduled: 4,
      numberReady: 4,
      numberAvailable: 4,
    }),
  };
  ds.metadata = { ...ds.metadata, name: 'collector', namespace: 'kube-system', uid: 'ds-uid' };
  const stalled = deployment('shop/api:2.0');
  stalled.metadata = { ...stalled.metadata, name: 'api', uid: 'api-uid' };
  stalled.spec!.selector = { matchLabels: { app: 'api' } };
  stalled.status = {
    ...stalled.status,
    updatedReplicas: 1,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
  };
  return {
    deployments: [deployment('shop/web:1.2'), stalled],
    replicasets: [rs1, rs2, rs3],
    statefulsets: [sts],
    daemonsets: [ds],
    controllerrevisions: [controllerRevision(sts, 'aaa', 1, 'agent:1', { changeCause: 'initial' }), controllerRevision(sts, 'bbb', 2, 'agent:2')],
  };
}

/** Stands in for the Logs view: shows the params it was opened with. */
function FakeLogs(): ReactElement {
  return <Text>{`logs of ${JSON.stringify(useShell().params)}`}</Text>;
}
const FAKE_LOGS: ViewSpec = { id: 'logs', title: 'Logs', commands: ['logs'], hotkey: '5', component: FakeLogs, keymap: [] };

const open = (opts: { readonly?: boolean; views?: readonly ViewSpec[] } = {}) =>
  renderApp({
    objects: seed(),
    columns: 160,
    rows: 30,
    cluster: { readonly: opts.readonly ?? false },
    props: { initialView: 'workloads', ...(opts.views ? { views: opts.views } : {}) },
  });

const rowOf = (r: Rendered, name: string) => r.lines().find((l) => new RegExp(`\\s${name}\\s`).test(l));

describe('Workloads view', () => {
  it('lists Deployments, StatefulSets and DaemonSets with counts, revision, images and rollout status', async () => {
    app = await open();
    const frame = app.frame();
    expect(frame).toMatch(/NAMESPACE\S*\s+KIND\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+REV\s+ROLLOUT\s+IMAGES\s+AGE/);
    expect(rowOf(app, 'web')).toMatch(/shop\s+deploy\s+web\s+3\/3\s+3\s+3\s+3\s+complete\s+shop\/web:1\.2/);
    expect(rowOf(app, 'api')).toMatch(/shop\s+deploy\s+api\s+3\/3\s+1\s+3\s+3\s+stalled\s+shop\/api:2\.0/);
    expect(rowOf(app, 'agent')).toMatch(/ops\s+sts\s+agent\s+1\/2\s+1\s+0\s+2\s+progressing\s+agent:2/);
    expect(rowOf(app, 'collector')).toMatch(/kube-system\s+ds\s+collector\s+4\/4\s+4\s+4\s+complete\s+collector:7/);
  });

  it('filters, sorts and follows the namespace scope like every table', async () => {
    app = await open();
    await app.press('/');
    await app.type('agent');
    await app.press(KEYS.enter);
    expect(rowOf(app, 'agent')).toBeDefined();
    expect(rowOf(app, 'web')).toBeUndefined();
    await app.press(KEYS.escape);
    expect(rowOf(app, 'web')).toBeDefined();
    // R reverses the sort (r is the rollback key here): namespace descending puts shop first.
    await app.press('R');
    const order = app.lines().filter((l) => /\s(web|api|agent|collector)\s/.test(l)).map((l) => l.slice(3).trim().split(/\s+/)[0]);
    expect(order).toEqual(['shop', 'shop', 'ops', 'kube-system']);
    app.store.getState().setScope('ops');
    await tick();
    expect(app.frame()).toContain('Workloads in ops');
    expect(rowOf(app, 'agent')).toBeDefined();
    expect(rowOf(app, 'web')).toBeUndefined();
  });

  it('is reached with :deploy, :wl and its hotkey', async () => {
    app = await renderApp({ objects: seed(), columns: 160, rows: 30 });
    await app.press(':');
    await app.type('wl');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Workloads');
    expect(rowOf(app, 'collector')).toBeDefined();
    await app.press('1');
    expect(rowOf(app, 'collector')).toBeUndefined();
    await app.press('2');
    expect(rowOf(app, 'collector')).toBeDefined();
  });

  it('Enter opens the revision history with change-cause, images, ready pods and the template diff of the selected revision', async () => {
    app = await open();
    await app.press('/');
    await app.type('web');
    await app.press(KEYS.enter, KEYS.enter);
    const frame = app.frame();
    expect(frame).toContain('History of deployment.apps/web in shop');
    expect(frame).toMatch(/REVISION\S*\s+CHANGE-CAUSE\s+IMAGES\s+PODS\s+AGE/);
    expect(frame).toMatch(/3 \(current\)\s+<none>\s+shop\/web:1\.2\s+2\/3/);
    expect(frame).toMatch(/2\s+bump to 1\.1\s+shop\/web:1\.1\s+0\/0/);
    expect(frame).toMatch(/1\s+first release\s+shop\/web:1\.0/);
    // History mode starts on the current revision: no change to show.
    expect(app.cursorLine()).toMatch(/3 \(current\)/);
    expect(frame).toContain('no change to the pod template');
    await app.press('j', 'j');
    expect(app.cursorLine()).toMatch(/^\S*\s*>?\s*1\s/);
    expect(app.frame()).toContain('- spec.containers[web].image: shop/web:1.2');
    expect(app.frame()).toContain('+ spec.containers[web].image: shop/web:1.0');
    // Without a cluster session nothing can be rolled back: the key is not offered.
    expect(app.frame()).not.toContain('roll back');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Workloads');
  });

  it('shows a StatefulSet\'s ControllerRevisions', async () => {
    app = await open();
    await app.press('/');
    await app.type('agent');
    await app.press(KEYS.enter, KEYS.enter);
    expect(app.frame()).toContain('History of statefulset.apps/agent in ops');
    expect(app.frame()).toMatch(/2 \(current\)\s+<none>\s+agent:2/);
    expect(app.frame()).toMatch(/1\s+initial\s+agent:1/);
  });

  it('l opens the logs of the workload under the cursor', async () => {
    app = await open({ views: [...VIEWS.filter((v) => v.id !== 'logs'), FAKE_LOGS] });
    await app.press('/');
    await app.type('collector');
    await app.press(KEYS.enter, 'l');
    expect(app.frame()).toContain('logs of {"kind":"DaemonSet","namespace":"kube-system","name":"collector"}');
  });

  it(':history KIND/NAME -n NS opens a history directly; a bad argument says why', async () => {
    app = await open();
    await app.press(':');
    await app.type('history deploy/web -n shop');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('History of deployment.apps/web in shop');
    await app.press(':');
    await app.type('history web');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('expected KIND/NAME (e.g. deployment/web), got "web"');
  });
});
