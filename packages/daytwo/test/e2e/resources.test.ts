/**
 * A k9s user's moves in a real terminal against two simulated clusters behind one
 * kubeconfig: `:svc` browses services with the server's columns (filtered with `/`), `:ctx`
 * lists the contexts and Enter switches to the other cluster, whose services the same
 * table then shows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorRow, E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';
import { BETA_NAMESPACE, BETA_SERVICE, startTwoClusters, type TwoClusters } from '../helpers/two-clusters.js';

const startTui = tmuxPerTest();
let clusters: TwoClusters;

describe.skipIf(!hasTmux)('resources and contexts in a terminal', E2E, () => {
  beforeAll(async () => {
    clusters = await startTwoClusters();
  }, 60_000);
  afterAll(async () => {
    await clusters?.stop();
  });

  it('browses :svc, filters it, and switches context with :ctx', { timeout: 90_000 }, async () => {
    const audit = path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-resources-')), 'audit.log');
    const tui = startTui(`DAYTWO_AUDIT_LOG=${audit} node bin/daytwo.js --kubeconfig ${clusters.kubeconfig}`, { cols: 140, rows: 30 });
    let screen = await tui.waitFor(/shop\s+Active/);
    expect(screen).toMatch(/daytwo\s+alpha\s+v1\.30\.4/);

    tui.type(':sv');
    tui.keys('Tab');
    // Discovery may not have answered yet: the prompt says so, and Tab again completes.
    let lastTab = Date.now();
    await tui.waitFor((s) => {
      // At most one more Tab a second: a second one after the completion would list namespaces.
      if (s.includes('resource names are still loading') && Date.now() - lastTab > 1000) {
        lastTab = Date.now();
        tui.keys('Tab');
      }
      return /^:svc\s*$/m.test(s);
    });
    tui.keys('Enter');
    screen = await tui.waitFor(/shop\s+cart\s+ClusterIP/);
    expect(screen).toMatch(/services · all namespaces\(7\)/);
    expect(screen).toMatch(/NAMESPACE\S*\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);

    tui.type('/dns');
    tui.keys('Enter');
    screen = await tui.waitFor(/services · all namespaces\(1\/7\)/);
    expect(screen).toMatch(/kube-system\s+kube-dns\s+ClusterIP/);
    expect(screen).not.toMatch(/shop\s+cart/);
    tui.keys('Escape');
    await tui.waitFor(/shop\s+cart/);

    tui.type(':ctx');
    tui.keys('Enter');
    screen = await tui.waitFor('Contexts(2)');
    expect(cursorRow(screen)).toContain('alpha (*)');
    tui.keys('j');
    await tui.waitFor((s) => cursorRow(s)?.includes('beta') ?? false);
    tui.keys('Enter');
    screen = await tui.waitFor(/daytwo\s+beta\s/);
    await tui.waitFor('beta (*)');

    // Back to the services table, now of the other cluster.
    tui.keys('Escape');
    screen = await tui.waitFor(new RegExp(`${BETA_NAMESPACE}\\s+${BETA_SERVICE}\\s+ClusterIP`));
    expect(screen).not.toMatch(/shop\s+cart/);

    tui.keys('q');
    await tui.waitFor('[exit 0]');
  });
});
