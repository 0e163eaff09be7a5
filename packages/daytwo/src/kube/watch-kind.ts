/**
 * Keeps one kind of object in the store: list, then watch from the list's resourceVersion,
 * reconnecting forever.
 *
 * Why not client-node's `ListWatch`/`makeInformer`: it keeps a second full copy of every
 * object (un-slimmed, managedFields and all: twice the memory on a 30,000-pod cluster), its
 * list function must return the typed, deserialized list, it does not ask for bookmarks,
 * and on any error but 410 it stops for good, leaving restart and backoff to the app anyway.
 * So this is a small list+watch loop on client-node's `Watch` (which owns the HTTP stream,
 * auth and TLS), with plain-JSON paginated lists and the store as the only cache.
 */
import type { Watch } from '@kubernetes/client-node';
import { type KubeObject, objectKey } from '@daytwo/k8s/kube-object.js';
import { type ConnectionState, ingestObject, type ObjectChange } from '../store/app-store.js';
import type { KindName, WatchedKind } from '../domain/kinds.js';
import { collectionPath } from '../domain/kinds.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ApiRequestError, describeError, isNetworkError, statusCodeOf } from './errors.js';
import { ExecCredentialError } from './exec-credentials.js';
import type { ListResult } from './list.js';

/** How a request to the server went, for the session's reachability tracking. */
export type Outcome = 'ok' | 'network-error' | 'api-error';

/** Where changes go: the `ChangeBatcher`. */
export interface ChangeSink {
  push(change: ObjectChange): void;
  /** Runs `fn` once the changes pushed so far are in the store. */
  afterFlush(fn: () => void): void;
}

/** Everything a `KindWatcher` talks to; the session wires the real ones. */
export interface KindWatcherDeps {
  readonly kind: WatchedKind;
  /** `-n`: limits namespaced kinds to this namespace. */
  readonly namespace?: string;
  /** A complete (paginated) list of a collection path. */
  list(path: string, signal: AbortSignal): Promise<ListResult>;
  /** client-node's `Watch` (or anything with its `watch` method). */
  readonly watch: Pick<Watch, 'watch'>;
  readonly sink: ChangeSink;
  setState(kind: KindName, state: ConnectionState, error?: string): void;
  reportOutcome(kind: KindName, outcome: Outcome): void;
  /**
   * Objects to show when listing is forbidden, e.g. the `-n` namespace itself for a
   * namespace-scoped user who may not list namespaces.
   */
  forbiddenFallback?(): Promise<KubeObject[]>;
  readonly backoff?: BackoffOptions;
  /** How long to wait before checking a forbidden or unserved kind again. Default 60 s. */
  readonly recheckMs?: number;
}

/** A forbidden kind is checked again this rarely: RBAC rarely changes under a running console. */
export const FORBIDDEN_RECHECK_MS = 60_000;

/**
 * A watch that ends cleanly this soon without delivering anything is treated as a failure,
 * so a server that accepts and closes at once cannot make the loop spin.
 */
/** How often a kind whose credentials were refused is tried again (said in the header). */
export const UNAUTHORIZED_RECHECK_MS = 30_000;

const SHORT_WATCH_MS = 1000;

/**
 * Server-side watch timeout, as client-go's reflector picks it: between 5 and 10 minutes at
 * random (tools/cache/reflector.go, minWatchTimeout), so watches do not all end together.
 */
function watchTimeoutSeconds(): number {
  return Math.floor(300 * (1 + Math.random()));
}

/**
 * The list+watch loop of one kind. States in the store: `syncing` until the first list,
 * `live`, `reconnecting` (with the error) while retrying with backoff, `forbidden` on 403
 * (re-checked every `recheckMs`). A dropped watch resumes from the last resourceVersion
 * (bookmarks included); 410 Gone relists and replaces the kind's objects, which removes
 * whatever vanished meanwhile.
 */
export class KindWatcher {
  private running = false;
  /** Incremented by every list/watch attempt and by stop(): callbacks of older attempts are ignored. */
  private generation = 0;
  private resourceVersion = '';
  private synced = false;
  /** Incremented by every list and by stop(), to tell whether a list's follow-up still applies. */
  private listEpoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private listAbort: AbortController | undefined;
  private watchAbort: AbortController | undefined;
  private readonly backoff: Backoff;
  private readonly path: string;

  constructor(private readonly deps: KindWatcherDeps) {
    this.backoff = new Backoff(deps.backoff);
    this.path = collectionPath(deps.kind, deps.namespace);
  }

  /** The kind this watcher keeps. */
  get kind(): KindName {
    return this.deps.kind.kind;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.deps.setState(this.kind, 'syncing');
    void this.relist();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.listEpoch++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listAbort?.abort();
    this.listAbort = undefined;
    this.watchAbort?.abort();
    this.watchAbort = undefined;
  }

  private async relist(): Promise<void> {
    const gen = ++this.generation;
    const epoch = ++this.listEpoch;
    const abort = new AbortController();
    this.listAbort = abort;
    let result: ListResult;
    try {
      result = await this.deps.list(this.path, abort.signal);
    } catch (err) {
      if (gen !== this.generation) return;
      await this.failed(err, 'list');
      return;
    } finally {
      if (this.listAbort === abort) this.listAbort = undefined;
    }
    if (gen !== this.generation) return;
    this.backoff.reset();
    this.deps.reportOutcome(this.kind, 'ok');
    this.resourceVersion = result.resourceVersion;
    this.deps.sink.push({ kind: this.kind, type: 'replace', objects: result.items });
    this.synced = true;
    // `live` only once the objects are in the store, so waitForSync never sees a live, empty kind.
    this.deps.sink.afterFlush(() => {
      if (epoch === this.listEpoch && this.running) this.deps.setState(this.kind, 'live');
    });
    this.startWatch(true);
  }

  /** `afterList`: this watch starts from a list just made, rather than resuming. */
  private startWatch(afterList = false): void {
    const gen = ++this.generation;
    const startedAt = Date.now();
    let events = 0;
    let ended = false;
    let streamError: unknown;

    const onEvent = (type: string, obj: KubeObject): void => {
      if (gen !== this.generation) return;
      switch (type) {
        case 'ADDED':
        case 'MODIFIED':
          // Reduced at once, so the whole object dies young instead of waiting for the flush.
          this.deps.sink.push({ kind: this.kind, type: 'upsert', object: ingestObject(this.kind, obj) });
          break;
        case 'DELETED':
          this.deps.sink.push({ kind: this.kind, type: 'delete', key: objectKey(obj) });
          break;
        case 'BOOKMARK':
          break;
        case 'ERROR': {
          // The server reports a failed watch (e.g. 410 Expired) as an event with a
          // metav1.Status, then closes the stream.
          const status = obj as { code?: number; message?: string; reason?: string };
          streamError = new ApiRequestError(status.code ?? 500, status.message ?? 'watch error', status.reason);
          this.watchAbort?.abort();
          return;
        }
        default:
          return;
      }
      events++;
      const rv = obj.metadata?.resourceVersion;
      if (rv) this.resourceVersion = rv;
    };

    const onDone = (err: unknown): void => {
      if (ended || gen !== this.generation) return;
      ended = true;
      this.watchAbort = undefined;
      const failure = streamError ?? err;
      const healthy = events > 0 || Date.now() - startedAt >= SHORT_WATCH_MS;
      if (healthy) this.backoff.reset();
      if (failure) {
        // A 410 on a resumed watch (or one that made progress) relists at once; one right
        // after a fresh list means the server keeps expiring us, so back off.
        void this.failed(failure, 'watch', events > 0 || !afterList);
        return;
      }
      // A clean close is the server's watch timeout (or a dropped connection): resume at once.
      if (healthy) this.startWatch();
      else this.retryAfter(this.backoff.next(), () => this.startWatch());
    };

    this.deps.watch
      .watch(
        this.path,
        { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds() },
        onEvent,
        onDone,
      )
      .then((controller) => {
        if (gen !== this.generation || ended) {
          controller.abort();
          return;
        }
        this.watchAbort = controller;
        this.deps.reportOutcome(this.kind, 'ok');
        if (this.synced) this.deps.sink.afterFlush(() => this.markLive(gen));
      })
      .catch(onDone);
  }

  private markLive(gen: number): void {
    if (gen === this.generation && this.running) this.deps.setState(this.kind, 'live');
  }

  /**
   * Decides what follows a failed list or watch: 410 relists, 403 marks the kind forbidden
   * and re-checks rarely, anything else retries with backoff (a watch from the last
   * resourceVersion, or a list if none succeeded yet).
   */
  private async failed(err: unknown, during: 'list' | 'watch', relistNow = false): Promise<void> {
    if (!this.running) return;
    const code = statusCodeOf(err);
    const message = describeError(err);
    this.deps.reportOutcome(this.kind, isNetworkError(err) ? 'network-error' : 'api-error');

    if (code === 410) {
      // Expired resourceVersion: the only way back is a fresh list (client-go reflector).
      this.resourceVersion = '';
      if (during === 'watch' && relistNow) void this.relist();
      else this.retryAfter(this.backoff.next(), () => void this.relist());
      return;
    }
    if (code === 401 || err instanceof ExecCredentialError) {
      // Credentials the server refused (or could not be had): retrying at network speed only
      // re-runs a failing exec plugin and floods the server; client-go's callers give up at once.
      this.deps.setState(this.kind, 'unauthorized', code === 401 ? `Unauthorized: the server refused the credentials (${message})` : message);
      this.retryAfter(this.deps.recheckMs ?? UNAUTHORIZED_RECHECK_MS, () => void this.relist());
      return;
    }
    if (code === 403) {
      this.deps.setState(this.kind, 'forbidden', message);
      await this.showFallback();
      this.retryAfter(this.deps.recheckMs ?? FORBIDDEN_RECHECK_MS, () => void this.relist());
      return;
    }
    this.deps.setState(this.kind, 'reconnecting', message);
    // 404: this server does not serve the kind (an old version); check again rarely.
    const delay = code === 404 ? (this.deps.recheckMs ?? FORBIDDEN_RECHECK_MS) : this.backoff.next();
    const resume = during === 'watch' && this.resourceVersion !== '';
    this.retryAfter(delay, () => (resume ? this.startWatch() : void this.relist()));
  }

  /**
   * What a forbidden kind shows: nothing (what was cached may no longer be ours to see), or
   * the fallback objects.
   */
  private async showFallback(): Promise<void> {
    const gen = this.generation;
    let objects: KubeObject[] = [];
    try {
      if (this.deps.forbiddenFallback) objects = await this.deps.forbiddenFallback();
    } catch {
      // Nothing to show beyond the forbidden state.
    }
    if (gen === this.generation && this.running) this.deps.sink.push({ kind: this.kind, type: 'replace', objects });
  }

  private retryAfter(delayMs: number, fn: () => void): void {
    if (!this.running) return;
    const gen = ++this.generation;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (gen === this.generation && this.running) fn();
    }, delayMs);
  }
}
