/**
 * The console's drains live in the store, not in the view that started them: they stay on
 * screen across view switches, Esc cancels them from any node view, a node being drained
 * cannot be drained again, and quitting asks first, then cancels them with their audit
 * "end" line written. The plan dialog scrolls instead of cutting the pod list.
 */
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
import { KEYS, type Rendered, renderElement, seededStore, waitForFrame } from '../helpers/render.js';

let t: TestSim;
const sessions: KubeSession[] = [];
let app: Rendered | undefined;

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
});
afterEach(() => {
  app?.unmount();
  app = undefined;
});
afterAll(async () => {
  for (const s of sessions) await s.stop();
  await t.stop();
});

const auditIn = () => new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-drain-console-')), 'audit.log'));
const auditLines = (log: AuditLog) =>
  readFileSync(log.path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A console on the sim whose drain of a payments/api node waits on its PDB (minAvailable 2 of 2). */
async function consoleWithBlockedDrain() {
  const session = await openSession({ kubeConfigObject: t.kubeConfigFor('admin'), flushIntervalMs: 10 });
  sessions.push(session);
  session.start();
  await session.waitForSync();
  const log = auditIn();
  const actions = createClusterActions({ kc: session.kc, store: session.store, audit: log });
  const { objects } = session.store.getState();
  // Cordoned or not (the demo cordons one, the first test another): the budget blocks either.
  const api = [...objects.pods.values()].find((p) => p.metadata.namespace === 'payments' && p.metadata.labels?.app === 'api')!;
  const target = api.spec!.nodeName as string;
  app = await renderElement(<App store={session.store} initialView="nodes" callbacks={{ actions }} />, session.store, { columns: 160, rows: 45 });
  await app.press('/');
  await app.type(target);
  await app.press(KEYS.enter, 'r');
  await waitForFrame(app!, (f) => expect(f).toContain(`Drain ${target}?`));
  await app.press('y');
  await waitForFrame(app!, (f) => expect(f).toContain('waiting-for-pdb'));
  return { session, actions, log, target };
}

describe('a running drain in the console', () => {
  it('stays on screen across view switches; Esc cancels it from there; the node cannot be drained twice', async () => {
    const { target } = await consoleWithBlockedDrain();
    // Away to Namespaces and back to Node pools: the drain is still shown there.
    await app!.press('1');
    expect(app!.frame()).not.toContain('waiting-for-pdb');
    await app!.press('3');
    let frame = await waitForFrame(app!, (f) => expect(f).toContain('waiting-for-pdb'));
    expect(frame).toContain('Node pools(');
    expect(frame).toContain(`Draining node/${target}:`);
    expect(frame).toContain('(Esc cancels; the node stays cordoned)');
    // `d` on the same node, from the Nodes view: refused with the reason, no dialog.
    await app!.press(':');
    await app!.type('nodes');
    // The Nodes view kept its filter on the node.
    await app!.press(KEYS.enter, 'r');
    frame = app!.frame();
    expect(app!.cursorLine()).toContain(target);
    expect(frame).not.toContain(`Drain ${target}?`);
    expect(app!.lines().at(-1)).toContain(`drain refused: node/${target} is already being drained`);
    // Esc cancels the drain (it does not go back or clear the filter first).
    await app!.press(KEYS.escape);
    frame = await waitForFrame(app!, (f) => expect(f).toContain('drain cancelled'));
    expect(frame).toMatch(/drain cancelled: \d+ pods? moved, (\d+ evicted and still terminating \([^)]*\), )?1 not moved \(payments\/api-[\w-]+\); the node stays cordoned/);
    expect(frame).toContain(`Nodes(1/`);
    expect((t.sim.store.get('nodes', '', target) as Node | undefined)?.spec?.unschedulable).toBe(true);
  });

  it('asks before quitting, then cancels the drain so the audit log has its end line', async () => {
    const { actions, log, target } = await consoleWithBlockedDrain();
    await app!.press('q');
    expect(app!.frame()).toContain('1 drain running: quit and cancel it?');
    expect(app!.frame()).toContain(`drain node/${target}`);
    // "Stay" keeps the console and the drain.
    await app!.press('n');
    expect(app!.frame()).toContain('waiting-for-pdb');
    await app!.press(':');
    await app!.type('q');
    await app!.press(KEYS.enter);
    expect(app!.frame()).toContain('1 drain running: quit and cancel it?');
    await app!.press('y');
    await app!.exited;
    await actions.cancelRunning?.();
    const lines = auditLines(log);
    expect(lines.map((l) => [l.action, l.phase, l.result])).toEqual([
      ['drain', 'start', undefined],
      ['drain', 'end', 'cancelled'],
    ]);
    expect((t.sim.store.get('nodes', '', target) as Node | undefined)?.spec?.unschedulable).toBe(true);
  });
});

/** A Node with room for many pods. */
function node(name: string, pool: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, 'eks.amazonaws.com/nodegroup': pool } },
    spec: {},
    status: { allocatable: { cpu: '64', memory: '256Gi', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.2' } },
  };
}

function pod(name: string, nodeName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-web', controller: true }],
    },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: '10m' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

describe('the drain plan dialog', () => {
  const dialogFor = async (objects: { nodes: KubeObject[]; pods: KubeObject[] }, rows: number, namespace?: string) => {
    const store = seededStore({ ...objects, daemonsets: [], poddisruptionbudgets: [] }, { namespace });
    const actions = createClusterActions({ kc: t.kubeConfigFor('admin'), store, audit: auditIn() });
    app = await renderElement(<App store={store} initialView="nodepools" callbacks={{ actions }} />, store, { columns: 160, rows });
  };

  it('under -n, says the plan covers that namespace only and that the drain lists every pod', async () => {
    await dialogFor({ nodes: [node('big', 'ng-big'), node('spare', 'ng-spare')], pods: [pod('web-00', 'big')] }, 30, 'shop');
    await app!.press(KEYS.enter, 'r');
    expect(app!.frame()).toContain('plan shows the pods of -n shop only; the drain lists all');
    await app!.press('n');
    await dialogFor({ nodes: [node('big', 'ng-big'), node('spare', 'ng-spare')], pods: [pod('web-00', 'big')] }, 30);
    await app!.press(KEYS.enter, 'r');
    expect(app!.frame()).toContain('Drain big?');
    expect(app!.frame()).not.toContain('-n');
  });

  it('scrolls every pod of a node with j/k and PgUp/PgDn, the title, options and buttons staying on screen', async () => {
    const pods = Array.from({ length: 80 }, (_, i) => pod(`web-${String(i).padStart(2, '0')}`, 'big'));
    await dialogFor({ nodes: [node('big', 'ng-big'), node('spare', 'ng-spare')], pods }, 30);
    await app!.press(KEYS.enter, 'r');
    const onScreen = () => {
      const frame = app!.frame();
      expect(frame).toContain('Drain big?');
      expect(frame).toContain('80 to evict, 0 skipped, 0 blocked');
      expect(frame).toContain('[x] 1 ignore DaemonSet pods');
      expect(frame).toContain('Drain (y)');
      expect(frame).not.toContain('more pods');
      expect(app!.lines().length).toBeLessThan(30);
      return frame;
    };
    let frame = onScreen();
    const window = Number(/lines 1-(\d+) of 80/.exec(frame)?.[1]);
    expect(window).toBeGreaterThan(5);
    expect(frame).toContain('shop/web-00');
    expect(frame).not.toContain('shop/web-79');
    await app!.press('j');
    frame = onScreen();
    expect(frame).toContain(`lines 2-${window + 1} of 80`);
    expect(frame).not.toContain('shop/web-00 ');
    await app!.press(KEYS.pageDown, KEYS.pageDown, KEYS.pageDown, KEYS.pageDown, KEYS.pageDown, KEYS.pageDown);
    frame = onScreen();
    expect(frame).toContain(`lines ${81 - window}-80 of 80`);
    expect(frame).toContain('shop/web-79');
    await app!.press(KEYS.pageUp, 'k');
    expect(onScreen()).not.toContain('shop/web-79');
    await app!.press('g');
    expect(onScreen()).toContain(`lines 1-${window} of 80`);
    await app!.press('G');
    expect(onScreen()).toContain(`lines ${81 - window}-80 of 80`);
    // y still drains and n still cancels while scrolling.
    await app!.press('n');
    expect(app!.frame()).not.toContain('Drain big?');
  });

  it('summarises a 30-node pool in a line and keeps the title on screen', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `ip-10-0-1-${i}`);
    const pods = names.flatMap((n) => [pod(`a-${n}`, n), pod(`b-${n}`, n), pod(`c-${n}`, n)]);
    await dialogFor({ nodes: [...names.map((n) => node(n, 'ng-old')), node('spare', 'ng-new')], pods }, 45);
    // Pools sorted by name: ng-new, ng-old.
    await app!.press('j', 'r');
    const frame = app!.frame();
    expect(frame).toContain('Drain 30 nodes, one at a time?');
    expect(frame).toContain('30 nodes: 90 to evict, 0 skipped, 0 blocked');
    expect(frame).toContain('ip-10-0-1-0: 3 to evict, 0 skipped, 0 blocked');
    expect(frame).toMatch(/lines 1-\d+ of 120/);
    expect(frame).toContain('Drain (y)');
    expect(app!.lines().length).toBeLessThan(45);
  });
});
