/**
 * Watch streams. One store subscription feeds every open watch; each event is
 * serialized at most once per event type however many watchers receive it.
 * Selector semantics follow the apiserver's watch cache (cacheWatcher.convertToWatchEvent):
 * an object that stops matching is sent as DELETED (its previous content at the new
 * resourceVersion), one that starts matching as ADDED.
 */

import type { ServerResponse } from 'node:http';
import { requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { ApiError, expired } from '../errors.js';
import type { Faults } from '../faults.js';
import { type FieldRequirement, type LabelSelector, matchesFieldSelector } from '../selectors.js';
import type { GroupResource, KubeObject, ObjectStore, ResourceType, StoreEvent, WatchEventType } from '../types.js';

/** A watcher is dropped when this much output is queued unread (upstream drops slow watchers too). */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** Initial events are written in chunks of this many objects. */
const INITIAL_CHUNK = 500;
const TICK_MS = 100;

export interface WatchParams {
  gr: GroupResource;
  type: ResourceType;
  namespace?: string;
  labelSelectorText?: string;
  fieldSelectorText?: string;
  labelSelector: LabelSelector | undefined;
  fieldSelector: FieldRequirement[] | undefined;
  /** The `resourceVersion` query parameter ('' when absent). */
  resourceVersion: string;
  allowBookmarks: boolean;
  /** `sendInitialEvents=true`: initial ADDED events then a BOOKMARK marking their end. */
  sendInitialEvents: boolean;
  timeoutMs: number;
  /** Encodes event objects differently (a Table row for `kubectl get -w`); default the object's JSON. */
  encode?: (obj: KubeObject) => string;
}

interface Watcher {
  params: WatchParams;
  res: ServerResponse;
  hasSelector: boolean;
  close(): void;
}

export interface WatchHubOptions {
  store: ObjectStore;
  serialize(obj: KubeObject): string;
  faults: Faults;
  /** How often BOOKMARK events go to watchers that allow them. */
  bookmarkIntervalMs?: number;
}

/** Serializes an event frame lazily, once per event type. */
class EventFrames {
  private readonly cache = new Map<string, string>();
  constructor(
    private readonly ev: StoreEvent,
    private readonly serialize: (obj: KubeObject) => string,
  ) {}

  frame(type: WatchEventType): string {
    let text = this.cache.get(type);
    if (text === undefined) {
      text = `{"type":"${type}","object":${this.serialize(this.ev.object)}}\n`;
      this.cache.set(type, text);
    }
    return text;
  }
}

/** Open watch streams of one server, fed from the store. */
export class WatchHub {
  private readonly watchers = new Map<GroupResource, Set<Watcher>>();
  private readonly unsubscribe: () => void;
  private readonly ticker: NodeJS.Timeout;
  private lastBookmark = Date.now();
  private lastDrop = Date.now();
  private dropSetting = 0;

  constructor(private readonly opts: WatchHubOptions) {
    this.unsubscribe = opts.store.subscribe((ev) => this.dispatch(ev));
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** Number of open watch streams. */
  get size(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /**
   * Starts a watch stream on `res`: HTTP 200 at once, then either a 410 ERROR event
   * (too old resourceVersion) or the initial/replayed events followed by live ones.
   */
  open(params: WatchParams, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const watcher: Watcher = {
      params,
      res,
      hasSelector: Boolean(params.labelSelector?.length || params.fieldSelector?.length),
      close: () => this.close(watcher),
    };
    res.on('close', () => this.detach(watcher));

    const rv = params.resourceVersion;
    const startFromState = rv === '' || rv === '0' || params.sendInitialEvents;
    if (!startFromState) {
      const replay = this.replayFrom(rv);
      if (replay instanceof ApiError) {
        this.writeError(res, replay);
        return;
      }
      this.attach(watcher);
      this.replay(watcher, replay);
    } else {
      this.attach(watcher);
      this.sendInitialState(watcher);
    }
    const timer = setTimeout(() => watcher.close(), params.timeoutMs);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
  }

  /** Ends every open watch stream (clients see a clean end and re-watch). */
  closeAll(): void {
    for (const set of [...this.watchers.values()]) for (const w of [...set]) w.close();
  }

  /** Stops feeding watches and ends them all. */
  stop(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
    this.closeAll();
  }

  private replayFrom(rv: string): StoreEvent[] | ApiError {
    const n = Number(rv);
    if (!/^\d+$/.test(rv)) return new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
    const current = this.opts.store.resourceVersion;
    if (this.opts.faults.expireOnResume && n < current) return expired(`too old resource version: ${n} (${current})`);
    const events = this.opts.store.eventsSince(n);
    return events === 'expired' ? this.tooOld(n) : events;
  }

  private tooOld(rv: number): ApiError {
    // watch_cache.go: errors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", rv, oldest-1))
    return expired(`too old resource version: ${rv} (${this.opts.store.compactedResourceVersion})`);
  }

  private writeError(res: ServerResponse, err: ApiError): void {
    res.end(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
  }

  private sendInitialState(w: Watcher): void {
    const { params } = w;
    const objects = this.opts.store.list(params.gr, {
      namespace: params.namespace,
      labelSelector: params.labelSelectorText,
      fieldSelector: params.fieldSelectorText,
    });
    for (let i = 0; i < objects.length; i += INITIAL_CHUNK) {
      let chunk = '';
      for (const obj of objects.slice(i, i + INITIAL_CHUNK)) {
        chunk += `{"type":"ADDED","object":${(params.encode ?? this.opts.serialize)(obj)}}\n`;
      }
      w.res.write(chunk);
    }
    if (params.sendInitialEvents && params.allowBookmarks) {
      // KEP-3157 watch-list: a bookmark annotated k8s.io/initial-events-end marks the end of the initial state.
      w.res.write(this.bookmarkFrame(params.type, { 'k8s.io/initial-events-end': 'true' }));
    }
  }

  private replay(w: Watcher, events: StoreEvent[]): void {
    for (const ev of events) {
      if (ev.gr !== w.params.gr) continue;
      this.deliver(w, ev, new EventFrames(ev, this.opts.serialize));
    }
  }

  private dispatch(ev: StoreEvent): void {
    const set = this.watchers.get(ev.gr);
    if (!set?.size) return;
    const frames = new EventFrames(ev, this.opts.serialize);
    for (const w of set) this.deliver(w, ev, frames);
  }

  /** Sends one event to one watcher, translated for its selector by what the event replaced (`ev.previous`). */
  private deliver(w: Watcher, ev: StoreEvent, frames: EventFrames): void {
    const ns = w.params.namespace;
    if (ns && ev.object.metadata.namespace !== ns) return;
    if (!w.hasSelector) {
      this.emit(w, ev.type, ev.object, frames);
      return;
    }
    const old = ev.previous;
    const curPasses = ev.type !== 'DELETED' && this.matches(w, ev.object);
    const oldPasses = old !== undefined && this.matches(w, old);
    if (curPasses && !oldPasses) this.emit(w, 'ADDED', ev.object, frames);
    else if (curPasses && oldPasses) this.emit(w, 'MODIFIED', ev.object, frames);
    else if (!curPasses && oldPasses) {
      const gone = structuredClone(old ?? ev.object);
      gone.metadata.resourceVersion = String(ev.resourceVersion);
      this.emit(w, 'DELETED', gone);
    }
  }

  /** Writes one event, from the shared frames when the object is the event's own. */
  private emit(w: Watcher, type: WatchEventType, object: KubeObject, frames?: EventFrames): void {
    if (w.params.encode) this.write(w, `{"type":"${type}","object":${w.params.encode(object)}}\n`);
    else if (frames) this.write(w, frames.frame(type));
    else this.write(w, `{"type":"${type}","object":${JSON.stringify(object)}}\n`);
  }

  private matches(w: Watcher, obj: KubeObject): boolean {
    const { labelSelector, fieldSelector } = w.params;
    if (labelSelector !== undefined && !requirementsMatch(labelSelector, obj.metadata.labels)) return false;
    return fieldSelector === undefined || matchesFieldSelector(fieldSelector, obj);
  }

  private write(w: Watcher, text: string): void {
    if (w.res.writableLength > MAX_PENDING_BYTES) {
      w.close();
      return;
    }
    w.res.write(text);
  }

  private bookmarkFrame(type: ResourceType, annotations?: Record<string, string>): string {
    const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    const metadata = { resourceVersion: String(this.opts.store.resourceVersion), ...(annotations ? { annotations } : {}) };
    return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion, metadata } })}\n`;
  }

  private tick(): void {
    const now = Date.now();
    const drop = this.opts.faults.dropWatchesMs;
    if (drop !== this.dropSetting) {
      this.dropSetting = drop;
      this.lastDrop = now;
    }
    if (drop > 0 && now - this.lastDrop >= drop) {
      this.lastDrop = now;
      this.closeAll();
    }
    if (now - this.lastBookmark >= (this.opts.bookmarkIntervalMs ?? 5000)) {
      this.lastBookmark = now;
      for (const set of this.watchers.values()) {
        for (const w of set) if (w.params.allowBookmarks) this.write(w, this.bookmarkFrame(w.params.type));
      }
    }
  }

  private attach(w: Watcher): void {
    let set = this.watchers.get(w.params.gr);
    if (!set) {
      set = new Set();
      this.watchers.set(w.params.gr, set);
    }
    set.add(w);
  }

  private detach(w: Watcher): void {
    this.watchers.get(w.params.gr)?.delete(w);
  }

  private close(w: Watcher): void {
    this.detach(w);
    if (!w.res.writableEnded) w.res.end();
  }
}
