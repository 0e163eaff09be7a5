/**
 * `daytwo --demo --git DIR` in a real terminal: the console opens on the Drift view, shows
 * the diff of a drifted Deployment, syncs it after a confirmation, and audits the sync.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const CART = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  labels: {app: cart}
spec:
  replicas: 2
  selector:
    matchLabels: {app: cart}
  template:
    metadata:
      labels: {app: cart}
    spec:
      containers:
      - name: cart
        image: ghcr.io/acme/shop-cart:2.8.0
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cart-flags}
data: {checkout: "on"}
`;

describe.skipIf(!hasTmux)('daytwo --demo --git DIR in a terminal', E2E, () => {
  it('opens on the Drift view, shows a diff and syncs an object back to Git', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-drift-'));
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'shop'), { recursive: true });
    writeFileSync(path.join(repo, 'shop', 'cart.yaml'), CART);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo });
    git('init', '--quiet');
    git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '--quiet', '--allow-empty', '-m', 'empty');
    git('add', '.');
    git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '--quiet', '-m', 'Cart 2.8.0');
    const audit = path.join(dir, 'audit.log');
    const tui = startTui(`DAYTWO_AUDIT_LOG=${audit} node bin/daytwo.js --demo --git ${repo} --git-namespace shop`, { cols: 120, rows: 30 });

    let screen = await tui.waitFor(/OutOfSync 1\s+Missing 1/);
    expect(screen).toContain('"Cart 2.8.0"');
    expect(screen).toMatch(/>\s*OutOfSync\s+Deployment\.apps\s+shop\s+cart/);

    tui.keys('Enter');
    screen = await tui.waitFor('Git (+) versus live (-)');
    expect(screen).toContain('spec.template.spec.containers[name=cart].image');
    expect(screen).toMatch(/\+ git:\s+ghcr\.io\/acme\/shop-cart:2\.8\.0/);
    expect(screen).toMatch(/- live:.*ghcr\.io\/acme\/shop-cart:2\.7\.3/);
    tui.keys('Escape');
    await tui.waitFor((s) => !s.includes('versus live'));

    tui.keys('a');
    screen = await tui.waitFor('Sync Deployment shop/cart back to Git?');
    tui.keys('y');
    // The message comes after the compare that follows the apply: the counts are on screen by then.
    screen = await tui.waitFor('synced Deployment shop/cart to Git');
    expect(screen).toMatch(/Synced \d+\s+OutOfSync 0/);
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.target, l.phase])).toEqual([
      ['sync', 'deployments.apps/shop/cart', 'start'],
      ['sync', 'deployments.apps/shop/cart', 'end'],
    ]);

    tui.keys('q');
    await tui.waitFor('[exit 0]');
  });
});
