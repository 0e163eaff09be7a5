/**
 * `daytwo --demo` is the shop window: pressing each view's number shows rows, Drift
 * included (the demo's own Git repository, and the six differences it drifts by).
 */
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/views/registry.js';
import { E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();

/** What each numbered view must show on the demo: a title with a row count above zero, and a row. */
const EXPECTED: Record<string, RegExp> = {
  namespaces: /payments\s+Active/,
  nodepools: /ng-old\s+eks\.amazonaws\.com\/nodegroup/,
  qos: /Pods by QoS\(\d+\)/,
  logs: /no log target: open the logs from a pod or a workload, or type :logs <selector>/,
  drift: /Drift\(9\)/,
  workloads: /Workloads\(\d+\)/,
  upgrade: /Upgrade 1\.30 -> 1\.31: blocked/,
  health: /Health\(\d+\)/,
  events: /Events\(\d+\)/,
};

describe.skipIf(!hasTmux)('the demo shows every view working', E2E, () => {
  it('has content behind every number, and Drift against its own Git repository', async () => {
    const tui = startTui('node bin/daytwo.js --demo', { cols: 160, rows: 40 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);
    const numbered = VIEWS.filter((v) => v.hotkey);
    expect(numbered.map((v) => v.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const view of numbered) {
      tui.keys(view.hotkey!);
      const screen = await tui.waitFor(EXPECTED[view.id]);
      expect(screen).not.toMatch(/\(0\)\s/);
    }

    tui.keys(numbered.find((v) => v.id === 'drift')!.hotkey!);
    const drift = await tui.waitFor(/Synced 4\s+OutOfSync 3\s+Missing 1\s+Extra 1/);
    expect(drift).toMatch(/Git: \/\S+daytwo-demo-git-\S+ @ [0-9a-f]{7} "shop: frontend, cart and recommendations"/);
    for (const row of [
      /OutOfSync\s+Deployment\.apps\s+shop\s+cart\s+1/,
      /OutOfSync\s+Deployment\.apps\s+shop\s+recommendations\s+1/,
      /OutOfSync\s+ConfigMap\s+shop\s+frontend-config\s+1/,
      /Missing\s+ConfigMap\s+shop\s+feature-flags/,
      /Extra\s+ConfigMap\s+shop\s+debug-overrides/,
      /Synced\s+Service\s+shop\s+cart\s+0\s+1/,
    ]) {
      expect(drift).toMatch(row);
    }

    tui.keys('?');
    const numbers = numbered.map((v) => v.hotkey).join(' ');
    const driftKey = numbered.find((v) => v.id === 'drift')!.hotkey;
    const help = await tui.waitFor(`Demo cluster: every view has content behind its number (${numbers})`);
    expect(help).toContain(`${driftKey} Drift compares the demo's own Git repository of shop.`);
  });
});
