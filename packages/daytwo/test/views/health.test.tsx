/**
 * The Health view, the Events view and the header badge over a seeded store whose alerts the
 * real alert tracker computes (as in the console): sorting, filtering, Enter to the object,
 * the Warning events pane, event deduplication, and the badge on another view following a
 * condition that clears.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { afterEach, describe, expect, it } from 'vitest';
import { trackAlerts } from '../../src/store/alert-tracker.js';
import { App } from '../../src/views/App.js';
import { KEYS, namespaced, pod, type Rendered, renderElement, seededStore, tick } from '../helpers/render.js';

const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function crashing(name: string, finishedAgoMs: number): KubeObject {
  const p = pod('shop', name);
  p.status!.containerStatuses = [
    {
      name: 'app',
      image: 'app:1',
      imageID: '',
      ready: false,
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: iso(NOW - finishedAgoMs) } },
    },
  ];
  return p;
}

function node(name: string, unreachableForMs?: number): KubeObject {
  const unreachable = unreachableForMs !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: iso(NOW - 86_400_000), labels: {} },
    spec: unreachable ? { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(NOW - unreachableForMs) }] } : {},
    status: {
      conditions: [
        unreachable
          ? { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(NOW - unreachableForMs) }
          : { type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: iso(NOW - 86_400_000) },
      ],
      nodeInfo: { kubeletVersion: 'v1.30.4' },
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
    },
  };
}

const failedJob = namespaced('batch/v1', 'Job', 'batch', 'migrate', {
  spec: {},
  status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: iso(NOW - 60_000) }] },
});

const event = (name: string, io: Record<string, string>, type: string, reason: string, message: string, count: number, agoMs: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { namespace: io.namespace ?? 'default', name },
  involvedObject: io,
  type,
  reason,
  message,
  count,
  firstTimestamp: iso(NOW - agoMs - 60_000),
  lastTimestamp: iso(NOW - agoMs),
});

const EVENTS = [
  event('web-1.a', { kind: 'Pod', namespace: 'shop', name: 'web-1' }, 'Warning', 'BackOff', 'Back-off restarting failed container app', 5, 10_000),
  // The same occurrence recorded again in a second Event object: one row, counts summed.
  event('web-1.b', { kind: 'Pod', namespace: 'shop', name: 'web-1' }, 'Warning', 'BackOff', 'Back-off restarting failed container app', 3, 5_000),
  event('web-1.c', { kind: 'Pod', namespace: 'shop', name: 'web-1' }, 'Normal', 'Pulled', 'Container image "web:1" already present on machine', 8, 2_000),
  event('migrate.a', { kind: 'Job', namespace: 'batch', name: 'migrate' }, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 1, 60_000),
];

let app: Rendered | undefined;
let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  app?.unmount();
  app = undefined;
});

async function start(initialView: string) {
  const store = seededStore({
    namespaces: [],
    pods: [crashing('web-1', 20 * 60_000)],
    nodes: [node('n1', 5 * 60_000), node('n2')],
    jobs: [failedJob],
    events: EVENTS,
  });
  stop = trackAlerts(store, { refreshMs: 60_000, throttleMs: 10 });
  app = await renderElement(<App store={store} initialView={initialView} />, store, { columns: 160, rows: 30 });
  return app;
}

/** Waits (bounded) until the frame satisfies `test`: the tracker evaluates after a store change. */
async function frameWhen(test: (frame: string) => boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!test(app!.frame()) && Date.now() < end) await tick(20);
}

const tableRows = () => app!.lines().filter((l) => /^[> ] {1,2}(critical|warning) /.test(l));

describe('Health view', () => {
  it('lists alerts most severe then oldest first, with the Warning events of the selected object', async () => {
    await start('health');
    expect(app!.frame()).toContain('Health(3)');
    expect(tableRows().map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      '> critical CrashLoopBackOff Pod/shop/web-1 20m container app: CrashLoopBackOff, last exit 1 (Error), 7 restarts',
      'critical NodeUnreachable Node/n1 5m taint node.kubernetes.io/unreachable:NoExecute for 5m; Kubelet stopped posting node status.',
      'warning JobFailed Job/batch/migrate 1m BackoffLimitExceeded: Job has reached the specified backoff limit (1 failed pods)',
    ]);
    expect(app!.frame()).toContain('Warning events of pod/web-1 and what it owns (1)');
    expect(app!.frame()).toMatch(/\d+s {2}BackOff {2}x8 {2}pod\/web-1: Back-off restarting failed container app/);
    expect(app!.frame()).not.toContain('Pulled');
    await app!.press('j', 'j');
    expect(app!.frame()).toContain('Warning events of job/migrate and what it owns (1)');
  });

  it('filters with / and goes to the object with Enter: a node to its row, a pod to its logs', async () => {
    await start('health');
    await app!.press('/');
    await app!.type('node');
    await app!.press(KEYS.enter);
    expect(tableRows()).toHaveLength(1);
    await app!.press(KEYS.enter);
    expect(app!.frame()).toContain('Nodes(2)');
    expect(app!.cursorLine()).toMatch(/^> +n1 /);
    await app!.press(KEYS.escape);
    await app!.press(KEYS.escape);
    expect(tableRows()).toHaveLength(3);
    await app!.press(KEYS.enter);
    expect(app!.frame()).toContain('shop/web-1');
    expect(app!.frame()).toMatch(/Logs/);
  });

  it('shows the badge on every view and follows a condition that clears', async () => {
    await start('namespaces');
    expect(app!.lines()[0]).toContain('alerts: 2 critical, 1 warning');
    await app!.press('3');
    expect(app!.lines()[0]).toContain('alerts: 2 critical, 1 warning');
    // The crashing pod goes: the tracker re-evaluates on the store change.
    app!.store.getState().applyChanges([{ kind: 'pods', type: 'delete', key: 'shop/web-1' }]);
    await frameWhen((f) => f.includes('alerts: 1 critical, 1 warning'));
    expect(app!.lines()[0]).toContain('alerts: 1 critical, 1 warning');
  });
});

describe('Events view', () => {
  it('lists every event once with its summed count, Warning first, and w keeps the warnings', async () => {
    await start('events');
    const rows = () => app!.lines().filter((l) => /^[> ] {1,2}(Warning|Normal) /.test(l)).map((l) => l.replace(/\s+/g, ' ').trim().replace(/ \d+s /, ' Ns '));
    expect(app!.frame()).toContain('Events(3)');
    expect(rows()).toEqual([
      '> Warning Ns shop pod/web-1 BackOff 8 Back-off restarting failed container app',
      'Warning 1m batch job/migrate BackoffLimitExceeded 1 Job has reached the specified backoff limit',
      'Normal Ns shop pod/web-1 Pulled 8 Container image "web:1" already present on machine',
    ]);
    await app!.press('w');
    expect(app!.frame()).toContain('Warning events(2)');
    await app!.press('/');
    await app!.type('migrate');
    await app!.press(KEYS.enter);
    expect(rows()).toHaveLength(1);
  });
});
