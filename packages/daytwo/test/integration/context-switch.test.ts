/**
 * `:ctx` against two simulated clusters behind one kubeconfig: switching moves every
 * watch (the session's kinds, the open resource table) from one API server to the other
 * without restarting, clears what the store read from the first, and leaves the console
 * on the old context when the new one is broken.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConsoleConnection } from '../../src/cli/console-connection.js';
import { resolveResource } from '../../src/domain/api-resources.js';
import type { AppStore } from '../../src/store/app-store.js';
import { BETA_NAMESPACE, BETA_SERVICE, startTwoClusters, type TwoClusters } from '../helpers/two-clusters.js';

const WAIT = { timeout: 20_000, interval: 50 };
let clusters: TwoClusters;
let dir: string;
let conn: ConsoleConnection | undefined;

beforeAll(async () => {
  clusters = await startTwoClusters();
  dir = mkdtempSync(join(tmpdir(), 'daytwo-ctx-'));
  process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
}, 60_000);
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});
afterAll(async () => {
  delete process.env.DAYTWO_AUDIT_LOG;
  await clusters?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const namespaces = (store: AppStore) => [...store.getState().objects.namespaces.keys()];

async function openConsole(kubeconfig = clusters.kubeconfig, context?: string): Promise<ConsoleConnection> {
  conn = await ConsoleConnection.open({ connection: { kubeconfig, context, demo: false, readonly: false } });
  await conn.session.waitForSync(undefined, 30_000);
  return conn;
}

describe('switching contexts', () => {
  it('moves the store and every watch to the other cluster', { timeout: 60_000 }, async () => {
    const c = await openConsole();
    const store = c.store;
    expect(store.getState().cluster.context).toBe('alpha');
    expect(store.getState().contexts.map((x) => x.name)).toEqual(['alpha', 'beta']);
    expect(namespaces(store)).toContain('shop');
    expect(namespaces(store)).not.toContain(BETA_NAMESPACE);
    await vi.waitFor(() => expect(store.getState().apiResources.length).toBeGreaterThan(0), WAIT);
    const services = resolveResource('svc', store.getState().apiResources)!;
    const alphaTable = c.callbacks().actions!.watchResourceTable!(services, undefined);
    await vi.waitFor(() => expect(alphaTable.store.getState().state).toBe('live'), WAIT);
    expect(clusters.alpha.sim.openWatches).toBeGreaterThan(0);
    expect(clusters.beta.sim.openWatches).toBe(0);

    const before = c.callbacks().actions;
    const next = await c.switchContext('beta');
    // The old table's owner (the view) stops it when its actions change; here, by hand.
    alphaTable.stop();
    expect(next.actions).not.toBe(before);
    expect(store.getState().cluster.context).toBe('beta');
    expect(store.getState().cluster.server).toBe(clusters.beta.sim.httpsUrl);
    await c.session.waitForSync(undefined, 30_000);
    expect(namespaces(store)).toContain(BETA_NAMESPACE);
    expect(namespaces(store)).not.toContain('shop');
    // Nothing watches the first cluster any more; the second has the session's watches.
    await vi.waitFor(() => expect(clusters.alpha.sim.openWatches).toBe(0), WAIT);
    await vi.waitFor(() => expect(clusters.beta.sim.openWatches).toBeGreaterThan(0), WAIT);

    const betaTable = next.actions!.watchResourceTable!(services, BETA_NAMESPACE);
    try {
      await vi.waitFor(() => expect([...betaTable.store.getState().rows.keys()]).toEqual([`${BETA_NAMESPACE}/${BETA_SERVICE}`]), WAIT);
    } finally {
      betaTable.stop();
    }
  });

  it('stays on the current context when the other one is broken', { timeout: 60_000 }, async () => {
    // A third context whose user does not exist: kubectl's message, and alpha keeps running.
    const broken = join(dir, 'broken-kubeconfig');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(clusters.kubeconfig, 'utf8').replace('contexts:\n', 'contexts:\n  - name: gamma\n    context:\n      cluster: alpha\n      user: nobody\n');
    writeFileSync(broken, text, { mode: 0o600 });
    const c = await openConsole(broken);
    await expect(c.switchContext('gamma')).rejects.toThrow('user "nobody" was not found for context "gamma"');
    await expect(c.switchContext('nosuch')).rejects.toThrow('context was not found for specified context: nosuch');
    expect(c.store.getState().cluster.context).toBe('alpha');
    expect(namespaces(c.store)).toContain('shop');
    expect(c.store.getState().connection.pods.state).toBe('live');
  });

  it('starts on the context --context names', { timeout: 60_000 }, async () => {
    const c = await openConsole(clusters.kubeconfig, 'beta');
    expect(c.store.getState().cluster.context).toBe('beta');
    expect(namespaces(c.store)).toContain(BETA_NAMESPACE);
  });
});
