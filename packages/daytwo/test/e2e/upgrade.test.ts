/**
 * `daytwo --demo` in a real terminal, `:upgrade`: the verdict, the demo's removed APIs
 * (a PDB last applied through policy/v1beta1, a Helm release using batch/v1beta1), the
 * sections and the target keys.
 */
import { describe, expect, it } from 'vitest';
import { E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();

describe.skipIf(!hasTmux)('the Upgrade view in a terminal', E2E, () => {
  it('shows the verdict and removed APIs, switches sections and moves the target', async () => {
    const tui = startTui('node bin/daytwo.js --demo', { cols: 200, rows: 30 });
    await tui.waitFor(/pods \d+/);
    tui.type(':upgrade');
    tui.keys('Enter');
    // The Helm releases are listed once the Secrets answer.
    let screen = await tui.waitFor(/helm: batch\/reporting r1/);
    expect(screen).toMatch(/Upgrade 1\.30 -> 1\.31: blocked: \d+/);
    expect(screen).toMatch(/REMOVED\s+PodDisruptionBudget\s+batch\/legacy-reporter\s+policy\/v1beta1\s+1\.21\s+1\.25\s+policy\/v1 \(1\.21\)\s+live \(last-applied\)/);
    expect(screen).toMatch(/REMOVED\s+CronJob\s+batch\/reporting-weekly\s+batch\/v1beta1/);

    tui.keys('Tab');
    // ng-r5's kubelets (1.27) are four minors behind the default target.
    screen = await tui.waitFor(/ng-r5\s+1\s+v1\.27\.9-eks-5e0fdde\s+4\s+UNSUPPORTED/);
    expect(screen).toMatch(/ng-old\s+4\s+v1\.29\.6-eks-1552ad0\s+2\s+ok/);

    tui.keys('Tab');
    screen = await tui.waitFor(/blocker\s+PodDisruptionBudget\s+payments\/api/);
    expect(screen).toContain('no pod may ever be evicted');

    tui.keys('Tab', 'Tab');
    await tui.waitFor(/1\s+control plane\s+upgrade to 1\.31/);
    tui.type('++');
    screen = await tui.waitFor(/Upgrade 1\.30 -> 1\.33/);
    expect(screen).toMatch(/BLOCKER\s+pool ng-old: kubelet 1\.29 is 4 minor versions older than kube-apiserver 1\.33/);
  });
});
