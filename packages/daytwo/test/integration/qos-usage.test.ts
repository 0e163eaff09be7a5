/**
 * Pod memory usage end to end against the sim: the metrics API read by the kube layer, the
 * QoS pod detail ranking the node's pods by usage as the kubelet does, `report qos` usage,
 * and a cluster without metrics-server degrading to the order without usage.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQuantity } from '@daytwo/k8s/quantity.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import type { KubeObject } from '@daytwo/sim/types.js';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import type { ClusterActions } from '../../src/store/actions.js';
import { App } from '../../src/views/App.js';
import { runCli } from '../helpers/cli.js';
import { KEYS, renderElement, tick } from '../helpers/render.js';

interface Cluster {
  sim: TestSim;
  session: KubeSession;
  actions: ClusterActions;
}

let dir: string;

async function cluster(metricsServer: boolean): Promise<Cluster> {
  const sim = await startTestSim({ scenario: 'demo', controllers: 'none', metricsServer });
  const session = await openSession({ kubeConfigObject: sim.kc, flushIntervalMs: 10 });
  session.start(['namespaces', 'pods', 'limitranges']);
  await session.waitForSync(['namespaces', 'pods', 'limitranges'], 20_000);
  const actions = createClusterActions({ kc: session.kc, store: session.store, audit: new AuditLog(join(dir, 'audit.log')) });
  return { sim, session, actions };
}

async function close(c: Cluster | undefined): Promise<void> {
  await c?.session.stop();
  await c?.sim.stop();
}

/** `daytwo report qos -o json` as the viewer, parsed. */
async function reportJson(sim: TestSim, name: string): Promise<{ items: { namespace: string; name: string; usage: unknown }[] }> {
  const file = join(dir, `${name}.kubeconfig`);
  writeFileSync(file, sim.sim.kubeconfig('viewer'));
  const { code, stdout } = await runCli(['report', 'qos', '-o', 'json', '--kubeconfig', file]);
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

/** Opens `:qos-pod ns/name` and waits until `text` shows. */
async function openDetail(c: Cluster, pod: KubeObject, text: string) {
  const app = await renderElement(createElement(App, { store: c.session.store, initialView: 'qos', callbacks: { actions: c.actions } }), c.session.store, {
    columns: 200,
    rows: 60,
  });
  await app.press(':');
  await app.type(`qos-pod ${pod.metadata.namespace}/${pod.metadata.name}`);
  await app.press(KEYS.enter);
  for (let i = 0; i < 100 && !app.frame().includes(text); i++) await tick(50);
  return app;
}

const isRunning = (p: Pod) => (p.status?.containerStatuses ?? []).some((s) => s.state?.running) && p.status?.phase === 'Running';
const simPods = (c: Cluster) => c.sim.sim.store.list('pods') as Pod[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daytwo-qos-usage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('QoS with metrics-server', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(true);
  }, 60_000);
  afterAll(() => close(c));

  it('podMetrics reads the usage of every running pod', async () => {
    const usage = await c.actions.podMetrics!();
    expect(usage.status).toBe('available');
    if (usage.status !== 'available') return;
    const running = simPods(c).filter(isRunning);
    expect([...usage.pods.keys()].sort()).toEqual(running.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort());
    const scoped = await c.actions.podMetrics!('payments');
    expect(scoped.status === 'available' && [...scoped.pods.keys()].every((k) => k.startsWith('payments/'))).toBe(true);
  });

  it('report qos items carry usage, null for pods that are not running', async () => {
    const doc = await reportJson(c.sim, 'with-metrics');
    const running = new Set(simPods(c).filter(isRunning).map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    for (const item of doc.items) {
      if (running.has(`${item.namespace}/${item.name}`)) {
        expect(item.usage).toEqual({ cpu: expect.stringMatching(/^\d+(n|u|m)?$/), memory: expect.stringMatching(/^\d+(Ki|Mi|Gi)$/) });
      } else {
        expect(item.usage).toBeNull();
      }
    }
    expect(doc.items.some((i) => i.usage === null)).toBe(true);
  }, 30_000);

  it('the pod detail shows memory usage and ranks the node as the kubelet would', async () => {
    const pod = simPods(c).find((p) => isRunning(p) && p.status?.qosClass === 'Burstable')!;
    const app = await openDetail(c, pod, 'as the kubelet');
    try {
      const frame = app.frame();
      expect(frame).toMatch(/CONTAINER\s+TYPE\s+CPU REQ\s+CPU LIM\s+MEM REQ\s+MEM LIM\s+MEM USE/);
      expect(frame).toContain('Memory usage (working set, metrics.k8s.io)');
      const order = app
        .lines()
        .map((l) => /^[> ]\s+\d+\s+(\w+)\s+priority\s+(-?\d+)\s+mem req\s+(\S+)\s+use\s+(\S+)\s+(\S+)/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      expect(order.length).toBeGreaterThan(1);
      const burstable = order.filter((m) => m[1] === 'Burstable' && m[4] !== '-');
      // Pods over their memory request go before pods under it (priorities are all 0 here).
      const over = burstable.map((m) => parseQuantity(m[4]).nanos > parseQuantity(m[3] === '-' ? '0' : m[3]).nanos);
      expect(over).toEqual([...over].sort((a, b) => Number(b) - Number(a)));
      expect(order.map((m) => m[5])).toContain(`${pod.metadata.namespace}/${pod.metadata.name}`);
    } finally {
      app.unmount();
    }
  }, 30_000);
});

describe('QoS without metrics-server', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(false);
  }, 60_000);
  afterAll(() => close(c));

  it('podMetrics says usage is unavailable instead of failing', async () => {
    const usage = await c.actions.podMetrics!();
    expect(usage).toEqual({ status: 'unavailable', reason: 'the metrics API (metrics.k8s.io) is not served: is metrics-server installed?' });
  });

  it('report qos gives usage null on every item', async () => {
    const doc = await reportJson(c.sim, 'without-metrics');
    expect(doc.items.length).toBeGreaterThan(0);
    expect(doc.items.every((i) => i.usage === null)).toBe(true);
  }, 30_000);

  it('the pod detail says so and keeps the order without usage', async () => {
    const pod = simPods(c).find((p) => isRunning(p) && p.status?.qosClass === 'Burstable')!;
    const app = await openDetail(c, pod, 'Memory usage unavailable');
    try {
      const frame = app.frame();
      expect(frame).toContain('Memory usage unavailable: the metrics API (metrics.k8s.io) is not served: is metrics-server installed?');
      expect(frame).toContain('Within a class, without usage metrics: lower priority first, then the smaller memory request.');
      expect(frame).not.toMatch(/ use\s+\S+\s+\S+\/\S+/);
    } finally {
      app.unmount();
    }
  }, 30_000);
});
