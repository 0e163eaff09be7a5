import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { Text } from 'ink';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { displayKey } from '../../src/hooks/keymap.js';
import { QOS_KEYMAP } from '../../src/views/QosView.js';
import { VIEWS, type ViewSpec } from '../../src/views/registry.js';
import { useShell } from '../../src/views/shell.js';
import { KEYS, namespace, namespaced, type Rendered, renderApp, tick } from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

/** A Pod as the API server stores it: requests already defaulted from limits. */
function qosPod(
  ns: string,
  name: string,
  containers: Record<string, Resources>,
  opts: { node?: string; status?: string; init?: Record<string, Resources>; priority?: number } = {},
): KubeObject {
  const list = (entries: Record<string, Resources>) => Object.entries(entries).map(([n, resources]) => ({ name: n, image: 'app:1', resources }));
  return namespaced('v1', 'Pod', ns, name, {
    spec: {
      containers: list(containers),
      ...(opts.init ? { initContainers: list(opts.init) } : {}),
      nodeName: opts.node ?? 'node-a',
      priority: opts.priority ?? 0,
    },
    status: { phase: 'Running', ...(opts.status ? { qosClass: opts.status } : {}) },
  });
}

const G: Resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

const seed = () => ({
  namespaces: [namespace('payments'), namespace('shop'), namespace('batch')],
  pods: [
    qosPod('payments', 'api-1', { api: G }, { status: 'Guaranteed' }),
    qosPod('payments', 'ledger-1', { worker: G }, { status: 'Burstable' }),
    qosPod('shop', 'frontend-1', { frontend: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }, {
      init: { migrate: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
      status: 'Burstable',
    }),
    qosPod('shop', 'recs-1', { recs: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } } }, { status: 'Burstable' }),
    qosPod('batch', 'job-1', { task: {} }, { status: 'BestEffort', node: 'node-b' }),
    qosPod('shop', 'toolbox', { toolbox: {} }, { status: 'BestEffort' }),
  ],
  limitranges: [
    namespaced('v1', 'LimitRange', 'shop', 'container-defaults', {
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    }),
  ],
});

/** Stands in for the Logs view: shows the params it was opened with. */
function FakeLogs(): ReactElement {
  return <Text>{`logs of ${JSON.stringify(useShell().params)}`}</Text>;
}

const open = (objects = seed(), size: { columns?: number; rows?: number } = {}) =>
  renderApp({ objects, columns: size.columns ?? 160, rows: size.rows ?? 40, props: { initialView: 'qos' } });

/** The NAME cell of each pod row (the list starts after its header line). */
function podNames(r: Rendered): string[] {
  const lines = r.lines();
  const header = lines.findIndex((l) => /NAMESPACE\S*\s+NAME\S*\s+CLASS/.test(l));
  const names: string[] = [];
  for (const line of lines.slice(header + 1)) {
    const cells = line.slice(3).trim().split(/\s+/);
    if (cells.length < 2 || line.includes('no pods')) break;
    names.push(cells[1]);
  }
  return names;
}

function lineOf(r: Rendered, text: string): string {
  return r.lines().find((l) => l.includes(text)) ?? '';
}

describe('QoS view', () => {
  it('opens with its hotkey and :qos', async () => {
    app = await renderApp({ objects: seed(), columns: 160, rows: 40 });
    await app.press('4');
    expect(app.frame()).toContain('QoS by namespace');
    await app.press('1', ':');
    await app.type('qos');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Pods by QoS');
  });

  it('summarises each namespace: classes, gaps and LimitRange defaults or none', async () => {
    app = await open();
    expect(app.frame()).toMatch(/NAMESPACE\s+PODS\s+GUARANTEED\s+BURSTABLE\s+BESTEFFORT\s+NO MEM LIMIT\s+NO REQUESTS\s+LIMITRANGE DEFAULTS/);
    expect(lineOf(app, '   shop ')).toMatch(/shop\s+3\s+0\s+2\s+1\s+1\s+1\s+req cpu 100m mem 128Mi · lim cpu 500m mem 512Mi/);
    expect(lineOf(app, '   payments ')).toMatch(/payments\s+2\s+2\s+0\s+0\s+0\s+0\s+none/);
    expect(lineOf(app, '   batch ')).toMatch(/batch\s+1\s+0\s+0\s+1\s+1\s+1\s+none/);
  });

  it('lists every pod with node, class, summed requests and limits and the reason', async () => {
    app = await open();
    expect(podNames(app)).toEqual(['job-1', 'api-1', 'ledger-1', 'frontend-1', 'recs-1', 'toolbox']);
    // Init containers count: 250m + 100m requested, 500m + 100m limited.
    expect(lineOf(app, 'frontend-1')).toMatch(/shop\s+frontend-1\s+Burstable\s+350m\s+600m\s+192Mi\s+192Mi\s+container frontend: cpu limit 500m != request 250m\s+node-a$/);
    expect(lineOf(app, 'recs-1')).toMatch(/Burstable\s+200m\s+-\s+256Mi\s+512Mi\s+container recs: no cpu limit/);
    expect(lineOf(app, 'job-1')).toMatch(/batch\s+job-1\s+BestEffort\s+-\s+-\s+-\s+-\s+no container sets requests or limits\s+node-b$/);
    expect(lineOf(app, 'api-1')).toMatch(/Guaranteed\s+500m\s+500m\s+512Mi\s+512Mi\s+all containers set equal cpu and memory requests and limits/);
  });

  it('flags a pod whose status.qosClass differs from the computed class', async () => {
    app = await open();
    expect(lineOf(app, 'ledger-1')).toMatch(/ledger-1\s+Guaranteed!\s+500m\s+500m\s+512Mi\s+512Mi\s+status.qosClass says Burstable; all containers set equal/);
    await app.press('j', 'j', KEYS.enter);
    expect(app.frame()).toContain("status.qosClass says Burstable, but the pod's resources make it Guaranteed");
    // The header shows the computed class; the ranking uses the recorded one, and says so.
    expect(app.frame()).toContain('QoS class Guaranteed: all containers set equal');
    expect(app.frame()).toContain('The eviction order ranks it as Burstable: the kubelet goes by status.qosClass (GetPodQOS prefers it to the spec)');
    expect(app.lines().find((l) => l.startsWith('>'))).toMatch(/^>\s+\d+\s+Burstable\s+.*payments\/ledger-1$/);
  });

  it('says nothing of the ranking class when status.qosClass agrees', async () => {
    app = await open();
    await app.press('j', KEYS.enter);
    expect(app.frame()).toContain('Pod payments/api-1');
    expect(app.frame()).not.toContain('The eviction order ranks it as');
  });

  it('filters by class with c (in turn) and a, and by missing memory limits with m', async () => {
    app = await open();
    await app.press('c');
    expect(app.frame()).toContain('Pods by QoS [class Guaranteed](2)');
    expect(podNames(app)).toEqual(['api-1', 'ledger-1']);
    await app.press('c');
    expect(podNames(app)).toEqual(['frontend-1', 'recs-1']);
    await app.press('c');
    expect(podNames(app)).toEqual(['job-1', 'toolbox']);
    await app.press('c');
    expect(podNames(app)).toHaveLength(6);
    await app.press('m');
    expect(app.frame()).toContain('[no memory limit]');
    expect(podNames(app)).toEqual(['job-1', 'toolbox']);
    await app.press('c');
    expect(app.frame()).toContain('[class Guaranteed, no memory limit]');
    expect(app.frame()).toContain('no pods of this class');
    await app.press('a');
    expect(podNames(app)).toHaveLength(6);
    // The summary always counts every pod in scope.
    expect(lineOf(app, '   shop ')).toMatch(/shop\s+3\s+/);
  });

  it('sorts by any column: > to the class column puts BestEffort first; r reverses', async () => {
    app = await open();
    expect(app.frame()).toContain('NAMESPACE↑');
    await app.press('>', '>');
    expect(app.frame()).toContain('CLASS↑');
    expect(podNames(app).slice(0, 2)).toEqual(['job-1', 'toolbox']);
    await app.press('r');
    expect(podNames(app).slice(0, 2)).toEqual(['api-1', 'ledger-1']);
    await app.press('>', '>', '>', 'r');
    expect(app.frame()).toContain('MEM REQ↓');
    expect(podNames(app)[0]).toMatch(/api-1|ledger-1/);
    expect(podNames(app)[2]).toBe('recs-1');
  });

  it("follows the console's namespace scope", async () => {
    app = await open();
    app.store.getState().setScope('payments');
    await tick();
    expect(podNames(app)).toEqual(['api-1', 'ledger-1']);
    expect(app.frame()).toContain('QoS by namespace(1)');
    expect(app.frame()).toContain('Pods by QoS in payments(2)');
    await app.press('0');
    expect(podNames(app)).toHaveLength(6);
  });

  it('updates live as pods come and go', async () => {
    app = await open();
    app.store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: qosPod('payments', 'api-2', { api: G }) }]);
    await tick(80);
    expect(podNames(app)).toContain('api-2');
    expect(lineOf(app, '   payments ')).toMatch(/payments\s+3\s+3\s+/);
  });

  it('widens NAME for a longer pod and narrows it when that pod goes, the cursor staying on its pod', async () => {
    app = await open();
    await app.press('j', 'j');
    const cursorLine = () => app?.lines().find((l) => l.startsWith('>')) ?? '';
    const classColumn = () => lineOf(app as Rendered, 'CLASS').indexOf('CLASS');
    const before = { cursor: cursorLine().split(/\s+/)[2], classAt: classColumn() };
    expect(before.cursor).toBe('ledger-1');
    const long = 'a-pod-with-a-name-longer-than-any-other';
    app.store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: qosPod('payments', long, { api: G }) }]);
    await tick(80);
    expect(podNames(app)).toContain(long);
    expect(classColumn()).toBe(before.classAt + long.length - 'frontend-1'.length);
    expect(cursorLine().split(/\s+/)[2]).toBe('ledger-1');
    app.store.getState().applyChanges([{ kind: 'pods', type: 'delete', key: `payments/${long}` }]);
    await tick(80);
    expect(podNames(app)).not.toContain(long);
    expect(classColumn()).toBe(before.classAt);
    expect(cursorLine().split(/\s+/)[2]).toBe('ledger-1');
  });

  it('Enter shows the pod: each container with requests and limits, the rules, the eviction order', async () => {
    app = await open();
    await app.press('j', 'j', 'j');
    expect(app.cursorLine()).toContain('frontend-1');
    await app.press(KEYS.enter);
    const frame = app.frame();
    expect(frame).toContain('Pod shop/frontend-1  Running  node node-a');
    expect(frame).toContain('QoS class Burstable: container frontend: cpu limit 500m != request 250m');
    expect(lineOf(app, 'frontend ')).toMatch(/frontend\s+app\s+250m\s+500m\s+128Mi\s+128Mi/);
    expect(lineOf(app, 'migrate')).toMatch(/migrate\s+init\s+100m\s+100m\s+64Mi\s+64Mi/);
    expect(lineOf(app, 'QoS sums')).toMatch(/QoS sums\s+350m\s+600m\s+192Mi\s+192Mi/);
    expect(frame).toMatch(/✗ BestEffort: .*\n\s+no: a cpu or memory request or limit is set/);
    expect(frame).toMatch(/✗ Guaranteed: .*\n\s+no: container frontend: cpu limit 500m != request 250m/);
    expect(frame).toMatch(/✓ Burstable: anything else/);
    // node-a runs toolbox (BestEffort), then the Burstable pods by memory request (frontend's
    // init container needs less than its app container), then the Guaranteed one. ledger-1
    // ranks as the Burstable its status.qosClass records, which is what the kubelet goes by.
    expect(frame).toContain('Eviction order under memory pressure on node-a: 2nd of 5');
    const order = app.lines().filter((l) => /^[> ]\s+\d+\s+(BestEffort|Burstable|Guaranteed)/.test(l));
    expect(order.map((l) => l.trim().split(/\s+/).pop())).toEqual(['shop/toolbox', 'shop/frontend-1', 'shop/recs-1', 'payments/ledger-1', 'payments/api-1']);
    expect(order[1]).toMatch(/^>/);
  });

  it('marks requests the API server defaulted from limits', async () => {
    const pods = [qosPod('a', 'only-limits', { app: { limits: { cpu: '1', memory: '1Gi' } } })];
    app = await open({ ...seed(), pods });
    await app.press(KEYS.enter);
    expect(lineOf(app, 'app ')).toMatch(/app\s+app\s+1\*\s+1\s+1Gi\*\s+1Gi/);
    expect(app.frame()).toContain('* request defaulted from the limit');
  });

  it('tells sidecars (init containers that keep running) from plain init containers', async () => {
    const withSidecar = namespaced('v1', 'Pod', 'shop', 'meshed', {
      spec: {
        nodeName: 'node-a',
        containers: [{ name: 'app', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } } }],
        initContainers: [
          { name: 'setup', resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '50m', memory: '32Mi' } } },
          { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '20m', memory: '16Mi' }, limits: { cpu: '20m', memory: '16Mi' } } },
        ],
      },
      status: { phase: 'Running', qosClass: 'Guaranteed' },
    });
    app = await open({ ...seed(), pods: [withSidecar] });
    await app.press(KEYS.enter);
    expect(lineOf(app, 'setup')).toMatch(/setup\s+init\s+50m\s+50m\s+32Mi\s+32Mi/);
    expect(lineOf(app, 'proxy')).toMatch(/proxy\s+sidecar\s+20m\s+20m\s+16Mi\s+16Mi/);
    expect(lineOf(app, 'QoS sums')).toMatch(/QoS sums\s+170m\s+170m\s+112Mi\s+112Mi/);
    expect(app.frame()).toContain('QoS class Guaranteed');
  });

  it('Esc returns from the detail to the list as it was: class filter, sort and cursor', async () => {
    app = await open();
    await app.press('c', 'c', '>', '>', '>', '>', 'j');
    expect(app.frame()).toContain('CPU LIM↑');
    expect(podNames(app)).toEqual(['recs-1', 'frontend-1']);
    expect(app.cursorLine()).toContain('frontend-1');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Pod shop/frontend-1');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Pods by QoS [class Burstable](2)');
    expect(app.frame()).toContain('CPU LIM↑');
    expect(app.cursorLine()).toContain('frontend-1');
  });

  it('follows the pod live, and says so when it is deleted', async () => {
    app = await open();
    await app.press('j', KEYS.enter);
    expect(app.frame()).toContain('Pod payments/api-1');
    app.store.getState().applyChanges([{ kind: 'pods', type: 'delete', key: 'payments/api-1' }]);
    await tick(80);
    expect(app.frame()).toContain('pod payments/api-1 is not in the cluster (deleted, or not listed yet); Esc goes back');
    expect(app.frame()).not.toContain('l logs');
  });

  it(':qos-pod NAMESPACE/NAME opens a pod; NAME alone works in the scoped namespace', async () => {
    app = await open();
    await app.press(':');
    await app.type('qos-pod shop/recs-1');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Pod shop/recs-1');
    expect(app.frame()).toContain('QoS class Burstable: container recs: no cpu limit');
    await app.press(':');
    await app.type('qos-pod toolbox');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('qos-pod needs a pod as NAMESPACE/NAME, got "toolbox"');
    app.store.getState().setScope('shop');
    await app.press(':');
    await app.type('qos-pod toolbox');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Pod shop/toolbox');
  });

  it('l opens the logs of the pod under the cursor', async () => {
    const logs: ViewSpec = { id: 'logs', title: 'Logs', commands: ['logs'], hotkey: '9', component: FakeLogs, keymap: [] };
    app = await renderApp({
      objects: seed(),
      columns: 160,
      rows: 40,
      props: { initialView: 'qos', views: [...VIEWS.filter((v) => v.id !== 'logs'), logs] },
    });
    await app.press('j', 'l');
    expect(app.frame()).toContain('logs of {"namespace":"payments","name":"api-1"}');
    await app.press(KEYS.escape);
    expect(app.cursorLine()).toContain('api-1');
    // And from the detail.
    await app.press('j', KEYS.enter, 'l');
    expect(app.frame()).toContain('logs of {"namespace":"payments","name":"ledger-1"}');
  });

  it('fits a small terminal: the summary shrinks to a third and says how many namespaces are left out', async () => {
    app = await open(seed(), { columns: 100, rows: 16 });
    expect(app.lines().length).toBeLessThan(16);
    expect(app.frame()).toMatch(/… 2 more namespaces/);
    expect(app.cursorLine()).toContain('job-1');
    // The reason stays readable on 100 columns.
    expect(app.cursorLine()).toMatch(/BestEffort\s+-\s+-\s+-\s+-\s+no container/);
  });

  it('lists its keys in the help screen and the footer', async () => {
    app = await open(seed(), { columns: 160, rows: 80 });
    expect(lineOf(app, 'Enter detail')).toMatch(/> sort\s+Enter detail\s+c class\s+m no-mem-limit\s+l logs\s+y yaml\s+d describe\s+e events\s+\/ filter/);
    await app.press('?');
    for (const b of QOS_KEYMAP) {
      expect(app.frame()).toContain(b.description);
      expect(app.frame()).toContain(b.keys.map(displayKey).join(' '));
    }
  });
});
