/**
 * Renders the console (or any element) into fake terminal streams with a size that tests
 * choose and change, and builds test objects shaped as an API server returns them.
 *
 * ink-testing-library's `render` fixes stdout at 100 columns with no rows and no resize,
 * so this helper builds the same fake streams with a settable size and passes them to Ink.
 */
import { EventEmitter } from 'node:events';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Namespace, Pod } from '@daytwo/k8s/wire-types.js';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { expect, vi } from 'vitest';
import type { KindName } from '../../src/domain/kinds.js';
import { type AppStore, type ClusterInfo, createAppStore } from '../../src/store/app-store.js';
import { App, type AppProps } from '../../src/views/App.js';

/** A terminal output whose size tests set. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames: string[] = [];
  lastWriteAt = 0;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    this.lastWriteAt = Date.now();
    return true;
  };

  /** Waits `ms`, then until no frame has been written for a while (renders on a loaded machine trail the key). */
  async settle(ms = 30, quietMs = 25, maxMs = 2000): Promise<void> {
    const start = Date.now();
    await tick(ms);
    while (Date.now() - this.lastWriteAt < quietMs && Date.now() - start < maxMs) await tick(10);
  }
  lastFrame = () => this.frames[this.frames.length - 1];
}

/** A terminal input that tests type into. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** Keys as a terminal sends them. */
export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/** Lets Ink parse input and React commit; Ink handles input asynchronously. */
export async function tick(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  // On a busy machine the timer can fire before React's queued work: let that run first.
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The frame once `check` passes on it: `vi.waitFor` retries until then, or fails with the
 * last frame's assertion (so the failure shows the frame).
 */
export function waitForFrame(r: Pick<Rendered, 'frame'>, check: (frame: string) => void, timeout = 20_000): Promise<string> {
  return vi.waitFor(
    () => {
      const frame = r.frame();
      check(frame);
      return frame;
    },
    { timeout, interval: 50 },
  );
}

/** Waits until the frame shows `what` (text, or a pattern it matches); the failure shows the last frame. */
export function frameShows(r: Pick<Rendered, 'frame'>, what: string | RegExp, timeout = 15_000): Promise<string> {
  return waitForFrame(r, (f) => (typeof what === 'string' ? expect(f).toContain(what) : expect(f).toMatch(what)), timeout);
}

/** What a rendered test console offers. */
export interface Rendered {
  readonly store: AppStore;
  /** The last frame, without colours. */
  frame(): string;
  /** The last frame's lines, without colours. */
  lines(): string[];
  /** Every frame written so far, joined, without colours (to check that something never showed). */
  allFrames(): string;
  /** A table's cursor row (marked `>` in the first column), without colours; undefined if none. */
  cursorLine(): string | undefined;
  /** Sends keys one at a time (each as its own terminal write), waiting after each. */
  press(...keys: string[]): Promise<void>;
  /** Types text, one character per key press. */
  type(text: string): Promise<void>;
  /** Sends keys back to back, each as its own read but with no time in between (a fast typist, key repeat). */
  burst(...keys: string[]): Promise<void>;
  /** Sends keys in one terminal read, as a terminal over SSH or tmux delivers keys typed together. */
  chunk(...keys: string[]): Promise<void>;
  /** Changes the terminal size and emits `resize`, like a terminal window being resized. */
  resize(columns: number, rows: number): Promise<void>;
  readonly stdout: { columns: number; rows: number };
  /** Resolves when the app exited (quit). */
  readonly exited: Promise<void>;
  unmount(): void;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** Renders any element in a fake terminal of the given size. */
export async function renderElement(
  element: ReactElement,
  store: AppStore,
  size: { columns?: number; rows?: number } = {},
): Promise<Rendered> {
  const stdout = new FakeStdout(size.columns ?? 100, size.rows ?? 24);
  const stdin = new FakeStdin();
  const instance = inkRender(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(100, 24) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const exited = instance.waitUntilExit().then(() => undefined);
  await tick();
  const rendered: Rendered = {
    store,
    stdout,
    exited,
    frame: () => (stdout.lastFrame() ?? '').replace(ANSI, ''),
    lines: () => rendered.frame().split('\n'),
    allFrames: () => stdout.frames.join('\n').replace(ANSI, ''),
    cursorLine: () => rendered.lines().find((l) => l.startsWith('>')),
    async press(...keys) {
      for (const key of keys) {
        stdin.write(key);
        await stdout.settle();
      }
    },
    async burst(...keys) {
      for (const key of keys) {
        stdin.write(key);
        // A terminal delivers each key as its own read, a millisecond apart at the very least.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await tick();
    },
    async chunk(...keys) {
      stdin.write(keys.join(''));
      await stdout.settle();
      await tick();
    },
    async type(text) {
      await rendered.press(...Array.from(text));
    },
    async resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await tick();
    },
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
  return rendered;
}

/** Renders `<App>` over a store seeded with the given objects. */
export async function renderApp(
  opts: {
    objects?: Partial<Record<KindName, readonly KubeObject[]>>;
    cluster?: Partial<ClusterInfo>;
    columns?: number;
    rows?: number;
    props?: Omit<AppProps, 'store'>;
  } = {},
): Promise<Rendered> {
  const store = seededStore(opts.objects ?? {}, opts.cluster);
  return renderElement(<App store={store} {...opts.props} />, store, opts);
}

/** A fresh store holding the given objects, every given kind marked live. */
export function seededStore(
  objects: Partial<Record<KindName, readonly KubeObject[]>>,
  cluster: Partial<ClusterInfo> = {},
): AppStore {
  const store = createAppStore({ context: 'test-ctx', server: 'https://127.0.0.1:6443', version: 'v1.30.4', ...cluster });
  const state = store.getState();
  state.applyChanges(
    Object.entries(objects).map(([kind, list]) => ({ kind: kind as KindName, type: 'replace' as const, objects: list ?? [] })),
  );
  for (const kind of Object.keys(objects)) state.setConnection(kind as KindName, 'live');
  return store;
}

let uidCounter = 0;

function meta(name: string, namespace: string | undefined, ageSeconds = 3600, extra: Record<string, unknown> = {}) {
  uidCounter++;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: `00000000-0000-4000-8000-${String(uidCounter).padStart(12, '0')}`,
    resourceVersion: String(1000 + uidCounter),
    creationTimestamp: new Date(Date.now() - ageSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...extra,
  };
}

/** A Namespace as `GET /api/v1/namespaces/{name}` returns it. */
export function namespace(name: string, opts: { phase?: string; ageSeconds?: number } = {}): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, undefined, opts.ageSeconds, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: opts.phase ?? 'Active' },
  };
}

/** A Pod with one container per restart count given (default one container, no restarts). */
export function pod(
  ns: string,
  name: string,
  opts: {
    phase?: string;
    qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
    restarts?: readonly number[];
    initRestarts?: readonly number[];
    ageSeconds?: number;
  } = {},
): Pod {
  const restarts = opts.restarts ?? [0];
  const status = (prefix: string, n: number, i: number) => ({
    name: `${prefix}${i}`,
    image: 'registry.k8s.io/pause:3.9',
    imageID: '',
    ready: opts.phase === undefined || opts.phase === 'Running',
    restartCount: n,
    started: true,
    state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, ns, opts.ageSeconds),
    spec: {
      containers: restarts.map((_, i) => ({ name: `c${i}`, image: 'registry.k8s.io/pause:3.9' })),
      nodeName: 'node-1',
    },
    status: {
      phase: opts.phase ?? 'Running',
      qosClass: opts.qosClass ?? 'BestEffort',
      containerStatuses: restarts.map((n, i) => status('c', n, i)),
      ...(opts.initRestarts ? { initContainerStatuses: opts.initRestarts.map((n, i) => status('init', n, i)) } : {}),
    },
  };
}

/** A namespaced object of a workload kind (Deployment, StatefulSet, DaemonSet, Job, CronJob) or other kind. */
export function namespaced(apiVersion: string, kind: string, ns: string, name: string, rest: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: meta(name, ns), ...rest };
}

/** A ResourceQuota with its `status.hard` and `status.used` as the quota controller reports them. */
export function resourceQuota(
  ns: string,
  name: string,
  hard: Record<string, string>,
  used: Record<string, string>,
): KubeObject {
  return namespaced('v1', 'ResourceQuota', ns, name, { spec: { hard }, status: { hard, used } });
}

/** A LimitRange with a default container limit. */
export function limitRange(ns: string, name: string): KubeObject {
  return namespaced('v1', 'LimitRange', ns, name, {
    spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' } }] },
  });
}
