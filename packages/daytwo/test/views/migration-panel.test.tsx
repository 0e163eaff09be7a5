
import path from 'node:path';
import type { Node } from '@daytwo/k8s/wire-types.js';
import { seededRandom } from '@daytwo/sim/random.js';
import { eksNode } from '@daytwo/sim/scenarios/builders.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { BLUE, buildMigrationCluster, GREEN, MIGRATION_NS, poolNodes, simPods, until } from '../helpers/migration-cluster.js';
import { frameShows, KEYS, } from '../helpers/render.js';

const consoles = liveConsoleHooks('daytwo-migration-panel-', async (dir) => {
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
  const t = await startTestSim({ scenario: 'empty', speed: 10 });
  await buildMigrationCluster(t);
  // A third pool whose kubelet is five minors behind the API server: a preflight blocker when it is a target.
  t.sim.store.create('nodes', eksNode({ pool: { ...GREEN, name: 'legacy', kubeletVersion: 'v1.26.15-eks-1552ad0' }, index: 6, zone: 'eu-west-1a', random: seededRandom(9), createdAt: new Date() }));
  return t;
});
afterAll(() => {
  delete process.env.XDG_STATE_HOME;
});
const node = (name: string) => consoles.sim.sim.store.get('nodes', '', name) as Node;
/** `name uid` of the live (not terminating) pods on `nodes`. */
const podsOn = (nodes: readonly string[]) =>
  simPods(consoles.sim)
    .filter((p) => nodes.includes(p.spec?.nodeName ?? '') && !p.metadata.deletionTimestamp)
    .map((p) => `${p.metadata.name} ${p.metadata.uid}`)
    .sort();
const row = (frame: string, key: string) => frame.split('\n').find((l) => l.includes(key)) ?? '';

describe('the migration panel in Node pools', () => {
  it('preflight, per-node and per-pod progress, pause (no eviction) and resume, then abort with the pool cordoned', { timeout: 120_000 }, async () => {
    const blue = poolNodes(consoles.sim, BLUE.name);
    const before = new Map(blue.map((n) => [n, podsOn([n])]));
    const { app } = await consoles.open({ initialView: 'nodepools', columns: 200, rows: 50 });
    await frameShows(app, 'Node pools(3)');
    // Sorted by name: blue is the first row.
    await app.press('m');

    // Preflight: any other node is the default target, the legacy pool's kubelet a blocker.
    let frame = await frameShows(app, 'Migrate node pool blue?');
    expect(frame).toContain('nodepool/blue -> any other schedulable node: 3 nodes, 6 evictions');
    expect(frame).toMatch(/requests 2 CPU, 1\.5Gi memory; free on 4 target nodes: 15\.68 CPU/);
    expect(frame).toContain('1 blocker (confirming goes on anyway)');
    expect(frame).toMatch(/pool legacy: kubelet v1\.26\.15-eks-1552ad0, unsupported skew/);
    expect(frame).toMatch(/blocker: pool legacy: kubelet 1\.26 is 5 minor versions older/);
    await app.press('1');
    frame = await frameShows(app, 'nodepool/blue -> green: 3 nodes, 6 evictions');
    expect(frame).toMatch(/requests 2 CPU, 1\.5Gi memory; free on 3 target nodes/);
    expect(frame).toContain('no blocker');
    expect(frame).not.toContain('pool legacy');
    await app.press('y');

    // Running: every node cordoned first, then the first one drained.
    frame = await frameShows(app, new RegExp(`node/${blue[0]}\\s+(draining|gating)`));
    // Pause at once: it takes effect before the next node, the first one's drain and gate go on.
    await app.press('p');
    expect(frame).toMatch(/Migrating nodepool\/blue: 0\/3 nodes done/);
    for (const n of blue.slice(1)) expect(row(frame, `node/${n}`)).toMatch(/cordoned/);
    expect(blue.every((n) => node(n).spec?.unschedulable === true)).toBe(true);
    await frameShows(app, new RegExp(`(Pausing nodepool/blue after node/${blue[0]}: 0/3|Paused nodepool/blue: 1/3) nodes done`));
    frame = await frameShows(app, /Paused nodepool\/blue: 1\/3 nodes done\s+\(p resumes, Esc aborts\)/, 30_000);
    // Per pod: the first node's pods, each evicted.
    for (const p of before.get(blue[0])!) expect(frame).toMatch(new RegExp(`shop/${p.split(' ')[0]}\\s+evicted`));
    expect(row(frame, `node/${blue[0]}`)).toMatch(/done/);
    expect(row(frame, `node/${blue[1]}`)).toMatch(/cordoned/);
    const rest = podsOn(blue.slice(1));
    expect(rest).toEqual([...before.get(blue[1])!, ...before.get(blue[2])!].sort());
    // 30 simulated seconds more (the first node's drain and gate took about 10): still no eviction.
    await until('the replacements to be Ready', () => simPods(consoles.sim).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= 6);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(podsOn(blue.slice(1))).toEqual(rest);
    expect(app.frame()).toMatch(/Paused nodepool\/blue: 1\/3 nodes done/);

    // Resume: the second node drains; pause again, then abort while it is under way.
    await app.press('p');
    await frameShows(app, new RegExp(`node/${blue[1]}\\s+(draining|gating|done)`));
    await app.press('p');
    await frameShows(app, /(Pausing nodepool\/blue after node\/\S+|Paused nodepool\/blue): \d\/3 nodes done/);
    await app.press(KEYS.escape);
    await frameShows(app, 'Abort the migration of nodepool/blue?');
    await app.press('y');
    frame = await frameShows(app, /migration of nodepool\/blue aborted: [12]\/3 nodes drained, \d+ pods moved \(/, 30_000);
    // The pods named as moved are exactly those gone from the first two nodes; the third node's are where they were.
    const moved = /pods moved \(([^)]*)\)/.exec(frame)?.[1].split(', ').sort();
    const gone = [...before.get(blue[0])!, ...before.get(blue[1])!].filter((p) => !podsOn(blue).includes(p)).map((p) => `${MIGRATION_NS}/${p.split(' ')[0]}`);
    expect(moved).toEqual(gone.sort());
    expect(podsOn([blue[2]])).toEqual(before.get(blue[2]));
    expect(frame).toContain('every node of the pool stays cordoned');
    expect(blue.every((n) => node(n).spec?.unschedulable === true)).toBe(true);
    await app.press(KEYS.escape);
    await until('the panel to close', () => !app!.frame().includes('aborted:'));
  });
});
