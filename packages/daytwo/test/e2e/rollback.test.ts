import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();


describe.skipIf(!hasTmux)('rolling back a Deployment of daytwo --demo from the keyboard', E2E, () => {
  it('2, filter, Ctrl-L, diff, y: the frontend goes back to 1.4.1 and the rollout is followed to the end', async () => {
    const tui = startTui(`node bin/daytwo.js --demo`, { cols: 150, rows: 40 });
    await tui.waitFor(/shop\s+Active/);

    tui.keys('2');
    let screen = await tui.waitFor(/Workloads\(\d+\)/);
    expect(screen).toMatch(/monitoring\s+sts\s+prometheus\s+2\/2/);
    tui.keys('/');
    tui.type('frontend');
    tui.keys('Enter');
    // The filtered list, not the full one (which shows the frontend row too): Ctrl-L acts on the selection.
    screen = await tui.waitFor(/Workloads\(1\/\d+\)/);
    screen = await tui.waitFor(/shop\s+deploy\s+frontend\s+\d+\/\d+\s+\d+\s+\d+\s+3\s+complete\s+ghcr\.io\/acme\/shop-frontend:1\.5\.0/);
    // Offered once the SelfSubjectAccessReviews have answered.
    await tui.waitFor('Ctrl-L rollback');

    // Ctrl-L is k9s's rollback key; r restarts here, as in k9s.
    tui.keys('C-l');
    screen = await tui.waitFor('Roll back deployment.apps/frontend in shop');
    expect(cursorRow(screen)).toMatch(/^>\s+2\s+kubectl set image deployment\/frontend/);
    expect(screen).toContain('- spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.5.0');
    expect(screen).toContain('+ spec.containers[frontend].image: ghcr.io/acme/shop-frontend:1.4.1');

    tui.keys('r');
    await tui.waitFor('Roll back deployment.apps/frontend to revision 2?');
    tui.keys('y');
    await tui.waitFor('deployment.apps/frontend rolled back');
    screen = await tui.waitFor(/Rollout of deployment\.apps\/frontend to revision 2: complete/);
    expect(screen).toMatch(/4 \(current\)\s+kubectl set image deployment\/frontend frontend=ghcr\.io\/acme\/shop-frontend:1\.4\.1/);

    tui.keys('Escape');
    await tui.waitFor(/shop\s+deploy\s+frontend\s+\d+\/\d+\s+\d+\s+\d+\s+4\s+\S+\s+ghcr\.io\/acme\/shop-frontend:1\.4\.1/);
    tui.keys('q');
    await tui.waitFor('[exit 0]');
  }, 60_000);
});
