import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();


describe.skipIf(!hasTmux)('the QoS view of daytwo --demo in a terminal', E2E, () => {
  it('lists every class, filters, opens a pod and comes back with Esc', async () => {
    const tui = startTui(`node bin/daytwo.js --demo`, { cols: 180, rows: 40 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);

    tui.keys('4');
    let screen = await tui.waitFor(/Pods by QoS\(\d+\)/);
    expect(screen).toMatch(/payments\s+3\s+3\s+0\s+0\s+0\s+0\s+none/);
    expect(screen).toMatch(/shop\s+\d+\s+0\s+\d+\s+0\s+0\s+0\s+req cpu 100m mem 128Mi · lim cpu 500m mem 512Mi/);
    expect(screen).toMatch(/BestEffort\s+-\s+-\s+-\s+-\s+no container sets requests or limits/);

    tui.keys('c');
    screen = await tui.waitFor('[class Guaranteed](3)');
    expect(cursorRow(screen)).toMatch(/payments\s+api-\S+\s+Guaranteed\s+500m\s+500m\s+512Mi\s+512Mi/);

    tui.keys('j', 'Enter');
    screen = await tui.waitFor(/Eviction order under memory pressure on ip-\S+: \d+(st|nd|rd|th) of \d+/);
    // Usage comes with the next metrics poll: wait for it rather than for the first frame.
    screen = await tui.waitFor(/^>\s+\d+\s+Guaranteed\s+priority\s+0\s+mem req\s+512Mi\s+use\s+[\d.]+[KMG]i\s+payments\/api-/m);
    const shown = /Pod payments\/(api-\S+)\s+Running\s+node ip-/.exec(screen)?.[1];
    expect(shown).toBeDefined();
    expect(screen).toMatch(/✓ Guaranteed: every container limits cpu and memory/);
    expect(screen).toMatch(/^>\s+\d+\s+Guaranteed\s+priority\s+0\s+mem req\s+512Mi\s+use\s+[\d.]+[KMG]i\s+payments\/api-/m);

    tui.keys('Escape');
    screen = await tui.waitFor('[class Guaranteed](3)');
    expect(cursorRow(screen)).toContain(shown);

    tui.keys('q');
    await tui.waitFor('[exit 0]');
  }, 60_000);
});
