/**
 * One container's log stream: opens `GET pods/{name}/log?timestamps=true`, turns lines
 * into entries, and while following, outlives the connection: a stream that drops while
 * the container still runs is reopened with `sinceTime` of the last line, lines already
 * shown are skipped (see `ResumePoint`) and the gap is marked; a container that restarts
 * is picked up again when the store shows its new instance.
 */
import type { IncomingMessage } from 'node:http';
import type { PodRecord } from '@daytwo/k8s/compact.js';
import { type LogEntry, marker, ResumePoint, splitTimestamp } from '../../domain/log-entry.js';
import { Backoff, type BackoffOptions } from '../backoff.js';
import { ApiRequestError } from '../errors.js';
import type { KubeHttp } from '../http.js';
import { containerLogState } from './container-state.js';

/** How one container is read. */
export interface ContainerLogOptions {
  readonly container: string;
  readonly follow: boolean;
  readonly previous: boolean;
  /** Applies to the first request only; a resumed stream starts at the last line seen. */
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
}

/** What a container log needs from its owner. */
export interface ContainerLogDeps {
  readonly http: KubeHttp;
  readonly emit: (entries: LogEntry[]) => void;
  /** Reconnect delays after a drop; default 250 ms doubling to 10 s. */
  readonly backoff?: BackoffOptions;
  /**
   * How long a stream's end waits for the store to say why (the container stopped or
   * restarted) before it counts as a drop; watch events trail the log stream's end.
   */
  readonly settleMs?: number;
}

const DEFAULT_RECONNECT: BackoffOptions = { initialMs: 250, maxMs: 10_000 };
const DEFAULT_SETTLE_MS = 500;

/** Streams one container until stopped (or, without follow, until its logs are read). */
export class ContainerLog {
  /** Resolves when the stream has ended for good. */
  readonly done: Promise<void>;
  private pod: PodRecord;
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly resume = new ResumePoint();
  private readonly backoff: Backoff;
  /** Waiting for the next pod update or stop; each removes itself when it fires or times out. */
  private readonly wakers = new Set<() => void>();
  /** Waiting for stop only (a reconnect back-off is not cut short by pod updates). */
  private readonly stopWaiters = new Set<() => void>();
  private readonly namespace: string;
  private readonly podName: string;

  constructor(
    pod: PodRecord,
    private readonly options: ContainerLogOptions,
    private readonly deps: ContainerLogDeps,
  ) {
    this.pod = pod;
    this.namespace = pod.metadata.namespace ?? '';
    this.podName = pod.metadata.name ?? '';
    this.backoff = new Backoff({ ...DEFAULT_RECONNECT, ...deps.backoff });
    this.done = this.run().catch((err) => {
      if (!this.stopped) this.mark(`stream failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** The pod as the store has it now. */
  update(pod: PodRecord): void {
    this.pod = pod;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake();
    const waiters = [...this.stopWaiters];
    this.stopWaiters.clear();
    for (const w of waiters) w();
  }

  /** Callbacks waiting on this stream (pod updates, stop); stays at most one however long it runs. */
  get pendingWaiters(): number {
    return this.wakers.size + this.stopWaiters.size;
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const w of wakers) w();
  }

  /** Resolves on the next pod update or stop, or after `ms`. */
  private waitForChange(ms?: number): Promise<void> {
    return this.waitOn(this.wakers, ms);
  }

  /** Resolves after `ms`, or at once on stop. */
  private sleep(ms: number): Promise<void> {
    return this.waitOn(this.stopWaiters, ms);
  }

  /** Resolves when `set`'s waiters are called, or after `ms`; either way it leaves `set`. */
  private waitOn(set: Set<() => void>, ms?: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      set.add(done);
    });
  }

  private mark(text: string): void {
    this.deps.emit([marker({ namespace: this.namespace, pod: this.podName, container: this.options.container }, text)]);
  }

  private get state() {
    return containerLogState(this.pod, this.options.container);
  }

  private async run(): Promise<void> {
    const { follow, previous } = this.options;
    if (previous) return this.readPrevious();
    let droppedAt: Date | undefined;
    let restarts = this.state.restartCount;
    while (!this.stopped) {
      if (!this.state.readable) {
        if (!follow) return this.mark('no logs: the container has not started');
        await this.waitForChange();
        continue;
      }
      if (this.state.restartCount > restarts) {
        restarts = this.state.restartCount;
        this.mark(`container restarted (restarts: ${restarts})`);
      }
      const openedRestarts = restarts;
      let opened = false;
      try {
        const res = await this.open();
        opened = true;
        if (droppedAt) {
          this.mark(`stream dropped at ${droppedAt.toISOString()}, reconnected: lines resume after the last one shown`);
          droppedAt = undefined;
        }
        await this.read(res);
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ApiRequestError && err.statusCode === 404) return; // the pod is gone; the follower says so
        if (err instanceof ApiRequestError && err.statusCode === 400) {
          // The kubelet refused (container not started, or not valid): wait for the store to change.
          if (!follow) return this.mark(err.message);
          await this.waitForChange();
          continue;
        }
        if (!opened && !follow) return this.mark(`cannot read logs: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (this.stopped || !follow) return;
      // The stream ended. A container that stopped or restarted explains it; otherwise it dropped.
      if (this.state.running && this.state.restartCount === openedRestarts) await this.waitForChange(this.deps.settleMs ?? DEFAULT_SETTLE_MS);
      if (this.stopped) return;
      const state = this.state;
      if (state.running && state.restartCount === openedRestarts) {
        droppedAt ??= new Date();
        await this.sleep(this.backoff.next());
      } else if (!state.running && state.restartCount === openedRestarts) {
        await this.waitForChange();
      }
    }
  }

  private async readPrevious(): Promise<void> {
    if (!this.state.hasPrevious) return this.mark('no previous instance: the container has not restarted');
    try {
      await this.read(await this.open());
    } catch (err) {
      if (!this.stopped) this.mark(err instanceof Error ? err.message : String(err));
    }
  }

  /** Opens the stream: from the last line shown when there is one, else as the options say. */
  private open(): Promise<IncomingMessage> {
    const { container, follow, previous, tailLines, sinceSeconds } = this.options;
    this.resume.beginStream();
    const sinceTime = this.resume.sinceTime;
    this.abort = new AbortController();
    const query = {
      container,
      follow: follow && !previous ? true : undefined,
      previous: previous || undefined,
      timestamps: true,
      ...(sinceTime !== undefined ? { sinceTime } : { tailLines, sinceSeconds }),
    };
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(this.podName)}/log`;
    return this.deps.http.openStream(path, { query, signal: this.abort.signal });
  }

  /** Emits the stream's lines, one batch per chunk received, until it ends or errs. */
  private read(res: IncomingMessage): Promise<void> {
    return new Promise((resolve) => {
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (this.stopped) return;
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        const entries: LogEntry[] = [];
        for (const raw of parts) {
          const entry = this.toEntry(raw);
          if (entry) entries.push(entry);
        }
        if (entries.length > 0) {
          this.backoff.reset();
          this.deps.emit(entries);
        }
      });
      const finish = () => {
        // A line cut off by a drop comes back whole on resume; only a finished stream's tail is kept.
        if (!this.options.follow && partial !== '' && !this.stopped) {
          const entry = this.toEntry(partial);
          if (entry) this.deps.emit([entry]);
        }
        partial = '';
        resolve();
      };
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
  }

  private toEntry(raw: string): LogEntry | undefined {
    const { time, text } = splitTimestamp(raw);
    if (this.resume.isRepeat(time, text)) return undefined;
    this.resume.record(time, text);
    return { kind: 'line', namespace: this.namespace, pod: this.podName, container: this.options.container, time, text };
  }
}
