/**
 * The drift loop: reads the Git source, lists the live objects Git declares, compares, and
 * writes the answer into a {@link DriftStore}. It runs again on `r`, when files change in
 * the working tree, and (throttled) when the watched objects of a declared kind change.
 */
import { computeDrift, type LiveScope } from '../../domain/drift/compare.js';
import { resolveDeclared } from '../../domain/drift/manifests.js';
import { sortDriftItems } from '../../domain/drift/rows.js';
import { type DeclaredObject, driftKey } from '../../domain/drift/types.js';
import type { KubeObject } from '../../domain/kube-object.js';
import type { Requirement } from '../../domain/label-selector.js';
import type { AppStore } from '../../store/app-store.js';
import { createDriftStore, type DriftFeed, type DriftStore } from '../../store/drift.js';
import { type KindName, WATCHED_KINDS } from '../../store/kinds.js';
import { describeError } from '../errors.js';
import type { KubeHttp } from '../http.js';
import { type GitSource, watchTree } from './git-source.js';
import { listScopes, type ScopeRequest, scopeRequestKey } from './live.js';
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
}

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

  constructor(opts: DriftEngineOptions) {
    this.opts = opts;
    this.catalog = new ResourceCatalog(opts.http);
  }

  /** Compares now, and again on file changes and watched object changes until {@link stop}. */
  start(): void {
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
    clearTimeout(this.timer);
    for (const s of this.stops.splice(0)) s();
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

  /**
   * Lists the scopes. After a watched object change, a scope of a watched kind is listed
   * again only if the store's objects of that kind changed, and other kinds not at all.
   */
  private async listLive(requests: ScopeRequest[], reason: RefreshReason) {
    const state = this.opts.appStore?.getState();
    const reuse = new Map<string, LiveScope>();
    const toList: ScopeRequest[] = [];
    const watchedKindOf = (r: ResourceInfo) => WATCHED_KINDS.find((w) => w.group === r.group && w.kind === r.resource && w.version === r.version)?.kind;
    for (const req of requests) {
      const key = scopeRequestKey(req);
      const kind = watchedKindOf(req.resource);
      const cached = this.watchedCache.get(key);
      const signature = kind && state ? storeSignature(state.objects[kind], req.namespace) : '';
      if (reason === 'objects' && cached && cached.signature === signature) reuse.set(key, cached.scope);
      else if (reason === 'objects' && !kind && this.lastScopes.has(key)) reuse.set(key, this.lastScopes.get(key) as LiveScope);
      else toList.push(req);
    }
    const listed = await listScopes(this.opts.http, toList);
    for (const req of toList) {
      const key = scopeRequestKey(req);
      const kind = watchedKindOf(req.resource);
      const scope = listed.scopes.get(key);
      if (kind && scope && state) this.watchedCache.set(key, { kind, signature: storeSignature(state.objects[kind], req.namespace), scope });
    }
    const scopes = new Map([...reuse, ...listed.scopes]);
    this.lastScopes = scopes;
    return { scopes, errors: listed.errors };
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
