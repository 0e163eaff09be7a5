import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();

/** The screen's last non-blank row, counted from 1. */
const lastUsedRow = (screen: string) => screen.split('\n').findLastIndex((l) => l.trim() !== '') + 1;

describe.skipIf(!hasTmux)('daytwo --demo in a terminal', E2E, () => {
  it('shows the live cluster, answers keys, resizes, and restores the terminal on q', async () => {
    // CI=true as a CI runner exports it: Ink would paint nothing until exit, the console must.
    const tui = startTui(`CI=true node bin/daytwo.js --demo`, { cols: 120, rows: 30 });
    let screen = await tui.waitFor(/payments\s+Active/);
    expect(screen).toMatch(/daytwo-sim\s+v1\.30\.\d+/);
    expect(screen).toContain('live');
    expect(screen).toMatch(/shop\s+Active.*yes/);
    // Ink repaints the whole screen when the frame is as tall as the terminal: it never is.
    expect(lastUsedRow(screen)).toBeLessThan(30);

    expect(cursorRow(screen)).toContain('batch');
    tui.keys('j', 'j');
    screen = await tui.waitFor((s) => cursorRow(s)?.includes('kube-node-lease') ?? false);

    tui.type('/pay');
    tui.keys('Enter');
    screen = await tui.waitFor((s) => !s.includes('kube-system') && s.includes('payments'));
    expect(screen).not.toMatch(/^\s+shop\s/m);
    tui.keys('Enter');
    screen = await tui.waitFor(/scope: payments/);

    tui.keys('Escape');
    tui.keys('Escape');
    await tui.waitFor((s) => s.includes('kube-system'));

    tui.keys('?');
    screen = await tui.waitFor('Help');
    expect(screen).toContain('Scope the other views to this namespace');
    tui.keys('Escape');
    await tui.waitFor((s) => !s.includes('Scope the other views to this namespace'));

    tui.type(':nodez');
    tui.keys('Enter');
    screen = await tui.waitFor(/unknown|not a view/i);
    tui.keys('x');
    await tui.waitFor((s) => !/unknown|not a view/i.test(s));

    tui.resize(90, 16);
    screen = await tui.waitFor((s) => s.includes('batch') && s.split('\n')[0].length <= 90);
    expect(lastUsedRow(screen)).toBeLessThan(16);

    tui.keys('q');
    screen = await tui.waitFor('[exit 0]');
    expect(screen).not.toContain('Namespaces(');
  });

  it('refuses to start the console without a terminal and points to daytwo report', async () => {
    const tui = startTui(`node bin/daytwo.js --demo < /dev/null`);
    const screen = await tui.waitFor('[exit 2]');
    expect(screen).toContain('daytwo report');
  });
});
