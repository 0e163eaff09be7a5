/**
 * What the console claims when it cannot see everything: kinds the server refuses to list
 * show as not permitted (never as zeros or "none"), and `-n` shows one namespace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { KEYS, limitRange, namespace, namespaced, pod, type Rendered, renderApp, tick } from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const FORBIDDEN = 'pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope';

const seed = () => ({
  namespaces: [namespace('default'), namespace('payments'), namespace('shop')],
  pods: [pod('shop', 'cart-1', { qosClass: 'Guaranteed', restarts: [4] }), pod('payments', 'api-1', { qosClass: 'Burstable' })],
  deployments: [namespaced('apps/v1', 'Deployment', 'shop', 'cart')],
  limitranges: [limitRange('shop', 'defaults')],
  resourcequotas: [],
});

const rowOf = (r: Rendered, name: string) => r.lines().find((l) => l.slice(3).startsWith(`${name} `)) ?? '';

describe('kinds the server refuses to list', () => {
  it('Namespaces: pod columns show `?` and the title says pods are not permitted', async () => {
    const { pods: _pods, ...rest } = seed();
    app = await renderApp({ objects: rest, columns: 160, rows: 20 });
    app.store.getState().setConnection('pods', 'forbidden', FORBIDDEN);
    await tick();
    expect(app.lines().find((l) => l.startsWith('Namespaces('))).toContain('pods: not permitted');
    // PODS R/P/F, RESTARTS and QOS are unknown; WORKLOADS and LIMITRANGE still come from readable kinds.
    expect(rowOf(app, 'shop')).toMatch(/shop\s+Active\s+60m\s+\?\s+\?\s+1\s+\?\s+yes\s+-/);
    expect(rowOf(app, 'shop')).not.toContain('0/0/0');
    app.store.getState().setConnection('pods', 'live');
    await tick();
    expect(app.lines().find((l) => l.startsWith('Namespaces('))).not.toContain('not permitted');
    expect(rowOf(app, 'shop')).toContain('0/0/0');
  });

  it('QoS: LimitRange defaults read `?` (not "none") and a forbidden pod list says so', async () => {
    const { limitranges: _lr, ...rest } = seed();
    app = await renderApp({ objects: rest, columns: 200, rows: 30, props: { initialView: 'qos' } });
    app.store.getState().setConnection('limitranges', 'forbidden', 'limitranges is forbidden');
    await tick();
    expect(app.frame()).toContain('limitranges: not permitted');
    const shopSummary = app.lines().find((l) => l.slice(3).startsWith('shop ')) ?? '';
    expect(shopSummary).toMatch(/\?\s*$/);
    expect(shopSummary).not.toContain('none');

    app.store.getState().applyChanges([{ kind: 'pods', type: 'replace', objects: [] }]);
    app.store.getState().setConnection('pods', 'forbidden', FORBIDDEN);
    await tick();
    expect(app.lines().find((l) => l.startsWith('Pods by QoS'))).toContain('pods: not permitted');
    expect(app.frame()).not.toContain('no pods (yet)');
  });
});

const nodeObject = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'eks.amazonaws.com/nodegroup': 'ng-a' }, creationTimestamp: new Date(Date.now() - 3_600_000).toISOString() },
  spec: {},
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.4' } },
});

describe('kinds the server refuses to list, in the node and workload views', () => {
  it('Node pools and Nodes: pod figures read `?` and the title says pods are not permitted', async () => {
    const { pods: _pods, ...rest } = seed();
    app = await renderApp({ objects: { ...rest, nodes: [nodeObject('n1')] }, columns: 220, rows: 30, props: { initialView: 'nodepools' } });
    app.store.getState().setConnection('pods', 'forbidden', FORBIDDEN);
    await tick();
    expect(app.lines().find((l) => l.startsWith('Node pools('))).toContain('pods: not permitted');
    expect(rowOf(app, 'ng-a')).toMatch(/\s\?\s+\?\s+\?\s+\?\s+\?/);
    await app.press(':');
    await app.type('nodes');
    await app.press(KEYS.enter);
    expect(app.lines().find((l) => l.startsWith('Nodes('))).toContain('pods: not permitted');
    expect(rowOf(app, 'n1')).toMatch(/\s\?\s+\?\s+\?\s/);
  });

  it('Nodes under -n: says its pod figures cover only that namespace', async () => {
    app = await renderApp({ objects: { ...seed(), nodes: [nodeObject('n1')] }, cluster: { namespace: 'shop' }, columns: 200, rows: 30, props: { initialView: 'nodes' } });
    expect(app.lines().find((l) => l.startsWith('Nodes('))).toContain('pods of -n shop only');
  });

  it('Workloads: a refused list is said, not shown as "no deployments (yet)"', async () => {
    const { deployments: _d, ...rest } = seed();
    app = await renderApp({ objects: rest, columns: 200, rows: 30, props: { initialView: 'workloads' } });
    for (const kind of ['deployments', 'statefulsets', 'daemonsets'] as const) app.store.getState().setConnection(kind, 'forbidden', `${kind} is forbidden`);
    await tick();
    expect(app.frame()).toContain('deployments, statefulsets, daemonsets: not permitted');
    expect(app.frame()).not.toContain('(yet)');
  });
});

describe('-n NAMESPACE', () => {
  it('lists only that namespace, and the header says so', async () => {
    // Under -n the session lists only shop's pods, but every namespace when it may.
    app = await renderApp({ objects: seed(), cluster: { namespace: 'shop' }, columns: 160, rows: 20 });
    expect(app.lines().find((l) => l.startsWith('Namespaces('))).toContain('Namespaces(1)');
    expect(rowOf(app, 'shop')).toContain('shop');
    expect(rowOf(app, 'payments')).toBe('');
    expect(app.lines()[1]).toContain('scope: shop (-n)');
  });

  it('Node pools: says its pod figures cover only the -n namespace', async () => {
    app = await renderApp({ objects: seed(), cluster: { namespace: 'shop' }, columns: 200, rows: 30, props: { initialView: 'nodepools' } });
    expect(app.lines().find((l) => l.startsWith('Node pools('))).toContain('pods of -n shop only');
  });
});

describe('x', () => {
  it('dismisses the message on screen, not a newer one that has faded', async () => {
    app = await renderApp({ objects: seed() });
    const store = app.store;
    const now = Date.now();
    store.setState({
      messages: [
        { id: 1, level: 'error', text: 'sync failed: conflict', at: now - 60_000 },
        { id: 2, level: 'info', text: 'scope: shop', at: now - 30_000 },
      ],
    });
    await tick();
    const status = () => app!.lines().find((l) => l.startsWith('✗') || l.startsWith('i ')) ?? '';
    expect(status()).toContain('sync failed: conflict');
    await app.press('x');
    expect(app.frame()).not.toContain('sync failed: conflict');
    expect(store.getState().messages.map((m) => m.id)).toEqual([2]);
  });
});
