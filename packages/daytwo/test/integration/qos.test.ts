import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { KubeHttp } from '../../src/kube/http.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { findReportView } from '../../src/report/views.js';
import { App } from '../../src/views/App.js';
import { runCli } from '../helpers/cli.js';
import { renderElement, tick } from '../helpers/render.js';

interface QosItem {
  namespace: string;
  name: string;
  node: string | null;
  qosClass: string;
  statusQosClass: string | null;
  mismatch: boolean;
  reason: string;
  requests: Record<string, string>;
  limits: Record<string, string>;
  withoutMemoryLimit: boolean;
  withoutRequests: boolean;
  containers: { name: string; init: boolean }[];
}

interface QosNamespace {
  namespace: string;
  pods: number;
  guaranteed: number;
  burstable: number;
  bestEffort: number;
  withoutMemoryLimit: number;
  withoutRequests: number;
  limitRangeDefaults: unknown;
}

interface QosDocument {
  kind: string;
  items: QosItem[];
  namespaces: QosNamespace[];
}

let sim: TestSim;
let session: KubeSession;
let dir: string;

beforeAll(async () => {
  sim = await startTestSim({ scenario: 'demo' });
  session = await openSession({ kubeConfigObject: sim.kc, flushIntervalMs: 10 });
  session.start(['namespaces', 'pods', 'limitranges']);
  await session.waitForSync(['namespaces', 'pods', 'limitranges'], 20_000);
  dir = mkdtempSync(join(tmpdir(), 'daytwo-qos-'));
}, 60_000);

afterAll(async () => {
  await session?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function report(): QosDocument {
  const view = findReportView('qos');
  if (!view) throw new Error('no qos report view');
  return view.build(session.store.getState(), {}).document as unknown as QosDocument;
}

describe('QoS against the simulated demo cluster', () => {
  it('finds every class, with the rule that decided it', () => {
    const doc = report();
    expect(doc.kind).toBe('qos');
    const classes = new Set(doc.items.map((i) => i.qosClass));
    expect(classes).toEqual(new Set(['Guaranteed', 'Burstable', 'BestEffort']));

    const api = doc.items.filter((i) => i.namespace === 'payments' && i.name.startsWith('api-'));
    expect(api).toHaveLength(2);
    for (const pod of api) {
      expect(pod).toMatchObject({
        qosClass: 'Guaranteed',
        reason: 'all containers set equal cpu and memory requests and limits',
        requests: { cpu: '500m', memory: '512Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
        withoutMemoryLimit: false,
      });
      expect(pod.node).toMatch(/^ip-/);
    }
    const frontend = doc.items.find((i) => i.namespace === 'shop' && i.name.startsWith('frontend-'));
    expect(frontend).toMatchObject({ qosClass: 'Burstable', reason: 'container frontend: cpu limit 500m != request 100m' });
    const coredns = doc.items.find((i) => i.name.startsWith('coredns-'));
    expect(coredns).toMatchObject({ qosClass: 'Burstable', reason: 'container coredns: no cpu limit', limits: { memory: '170Mi' }, withoutMemoryLimit: false });
    const toolbox = doc.items.find((i) => i.name.startsWith('ops-toolbox-'));
    expect(toolbox).toMatchObject({ qosClass: 'BestEffort', reason: 'no container sets requests or limits', requests: {}, limits: {}, withoutMemoryLimit: true, withoutRequests: true });
  });

  it('gives every demo pod the class its spec calls for, worked out by hand, as does the sim', () => {
    // An oracle independent of daytwo's QoS code (which the sim also uses for status.qosClass),
    // from the demo's pod specs (src/sim/scenarios/demo.ts) and the QoS rules.
    const expected: [RegExp, string][] = [
      [/^payments\/(api|ledger-worker)-/, 'Guaranteed'], // 500m/512Mi requests equal to limits
      [/^shop\/(frontend|cart)-/, 'Burstable'], // cpu limit 500m != request 100m
      [/^shop\/recommendations-/, 'Burstable'], // LimitRange adds cpu limit 500m, request stays 200m
      [/^kube-system\/coredns-/, 'Burstable'], // no cpu limit
      [/^kube-system\/(aws-node|kube-proxy)-/, 'Burstable'], // cpu request only
      [/^monitoring\/(node-exporter|prometheus|grafana)-/, 'Burstable'], // memory limit only
      [/^monitoring\/thanos-compactor-/, 'Burstable'], // requests only (6 CPUs: it never fits)
      [/^default\/ops-toolbox-/, 'BestEffort'], // nothing set, no LimitRange in default
      [/^batch\//, 'BestEffort'], // job pods set nothing, no LimitRange in batch
    ];
    const doc = report();
    expect(doc.items.length).toBe(session.store.getState().objects.pods.size);
    for (const item of doc.items) {
      expect(item.node === null || typeof item.node === 'string').toBe(true);
      const key = `${item.namespace}/${item.name}`;
      const want = expected.find(([pattern]) => pattern.test(key))?.[1];
      expect({ key, qosClass: item.qosClass, statusQosClass: item.statusQosClass }).toEqual({ key, qosClass: want, statusQosClass: want });
    }
  });

  it('a pod created through the API gets the shop LimitRange defaults, and the class they make', async () => {
    const http = new KubeHttp(sim.kc);
    // Requests equal to the namespace's default limits: once LimitRanger sets the limits, Guaranteed.
    const created = await http.requestJson<Pod>('/api/v1/namespaces/shop/pods', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'defaults-probe' },
        spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '500m', memory: '512Mi' } } }] },
      },
    });
    expect(created.spec!.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '500m', memory: '512Mi' } });
    expect(created.metadata.annotations!['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory limit for container app');
    expect(created.status!.qosClass).toBe('Guaranteed');
    let item: QosItem | undefined;
    for (let i = 0; i < 100 && !item; i++) {
      await tick(20);
      item = report().items.find((p) => p.name === 'defaults-probe');
    }
    expect(item).toMatchObject({ qosClass: 'Guaranteed', statusQosClass: 'Guaranteed', reason: 'all containers set equal cpu and memory requests and limits' });
    await http.requestJson('/api/v1/namespaces/shop/pods/defaults-probe', { method: 'DELETE', body: { gracePeriodSeconds: 0 } });
  }, 30_000);

  it('summarises each namespace from the same pods, with the shop LimitRange defaults', () => {
    const doc = report();
    for (const ns of doc.namespaces) {
      const pods = doc.items.filter((i) => i.namespace === ns.namespace);
      expect(ns.pods).toBe(pods.length);
      expect(ns.guaranteed).toBe(pods.filter((p) => p.qosClass === 'Guaranteed').length);
      expect(ns.burstable).toBe(pods.filter((p) => p.qosClass === 'Burstable').length);
      expect(ns.bestEffort).toBe(pods.filter((p) => p.qosClass === 'BestEffort').length);
      expect(ns.withoutMemoryLimit).toBe(pods.filter((p) => p.withoutMemoryLimit).length);
      expect(ns.withoutRequests).toBe(pods.filter((p) => p.withoutRequests).length);
    }
    const shop = doc.namespaces.find((n) => n.namespace === 'shop');
    expect(shop?.limitRangeDefaults).toEqual({
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '512Mi' },
      limitRanges: ['container-defaults'],
    });
    expect(doc.namespaces.find((n) => n.namespace === 'payments')?.limitRangeDefaults).toBe('none');
    expect(doc.namespaces.find((n) => n.namespace === 'batch')).toMatchObject({ bestEffort: expect.any(Number), guaranteed: 0 });
  });

  it('`daytwo report qos -o json -n payments` prints the document for one namespace', async () => {
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, sim.sim.kubeconfig('viewer'));
    const { code, stdout } = await runCli(['report', 'qos', '-o', 'json', '--kubeconfig', file, '-n', 'payments']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as QosDocument;
    expect(doc.kind).toBe('qos');
    expect(doc.items.map((i) => i.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''))).toEqual(['api', 'api', 'ledger-worker']);
    expect(doc.items.every((i) => i.qosClass === 'Guaranteed')).toBe(true);
    expect(doc.namespaces).toEqual([
      { namespace: 'payments', pods: 3, guaranteed: 3, burstable: 0, bestEffort: 0, withoutMemoryLimit: 0, withoutRequests: 0, mismatched: 0, limitRangeDefaults: 'none' },
    ]);
  }, 30_000);

  it('the view shows a pod created through the API, its requests defaulted from its limits', async () => {
    const app = await renderElement(createElement(App, { store: session.store, initialView: 'qos' }), session.store, { columns: 180, rows: 60 });
    try {
      await new KubeHttp(sim.kc).requestJson('/api/v1/namespaces/default/pods', {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'limits-only' },
          spec: { containers: [{ name: 'app', image: 'busybox', resources: { limits: { cpu: '250m', memory: '64Mi' } } }] },
        },
      });
      let line: string | undefined;
      for (let i = 0; i < 100 && !line; i++) {
        await tick(50);
        line = app.lines().find((l) => l.includes('limits-only'));
      }
      expect(line).toMatch(/default\s+limits-only\s+Guaranteed\s+250m\s+250m\s+64Mi\s+64Mi\s+all containers set equal/);
    } finally {
      app.unmount();
    }
  }, 30_000);
});
