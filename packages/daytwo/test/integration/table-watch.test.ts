/**
 * The Table watch behind the generic resource table against the simulated cluster's
 * faults: dropped watches resume, 410 Gone relists and drops rows that vanished
 * meanwhile, a 403 shows the table as forbidden until RBAC allows it again, and stopping
 * closes the watch.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { resolveResource } from '../../src/domain/api-resources.js';
import { discoverResources } from '../../src/kube/discovery.js';
import { KubeHttp } from '../../src/kube/http.js';
import { watchResourceTable } from '../../src/kube/table-watch.js';

const FAST = { backoff: { initialMs: 50, maxMs: 400 }, recheckMs: 300, flushIntervalMs: 20 };
const WAIT = { timeout: 10_000, interval: 50 };
let t: TestSim;
let http: KubeHttp;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
  http = new KubeHttp(t.kc);
  t.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tw' } });
});
afterAll(async () => {
  http?.close();
  await t?.stop();
});

const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'tw' }, data: { k: name } });

async function configMaps() {
  const resource = resolveResource('cm', (await discoverResources(http)).resources)!;
  return watchResourceTable({ http, resource, namespace: 'tw', ...FAST });
}

describe('the Table watch', () => {
  it('relists on 410 Gone and drops the rows that vanished meanwhile', async () => {
    for (let i = 0; i < 10; i++) t.sim.store.create('configmaps', configMap(`old-${i}`));
    const table = await configMaps();
    try {
      await vi.waitFor(() => expect(table.store.getState().rows.size).toBe(10), WAIT);
      t.sim.faults.expireOnResume = true;
      t.sim.faults.dropWatchesMs = 150;
      for (let i = 0; i < 10; i += 2) t.sim.store.delete('configmaps', 'tw', `old-${i}`);
      for (let i = 0; i < 30; i++) {
        t.sim.store.create('configmaps', configMap(`new-${i}`));
        await new Promise((r) => setTimeout(r, 10));
      }
      t.sim.faults.dropWatchesMs = 0;
      t.sim.faults.expireOnResume = false;
      const expected = t.sim.store.list('configmaps', { namespace: 'tw' }).map((o) => `tw/${o.metadata.name}`).sort();
      await vi.waitFor(() => expect([...table.store.getState().rows.keys()].sort()).toEqual(expected), WAIT);
      expect(expected).not.toContain('tw/old-0');
      expect(expected).toContain('tw/old-1');
      expect(table.store.getState().state).toBe('live');
    } finally {
      table.stop();
    }
  });

  it('shows a forbidden table, and its rows once RBAC allows the list again', async () => {
    t.sim.faults.forbid = ['configmaps'];
    const table = await configMaps();
    try {
      await vi.waitFor(() => expect(table.store.getState().state).toBe('forbidden'), WAIT);
      expect(table.store.getState().error).toMatch(/configmaps is forbidden/);
      expect(table.store.getState().rows.size).toBe(0);
      t.sim.faults.forbid = [];
      await vi.waitFor(() => expect(table.store.getState().state).toBe('live'), WAIT);
      expect(table.store.getState().rows.size).toBeGreaterThan(0);
    } finally {
      t.sim.faults.forbid = [];
      table.stop();
    }
  });

  it('closes its watch when stopped', async () => {
    // Nothing else watches this cluster once the earlier tests' tables are stopped.
    await vi.waitFor(() => expect(t.sim.openWatches).toBe(0), WAIT);
    const table = await configMaps();
    await vi.waitFor(() => expect(t.sim.openWatches).toBe(1), WAIT);
    table.stop();
    await vi.waitFor(() => expect(t.sim.openWatches).toBe(0), WAIT);
    // Changes after the stop reach nobody.
    const rows = table.store.getState().rows;
    t.sim.store.create('configmaps', configMap('after-stop'));
    await new Promise((r) => setTimeout(r, 100));
    expect(table.store.getState().rows).toBe(rows);
  });
});
