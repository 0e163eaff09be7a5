import { Text } from 'ink';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { LogEntry, LogStreamOptions } from '../../src/domain/log-entry.js';
import type { LogTarget } from '../../src/domain/log-target.js';
import type { Keymap } from '../../src/hooks/keymap.js';
import { useKeymap } from '../../src/hooks/use-keymap.js';
import type { ClusterActions } from '../../src/store/actions.js';
import { VIEWS } from '../../src/views/registry.js';
import { useShell } from '../../src/views/shell.js';
import { KEYS, pod, type Rendered, renderApp } from '../helpers/render.js';

/**
 * The cluster side of the Logs view, driven by the test: each `streamLogs` call is one
 * stream the test pushes entries into (the real engine is covered by test/integration/logs.test.ts).
 */
class FakeLogs {
  readonly streams: { target: LogTarget; options: LogStreamOptions; push: (entries: LogEntry[]) => void; stopped: boolean }[] = [];
  readonly saved: { lines: readonly string[]; label: string }[] = [];
  readonly actions = {
    streamLogs: (target: LogTarget, options: LogStreamOptions, onEntries: (entries: readonly LogEntry[]) => void) => {
      const stream = { target, options, push: (entries: LogEntry[]) => onEntries(entries), stopped: false };
      this.streams.push(stream);
      return {
        stop: () => {
          stream.stopped = true;
        },
        done: new Promise<void>(() => {}),
      };
    },
    saveLogs: async (lines: readonly string[], label: string) => {
      this.saved.push({ lines, label });
      return `/tmp/saved/${label}.log`;
    },
  } as unknown as ClusterActions;

  get current() {
    const stream = this.streams[this.streams.length - 1];
    if (!stream) throw new Error('no stream opened');
    return stream;
  }
}

function line(pod: string, container: string, n: number, text = `line ${n}`): LogEntry {
  const time = new Date(Date.UTC(2026, 10, 21, 12, 0, 0, n)).toISOString().replace('Z', '123456Z');
  return { kind: 'line', namespace: 'shop', pod, container, time, text };
}

function labelled(p: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...p, metadata: { ...p.metadata, labels } };
}

/** Lines pushed, then time for the coalesced render (at most one per 50 ms). */
async function push(app: Rendered, logs: FakeLogs, entries: LogEntry[]): Promise<void> {
  logs.current.push(entries);
  await new Promise((r) => setTimeout(r, 120));
  await app.press(); // let React commit
}

const OPEN_KEY = 'o';

/** A view that opens the logs of a Deployment, as the Workloads view does with `l`. */
function OpenerView(): ReactElement {
  const shell = useShell();
  useKeymap(OPENER_KEYMAP, { open: () => shell.openView('logs', { kind: 'Deployment', namespace: 'shop', name: 'web' }) }, { scope: 'view' });
  return <Text>opener</Text>;
}
const OPENER_KEYMAP: Keymap<{ open(): void }> = [
  { id: 'opener.open', keys: [OPEN_KEY], description: 'open logs', category: 'View', action: (c) => c.open() },
];

let app: Rendered | undefined;
afterEach(() => app?.unmount());

async function openLogs(logs: FakeLogs, opts: { columns?: number; rows?: number; selector?: string; buffer?: number } = {}): Promise<Rendered> {
  const pods = [labelled(pod('shop', 'web-1', { restarts: [0, 0] }), { app: 'web' }), labelled(pod('shop', 'web-2', { restarts: [0, 0] }), { app: 'web' })];
  app = await renderApp({
    objects: { pods },
    columns: opts.columns ?? 100,
    rows: opts.rows ?? 16,
    props: { callbacks: { actions: logs.actions, logBufferLines: opts.buffer } },
  });
  await app.press(':');
  await app.type(`logs -n shop ${opts.selector ?? 'app=web'}`);
  await app.press(KEYS.enter);
  return app;
}

describe('Logs view', () => {
  it('opens from :logs with a selector, asks for the last 100 lines per container and follows', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs);
    expect(logs.current.target).toEqual({ type: 'selector', namespace: 'shop', selector: 'app=web' });
    expect(logs.current.options).toMatchObject({ follow: true, tailLines: 100, previous: false });
    expect(a.frame()).toContain('selector app=web in shop · FOLLOWING · 2 pods · all containers');
    expect(a.frame()).toContain('FOLLOWING');

    await push(a, logs, Array.from({ length: 40 }, (_, i) => line(i % 2 ? 'web-1' : 'web-2', 'c0', i)));
    expect(a.frame()).toContain('web-1/c0 line 39');
    expect(a.frame()).not.toContain('line 10\n');
    await push(a, logs, [line('web-2', 'c1', 40, 'the newest')]);
    expect(a.frame()).toContain('web-2/c1 the newest');
  });

  it('pauses when scrolled up, counts what arrives meanwhile, and resumes with f', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs);
    await push(a, logs, Array.from({ length: 40 }, (_, i) => line('web-1', 'c0', i)));
    await a.press('k');
    expect(a.frame()).toContain('PAUSED');
    expect(a.frame()).not.toContain('line 39');
    expect(a.frame()).toContain('line 38');

    await push(a, logs, Array.from({ length: 5 }, (_, i) => line('web-1', 'c0', 100 + i)));
    expect(a.frame()).toContain('+6 newer');
    expect(a.frame()).not.toContain('line 104');
    expect(a.frame()).toContain('line 38');

    await a.press(KEYS.pageUp);
    expect(a.frame()).not.toContain('line 38');
    await a.press('f');
    expect(a.frame()).toContain('FOLLOWING');
    expect(a.frame()).toContain('web-1/c0 line 104');

    // Scrolling back down to the newest line follows again too.
    await a.press('k', 'j');
    expect(a.frame()).toContain('FOLLOWING');
  });

  it('scrolls once per key when the keys come in one read (held k over SSH)', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs);
    await push(a, logs, Array.from({ length: 40 }, (_, i) => line('web-1', 'c0', i)));
    await a.chunk('k', 'k', 'k');
    expect(a.frame()).toContain('+3 newer');
    expect(a.frame()).toContain('line 36');
    expect(a.frame()).not.toContain('line 37');
  });

  it('stays put while paused even when its lines leave the ring buffer, and says they were dropped', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs, { buffer: 50 });
    await push(a, logs, Array.from({ length: 40 }, (_, i) => line('web-1', 'c0', i)));
    await a.press('k');
    const paused = a.frame().split('\n').filter((l) => l.includes('web-1/c0'));
    expect(paused.at(-1)).toContain('line 38');
    // 100 more lines: the ring (50) now holds lines 90-139; everything on screen (29-38) is gone from it.
    await push(a, logs, Array.from({ length: 100 }, (_, i) => line('web-1', 'c0', 40 + i)));
    expect(a.frame().split('\n').filter((l) => l.includes('web-1/c0'))).toEqual(paused);
    expect(a.frame()).toContain('PAUSED · 61 lines dropped from the buffer · +101 newer (f follows)');
    await push(a, logs, [line('web-1', 'c0', 140)]);
    expect(a.frame().split('\n').filter((l) => l.includes('web-1/c0'))).toEqual(paused);
    expect(a.frame()).toContain('62 lines dropped from the buffer · +102 newer');
    // Older than that is gone; newer starts at the oldest line still held.
    await a.press('k');
    expect(a.frame().split('\n').filter((l) => l.includes('web-1/c0'))).toEqual(paused);
    await a.press('j');
    expect(a.frame()).toContain('web-1/c0 line 91\n');
    expect(a.frame()).not.toContain('line 38');
    expect(a.frame()).not.toContain('dropped');
    expect(a.frame()).toContain('PAUSED');
  });

  it('filters with / (substring or /regex/) and highlights the matches', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs);
    await push(a, logs, [
      line('web-1', 'c0', 1, 'GET /healthz 200'),
      line('web-2', 'c0', 2, 'upstream timed out'),
      line('web-1', 'c0', 3, 'GET /cart 502'),
      line('web-2', 'c0', 4, 'GET /cart 200'),
    ]);
    await a.press('/');
    await a.type('cart');
    await a.press(KEYS.enter);
    expect(a.frame()).toContain('web-1/c0 GET /cart 502');
    expect(a.frame()).toContain('web-2/c0 GET /cart 200');
    expect(a.frame()).not.toContain('healthz');
    expect(a.frame()).not.toContain('timed out');

    await a.press('/');
    await a.press(...Array(4).fill(KEYS.backspace));
    await a.type('/ 50\\d$/');
    await a.press(KEYS.enter);
    expect(a.frame()).toContain('GET /cart 502');
    expect(a.frame()).not.toContain('GET /cart 200');

    // s saves what is shown: the filtered lines, with their prefixes.
    await a.press('s');
    expect(logs.saved).toEqual([{ lines: ['web-1/c0 GET /cart 502'], label: 'selector app=web in shop' }]);
    expect(a.frame()).toContain('saved 1 lines matching / 50\\d$/ to /tmp/saved/selector app=web in shop.log');
  });

  it('cuts long lines at the edge, and wraps them with w', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs, { columns: 60 });
    const long = `start ${'x'.repeat(100)} the-end`;
    await push(a, logs, [line('web-1', 'c0', 1, long)]);
    expect(a.frame()).toContain('web-1/c0 start xxx');
    expect(a.frame()).not.toContain('e-end');
    await a.press('w');
    expect(a.frame()).toContain('e-end');
    expect(a.frame()).toContain('wrap');
    await a.press('w');
    expect(a.frame()).not.toContain('e-end');
  });

  it('toggles timestamps and restarts the stream for previous, container, since and tail', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs);
    await push(a, logs, [line('web-1', 'c0', 1, 'hello')]);
    await a.press('t');
    expect(a.frame()).toContain('2026-11-21T12:00:00.001123456Z web-1/c0 hello');

    await a.press('p');
    expect(logs.streams[0].stopped).toBe(true);
    expect(logs.current.options).toMatchObject({ previous: true, follow: false });
    expect(a.frame()).toContain('PREVIOUS instances');
    await a.press('p', 'c');
    expect(logs.current.options).toMatchObject({ previous: false, container: 'c0' });
    await a.press('c', 'c');
    expect(logs.current.options.container).toBeUndefined();
    await a.press('+');
    expect(logs.current.options.tailLines).toBe(1000);
    await a.press('-', '-', '-');
    expect(logs.current.options.tailLines).toBe(10);
  });

  it('reaches back past the tail when a since window is set, unless a tail is set too, and says so as a person would', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs, { columns: 140 });
    expect(logs.current.options).toMatchObject({ tailLines: 100 });
    expect(logs.current.options.sinceSeconds).toBeUndefined();
    // Since a minute ago: every line of that minute, not the last 100 of it.
    await a.press(']');
    expect(logs.current.options).toMatchObject({ sinceSeconds: 60, tailLines: -1 });
    expect(a.frame()).toContain('since 1m · tail all');
    await a.press(']', ']', ']');
    expect(logs.current.options).toMatchObject({ sinceSeconds: 3600, tailLines: -1 });
    expect(a.frame()).toContain('since 1h · tail all');
    // A tail picked by hand applies together with the window (the server applies both).
    await a.press('-');
    expect(logs.current.options).toMatchObject({ sinceSeconds: 3600, tailLines: 10_000 });
    expect(a.frame()).toContain('since 1h · tail 10000');
    await a.press(']', ']');
    expect(a.frame()).toContain('since 24h · tail 10000');
    await a.press('[', '[', '[', '[', '[', '[');
    expect(logs.current.options).toMatchObject({ tailLines: 10_000 });
    expect(logs.current.options.sinceSeconds).toBeUndefined();
  });

  it('keeps no more lines than its ring buffer holds (--log-buffer)', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs, { buffer: 50 });
    await push(a, logs, Array.from({ length: 500 }, (_, i) => line('web-1', 'c0', i)));
    expect(a.frame()).toContain('50/50 lines');
    await a.press('g');
    expect(a.frame()).toContain('line 450');
    expect(a.frame()).not.toContain('line 449');
  });

  it('is opened by another view through openView with a workload', async () => {
    const logs = new FakeLogs();
    const opener = { id: 'opener', title: 'Opener', commands: ['opener'], hotkey: '9', component: OpenerView, keymap: OPENER_KEYMAP as Keymap<never> };
    app = await renderApp({ props: { callbacks: { actions: logs.actions }, views: [opener, ...VIEWS] } });
    expect(app.frame()).toContain('opener');
    await app.press(OPEN_KEY);
    expect(logs.current.target).toEqual({ type: 'workload', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(app.frame()).toContain('deployment/shop/web');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('opener');
    expect(logs.current.stopped).toBe(true);
  });

  it('opens a Job (or any TYPE/NAME) from :logs as daytwo logs takes it, with -n and -c', async () => {
    const logs = new FakeLogs();
    app = await renderApp({ objects: { pods: [] }, columns: 120, props: { callbacks: { actions: logs.actions } } });
    await app.press(':');
    await app.type('logs job/db-migrate -n batch -c task');
    await app.press(KEYS.enter);
    // The view picks the container itself (c cycles it): the stream gets the Job, the option the container.
    expect(logs.current.target).toEqual({ type: 'workload', kind: 'Job', namespace: 'batch', name: 'db-migrate' });
    expect(logs.current.options.container).toBe('task');
    expect(app.frame()).toContain('job/batch/db-migrate · FOLLOWING · 0 pods · container task');

    await app.press(':');
    await app.type('logs job/db-migrate');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('which namespace? :logs job/db-migrate -n NAMESPACE');
  });

  it('says what is wrong with a bad selector and stays up', async () => {
    const logs = new FakeLogs();
    const a = await openLogs(logs, { selector: 'app in (' });
    expect(a.frame()).toMatch(/bad selector "app in \("/);
    expect(logs.streams).toHaveLength(0);
  });
});
