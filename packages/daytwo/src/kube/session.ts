/**
 * A connection to one cluster: the kubeconfig context, the store, and the watches that
 * fill it. The TUI starts every watch; `daytwo report` waits for the kinds it needs.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { type AppStore, createAppStore, ingestObject } from '../store/app-store.js';
import { ChangeBatcher, FLUSH_INTERVAL_MS } from '../store/batcher.js';
import { KIND_NAMES, type KindName, WATCHED_KINDS } from '../domain/kinds.js';
import type { BackoffOptions } from './backoff.js';
import { refreshDiscovery } from './discovery.js';
import { KubeHttp } from './http.js';
import { withSerializedExecAuth } from './exec-credentials.js';
import { allowPlainHttp, listContexts, loadKubeconfig, type ResolvedContext, selectContext } from './kubeconfig.js';
import { LIST_PAGE_SIZE, listAll } from './list.js';
import { Reachability } from './reachability.js';
import { fetchServerVersion } from './version.js';
import { KindWatcher } from './watch-kind.js';

export interface SessionOptions {
  /** `--kubeconfig`: use only this file. */
  kubeconfig?: string;
  /** `--context`: instead of current-context. */
  context?: string;
  /** `-n`: limit namespaced kinds to this namespace; undefined for all. */
  namespace?: string;
  /** `--readonly`: recorded in the store for the actions to honour. */
  readonly?: boolean;
  /** A ready-made config (`--demo`, tests) instead of reading files. */
  kubeConfigObject?: KubeConfig;
  /** The store to fill; a fresh one by default. */
  store?: AppStore;
  /** Environment and home directory for finding the kubeconfig (tests); default the process's. */
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Reconnect backoff; default 1 s doubling to 30 s with jitter. */
  backoff?: BackoffOptions;
  /** How often a forbidden kind is checked again; default 60 s. */
  recheckMs?: number;
  /** List page size; default 500. */
  pageSize?: number;
  /** Store flush interval; default 50 ms. */
  flushIntervalMs?: number;
}

/** An open connection to a cluster. */
export interface KubeSession {
  readonly store: AppStore;
  /** The client-node config of the chosen context, for typed API calls and `canI`. */
  readonly kc: KubeConfig;
  /** `-n`, if given. */
  readonly namespace?: string;
  readonly context: ResolvedContext;
  /** Starts watching `kinds` (default: every kind daytwo watches); already watched kinds are left alone. */
  start(kinds?: readonly KindName[]): void;
  /**
   * Resolves once every kind in `kinds` (default: the started ones, or all when none were)
   * has its objects in the store or is known to be forbidden. Starts kinds not yet started.
   * Rejects with `SyncTimeoutError` after `timeoutMs` (default 30 s).
   */
  waitForSync(kinds?: readonly KindName[], timeoutMs?: number): Promise<void>;
  /** Stops every watch and timer; the store keeps what it has. */
  stop(): Promise<void>;
}

/** `waitForSync` gave up: names each kind still not synced and why. */
export class SyncTimeoutError extends Error {
  constructor(readonly pending: readonly { kind: KindName; state: string; error?: string }[]) {
    super(
      `not synced: ${pending.map((p) => `${p.kind} (${p.state}${p.error ? `: ${p.error}` : ''})`).join(', ')}`,
    );
    this.name = 'SyncTimeoutError';
  }
}

const DEFAULT_SYNC_TIMEOUT_MS = 30_000;

/**
 * Opens a session: reads and validates the kubeconfig (throwing `KubeconfigError` /
 * `NoKubeconfigError`) and prepares the store. It does not contact the server: an
 * unreachable server still gives a session, whose store then shows `reachable: false`.
 */
export async function openSession(opts: SessionOptions = {}): Promise<KubeSession> {
  let kc: KubeConfig;
  let context: ResolvedContext;
  if (opts.kubeConfigObject) {
    context = selectContext(opts.kubeConfigObject, opts.context);
    kc = opts.kubeConfigObject;
  } else {
    const loaded = loadKubeconfig({ explicitPath: opts.kubeconfig, context: opts.context, env: opts.env, homeDir: opts.homeDir });
    kc = loaded.kc;
    context = loaded;
  }
  kc = withSerializedExecAuth(allowPlainHttp(kc));
  const store = opts.store ?? createAppStore();
  store.getState().setCluster({
    context: context.context,
    server: context.server,
    user: context.user,
    namespace: opts.namespace,
    readonly: opts.readonly ?? false,
    reachable: true,
  });
  store.getState().setContexts(listContexts(kc));
  return new Session(kc, context, store, opts);
}

class Session implements KubeSession {
  readonly namespace?: string;
  private readonly http: KubeHttp;
  private readonly watch: Watch;
  private readonly batcher: ChangeBatcher;
  private readonly watchers = new Map<KindName, KindWatcher>();
  private readonly reachability: Reachability;
  private versionAbort: AbortController | undefined;
  private readonly discoveryAbort = new AbortController();
  private stopped = false;

  constructor(
    readonly kc: KubeConfig,
    readonly context: ResolvedContext,
    readonly store: AppStore,
    private readonly opts: SessionOptions,
  ) {
    this.namespace = opts.namespace;
    this.http = new KubeHttp(kc);
    this.watch = new Watch(this.http.watchConfig());
    this.batcher = new ChangeBatcher(store, opts.flushIntervalMs ?? FLUSH_INTERVAL_MS);
    this.reachability = new Reachability((reachable) => {
      this.store.getState().setCluster({ reachable });
      if (reachable && this.store.getState().cluster.version === undefined) this.refreshVersion();
    });
  }

  start(kinds: readonly KindName[] = KIND_NAMES): void {
    if (this.stopped) throw new Error('session stopped');
    if (this.watchers.size === 0) {
      this.refreshVersion();
      void refreshDiscovery(this.http, this.store, this.discoveryAbort.signal);
    }
    for (const kind of kinds) {
      if (this.watchers.has(kind)) continue;
      const watcher = this.createWatcher(kind);
      this.watchers.set(kind, watcher);
      watcher.start();
    }
  }

  waitForSync(kinds?: readonly KindName[], timeoutMs = DEFAULT_SYNC_TIMEOUT_MS): Promise<void> {
    const wanted = kinds ?? (this.watchers.size > 0 ? [...this.watchers.keys()] : KIND_NAMES);
    if (this.stopped) return Promise.reject(new Error('session stopped'));
    this.start(wanted);
    const isSynced = (): boolean => {
      const conn = this.store.getState().connection;
      return wanted.every((k) => conn[k].state === 'live' || conn[k].state === 'forbidden');
    };
    if (isSynced()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        const conn = this.store.getState().connection;
        const pending = wanted
          .filter((k) => conn[k].state !== 'live' && conn[k].state !== 'forbidden')
          .map((k) => ({ kind: k, state: conn[k].state, error: conn[k].error }));
        reject(new SyncTimeoutError(pending));
      }, timeoutMs);
      // A caller that stopped waiting (it failed otherwise) must not be kept alive by this timer.
      timer.unref();
      const unsubscribe = this.store.subscribe(() => {
        if (!isSynced()) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.versionAbort?.abort();
    this.discoveryAbort.abort();
    for (const watcher of this.watchers.values()) watcher.stop();
    this.watchers.clear();
    this.batcher.dispose();
    this.http.close();
  }

  private createWatcher(kind: KindName): KindWatcher {
    const watched = WATCHED_KINDS.find((k) => k.kind === kind);
    if (!watched) throw new Error(`unknown kind ${kind}`);
    const pageSize = this.opts.pageSize ?? LIST_PAGE_SIZE;
    return new KindWatcher({
      kind: watched,
      namespace: this.namespace,
      // Reduced to records page by page: on a 30,000-pod cluster the whole objects of a list
      // would otherwise all be alive at once, raising the process's peak heap (and so its RSS).
      // Pods and nodes come without their managed fields: their records keep none, and core/v1,
      // their only version, is all the managed fields could say of the API versions used.
      list: (path, signal) =>
        listAll(this.http, path, {
          limit: pageSize,
          signal,
          mapItem: (o) => ingestObject(kind, o),
          dropManagedFields: kind === 'pods' || kind === 'nodes',
        }),
      watch: this.watch,
      sink: this.batcher,
      setState: (k, state, error) => this.store.getState().setConnection(k, state, error),
      reportOutcome: (k, outcome) => this.reachability.report(k, outcome),
      forbiddenFallback: kind === 'namespaces' && this.namespace ? () => this.scopedNamespace() : undefined,
      backoff: this.opts.backoff,
      recheckMs: this.opts.recheckMs,
    });
  }

  /**
   * A namespace-scoped user may not list namespaces: show just the `-n` namespace, read
   * directly when allowed (RBAC can grant `get` on one namespace), else as a stub.
   */
  private async scopedNamespace(): Promise<KubeObject[]> {
    const name = this.namespace as string;
    try {
      return [await this.http.requestJson<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(name)}`)];
    } catch {
      return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }];
    }
  }

  private refreshVersion(): void {
    if (this.stopped || this.versionAbort) return;
    const abort = new AbortController();
    this.versionAbort = abort;
    fetchServerVersion(this.http, abort.signal)
      .then((info) => {
        if (!this.stopped) this.store.getState().setCluster({ version: info.gitVersion });
      })
      .catch(() => {
        // Retried when the server becomes reachable again; the header shows no version meanwhile.
      })
      .finally(() => {
        if (this.versionAbort === abort) this.versionAbort = undefined;
      });
  }
}
