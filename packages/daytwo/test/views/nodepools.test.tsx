import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Node } from '@daytwo/k8s/wire-types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { App } from '../../src/views/App.js';
import { KEYS, type Rendered, renderApp, renderElement, seededStore, waitForFrame } from '../helpers/render.js';

/** A Node as the API server returns it (the fields the views read). */
function node(name: string, opts: { labels?: Record<string, string>; kubelet?: string; unschedulable?: boolean; ready?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: new Date(Date.now() - 86_400_000).toISOString(), labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: opts.unschedulable ? { unschedulable: true } : {},
    status: {
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }],
      nodeInfo: { kubeletVersion: opts.kubelet ?? 'v1.30.2' },
    },
  };
}

const EKS = 'eks.amazonaws.com/nodegroup';
const KARPENTER = 'karpenter.sh/nodepool';

function cluster(): KubeObject[] {
  return [
    node('old-a', { labels: { [EKS]: 'ng-old', 'node.kubernetes.io/instance-type': 'm5.xlarge' }, kubelet: 'v1.26.9' }),
    node('old-b', { labels: { [EKS]: 'ng-old', 'node.kubernetes.io/instance-type': 'm5.xlarge' }, kubelet: 'v1.29.6', unschedulable: true }),
    node('new-a', { labels: { [EKS]: 'ng-new', 'node.kubernetes.io/instance-type': 'm6i.xlarge' } }),
    node('karp-a', { labels: { [KARPENTER]: 'default', [EKS]: 'ignored' } }),
    node('bare', { labels: { 'node.kubernetes.io/instance-type': 't3.large' }, ready: 'False' }),
  ];
}

let app: Rendered | undefined;

/** Waits (bounded) until the frame satisfies `test`: the simulated cluster answers at its own pace. */
afterEach(() => {
  app?.unmount();
  app = undefined;
});

describe('Node pools view', () => {
  it('groups nodes by the first provider pool label, shows the label, and flags mixed and unsupported kubelets', async () => {
    app = await renderApp({ objects: { nodes: cluster(), pods: [] }, cluster: { version: 'v1.30.4' }, columns: 230, rows: 20, props: { initialView: 'nodepools' } });
    const frame = app.frame();
    expect(frame).toContain('Node pools(4)');
    const row = (pool: string) => app!.lines().find((l) => l.includes(` ${pool} `)) ?? '';
    expect(row('default')).toContain(KARPENTER);
    expect(row('ng-old')).toContain(EKS);
    expect(row('ng-old')).toContain('v1.26.9,v1.29.6 (mixed)');
    // kubelet 1.26 against 1.30 is four minors behind: outside the policy.
    expect(row('ng-old')).toContain('-4 (unsupported)');
    // Both ng-old nodes are Ready, one of them cordoned.
    expect(row('ng-old')).toMatch(/ 2 +2\/2 +0 +1 /);
    expect(row('ng-new')).toMatch(/ 0 +m6i\.xlarge/);
    expect(row('t3.large')).toContain('node.kubernetes.io/instance-type');
  });

  it('lists a pool\'s nodes on Enter with status, roles, kubelet skew; Esc goes back to the pools', async () => {
    app = await renderApp({ objects: { nodes: cluster(), pods: [] }, cluster: { version: 'v1.30.4' }, columns: 200, rows: 20, props: { initialView: 'nodepools' } });
    // Sorted by pool name: default, ng-new, ng-old, t3.large.
    await app.press('j', 'j', KEYS.enter);
    const frame = app.frame();
    expect(frame).toContain(`Nodes of pool ${EKS}=ng-old`);
    const oldA = app.lines().find((l) => l.includes('old-a')) ?? '';
    expect(oldA).toContain('v1.26.9');
    expect(oldA).toContain('-4 (unsupported)');
    const oldB = app.lines().find((l) => l.includes('old-b')) ?? '';
    expect(oldB).toContain('Ready,SchedulingDisabled');
    expect(oldB).toMatch(/v1\.29\.6 +-1 /);
    expect(frame).not.toContain('new-a');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Node pools(4)');
  });

  it('gives keys typed in one read with Enter to the pool\'s node list Enter opened (SSH, tmux)', async () => {
    app = await renderApp({ objects: { nodes: cluster(), pods: [] }, cluster: { version: 'v1.30.4' }, columns: 200, rows: 20, props: { initialView: 'nodepools' } });
    // Pools sorted default, ng-new, ng-old: `jj` selects ng-old, Enter opens it, `j` moves to its second node.
    await app.chunk('j', 'j', KEYS.enter, 'j');
    expect(app.frame()).toContain(`Nodes of pool ${EKS}=ng-old`);
    expect(app.cursorLine()).toContain('old-b');
    await app.press(KEYS.escape);
    await app.chunk('k', KEYS.enter);
    expect(app.frame()).toContain(`Nodes of pool ${EKS}=ng-new`);
  });

  it('is reachable with :nodepools, the 3 key, and :nodes lists every node', async () => {
    app = await renderApp({ objects: { nodes: cluster(), pods: [] }, columns: 200, rows: 20 });
    await app.press('3');
    expect(app.frame()).toContain('Node pools(4)');
    await app.press(':');
    await app.type('nodes');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Nodes(5)');
  });

  it('hides c, u and r under --readonly', async () => {
    app = await renderApp({ objects: { nodes: cluster(), pods: [] }, cluster: { readonly: true }, columns: 200, rows: 20, props: { initialView: 'nodes' } });
    expect(app.lines().at(-2)).not.toContain('cordon');
    await app.press('c');
    // No dialog opens; the status line says why.
    expect(app.frame()).not.toMatch(/Cordon (node|\d+ nodes)\?/);
    expect(app.lines().at(-1)).toContain('refused, daytwo is read-only (--readonly)');
  });
});

describe('node actions against the simulated cluster', () => {
  let t: TestSim;
  const sessions: KubeSession[] = [];
  beforeAll(async () => {
    t = await startTestSim({ speed: 20 });
  });
  afterAll(async () => {
    for (const s of sessions) await s.stop();
    await t.stop();
  });

  const audit = () => new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-view-audit-')), 'audit.log'));

  it('shows a viewer that the node keys are denied, with the reason, and refuses them', async () => {
    const store = seededStore({ nodes: cluster(), pods: [] });
    const actions = createClusterActions({ kc: t.kubeConfigFor('viewer'), store, audit: audit() });
    app = await renderElement(<App store={store} initialView="nodes" callbacks={{ actions }} />, store, { columns: 200, rows: 20 });
    await waitForFrame(app!, (f) => expect(f).toContain('denied:'));
    expect(app.frame()).toMatch(/denied: c cordon, u uncordon, r drain \(not allowed to patch nodes/);
    await app.press('r');
    expect(app.frame()).not.toContain('Drain old-a?');
    expect(app.lines().at(-1)).toMatch(/drain denied: not allowed to patch nodes/);
  });

  it('offers to drain a whole pool, one node at a time, from its row', async () => {
    const store = seededStore({ nodes: cluster(), pods: [], daemonsets: [], poddisruptionbudgets: [] });
    const actions = createClusterActions({ kc: t.kubeConfigFor('admin'), store, audit: audit() });
    app = await renderElement(<App store={store} initialView="nodepools" callbacks={{ actions }} />, store, { columns: 200, rows: 30 });
    await app.press('j', 'j');
    expect(app.cursorLine()).toContain('ng-old');
    await app.press('r');
    expect(app.frame()).toContain('Drain 2 nodes, one at a time?');
    expect(app.frame()).toContain('old-a: 0 to evict, 0 skipped, 0 blocked');
    expect(app.frame()).toContain('old-b: 0 to evict, 0 skipped, 0 blocked');
    await app.press('n');
    expect(app.frame()).not.toContain('Drain 2 nodes');
    // Cordon on a pool row asks about all of its nodes.
    await app.press('c');
    expect(app.frame()).toContain('Cordon 2 nodes?');
    expect(app.frame()).toContain('old-a, old-b');
    await app.press(KEYS.escape);
  });

  it('drains a node from the keyboard: plan dialog with toggles, live progress, then the pods run elsewhere', async () => {
    const session = await openSession({ kubeConfigObject: t.kubeConfigFor('admin'), flushIntervalMs: 10 });
    sessions.push(session);
    session.start();
    await session.waitForSync();
    const log = audit();
    const actions = createClusterActions({ kc: session.kc, store: session.store, audit: log });
    const pods = [...session.store.getState().objects.pods.values()];
    // The ng-new node with two shop/frontend pods (seed 1): its PDB makes the second eviction wait.
    const counts = new Map<string, number>();
    for (const p of pods.filter((p) => p.metadata.labels?.app === 'frontend')) counts.set(p.spec?.nodeName ?? '', (counts.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    const target = [...counts].find(([, n]) => n >= 2)?.[0] as string;
    // What the plan must say follows from the pods the scheduler put on that node.
    const onTarget = pods.filter((p) => p.spec?.nodeName === target);
    const daemons = onTarget.filter((p) => p.metadata.ownerReferences?.some((o: { kind: string }) => o.kind === 'DaemonSet')).length;
    const evict = onTarget.length - daemons;
    app = await renderElement(<App store={session.store} initialView="nodes" callbacks={{ actions }} />, session.store, { columns: 160, rows: 40 });
    await app.press('/');
    await app.type(target);
    await app.press(KEYS.enter, 'r');
    let frame = await waitForFrame(app!, (f) => expect(f).toContain(`Drain ${target}?`));
    expect(frame).toContain(`Drain ${target}?`);
    expect(frame).toContain(`${evict} to evict, ${daemons} skipped, 0 blocked`);
    expect(frame).toMatch(/skip +kube-system\/aws-node-\w+ +DaemonSet-managed/);
    expect(frame).toMatch(/evict +shop\/frontend-/);
    expect(frame).toContain(`capacity: room on the other nodes for the ${evict} pods to reschedule`);
    expect(frame).toContain('[x] 1 ignore DaemonSet pods');
    // Toggling "ignore DaemonSets" off re-plans: the DaemonSet pods now block the drain.
    await app.press('1');
    frame = app.frame();
    expect(frame).toContain('[ ] 1 ignore DaemonSet pods');
    expect(frame).toMatch(new RegExp(`0 to evict|${evict} to evict, 0 skipped, ${daemons} blocked`));
    expect(frame).toContain('refused: cannot delete DaemonSet-managed Pods');
    await app.press('1', '5');
    expect(app.frame()).toContain('<1m> 5 timeout');
    await app.press('y');
    frame = await waitForFrame(app!, (f) => expect(f).toContain(`drained node/${target}`));
    expect(frame).toContain(`drained node/${target}: ${evict} pods moved, 0 not moved`);
    await waitForFrame(app!, (f) => expect((f.match(/running-elsewhere/g) ?? []).length).toBeGreaterThanOrEqual(evict));
    expect((app.frame().match(/running-elsewhere +running again on ip-/g) ?? []).length).toBe(evict);
    expect(app.frame()).toContain(`${target}`);
    const lines = readFileSync(log.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.phase, l.options?.timeoutSeconds])).toEqual([
      ['drain', 'start', 60],
      ['drain', 'end', 60],
    ]);
    // Esc closes the progress panel; the node is listed as cordoned.
    await app.press(KEYS.escape);
    expect(app.frame()).not.toContain('running-elsewhere');
    expect(app.frame()).toContain(`Nodes(1/8)  [${target}]`);
    expect(app.cursorLine()).toContain('Ready,SchedulingDisabled');
  });

  it('cancels a drain with Esc: the node stays cordoned and the summary says what did not move', async () => {
    const session = await openSession({ kubeConfigObject: t.kubeConfigFor('admin'), flushIntervalMs: 10 });
    sessions.push(session);
    session.start();
    await session.waitForSync();
    const actions = createClusterActions({ kc: session.kc, store: session.store, audit: audit() });
    const api = [...session.store.getState().objects.pods.values()].find(
      (p) => p.metadata.namespace === 'payments' && p.metadata.labels?.app === 'api' && !session.store.getState().objects.nodes.get(p.spec?.nodeName ?? '')?.spec?.unschedulable,
    )!;
    const target = api.spec!.nodeName as string;
    app = await renderElement(<App store={session.store} initialView="nodes" callbacks={{ actions }} />, session.store, { columns: 160, rows: 40 });
    await app.press('/');
    await app.type(target);
    await app.press(KEYS.enter, 'r');
    await waitForFrame(app!, (f) => expect(f).toContain(`Drain ${target}?`));
    expect(app.frame()).toMatch(new RegExp(`payments/${api.metadata.name} +PDB api: 0 allowed now`));
    expect(app.frame()).toContain('3 to evict, 3 skipped, 0 blocked, 1 held by a PDB now');
    await app.press('y');
    await waitForFrame(app!, (f) => expect(f).toContain('waiting-for-pdb'));
    expect(app.frame()).toMatch(/waiting-for-pdb +Cannot evict pod as it would violate the pod's disruption budget/);
    await app.press(KEYS.escape);
    await waitForFrame(app!, (f) => expect(f).toContain('drain cancelled'));
    expect(app.frame()).toMatch(/drain cancelled: \d+ pods? moved, /);
    // The whole line (cut to the terminal's width on screen): pods evicted and still terminating are not counted as moved.
    const message = [...session.store.getState().operations.values()].find((op) => op.action === 'drain')?.message;
    expect(message).toMatch(new RegExp(`^drain cancelled: \\d+ pods? moved, (\\d+ evicted and still terminating \\([^)]*\\), )?1 not moved \\(payments/${api.metadata.name}\\); the node stays cordoned$`));
    expect((t.sim.store.get('nodes', '', target) as Node | undefined)?.spec?.unschedulable).toBe(true);
  });
});
