import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { afterEach, describe, expect, it } from 'vitest';
import { indexPodMetrics, type PodMetricsJson, type PodUsageState } from '../../src/domain/pod-usage.js';
import type { ClusterActions } from '../../src/store/actions.js';
import { KEYS, namespace, namespaced, type Rendered, renderApp, tick } from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function qosPod(name: string, containers: Record<string, Resources>, qosClass: string, priority = 0): KubeObject {
  return namespaced('v1', 'Pod', 'shop', name, {
    spec: {
      nodeName: 'node-a',
      priority,
      containers: Object.entries(containers).map(([n, resources]) => ({ name: n, image: 'app:1', resources })),
    },
    status: { phase: 'Running', qosClass },
  });
}

const objects = {
  namespaces: [namespace('shop')],
  pods: [
    qosPod('web', { app: { requests: { memory: '256Mi' } }, proxy: { requests: { memory: '64Mi' } } }, 'Burstable'),
    qosPod('cache', { redis: { requests: { memory: '1Gi' } } }, 'Burstable'),
    qosPod('cron', { task: { requests: { memory: '64Mi' } } }, 'Burstable', 100),
    qosPod('db', { pg: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } } }, 'Guaranteed'),
  ],
};

const metrics: PodMetricsJson[] = [
  { metadata: { namespace: 'shop', name: 'web' }, containers: [{ name: 'app', usage: { cpu: '10m', memory: '300Mi' } }, { name: 'proxy', usage: { cpu: '1m', memory: '20Mi' } }] },
  { metadata: { namespace: 'shop', name: 'cache' }, containers: [{ name: 'redis', usage: { cpu: '50m', memory: '900Mi' } }] },
  { metadata: { namespace: 'shop', name: 'cron' }, containers: [{ name: 'task', usage: { cpu: '5m', memory: '200Mi' } }] },
  { metadata: { namespace: 'shop', name: 'db' }, containers: [{ name: 'pg', usage: { cpu: '300m', memory: '1Gi' } }] },
];

/** Actions answering `podMetrics` with `state` (the rest is not used by the QoS views). */
function actionsAnswering(state: PodUsageState): { actions: ClusterActions; calls: () => number } {
  let calls = 0;
  const actions = {
    checkAccess: async () => {},
    podMetrics: async () => {
      calls++;
      return state;
    },
  } as unknown as ClusterActions;
  return { actions, calls: () => calls };
}

async function openDetail(actions: ClusterActions, pod: string): Promise<Rendered> {
  const r = await renderApp({ objects, columns: 160, rows: 40, props: { initialView: 'qos', callbacks: { actions } } });
  await r.press(':');
  await r.type(`qos-pod shop/${pod}`);
  await r.press(KEYS.enter);
  await tick(20);
  return r;
}

const orderKeys = (r: Rendered) =>
  r
    .lines()
    .filter((l) => /^[> ]\s+\d+\s+(BestEffort|Burstable|Guaranteed)/.test(l))
    .map((l) => l.trim().split(/\s+/).pop());

describe('QoS pod detail with memory usage', () => {
  it("shows each container's memory usage next to its request and limit, and the pod's sum", async () => {
    const { actions, calls } = actionsAnswering({ status: 'available', pods: indexPodMetrics(metrics) });
    app = await openDetail(actions, 'web');
    expect(calls()).toBe(1);
    expect(app.frame()).toMatch(/CPU REQ\s+CPU LIM\s+MEM REQ\s+MEM LIM\s+MEM USE/);
    expect(app.lines().find((l) => l.startsWith('app '))).toMatch(/app\s+app\s+-\s+-\s+256Mi\s+-\s+300Mi/);
    expect(app.lines().find((l) => l.startsWith('proxy '))).toMatch(/proxy\s+app\s+-\s+-\s+64Mi\s+-\s+20Mi/);
    expect(app.lines().find((l) => l.startsWith('QoS sums'))).toMatch(/320Mi\s+-\s+320Mi$/);
    expect(app.frame()).toContain('Memory usage (working set, metrics.k8s.io): 320Mi for the pod');
  });

  it('ranks the node by usage as the kubelet does: over request first, then priority, then usage minus request', async () => {
    const { actions } = actionsAnswering({ status: 'available', pods: indexPodMetrics(metrics) });
    app = await openDetail(actions, 'web');
    // Only cron exceeds its request (200Mi of 64Mi): first despite its priority 100. Then, at
    // priority 0, web (exactly at its 320Mi request) before cache (124Mi under); db, Guaranteed, last.
    expect(orderKeys(app)).toEqual(['shop/cron', 'shop/web', 'shop/cache', 'shop/db']);
    expect(app.frame()).toContain('Within a class, as the kubelet: usage over request first');
    expect(app.lines().find((l) => l.includes('shop/cron'))).toMatch(/mem req\s+64Mi\s+use\s+200Mi/);
  });

  it('says usage is unavailable and keeps the order without it', async () => {
    const { actions } = actionsAnswering({ status: 'unavailable', reason: 'the metrics API (metrics.k8s.io) is not served: is metrics-server installed?' });
    app = await openDetail(actions, 'web');
    expect(app.frame()).toContain('Memory usage unavailable: the metrics API (metrics.k8s.io) is not served: is metrics-server installed?');
    expect(app.frame()).toContain('Within a class, without usage metrics: lower priority first, then the smaller memory request.');
    // Without usage: web (320Mi) and cache (1Gi) by request at priority 0, then cron (priority 100).
    expect(orderKeys(app)).toEqual(['shop/web', 'shop/cache', 'shop/cron', 'shop/db']);
    expect(app.lines().find((l) => l.startsWith('app '))).toMatch(/256Mi\s+-$/);
  });
});
