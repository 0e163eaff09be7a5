/**
 * Keeps one resource's server-printed table live: a list and then a watch, both with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (the rows `kubectl get` prints,
 * each with the object's metadata), into a {@link ResourceTableStore}. Like the kind
 * watches: a dropped watch resumes from the last resourceVersion, 410 Gone relists (which
 * replaces every row, dropping what vanished), 403 shows the table as forbidden and checks
 * again rarely, anything else retries with backoff. Changes reach the store at most once
 * per flush interval.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiResource } from '../domain/api-resources.js';
import { type ResourceRow, type ServerTable, tableRows } from '../domain/resource-table.js';
import { FLUSH_INTERVAL_MS } from '../store/batcher.js';
import { createResourceTableStore, type ResourceTableHandle, type ResourceTableStore } from '../store/resource-table.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ApiRequestError, describeError, statusCodeOf } from './errors.js';
import type { KubeHttp } from './http.js';
import { FORBIDDEN_RECHECK_MS } from './watch-kind.js';

/** What kube-apiserver's Table conversion answers to; kubectl sends the same. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const PAGE_SIZE = 500;

/** The collection path of `resource`, in `namespace` when given and the resource is namespaced. */
export function resourcePath(resource: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  return resource.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.resource}` : `${base}/${resource.resource}`;
}

export interface TableWatchOptions {
  readonly http: KubeHttp;
  readonly resource: ApiResource;
  /** Only this namespace; undefined for all. */
  readonly namespace?: string;
  readonly backoff?: BackoffOptions;
  readonly recheckMs?: number;
  readonly flushIntervalMs?: number;
}

/** Starts watching `resource`'s table; `stop()` ends the watch and any retry. */
export function watchResourceTable(opts: TableWatchOptions): ResourceTableHandle {
  const watcher = new TableWatcher(opts, createResourceTableStore());
  watcher.start();
  return { store: watcher.store, stop: () => watcher.stop() };
}

class TableWatcher {
  private running = false;
  /** Bumped by every attempt and by stop(): callbacks of older attempts do nothing. */
  private generation = 0;
  private resourceVersion = '';
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, ResourceRow | undefined>();
  private readonly backoff: Backoff;
  private readonly path: string;

  constructor(
    private readonly opts: TableWatchOptions,
    readonly store: ResourceTableStore,
  ) {
    this.backoff = new Backoff(opts.backoff);
    this.path = resourcePath(opts.resource, opts.namespace);
  }

  start(): void {
    this.running = true;
    void this.relist();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.timer = this.flushTimer = undefined;
    this.pending.clear();
  }

  private async relist(): Promise<void> {
    const gen = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    try {
      let columns: ServerTable['columnDefinitions'] = [];
      const rows: ResourceRow[] = [];
      let cont: string | undefined;
      let rv = '';
      do {
        const page = await this.opts.http.requestJson<ServerTable>(this.path, {
          query: { limit: PAGE_SIZE, continue: cont },
          accept: TABLE_ACCEPT,
          signal: abort.signal,
        });
        if (page.kind !== 'Table') throw new ApiRequestError(406, `the server answered ${page.kind ?? 'something else'} instead of a Table`);
        if (page.columnDefinitions?.length) columns = page.columnDefinitions;
        rows.push(...tableRows(page, this.opts.resource));
        cont = page.metadata?.continue || undefined;
        rv ||= page.metadata?.resourceVersion ?? '';
      } while (cont);
      if (gen !== this.generation) return;
      this.pending.clear();
      this.store.getState().replace(columns ?? [], rows);
      this.store.getState().setState('live');
      this.backoff.reset();
      this.resourceVersion = rv;
      void this.watch();
    } catch (err) {
      if (gen === this.generation) this.failed(err, 'list');
    }
  }

  private async watch(): Promise<void> {
    const gen = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    const started = Date.now();
    let events = 0;
    let stream: IncomingMessage;
    try {
      stream = await this.opts.http.openStream(this.path, {
        query: { watch: 1, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.floor(300 * (1 + Math.random())) },
        accept: TABLE_ACCEPT,
        signal: abort.signal,
      });
    } catch (err) {
      if (gen === this.generation) this.failed(err, 'watch');
      return;
    }
    this.store.getState().setState('live');
    let buffered = '';
    let failure: unknown;
    let done = false;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (gen !== this.generation) return;
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        if (!line) continue;
        try {
          const event = JSON.parse(line) as { type: string; object: ServerTable & { code?: number; message?: string; reason?: string } };
          if (event.type === 'ERROR') {
            failure = new ApiRequestError(event.object.code ?? 500, event.object.message ?? 'watch error', event.object.reason);
            stream.destroy();
            return;
          }
          events++;
          this.onEvent(event.type, event.object);
        } catch (err) {
          failure = err;
          stream.destroy();
          return;
        }
      }
    });
    const ended = () => {
      if (done || gen !== this.generation || !this.running) return;
      done = true;
      if (failure) return this.failed(failure, 'watch');
      // A clean end is the server's watch timeout: resume, unless it ended at once (then back off).
      if (events > 0 || Date.now() - started >= 1000) void this.watch();
      else this.retry(this.backoff.next(), () => void this.watch());
    };
    stream.on('end', ended);
    stream.on('error', (err) => {
      failure ??= err;
    });
    stream.on('close', ended);
  }

  private onEvent(type: string, table: ServerTable): void {
    const rows = tableRows(table, this.opts.resource);
    const rv = table.metadata?.resourceVersion || table.rows?.[0]?.object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === 'ADDED' || type === 'MODIFIED') for (const row of rows) this.pending.set(row.key, row);
    else if (type === 'DELETED') for (const row of rows) this.pending.set(row.key, undefined);
    else return;
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.opts.flushIntervalMs ?? FLUSH_INTERVAL_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const upserts: ResourceRow[] = [];
    const deletes: string[] = [];
    for (const [key, row] of this.pending) {
      if (row) upserts.push(row);
      else deletes.push(key);
    }
    this.pending.clear();
    this.store.getState().apply(upserts, deletes);
  }

  private failed(err: unknown, during: 'list' | 'watch'): void {
    if (!this.running) return;
    const code = statusCodeOf(err);
    const message = describeError(err);
    if (code === 410) {
      this.resourceVersion = '';
      if (during === 'watch') void this.relist();
      else this.retry(this.backoff.next(), () => void this.relist());
      return;
    }
    if (code === 403) {
      this.store.getState().setState('forbidden', message);
      this.store.getState().replace(this.store.getState().columns, []);
      this.retry(this.opts.recheckMs ?? FORBIDDEN_RECHECK_MS, () => void this.relist());
      return;
    }
    this.store.getState().setState('reconnecting', message);
    const resume = during === 'watch' && this.resourceVersion !== '';
    const delay = code === 404 ? (this.opts.recheckMs ?? FORBIDDEN_RECHECK_MS) : this.backoff.next();
    this.retry(delay, () => (resume ? void this.watch() : void this.relist()));
  }

  private retry(delayMs: number, fn: () => void): void {
    if (!this.running) return;
    const gen = ++this.generation;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (gen === this.generation && this.running) fn();
    }, delayMs);
  }
}
