/**
 * Migrates the demo's old node pool from the keyboard, in a real terminal: Node pools (3), the
 * old pool (m), the preflight (its PDB blocker named), confirm (y), progress per node and
 * pod, pause (p), abort (Esc, y): the pool stays cordoned. A second console on the same
 * state directory offers the unfinished migration, and m on the pool offers to resume it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();

describe.skipIf(!hasTmux)('migrating a node pool of daytwo --demo from the keyboard', E2E, () => {
  it('shows the preflight, runs with live progress, pauses, aborts and is offered again on restart', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-migrate-'));
    const env = `XDG_STATE_HOME=${dir}/state DAYTWO_AUDIT_LOG=${dir}/audit.log`;
    const tui = startTui(`${env} node bin/daytwo.js --demo`, { cols: 170, rows: 45 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);
    tui.keys('3');
    await tui.waitFor(/Node pools\(3\)/);
    tui.keys('j');
    await tui.waitFor((s) => cursorRow(s)?.includes('ng-old') ?? false);

    tui.keys('m');
    let screen = await tui.waitFor('Migrate node pool ng-old?');
    expect(screen).toMatch(/nodepool\/ng-old -> any other schedulable node: 4 nodes, 10 evictions/);
    expect(screen).toContain('1 blocker (confirming goes on anyway)');
    // The target choice: ng-new only.
    tui.keys('1');
    screen = await tui.waitFor('nodepool/ng-old -> ng-new: 4 nodes, 10 evictions');
    expect(screen).toMatch(/pool ng-new: kubelet v1\.30\.2-eks-1552ad0, skew 0 minors \(supported\)/);
    expect(screen).toMatch(/blocker: PodDisruptionBudget payments\/api never allows/);
    tui.keys('y');

    // The first node holds a payments/api pod its PDB never lets go: the migration waits there.
    screen = await tui.waitFor(/Migrating nodepool\/ng-old: 0\/4 nodes done/);
    screen = await tui.waitFor(/waiting-for-pdb/, 30_000);
    expect(screen).toMatch(/node\/ip-10-0-16-10[\w.-]*\s+draining/);
    expect(screen).toMatch(/node\/ip-10-0-16-11[\w.-]*\s+cordoned/);
    expect(screen).toMatch(/node\/ip-10-0-16-12[\w.-]*\s+cordoned/);
    expect(screen).toMatch(/node\/ip-10-0-16-17[\w.-]*\s+cordoned/);

    tui.keys('p');
    // The pause takes effect before the next node: the first one is still held by its PDB.
    screen = await tui.waitFor(/Pausing nodepool\/ng-old after node\/ip-10-0-16-10[\w.-]*: 0\/4 nodes done\s+\(p resumes, Esc aborts\)/);
    tui.keys('Escape');
    await tui.waitFor('Abort the migration of nodepool/ng-old?');
    tui.keys('y');
    screen = await tui.waitFor(/migration of nodepool\/ng-old aborted: 0\/4 nodes drained, \d+ pods? moved \(/);
    expect(screen).toMatch(/node\/ip-10-0-16-10[\w.-]*\s+draining\s+aborted here; the node stays cordoned/);
    tui.keys('Escape');
    screen = await tui.waitFor((s) => !s.includes('aborted: 0/4'));
    expect(screen).toMatch(/ng-old\s+eks\.amazonaws\.com\/nodegroup\s+4\s+3\/4\s+1\s+4\s/);

    tui.keys('q');
    await tui.waitFor('[exit 0]');
    const audit = readFileSync(`${dir}/audit.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.filter((l) => l.action === 'migrate').map((l) => [l.target, l.phase, l.result])).toEqual([
      ['nodepool/ng-old', 'start', undefined],
      ['nodepool/ng-old', 'end', 'cancelled'],
    ]);
    expect(audit.filter((l) => l.action === 'cordon' && l.phase === 'end')).toHaveLength(4);

    // A new console (the SSH session came back): the unfinished migration is offered.
    const again = startTui(`${env} node bin/daytwo.js --demo`, { cols: 170, rows: 45 });
    screen = await again.waitFor(/unfinished migration of node pool ng-old \(aborted, 0\/4 nodes done\): press m on it in Node pools \(3\) to resume/);
    again.keys('3');
    await again.waitFor(/Node pools\(3\)/);
    again.keys('j');
    await again.waitFor((s) => cursorRow(s)?.includes('ng-old') ?? false);
    again.keys('m');
    screen = await again.waitFor('Resume the migration of node pool ng-old?');
    expect(screen).toContain('unfinished migration (aborted, ');
    expect(screen).toMatch(/done, \d+ pods? moved; it resumes from the cluster's state/);
    again.keys('n');
    await again.waitFor((s) => !s.includes('Resume the migration'));
    again.keys('q');
    await again.waitFor('[exit 0]');
  });

  it('rehearses from the preflight (3) and shows what the copy did, leaving the cluster as it was', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-rehearse-'));
    const tui = startTui(`XDG_STATE_HOME=${dir}/state DAYTWO_AUDIT_LOG=${dir}/audit.log node bin/daytwo.js --demo`, { cols: 170, rows: 45 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);
    tui.keys('3');
    await tui.waitFor(/Node pools\(3\)/);
    tui.keys('j');
    await tui.waitFor((s) => cursorRow(s)?.includes('ng-old') ?? false);
    tui.keys('m');
    await tui.waitFor('Migrate node pool ng-old?');
    tui.keys('1');
    await tui.waitFor('nodepool/ng-old -> ng-new');
    // Gate timeout 10m -> 30m -> 5m: the copy gives up on the PDB-held pod after 5 simulated minutes.
    tui.keys('2');
    await tui.waitFor('<30m> 2 gate timeout');
    tui.keys('2');
    await tui.waitFor('<5m> 2 gate timeout');
    tui.keys('3');
    await tui.waitFor(/\[x\] 3 rehearse on a simulated copy first/);
    tui.keys('y');
    let screen = await tui.waitFor('Rehearsal of node pool ng-old: failed', 60_000);
    // The demo's thanos-compactor was Pending before anything moved: counted apart.
    expect(screen).toContain('evictions: 3; pods Pending: 1 (1 still Pending at the end, 1');
    expect(screen).toMatch(/pending\s+monitoring\/thanos-compactor-/);
    expect(screen).toContain('timeout (300s) was reached');
    expect(screen).toMatch(/pdb-hold payments\/api-[\w-]+\s+[\d.]+s\s+PodDisruptionBudget/);
    expect(screen).toContain('Migrate for real (y)');
    tui.keys('n');
    screen = await tui.waitFor((s) => !s.includes('Rehearsal of node pool'));
    // The live (demo) cluster is as it was: one cordoned old node, nothing migrating.
    expect(screen).toMatch(/ng-old\s+eks\.amazonaws\.com\/nodegroup\s+4\s+3\/4\s+1\s+1\s/);
    expect(screen).not.toContain('Migrating');
    tui.keys('q');
    await tui.waitFor('[exit 0]');
  });
});
