/**
 * A watch on one declared scope (a kind in a namespace, or cluster-wide) that the session's
 * store does not watch (ConfigMaps, Secrets, NetworkPolicies, RBAC, custom resources...),
 * so that their drift stays current too. It only says "something changed": the engine then
 * lists the scope again. It starts from the resourceVersion of the engine's list, so no
 * change between list and watch is missed; it ends (and says so) on any error, a 410 Gone
 * included, or when the server closes it, and the engine's next list starts a new one.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeHttp } from '../http.js';
import { type ResourceInfo, resourcePath } from './resources.js';

export interface ScopeWatchOptions {
  readonly http: KubeHttp;
  readonly resource: ResourceInfo;
  readonly namespace?: string;
  /** The resourceVersion of the list the comparison used. */
  readonly resourceVersion: string;
  /** An object of the scope was added, changed or deleted. */
  onChange(): void;
  /** The watch ended (closed by the server, an error, 410 Gone); not called after {@link ScopeWatch.stop}. */
  onEnd(reason: string): void;
}

interface WatchEvent {
  readonly type?: string;
  readonly object?: { readonly message?: string; readonly code?: number };
}

export class ScopeWatch {
  private readonly abort = new AbortController();
  private ended = false;

  constructor(private readonly opts: ScopeWatchOptions) {
    void this.run();
  }

  stop(): void {
    this.ended = true;
    this.abort.abort();
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.abort.abort();
    this.opts.onEnd(reason);
  }

  private async run(): Promise<void> {
    const { http, resource, namespace, resourceVersion } = this.opts;
    let res: IncomingMessage;
    try {
      res = await http.openStream(resourcePath(resource, namespace), {
        query: { watch: 1, resourceVersion, allowWatchBookmarks: true },
        signal: this.abort.signal,
      });
    } catch (err) {
      this.end((err as Error).message);
      return;
    }
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) this.event(line);
        newline = buffered.indexOf('\n');
      }
    });
    res.on('error', (err) => this.end(err.message));
    res.on('end', () => this.end('closed by the server'));
    res.on('close', () => this.end('closed'));
  }

  private event(line: string): void {
    let event: WatchEvent;
    try {
      event = JSON.parse(line) as WatchEvent;
    } catch {
      this.end('invalid watch event');
      return;
    }
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR') {
      this.end(event.object?.message ?? `watch error ${event.object?.code ?? ''}`.trim());
      return;
    }
    this.opts.onChange();
  }
}
