/**
 * `daytwo --demo` in a real terminal: the header badge counts the demo's alerts while another
 * view (Node pools) is open, `8` lists the five conditions the demo cluster produces, Enter on
 * the unreachable node opens the Nodes view on it, and `9` shows the events, Warning first.
 */
import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();

describe.skipIf(!hasTmux)('health in a terminal', E2E, () => {
  it('shows the alert badge on another view, the Health view and the Events view', async () => {
    const tui = startTui('node bin/daytwo.js --demo', { cols: 200, rows: 32 });
    await tui.waitFor(/pods \d+/);
    tui.keys('3');
    // The volume stats are read once the pods are listed: the fifth alert follows.
    let screen = await tui.waitFor(/alerts: 4 critical, 1 warning[\s\S]*Node pools/);
    expect(screen.split('\n')[0]).toContain('alerts: 4 critical, 1 warning');

    tui.keys('8');
    screen = await tui.waitFor(/Health\(5\)/);
    for (const rule of ['RolloutStalled', 'NodeUnreachable', 'CrashLoopBackOff', 'VolumeFilling', 'JobFailed']) expect(screen).toContain(rule);
    expect(screen).toMatch(/critical\s+RolloutStalled\s+Deployment\/monitoring\/thanos-compactor\s+30m/);
    expect(screen).toMatch(/Warning events of deployment\/thanos-compactor and what it owns \([1-9]\d*\)/);
    expect(screen).toContain('FailedScheduling');

    tui.keys('j');
    await tui.waitFor(/>\s+critical\s+NodeUnreachable/);
    tui.keys('Enter');
    screen = await tui.waitFor(/Nodes\(8\)/);
    expect(cursorRow(screen)).toMatch(/^>\s+ip-10-0-16-17\.eu-west-1\S*\s+ng-old\s+NotReady\s/);
    expect(screen.split('\n')[0]).toContain('alerts: 4 critical, 1 warning');

    tui.keys('9');
    screen = await tui.waitFor(/Events\(\d+\)/);
    expect(cursorRow(screen)).toMatch(/^>\s+Warning /);
  });
});
