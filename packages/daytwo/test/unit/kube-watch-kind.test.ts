/**
 * The list+watch loop against a scripted API server: the list and the watch stream are
 * replaced by fakes of client-node's `Watch` and of the HTTP list, so every failure mode can
 * be played in order. The real store and batcher receive the changes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { ApiRequestError } from '../../src/kube/errors.js';
import type { ListResult } from '../../src/kube/list.js';
import { KindWatcher, type Outcome } from '../../src/kube/watch-kind.js';
import { createAppStore } from '../../src/store/app-store.js';
import { ChangeBatcher } from '../../src/store/batcher.js';
import { WATCHED_KINDS } from '../../src/domain/kinds.js';

type EventCb = (type: string, obj: KubeObject) => void;
type DoneCb = (err: unknown) => void;

interface WatchCall {
  path: string;
  query: Record<string, unknown>;
  emit: EventCb;
  done: DoneCb;
  aborted: boolean;
}

/** Plays the API server: lists answer from a script, watches are driven by the test. */
class ScriptedServer {
  readonly lists: string[] = [];
  readonly watches: WatchCall[] = [];
  private readonly listScript: (() => ListResult)[] = [];
  private watchFailure: unknown;
  private lastAnswer: (() => ListResult) | undefined;
  /** Watches whose response headers never arrive (a slow or stuck server). */
  hangWatches = false;

  /** Queues the answer to the next list; the last one keeps being given once the queue is empty. */
  onList(fn: () => ListResult): void {
    this.listScript.push(fn);
  }

  failNextWatch(err: unknown): void {
    this.watchFailure = err;
  }

  list = async (path: string): Promise<ListResult> => {
    this.lists.push(path);
    const next = this.listScript.shift() ?? this.lastAnswer;
    if (!next) throw new Error('unexpected list');
    this.lastAnswer = next;
    return next();
  };

  watch = {
    watch: async (path: string, query: Record<string, unknown>, emit: EventCb, done: DoneCb): Promise<AbortController> => {
      const controller = new AbortController();
      const call: WatchCall = { path, query, emit, done, aborted: false };
      controller.signal.addEventListener('abort', () => {
        call.aborted = true;
        done(new Error('aborted'));
      });
      this.watches.push(call);
      if (this.hangWatches) return new Promise<AbortController>(() => {});
      const failure = this.watchFailure;
      this.watchFailure = undefined;
      if (failure) done(failure);
      return controller;
    },
  };

  get lastWatch(): WatchCall {
    return this.watches[this.watches.length - 1];
  }
}

function pod(name: string, rv: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion: rv } };
}

function listOf(rv: string, ...items: KubeObject[]): () => ListResult {
  return () => ({ items, resourceVersion: rv, pages: 1 });
}

function networkError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
}

const pods = WATCHED_KINDS.find((k) => k.kind === 'pods');
if (!pods) throw new Error('pods not watched');

function setup(opts: { namespace?: string; fallback?: () => Promise<KubeObject[]> } = {}) {
  const server = new ScriptedServer();
  const store = createAppStore();
  const batcher = new ChangeBatcher(store, 5);
  const outcomes: Outcome[] = [];
  const watcher = new KindWatcher({
    kind: pods as (typeof WATCHED_KINDS)[number],
    namespace: opts.namespace,
    list: server.list,
    watch: server.watch as never,
    sink: batcher,
    setState: (k, s, e) => store.getState().setConnection(k, s, e),
    reportOutcome: (_k, o) => outcomes.push(o),
    forbiddenFallback: opts.fallback,
    backoff: { initialMs: 10, maxMs: 40, jitter: 0 },
    recheckMs: 30,
  });
  stops.push(() => {
    watcher.stop();
    batcher.dispose();
  });
  const names = () => [...store.getState().objects.pods.keys()].sort();
  const state = () => store.getState().connection.pods;
  const history: string[] = [];
  store.subscribe((s) => {
    const conn = s.connection.pods;
    const entry = conn.error ? `${conn.state}: ${conn.error}` : conn.state;
    if (history[history.length - 1] !== entry) history.push(entry);
  });
  return { server, store, watcher, outcomes, names, state, history };
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('KindWatcher', () => {
  it('lists, goes live once the objects are stored, and watches from the list resourceVersion', async () => {
    const { server, watcher, names, state } = setup({ namespace: 'default' });
    server.onList(listOf('10', pod('a', '5'), pod('b', '7')));
    watcher.start();
    expect(state().state).toBe('syncing');
    await vi.waitFor(() => expect(state().state).toBe('live'));
    expect(names()).toEqual(['default/a', 'default/b']);
    expect(server.lists).toEqual(['/api/v1/namespaces/default/pods']);
    expect(server.lastWatch.query).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true });
  });

  it('is live once listed even while the watch is still connecting', async () => {
    const { server, watcher, names, state } = setup();
    server.hangWatches = true;
    server.onList(listOf('10', pod('a', '5')));
    watcher.start();
    await vi.waitFor(() => expect(state().state).toBe('live'));
    expect(names()).toEqual(['default/a']);
  });

  it('applies ADDED, MODIFIED and DELETED events', async () => {
    const { server, watcher, names, store } = setup();
    server.onList(listOf('10', pod('a', '5')));
    watcher.start();
    await vi.waitFor(() => expect(server.watches).toHaveLength(1));
    const w = server.lastWatch;
    w.emit('ADDED', pod('b', '11'));
    w.emit('MODIFIED', { ...pod('a', '12'), metadata: { ...pod('a', '12').metadata, labels: { x: 'y' } } });
    w.emit('DELETED', pod('b', '13'));
    await vi.waitFor(() => expect(store.getState().objects.pods.get('default/a')?.metadata.labels).toEqual({ x: 'y' }));
    expect(names()).toEqual(['default/a']);
    expect(watcher.lastResourceVersion).toBe('13');
  });

  it('resumes a dropped watch from the last resourceVersion, bookmarks included, without relisting', async () => {
    const { server, watcher, state } = setup();
    server.onList(listOf('10'));
    watcher.start();
    await vi.waitFor(() => expect(server.watches).toHaveLength(1));
    server.lastWatch.emit('ADDED', pod('a', '11'));
    server.lastWatch.emit('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '20' } });
    server.lastWatch.done(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await vi.waitFor(() => expect(server.watches).toHaveLength(2));
    expect(server.lastWatch.query.resourceVersion).toBe('20');
    expect(server.lists).toHaveLength(1);
    await vi.waitFor(() => expect(state().state).toBe('live'));
  });

  it('re-watches at once after a clean close of a healthy watch', async () => {
    const { server, watcher } = setup();
    server.onList(listOf('10'));
    watcher.start();
    await vi.waitFor(() => expect(server.watches).toHaveLength(1));
    server.lastWatch.emit('ADDED', pod('a', '11'));
    server.lastWatch.done(null);
    await vi.waitFor(() => expect(server.watches).toHaveLength(2));
    expect(server.lastWatch.query.resourceVersion).toBe('11');
  });

  it('relists on a 410 ERROR event and replaces the objects, dropping what vanished', async () => {
    const { server, watcher, names } = setup();
    server.onList(listOf('10', pod('a', '5'), pod('b', '6')));
    watcher.start();
    await vi.waitFor(() => expect(names()).toEqual(['default/a', 'default/b']));
    server.lastWatch.emit('ADDED', pod('c', '11'));
    server.onList(listOf('30', pod('a', '25'), pod('d', '28')));
    server.lastWatch.emit('ERROR', { code: 410, reason: 'Expired', message: 'too old resource version: 11 (20)' } as never);
    await vi.waitFor(() => expect(names()).toEqual(['default/a', 'default/d']));
    expect(server.lists).toHaveLength(2);
    expect(server.lastWatch.query.resourceVersion).toBe('30');
  });

  it('marks a forbidden kind, keeps its message, and checks again later', async () => {
    const { server, watcher, state, outcomes, history } = setup();
    const message = 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope';
    server.onList(() => {
      throw new ApiRequestError(403, message, 'Forbidden');
    });
    server.onList(listOf('10', pod('a', '5')));
    watcher.start();
    await vi.waitFor(() => expect(state().state).toBe('live'));
    expect(history).toEqual(['syncing', `forbidden: ${message}`, 'live']);
    expect(outcomes[0]).toBe('api-error');
    expect(server.lists).toHaveLength(2);
  });

  it('drops the cached objects of a kind that becomes forbidden', async () => {
    const { server, watcher, names, state } = setup();
    server.onList(listOf('10', pod('a', '5')));
    watcher.start();
    await vi.waitFor(() => expect(names()).toEqual(['default/a']));
    server.onList(() => {
      throw new ApiRequestError(403, 'forbidden', 'Forbidden');
    });
    server.lastWatch.emit('ERROR', { code: 410, message: 'too old resource version: 10 (12)' } as never);
    await vi.waitFor(() => expect(state().state).toBe('forbidden'));
    await vi.waitFor(() => expect(names()).toEqual([]));
  });

  it('shows the fallback objects of a forbidden kind', async () => {
    const { server, watcher, names, state } = setup({ fallback: async () => [pod('only', '1')] });
    server.onList(() => {
      throw new ApiRequestError(403, 'forbidden', 'Forbidden');
    });
    watcher.start();
    await vi.waitFor(() => expect(names()).toEqual(['default/only']));
    expect(state().state).toBe('forbidden');
  });

  it('retries a failing list with backoff, reporting network errors, until it succeeds', async () => {
    const { server, watcher, state, outcomes, history } = setup();
    server.onList(() => {
      throw networkError();
    });
    server.onList(() => {
      throw networkError();
    });
    server.onList(listOf('10', pod('a', '5')));
    watcher.start();
    await vi.waitFor(() => expect(state().state).toBe('live'));
    expect(history).toEqual(['syncing', 'reconnecting: connect ECONNREFUSED 127.0.0.1:1', 'live']);
    expect(outcomes).toEqual(['network-error', 'network-error', 'ok', 'ok']);
  });

  it('stops: no more requests and callbacks of the old watch are ignored', async () => {
    const { server, watcher, names } = setup();
    server.onList(listOf('10'));
    watcher.start();
    await vi.waitFor(() => expect(server.watches).toHaveLength(1));
    const w = server.lastWatch;
    watcher.stop();
    expect(w.aborted).toBe(true);
    w.emit('ADDED', pod('late', '11'));
    await new Promise((r) => setTimeout(r, 30));
    expect(names()).toEqual([]);
    expect(server.watches).toHaveLength(1);
  });
});
