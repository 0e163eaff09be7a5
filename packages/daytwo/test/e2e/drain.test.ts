/**
 * Drains a node of the demo cluster from the keyboard, in a real terminal: Node pools (4),
 * the old pool's nodes (Enter), the plan dialog (d), a grace-period choice (4), confirm (y),
 * the live progress until the node is drained, then the audit log (:audit).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();


// The demo's seed puts coredns (PDB maxUnavailable 1), prometheus-0 and a payments worker on
// ip-10-0-16-11, an old-pool node that is not cordoned. (The cordoned old node runs a
// payments API pod whose PDB allows no disruption: its drain would wait for the timeout.)
const NODE = 'ip-10-0-16-11.eu-west-1.compute.internal';

describe.skipIf(!hasTmux)('draining a node of daytwo --demo from the keyboard', E2E, () => {
  it('shows the plan, drains the node with live progress, and records it in the audit log', { timeout: 60_000 }, async () => {
    const audit = path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-drain-')), 'audit.log');
    const tui = startTui(`DAYTWO_AUDIT_LOG=${audit} node bin/daytwo.js --demo`, { cols: 160, rows: 40 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);

    tui.keys('3');
    let screen = await tui.waitFor(/Node pools\(3\)/);
    expect(screen).toMatch(/ng-new\s+eks\.amazonaws\.com\/nodegroup\s+3\s+3\/3/);
    // Four old nodes, one of which stopped reporting (NotReady), one cordoned.
    expect(screen).toMatch(/ng-old\s+eks\.amazonaws\.com\/nodegroup\s+4\s+3\/4\s+1\s+1\s+v1\.29\.6-eks-1552ad0\s+-1/);

    tui.keys('j');
    await tui.waitFor((s) => cursorRow(s)?.includes('ng-old') ?? false);
    tui.keys('Enter');
    screen = await tui.waitFor('Nodes of pool eks.amazonaws.com/nodegroup=ng-old');
    tui.keys('j');
    screen = await tui.waitFor((s) => cursorRow(s)?.includes(NODE) ?? false);
    expect(cursorRow(screen)).toMatch(/Ready\s+<none>.*v1\.29\.6-eks-1552ad0\s+-1\s/);

    tui.keys('r');
    screen = await tui.waitFor(`Drain ${NODE}?`);
    expect(screen).toContain('3 to evict, 3 skipped, 0 blocked');
    expect(screen).toMatch(/evict\s+kube-system\/coredns-/);
    expect(screen).toMatch(/skip\s+monitoring\/node-exporter-\w+\s+DaemonSet-managed/);
    expect(screen).toContain('capacity: room on the other nodes for the 3 pods to reschedule');
    // Grace period: pod default -> 0s, so the simulated kubelet removes the pods at once.
    tui.keys('4');
    await tui.waitFor('<0s> 4 grace period');
    tui.keys('y');

    screen = await tui.waitFor(/Draining node\/ip-10-0-16-11|drained node\//);
    screen = await tui.waitFor(`drained node/${NODE}: 3 pods moved, 0 not moved`, 45_000);
    screen = await tui.waitFor((s) => (s.match(/running-elsewhere\s+running again on ip-/g) ?? []).length === 3, 30_000);
    expect(screen).not.toMatch(/running again on ip-10-0-16-11\./);

    tui.keys('Escape');
    screen = await tui.waitFor((s) => !s.includes('running-elsewhere'));
    expect(cursorRow(screen)).toContain('Ready,SchedulingDisabled');
    expect(cursorRow(screen)).toMatch(/SchedulingDisabled\s+<none>.*\s3\s/);

    tui.type(':audit');
    tui.keys('Enter');
    screen = await tui.waitFor('Audit log(2)');
    expect(screen).toMatch(new RegExp(`drain\\s+node/${NODE.replace(/\./g, '\\.')}\\s+end\\s+succeeded`));
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.phase, l.result, l.options?.gracePeriodSeconds])).toEqual([
      ['drain', `node/${NODE}`, 'start', undefined, 0],
      ['drain', `node/${NODE}`, 'end', 'succeeded', 0],
    ]);
    expect(lines[0]).toMatchObject({ context: 'daytwo-sim', user: 'daytwo-sim-admin' });

    tui.keys('q');
    await tui.waitFor('[exit 0]');
  });

  it('keeps a drain in sight across views, then asks before quitting and cancels it with its audit end line', { timeout: 60_000 }, async () => {
    // The cordoned old node: the payments/api PDB (0 allowed) holds its drain until cancelled.
    const held = 'ip-10-0-16-12.eu-west-1.compute.internal';
    const audit = path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-drain-quit-')), 'audit.log');
    const tui = startTui(`DAYTWO_AUDIT_LOG=${audit} node bin/daytwo.js --demo`, { cols: 160, rows: 45 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);
    tui.keys('3');
    await tui.waitFor(/Node pools\(3\)/);
    tui.keys('j');
    await tui.waitFor((s) => cursorRow(s)?.includes('ng-old') ?? false);
    tui.keys('Enter');
    await tui.waitFor('Nodes of pool eks.amazonaws.com/nodegroup=ng-old');
    // The last old node is the one that stopped reporting; the cordoned one is just above it.
    tui.keys('G');
    await tui.waitFor((s) => cursorRow(s)?.includes('ip-10-0-16-17.eu-west-1.compute.internal') ?? false);
    tui.keys('k');
    await tui.waitFor((s) => cursorRow(s)?.includes(held) ?? false);
    tui.keys('r');
    await tui.waitFor(`Drain ${held}?`);
    tui.keys('y');
    await tui.waitFor(/waiting-for-pdb/);

    // Away and back: the drain is still shown.
    tui.keys('1');
    await tui.waitFor((s) => /payments\s+Active/.test(s) && !s.includes('waiting-for-pdb'));
    tui.keys('3');
    let screen = await tui.waitFor(/Node pools\(3\)/);
    screen = await tui.waitFor(`Draining node/${held}`);
    expect(screen).toContain('waiting-for-pdb');

    tui.keys('q');
    await tui.waitFor('1 drain running: quit and cancel it?');
    tui.keys('y');
    screen = await tui.waitFor('[exit 0]');
    expect(screen).toMatch(/daytwo: drain node\/ip-10-0-16-12[\w.-]*: drain cancelled: \d+ pods? moved, (\d+ evicted and still terminating \([^)]*\), )?1 not moved \(payments\/api-[\w-]+\); the node stays cordoned/);
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.phase, l.result])).toEqual([
      ['drain', `node/${held}`, 'start', undefined],
      ['drain', `node/${held}`, 'end', 'cancelled'],
    ]);
  });
});
