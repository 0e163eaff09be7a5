import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { entryPrefix, type LogEntry, type LogStreamHandle, timestampNanos } from '../../src/domain/log-entry.js';
import type { LogTarget } from '../../src/domain/log-target.js';
import { RingBuffer } from '../../src/domain/ring-buffer.js';
import { KubeHttp } from '../../src/kube/http.js';
import { ContainerLog } from '../../src/kube/logs/container-log.js';
import { followLogs } from '../../src/kube/logs/log-follower.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';

/** Collects what a follower emits, and waits for conditions on it. */
class Collector {
  readonly entries: LogEntry[] = [];
  readonly push = (batch: readonly LogEntry[]) => {
    this.entries.push(...batch);
  };
  get lines() {
    return this.entries.filter((e) => e.kind === 'line');
  }
  get markers() {
    return this.entries.filter((e) => e.kind === 'marker');
  }
  /** Waits (vi.waitFor) until `check` holds; a timeout names what was awaited and the last entries. */
  async until(what: string, check: () => boolean, timeout = 15_000): Promise<void> {
    await vi.waitFor(() => expect(check(), `${what}; last entries:\n${this.entries.slice(-5).map((e) => `${e.kind} ${entryPrefix(e)} ${e.text}`).join('\n')}`).toBe(true), {
      timeout,
      interval: 25,
    });
  }

}

let t: TestSim;
let session: KubeSession;
let http: KubeHttp;
const handles: LogStreamHandle[] = [];

function follow(target: LogTarget, options: Parameters<typeof followLogs>[2], collector: Collector, settleMs?: number): LogStreamHandle {
  const handle = followLogs({ http, store: session.store, backoff: { initialMs: 50, maxMs: 200 }, settleMs }, target, options, collector.push);
  handles.push(handle);
  return handle;
}

const simPods = () => t.sim.store.list('pods') as Pod[];
const podsOf = (namespace: string, app: string) => simPods().filter((p) => p.metadata.namespace === namespace && p.metadata.labels?.app === app);

async function patchPod(namespace: string, name: string, patch: unknown): Promise<KubeObject> {
  return http.requestJson<KubeObject>(`/api/v1/namespaces/${namespace}/pods/${name}`, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json' });
}

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo' });
  http = new KubeHttp(t.kc);
  session = await openSession({ kubeConfigObject: t.kc });
  session.start(['pods', 'deployments', 'nodes']);
  await session.waitForSync(['pods', 'deployments', 'nodes']);
});

afterEach(() => {
  for (const h of handles.splice(0)) h.stop();
  t.sim.faults.reset();
});

afterAll(async () => {
  await session.stop();
  await t.stop();
});

describe('followLogs against the simulated cluster', () => {
  it("merges a workload's pods, each prefixed pod/container, starting from the tail of each", async () => {
    const pods = podsOf('shop', 'frontend').map((p) => p.metadata.name as string);
    expect(pods.length).toBe(3);
    // Pods of a sim started a moment ago have a line or two at the default 1 line/s: write faster.
    const patched = new Map<string, string | undefined>();
    for (const name of pods) patched.set(name, (await patchPod('shop', name, { metadata: { annotations: { 'sim.daytwo.dev/log-rate': '50' } } })).metadata.resourceVersion);
    // The store keeps no such annotation (a pod is kept as its compact record): the patch's resourceVersion tells it arrived.
    const arrived = (p: string) => Number(session.store.getState().objects.pods.get(`shop/${p}`)?.metadata.resourceVersion) >= Number(patched.get(p));
    await vi.waitFor(() => expect(pods.filter((p) => !arrived(p))).toEqual([]), { timeout: 20_000 });
    const c = new Collector();
    const handle = follow({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'frontend' }, { follow: false, tailLines: 4 }, c);
    await handle.done;
    const byPrefix = new Map<string, number>();
    for (const e of c.lines) byPrefix.set(entryPrefix(e), (byPrefix.get(entryPrefix(e)) ?? 0) + 1);
    expect([...byPrefix.keys()].sort()).toEqual(pods.map((p) => `${p}/frontend`).sort());
    // Each container starts from its own tail: at most 4 lines, the latest ones written then.
    for (const pod of pods) {
      const shown = c.lines.filter((e) => e.pod === pod).map((e) => `${e.time} ${e.text}`);
      const history = await readAll(`/api/v1/namespaces/shop/pods/${pod}/log?timestamps=true`);
      const end = history.indexOf(shown[shown.length - 1]);
      expect(shown).toHaveLength(4);
      expect(history.slice(end - 3, end + 1)).toEqual(shown);
    }
    for (const e of c.lines) expect(e.time && timestampNanos(e.time)).toBeTruthy();
  });

  it('says a workload that does not exist is not found, as the CLI does, then waits for it (issue 13 case 7)', async () => {
    const c = new Collector();
    follow({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'nosuch' }, { follow: true, tailLines: 0 }, c);
    await c.until('a marker', () => c.markers.length > 0);
    expect(c.markers.map((m) => `${entryPrefix(m)} ${m.text}`)).toEqual(['deployment/shop/nosuch deployments.apps "nosuch" not found: waiting for it']);
    const pods = new Collector();
    follow({ type: 'pod', namespace: 'shop', name: 'nosuch' }, { follow: false, tailLines: 0 }, pods);
    await pods.until('a marker', () => pods.markers.length > 0);
    expect(pods.markers.map((m) => m.text)).toEqual(['pods "nosuch" not found']);
  });

  it('keeps streaming every pod of the workload while following', async () => {
    const pods = podsOf('payments', 'api').map((p) => p.metadata.name as string);
    for (const name of pods) await patchPod('payments', name, { metadata: { annotations: { 'sim.daytwo.dev/log-rate': '20' } } });
    const c = new Collector();
    follow({ type: 'workload', kind: 'Deployment', namespace: 'payments', name: 'api' }, { follow: true, tailLines: 0 }, c);
    await c.until('live lines from every api pod', () => pods.every((p) => c.lines.filter((e) => e.pod === p).length >= 5));
  });

  it('follows a pod deleted and recreated on another node: marks it leaving and the replacement joining', async () => {
    const [victim] = podsOf('shop', 'cart');
    const oldNode = victim.spec!.nodeName as string;
    const c = new Collector();
    follow({ type: 'selector', namespace: 'shop', selector: 'app=cart' }, { follow: true, tailLines: 1 }, c);
    await c.until('the first lines', () => c.lines.some((e) => e.pod === victim.metadata.name));
    // Cordon the pod's node so the replacement has to land elsewhere.
    await http.requestJson(`/api/v1/nodes/${oldNode}`, { method: 'PATCH', body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
    try {
      await http.requestJson(`/api/v1/namespaces/shop/pods/${victim.metadata.name}`, { method: 'DELETE', body: { gracePeriodSeconds: 0 } });
      await c.until('the leave marker', () => c.markers.some((m) => m.pod === victim.metadata.name && /left/.test(m.text)));
      const placed = (m: LogEntry) => m.pod !== victim.metadata.name && /(joined|scheduled) on node/.test(m.text);
      await c.until('a replacement joining on another node', () => c.markers.some(placed));
      const joined = c.markers.find(placed);
      expect(joined?.text).not.toMatch(new RegExp(`${oldNode}$`));
      expect(c.markers.some((m) => m.pod === joined?.pod && /^joined/.test(m.text))).toBe(true);
      await c.until('lines from the replacement', () => c.lines.some((e) => e.pod === joined?.pod));
      expect(c.lines.some((e) => e.pod === victim.metadata.name && c.entries.indexOf(e) > c.entries.indexOf(joined as LogEntry))).toBe(false);
    } finally {
      await http.requestJson(`/api/v1/nodes/${oldNode}`, { method: 'PATCH', body: { spec: { unschedulable: null } }, contentType: 'application/merge-patch+json' });
    }
  });

  it('reconnects a dropped stream, marks the gap, and shows every line exactly once', async () => {
    const [pod] = podsOf('monitoring', 'grafana');
    const name = pod.metadata.name as string;
    await patchPod('monitoring', name, { metadata: { annotations: { 'sim.daytwo.dev/log-rate': '40' } } });
    t.sim.faults.dropLogsMs = 400;
    const c = new Collector();
    follow({ type: 'pod', namespace: 'monitoring', name }, { follow: true, tailLines: 10 }, c, 100);
    await c.until('three reconnects', () => c.markers.filter((m) => /stream dropped at/.test(m.text)).length >= 3);
    t.sim.faults.dropLogsMs = 0;
    const lines = c.lines;
    const keys = lines.map((e) => `${e.time} ${e.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Nothing lost either: the server's history between the first and last line shown is exactly what was shown.
    const first = lines[0].time as string;
    const last = timestampNanos(lines[lines.length - 1].time as string) as bigint;
    const history = await readAll(`/api/v1/namespaces/monitoring/pods/${name}/log?timestamps=true&sinceTime=${encodeURIComponent(first)}`);
    const expected = history.filter((l) => (timestampNanos(l.slice(0, l.indexOf(' '))) as bigint) <= last);
    expect(keys).toEqual(expected);
  });

  it('keeps at most one waiter per container stream however often it reconnects', async () => {
    const [pod] = podsOf('monitoring', 'grafana');
    const name = pod.metadata.name as string;
    const current = () => session.store.getState().objects.pods.get(`monitoring/${name}`)!;
    t.sim.faults.dropLogsMs = 100;
    const c = new Collector();
    const log = new ContainerLog(
      current(),
      { container: 'grafana', follow: true, previous: false, tailLines: 1 },
      { http, emit: c.push, backoff: { initialMs: 10, maxMs: 20 }, settleMs: 20 },
    );
    // The follower hands every pod update on; here they come faster than the stream drops.
    const updates = setInterval(() => log.update(current()), 5);
    try {
      await c.until('ten reconnects', () => c.markers.filter((m) => /stream dropped at/.test(m.text)).length >= 10);
      expect(log.pendingWaiters).toBeLessThanOrEqual(1);
    } finally {
      clearInterval(updates);
      log.stop();
    }
    await log.done;
    expect(log.pendingWaiters).toBe(0);
  });

  it('keeps following a crash-looping container across its restart, and marks it', async () => {
    const [pod] = podsOf('shop', 'recommendations');
    const name = pod.metadata.name as string;
    const restarts = () => session.store.getState().objects.pods.get(`shop/${name}`)?.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const before = restarts();
    const c = new Collector();
    follow({ type: 'pod', namespace: 'shop', name }, { follow: true, tailLines: 2 }, c);
    await c.until('a restart marker', () => c.markers.some((m) => m.text === `container restarted (restarts: ${before + 1})`), 40_000);
    const marker = c.markers.find((m) => /container restarted/.test(m.text)) as LogEntry;
    await c.until('lines of the new instance', () => c.entries.indexOf(marker) < c.entries.length - 1, 10_000);
    const keys = c.lines.map((e) => `${e.time} ${e.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(c.markers.some((m) => /stream dropped/.test(m.text))).toBe(false);
  }, 60_000);

  it('reads the previous container of a crash-looping pod: the instance in lastState.terminated', async () => {
    const [pod] = podsOf('shop', 'recommendations');
    const name = pod.metadata.name as string;
    const status = () => session.store.getState().objects.pods.get(`shop/${name}`)?.status?.containerStatuses?.[0];
    // Between restarts (CrashLoopBackOff) the kubelet serves the run that just ended both as the
    // current logs and as previous=true: lastState.terminated names it (validateContainerLogStatus).
    await vi.waitFor(
      () => {
        expect(status()?.lastState?.terminated).toBeDefined();
        expect(status()?.state?.waiting).toBeDefined();
      },
      { timeout: 30_000 },
    );
    const last = status()?.lastState?.terminated as { startedAt: string; finishedAt: string };
    const c = new Collector();
    await follow({ type: 'pod', namespace: 'shop', name }, { previous: true, tailLines: 3 }, c).done;
    expect(c.markers.map((m) => m.text)).toEqual([]);
    expect(c.lines).toHaveLength(3);
    expect(c.lines.every((e) => e.pod === name && e.container === 'recommendations')).toBe(true);
    const previous = await readAll(`/api/v1/namespaces/shop/pods/${name}/log?timestamps=true&previous=true&tailLines=3&container=recommendations`);
    expect(c.lines.map((e) => `${e.time} ${e.text}`)).toEqual(previous);
    const second = (time: string) => Math.floor(Date.parse(time) / 1000);
    for (const e of c.lines) {
      expect(second(e.time as string)).toBeGreaterThanOrEqual(second(last.startedAt));
      expect(second(e.time as string)).toBeLessThanOrEqual(second(last.finishedAt));
    }
    if (status()?.state?.waiting) {
      const current = await readAll(`/api/v1/namespaces/shop/pods/${name}/log?timestamps=true&tailLines=3&container=recommendations`);
      expect(current).toEqual(previous);
    }

    const never = new Collector();
    const [healthy] = podsOf('shop', 'frontend');
    await follow({ type: 'pod', namespace: 'shop', name: healthy.metadata.name as string }, { previous: true }, never).done;
    expect(never.lines).toHaveLength(0);
    expect(never.markers.map((m) => m.text)).toEqual(['no previous instance: the container has not restarted']);
  });

  it('keeps a ring buffer at its bound however many lines stream through it', async () => {
    const pods = podsOf('shop', 'frontend').map((p) => p.metadata.name as string);
    for (const name of pods) await patchPod('shop', name, { metadata: { annotations: { 'sim.daytwo.dev/log-rate': '200' } } });
    const ring = new RingBuffer<LogEntry>(250);
    let last: LogEntry | undefined;
    const into = Object.assign(new Collector(), {
      push: (batch: readonly LogEntry[]) => {
        ring.pushAll(batch);
        last = batch[batch.length - 1];
      },
    });
    follow({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'frontend' }, { follow: true, tailLines: 50 }, into);
    await vi.waitFor(() => expect(ring.total).toBeGreaterThanOrEqual(1000), { timeout: 20_000 });
    expect(ring.size).toBe(250);
    expect(ring.firstSeq).toBe(ring.total - 250);
    expect(ring.at(ring.lastSeq)).toBe(last);
    expect(ring.toArray()).toHaveLength(250);
  });
});

async function readAll(pathAndQuery: string): Promise<string[]> {
  const [path, query] = pathAndQuery.split('?');
  const res = await http.openStream(path, { query: Object.fromEntries(new URLSearchParams(query)) });
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk;
  return text.split('\n').filter(Boolean);
}

