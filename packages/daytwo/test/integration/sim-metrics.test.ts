/**
 * The sim's metrics.k8s.io API, as metrics-server serves it: discovery, PodMetrics and
 * NodeMetrics get/list, NotFound for pods that are not running, RBAC, and `kubectl top`.
 */

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseQuantity } from '@daytwo/k8s/quantity.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { KubeHttp } from '../../src/kube/http.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const run = promisify(execFile);

let t: TestSim;
let admin: KubeHttp;

const isRunning = (p: Pod) => p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).some((s) => s.state?.running);
const simPods = () => t.sim.store.list('pods') as Pod[];

/** What the tests read of metrics.k8s.io/v1beta1 answers. */
interface Usage {
  cpu: string;
  memory: string;
}
interface PodMetrics {
  apiVersion: string;
  kind: string;
  window: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  containers: { name: string; usage: Usage }[];
}
interface MetricsList<T> {
  kind: string;
  items: T[];
}
interface GroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string; version: string } }[];
}
interface ResourceList {
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', controllers: 'none' });
  admin = new KubeHttp(t.kc);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('metrics.k8s.io in the sim', () => {
  it('is discoverable as metrics-server registers it', async () => {
    const groups = await admin.requestJson<GroupList>('/apis');
    const group = groups.groups.find((g) => g.name === 'metrics.k8s.io');
    expect(group?.preferredVersion).toEqual({ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' });
    const list = await admin.requestJson<ResourceList>('/apis/metrics.k8s.io/v1beta1');
    const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
    expect(byName.pods).toMatchObject({ kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] });
    expect(byName.nodes).toMatchObject({ kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] });
  });

  it('lists PodMetrics for running pods only, the same numbers on every request', async () => {
    const list = await admin.requestJson<MetricsList<PodMetrics>>('/apis/metrics.k8s.io/v1beta1/pods');
    expect(list.kind).toBe('PodMetricsList');
    const running = simPods().filter(isRunning);
    expect(list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort()).toEqual(
      running.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(),
    );
    const item = list.items[0];
    expect(item).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', window: '30s' });
    expect(item.containers[0].usage.cpu).toMatch(/^\d+n$/);
    expect(item.containers[0].usage.memory).toMatch(/^\d+Ki$/);
    const again = await admin.requestJson<MetricsList<PodMetrics>>('/apis/metrics.k8s.io/v1beta1/pods');
    expect(again.items.map((i) => i.containers)).toEqual(list.items.map((i) => i.containers));
  });

  it('keeps usage under memory limits and puts some Burstable pods above their request', async () => {
    const list = await admin.requestJson<MetricsList<PodMetrics>>('/apis/metrics.k8s.io/v1beta1/pods');
    let aboveRequest = 0;
    for (const item of list.items) {
      const pod = t.sim.store.get('pods', item.metadata.namespace, item.metadata.name) as Pod;
      for (const c of item.containers) {
        const spec = pod.spec!.containers.find((s) => s.name === c.name)!;
        const usage = parseQuantity(c.usage.memory).nanos;
        const limit = spec.resources?.limits?.memory;
        if (limit) expect(usage).toBeLessThanOrEqual(parseQuantity(limit).nanos);
        const request = spec.resources?.requests?.memory;
        if (pod.status?.qosClass === 'Burstable' && request && usage > parseQuantity(request).nanos) aboveRequest++;
      }
    }
    expect(aboveRequest).toBeGreaterThan(0);
  });

  it('filters by namespace and label selector and gets one pod', async () => {
    const pod = simPods().find((p) => isRunning(p) && p.metadata.labels?.app)!;
    const ns = pod.metadata.namespace!;
    const inNs = await admin.requestJson<MetricsList<PodMetrics>>(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`);
    expect(inNs.items.every((i) => i.metadata.namespace === ns)).toBe(true);
    const selected = await admin.requestJson<MetricsList<PodMetrics>>(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, {
      query: { labelSelector: `app=${pod.metadata.labels!.app}` },
    });
    expect(selected.items.every((i) => i.metadata.labels?.app === pod.metadata.labels!.app)).toBe(true);
    const one = await admin.requestJson<PodMetrics>(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${pod.metadata.name}`);
    expect(one.metadata).toMatchObject({ name: pod.metadata.name, namespace: ns });
  });

  it('answers NotFound for a pod that is not running', async () => {
    const stopped = simPods().find((p) => !isRunning(p))!;
    const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${stopped.metadata.namespace}/pods/${stopped.metadata.name}`;
    await expect(admin.requestJson(path)).rejects.toMatchObject({ statusCode: 404 });
    await expect(admin.requestJson(path)).rejects.toThrow(`podmetrics.metrics.k8s.io "${stopped.metadata.name}" not found`);
  });

  it('serves NodeMetrics for ready nodes, at least their pods usage', async () => {
    const list = await admin.requestJson<MetricsList<{ usage: Usage }>>('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items[0].usage.memory).toMatch(/^\d+Ki$/);
  });

  it('lets the viewer read metrics but not write them', async () => {
    const viewer = new KubeHttp(t.kubeConfigFor('viewer'));
    const list = await viewer.requestJson<MetricsList<PodMetrics>>('/apis/metrics.k8s.io/v1beta1/pods');
    expect(list.items.length).toBeGreaterThan(0);
    await expect(
      viewer.requestJson('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods', { method: 'POST', body: {} }),
    ).rejects.toMatchObject({ statusCode: 405 });
  });

  it('is absent from a cluster without metrics-server', async () => {
    const bare = await startTestSim({ scenario: 'empty', controllers: 'none', metricsServer: false });
    try {
      const http = new KubeHttp(bare.kc);
      const groups = await http.requestJson<GroupList>('/apis');
      expect(groups.groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
      await expect(http.requestJson('/apis/metrics.k8s.io/v1beta1/pods')).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await bare.stop();
    }
  });
});

describe.skipIf(!hasKubectl)('kubectl top against the sim', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'daytwo-top-'));
    writeFileSync(join(dir, 'viewer'), t.sim.kubeconfig('viewer'), { mode: 0o600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kubectl top pod -A lists every running pod', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', join(dir, 'viewer'), 'top', 'pod', '-A'], { timeout: 30_000 });
    expect(stdout).toMatch(/NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    for (const pod of t.sim.store.list('pods').filter(isRunning)) expect(stdout).toContain(pod.metadata.name);
  });

  it('kubectl top node lists the nodes', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', join(dir, 'viewer'), 'top', 'node'], { timeout: 30_000 });
    expect(stdout).toMatch(/NAME\s+CPU\(cores\)\s+CPU(%)?/);
  });
});
