/**
 * `6` in the drain dialog rehearses the drain on a simulated copy of the cluster: the report
 * shows what the copy did (evictions, the PDB hold), the live cluster is left as it was, and
 * the report's dialog offers the real drain.
 */
import { existsSync, readFileSync, } from 'node:fs';
import type { Node } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { buildMigrationCluster, MIGRATION_NS, poolNodes, simPods } from '../helpers/migration-cluster.js';
import { frameShows, KEYS, } from '../helpers/render.js';

const consoles = liveConsoleHooks('daytwo-rehearse-drain-view-', async () => {
  const t = await startTestSim({ scenario: 'empty', speed: 10 });
  await buildMigrationCluster(t);
  return t;
});
/** The dialog's text with its border and line wrapping taken out. */
const dialogText = (frame: string) =>
  frame
    .split('\n')
    .map((l) => l.replace(/^\s*│|│\s*$/g, '').trim())
    .join(' ');

const cordoned = (name: string) => (consoles.sim.sim.store.get('nodes', '', name) as Node | undefined)?.spec?.unschedulable === true;

describe('rehearsing a drain from the drain dialog', () => {
  it('shows what the copy did, changes nothing live, then drains for real on y', { timeout: 60_000 }, async () => {
    // The blue node with two web pods: the web PDB (maxUnavailable 1) holds the second eviction.
    const web = (n: string) => simPods(consoles.sim).filter((p) => p.metadata.labels?.app === 'web' && p.spec?.nodeName === n).length;
    const node = poolNodes(consoles.sim, 'blue').sort((a, b) => web(b) - web(a))[0];
    const onNode = simPods(consoles.sim).filter((p) => p.spec?.nodeName === node);
    const live = await consoles.open({ initialView: 'nodes', columns: 200, rows: 45 });
    const { app } = live;
    await app.press('/');
    await app.type(node);
    await app.press(KEYS.enter, 'r');
    await frameShows(app, `Drain ${node}?`);
    await app.press('6');
    await frameShows(app, '[x] 6 rehearse on a simulated copy first (changes nothing)');
    await app.press('y');

    await frameShows(app, 'Drain for real (y)', 45_000);
    expect(app.frame()).toContain(`Rehearsal: drained, drain of ${node.slice(0, 20)}`);
    const frame = dialogText(app.frame());
    expect(frame).toContain(`Rehearsal of the drain of node/${node} on a simulated copy (30x): drained`);
    expect(frame).toContain(`evictions: ${onNode.length}; pods Pending: 0`);
    for (const pod of onNode) expect(frame).toMatch(new RegExp(`evict\\s+${MIGRATION_NS}/${pod.metadata.name}`));
    // Four web pods on three nodes: this one runs two, and the budget held the second.
    expect(frame).toContain('PDB holds: 1');
    expect(frame).toMatch(/pdb-hold shop\/web-\S+ +[\d.]+s +PodDisruptionBudget shop/);
    expect(frame).toContain('Drain for real');
    // The live cluster is as it was: nothing cordoned, no pod moved, nothing audited.
    expect(cordoned(node)).toBe(false);
    expect(simPods(consoles.sim).filter((p) => p.spec?.nodeName === node).map((p) => p.metadata.uid)).toEqual(onNode.map((p) => p.metadata.uid));
    expect(existsSync(live.audit.path) ? readFileSync(live.audit.path, 'utf8') : '').toBe('');

    await app.press('y');
    await frameShows(app, `drained node/${node}`, 45_000);
    expect(cordoned(node)).toBe(true);
    expect(simPods(consoles.sim).filter((p) => p.spec?.nodeName === node && !p.metadata.deletionTimestamp)).toEqual([]);
  });
});
