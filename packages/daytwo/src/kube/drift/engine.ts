/**
 * The drift loop: reads the Git source, lists the live objects Git declares, compares, and
 * writes the answer into a {@link DriftStore}. It runs again on `r`, when files change in
 * the working tree, and (throttled) when live objects of a declared kind change: kinds the
 * session's store watches are followed there; every other declared scope (ConfigMaps,
 * Secrets, NetworkPolicies, RBAC, custom resources, or a namespace outside `-n`) gets a
 * watch of its own while the engine runs ({@link ScopeWatch}), so the drift of every
 * declared kind stays current. Only declared kinds, in the declared namespaces, are watched.
 */
import { computeDrift, type LiveScope } from '../../domain/drift/compare.js';
import { resolveDeclared } from '../../domain/drift/manifests.js';
import { sortDriftItems } from '../../domain/drift/rows.js';
import { type DeclaredObject, driftKey } from '../../domain/drift/types.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Requirement } from '@daytwo/k8s/label-selector.js';
import type { AppStore } from '../../store/app-store.js';
import { createDriftStore, type DriftFeed, type DriftStore } from '../../store/drift.js';
import { type KindName, WATCHED_KINDS } from '../../domain/kinds.js';
import { describeError } from '../errors.js';
import type { KubeHttp } from '../http.js';
import { type GitSource, watchTree } from './git-source.js';
import { listScopes, type ScopeRequest, scopeRequestKey } from './live.js';
import { ScopeWatch } from './scope-watch.js';
import { ResourceCatalog, type ResourceInfo } from './resources.js';

/** What started a comparison: the user, a file change, or a watched object change. */
export type RefreshReason = 'manual' | 'files' | 'objects';

export interface DriftEngineOptions {
  readonly source: GitSource;
  readonly http: KubeHttp;
  /** `--git-namespace`: for namespaced objects that name none. */
  readonly defaultNamespace?: string;
  readonly pruneSelector?: readonly Requirement[];
  /** The session's store: its watches trigger recomputation. */
  readonly appStore?: AppStore;
  /** At most one recomputation per this many ms on watched object changes (default 2000). */
  readonly throttleMs?: number;
  /** Wait before relisting a scope whose own watch ended (default 1000 ms, doubling to 30 s while watches keep failing fast). */
  readonly rewatchMs?: number;
}

/** A watch lasting this long was healthy: the next restart waits the minimum again. */
const HEALTHY_WATCH_MS = 30_000;
const MAX_REWATCH_MS = 30_000;

/** A declared object with the resource that serves it: what a sync applies. */
export interface SyncTarget {
  readonly declared: DeclaredObject;
  readonly resource: ResourceInfo;
  /** The object exists live (else a sync creates it). */
  readonly exists: boolean;
}

/** Compares Git with the cluster and keeps the answer current; see the module comment. */
export class DriftEngine implements DriftFeed {
  readonly store: DriftStore = createDriftStore();
  private readonly opts: DriftEngineOptions;
  private readonly catalog: ResourceCatalog;
  private loop: Promise<void> | undefined;
  private pending: RefreshReason | undefined;
  private targets = new Map<string, SyncTarget>();
  /** Scopes of watched kinds: the store's names@resourceVersions when listed, and the list. */
  private watchedCache = new Map<string, { kind: KindName; signature: string; scope: LiveScope }>();
  /** Every scope of the last comparison, reused for unwatched kinds when watched objects changed. */
  private lastScopes = new Map<string, LiveScope>();
  private lastRun = 0;
  private timer: NodeJS.Timeout | undefined;
  private stops: (() => void)[] = [];
  /** Set by {@link start}: the engine follows changes (and opens its own scope watches). */
  private following = false;
  /** Own watches of scopes the store does not watch, by scope key. */
  private scopeWatches = new Map<string, { watch: ScopeWatch; startedAt: number }>();
  /** Scopes changed (or whose watch ended) since they were last listed. */
  private dirtyScopes = new Set<string>();
  private rewatchDelay = new Map<string, number>();
  private rewatchTimers = new Set<NodeJS.Timeout>();

  constructor(opts: DriftEngineOptions) {
    this.opts = opts;
    this.catalog = new ResourceCatalog(opts.http);
  }

  /** Compares now, and again on file changes and watched object changes until {@link stop}. */
  start(): void {
    this.following = true;
    void this.run('manual');
    const root = this.opts.source.watchRoot();
    if (root) this.stops.push(watchTree(root, () => this.refresh('files')));
    const appStore = this.opts.appStore;
    if (appStore) {
      this.stops.push(
        appStore.subscribe((state, prev) => {
          if (state.objects === prev.objects) return;
          const changed = [...this.watchedCache.values()].some((c) => state.objects[c.kind] !== prev.objects[c.kind]);
          if (changed) this.scheduleObjectsRefresh();
        }),
      );
    }
  }

  stop(): void {
    this.following = false;
    clearTimeout(this.timer);
    for (const t of this.rewatchTimers) clearTimeout(t);
    this.rewatchTimers.clear();
    for (const s of this.stops.splice(0)) s();
    for (const w of this.scopeWatches.values()) w.watch.stop();
    this.scopeWatches.clear();
  }

  /** The scopes the engine watches itself, as `group/resource/namespace` (for tests). */
  ownWatches(): string[] {
    return [...this.scopeWatches.keys()].sort();
  }

  /** Asks for a comparison; one already running is followed by exactly one more. */
  refresh(reason: RefreshReason = 'manual'): void {
    void this.run(reason);
  }

  /**
   * Runs a comparison now, or right after the running one (requests made meanwhile are
   * merged into one), and resolves when the answer is in the store.
   */
  run(reason: RefreshReason = 'manual'): Promise<void> {
    // A manual or file-triggered run lists everything; an objects-triggered one may reuse lists.
    this.pending = this.pending && this.pending !== 'objects' ? this.pending : reason;
    this.loop ??= this.drain().finally(() => {
      this.loop = undefined;
    });
    return this.loop;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const reason = this.pending;
      this.pending = undefined;
      await this.compute(reason);
      this.lastRun = Date.now();
    }
  }

  manifestOf(key: string): KubeObject | undefined {
    return this.targets.get(key)?.declared.manifest;
  }

  /** The object a sync of `key` (a {@link driftKey}) applies, when Git declares it. */
  syncTarget(key: string): SyncTarget | undefined {
    return this.targets.get(key);
  }

  private scheduleObjectsRefresh(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRun + (this.opts.throttleMs ?? 2000) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh('objects');
    }, wait);
  }

  private async compute(reason: RefreshReason): Promise<void> {
    this.store.setState({ refreshing: true });
    let snapshot: Awaited<ReturnType<GitSource['read']>>;
    try {
      snapshot = await this.opts.source.read();
    } catch (err) {
      this.store.setState({ phase: 'error', refreshing: false, error: describeError(err), computedAt: Date.now() });
      return;
    }
    const source = {
      description: snapshot.description,
      dirty: snapshot.dirty,
      ...(snapshot.ref ? { ref: snapshot.ref } : {}),
      ...(snapshot.commit ? { commit: { hash: snapshot.commit.hash, shortHash: snapshot.commit.shortHash, subject: snapshot.commit.subject, time: snapshot.commit.time } } : {}),
    };
    try {
      const kinds = new Map<string, ResourceInfo | undefined>();
      for (const o of snapshot.manifests.objects) {
        const k = `${o.apiVersion}\u0000${o.kind}`;
        if (!kinds.has(k)) kinds.set(k, await this.catalog.lookup(o.apiVersion, o.kind));
      }
      const byGroupKind = new Map<string, ResourceInfo>();
      for (const r of kinds.values()) if (r) byGroupKind.set(`${r.group}/${r.kind}`, r);
      const resourceOf = (apiVersion: string, kind: string) => kinds.get(`${apiVersion}\u0000${kind}`);
      const declared = resolveDeclared(
        snapshot.manifests,
        (group, kind) => byGroupKind.get(`${group}/${kind}`)?.namespaced,
        this.opts.defaultNamespace ?? 'default',
      );
      const requests = new Map<string, ScopeRequest>();
      for (const d of declared.objects) {
        const resource = resourceOf(d.apiVersion, d.kind);
        if (!resource) continue;
        const req = { resource, namespace: d.namespace };
        requests.set(scopeRequestKey(req), req);
      }
      const live = await this.listLive([...requests.values()], reason);
      const compared = computeDrift({ declared: declared.objects, live: [...live.scopes.values()], pruneSelector: this.opts.pruneSelector });
      const items = sortDriftItems(compared.map((i) => ({ ...i, resource: byGroupKind.get(`${i.group}/${i.kind}`)?.resource })));
      const present = new Set(items.filter((i) => i.status !== 'Missing' && i.status !== 'Extra').map(driftKey));
      this.targets = new Map(
        declared.objects.flatMap((d) => {
          const resource = resourceOf(d.apiVersion, d.kind);
          return resource ? [[driftKey(d), { declared: d, resource, exists: present.has(driftKey(d)) }] as const] : [];
        }),
      );
      this.store.setState({
        phase: 'ready',
        refreshing: false,
        source,
        items,
        manifestErrors: declared.errors,
        liveErrors: live.errors,
        error: undefined,
        computedAt: Date.now(),
      });
    } catch (err) {
      this.store.setState({ phase: 'error', refreshing: false, source, error: describeError(err), computedAt: Date.now() });
    }
  }

  /** The store's kind for a resource, when the session's store watches this scope. */
  private storeKindOf(req: ScopeRequest): KindName | undefined {
    const state = this.opts.appStore?.getState();
    if (!state) return undefined;
    const r = req.resource;
    const watched = WATCHED_KINDS.find((w) => w.group === r.group && w.kind === r.resource && w.version === r.version);
    if (!watched) return undefined;
    if (state.connection[watched.kind]?.state === 'idle' || state.connection[watched.kind]?.state === 'forbidden') return undefined;
    // Under `-n`, the store sees one namespace only.
    const only = state.cluster.namespace;
    if (only !== undefined && r.namespaced && req.namespace !== only) return undefined;
    return watched.kind;
  }

  /**
   * Lists the scopes. After a live change, a scope the store watches is listed again only
   * if the store's objects of that kind changed there, a scope with its own watch only if
   * that watch saw a change (or ended), and nothing else.
   */
  private async listLive(requests: ScopeRequest[], reason: RefreshReason) {
    const state = this.opts.appStore?.getState();
    const reuse = new Map<string, LiveScope>();
    const toList: ScopeRequest[] = [];
    for (const req of requests) {
      const key = scopeRequestKey(req);
      const kind = this.storeKindOf(req);
      const cached = this.watchedCache.get(key);
      const signature = kind && state ? storeSignature(state.objects[kind], req.namespace) : '';
      const last = this.lastScopes.get(key);
      if (reason === 'objects' && kind && cached && cached.signature === signature) reuse.set(key, cached.scope);
      else if (reason === 'objects' && !kind && last && this.scopeWatches.has(key) && !this.dirtyScopes.has(key)) reuse.set(key, last);
      else toList.push(req);
    }
    for (const req of toList) this.dirtyScopes.delete(scopeRequestKey(req));
    const listed = await listScopes(this.opts.http, toList);
    for (const req of toList) {
      const key = scopeRequestKey(req);
      const kind = this.storeKindOf(req);
      const scope = listed.scopes.get(key);
      if (kind && scope && state) this.watchedCache.set(key, { kind, signature: storeSignature(state.objects[kind], req.namespace), scope });
    }
    const scopes = new Map([...reuse, ...listed.scopes]);
    this.lastScopes = scopes;
    this.followScopes(requests, listed.resourceVersions);
    return { scopes, errors: listed.errors };
  }

  /** Opens a watch for each declared scope the store does not watch; closes those no longer declared. */
  private followScopes(requests: readonly ScopeRequest[], resourceVersions: ReadonlyMap<string, string>): void {
    if (!this.following) return;
    const wanted = new Map(requests.filter((r) => !this.storeKindOf(r)).map((r) => [scopeRequestKey(r), r]));
    for (const [key, w] of this.scopeWatches) {
      if (wanted.has(key)) continue;
      w.watch.stop();
      this.scopeWatches.delete(key);
    }
    for (const [key, req] of wanted) {
      const resourceVersion = resourceVersions.get(key);
      if (this.scopeWatches.has(key) || !resourceVersion) continue;
      const watch = new ScopeWatch({
        http: this.opts.http,
        resource: req.resource,
        namespace: req.namespace,
        resourceVersion,
        onChange: () => {
          this.dirtyScopes.add(key);
          this.scheduleObjectsRefresh();
        },
        onEnd: () => this.watchEnded(key, watch),
      });
      this.scopeWatches.set(key, { watch, startedAt: Date.now() });
    }
  }

  /** A scope's own watch ended: after a pause, list it again (which opens a new watch). */
  private watchEnded(key: string, watch: ScopeWatch): void {
    const entry = this.scopeWatches.get(key);
    if (!entry || entry.watch !== watch) return;
    this.scopeWatches.delete(key);
    const base = this.opts.rewatchMs ?? 1000;
    const healthy = Date.now() - entry.startedAt >= HEALTHY_WATCH_MS;
    const delay = healthy ? base : (this.rewatchDelay.get(key) ?? base);
    this.rewatchDelay.set(key, healthy ? base : Math.min(delay * 2, MAX_REWATCH_MS));
    const timer = setTimeout(() => {
      this.rewatchTimers.delete(timer);
      if (!this.following) return;
      this.dirtyScopes.add(key);
      this.scheduleObjectsRefresh();
    }, delay);
    this.rewatchTimers.add(timer);
  }
}

/** The names and resourceVersions of a kind's cached objects in a namespace. */
function storeSignature(objects: ReadonlyMap<string, { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }>, namespace: string | undefined): string {
  const parts: string[] = [];
  for (const o of objects.values()) {
    if (namespace !== undefined && o.metadata?.namespace !== namespace) continue;
    parts.push(`${o.metadata?.name}@${o.metadata?.resourceVersion}`);
  }
  return parts.sort().join(',');
}
