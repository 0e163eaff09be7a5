/**
 * Plain-JSON requests to the API server. client-node's typed APIs deserialize every object
 * into model classes, which costs 2-3.6 s on a 30,000-pod list; lists are therefore fetched
 * here and parsed with `JSON.parse` only. Credentials, TLS material and proxies still come
 * from client-node (`KubeConfig.applyToHTTPSOptions`), so every auth method it supports works.
 */
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiRequestError, isNetworkError } from './errors.js';
import { allowPlainHttp } from './kubeconfig.js';

/** Query parameters; undefined values are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** One request: method, query, optional JSON (or pre-serialized) body. */
export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** Content type of `body`; default application/json. */
  contentType?: string;
  signal?: AbortSignal;
  /** Fails with ETIMEDOUT when the socket is idle this long. Default 60 s. */
  idleTimeoutMs?: number;
  /** The Accept header; default application/json (a Table: `TABLE_ACCEPT`). */
  accept?: string;
  /**
   * Called once with the first chunk of a successful body, as it arrives and before the rest
   * (a list's head names its next page: `listAll` asks for that page then).
   */
  onHead?: (head: string) => void;
  /** How a successful body's text is made from its chunks as they arrive; by default they are joined. */
  read?: () => BodyReader;
}

/** Makes a body's text from its bytes, given as they arrive. */
export interface BodyReader {
  push(chunk: Buffer): void;
  end(): string;
}

/**
 * The whole body, each chunk decoded as it arrives: a page's chunks concatenated into one
 * Buffer (1.8 MB for 500 pods) left glibc holding 15-20 MiB more once two pages were in flight
 * at a time.
 */
function joinedBody(): BodyReader {
  const decoder = new StringDecoder('utf8');
  const chunks: string[] = [];
  return {
    push: (chunk) => chunks.push(decoder.write(chunk)),
    end: () => {
      chunks.push(decoder.end());
      return chunks.join('');
    },
  };
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

type RequestOptionsAgent = https.RequestOptions['agent'];

/** The agent options client-node sets from the kubeconfig (KubeConfig.applyToHTTPSOptions): what a connection's TLS depends on. */
const AGENT_IDENTITY = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
  'ciphers',
  'honorCipherOrder',
  'ecdhCurve',
  'crl',
  'dhparam',
  'secureOptions',
  'secureProtocol',
  'sessionIdContext',
  'timeout',
] as const;

/** Sends requests to the current context's API server and answers parsed JSON. */
export class KubeHttp {
  private readonly kc: KubeConfig;

  constructor(kc: KubeConfig) {
    this.kc = allowPlainHttp(kc);
  }

  private shared: { key: string; agent: http.Agent } | undefined;

  /** Closes the idle connections kept for later requests. */
  close(): void {
    this.shared?.agent.destroy();
    this.shared = undefined;
  }

  /**
   * client-node's `applyToHTTPSOptions` makes a new Agent for every request, so each one
   * paid a TCP and TLS handshake and built a new TLS context (a 30,000-pod list in pages of
   * 500 is 60 requests). Requests with the same TLS settings share one keep-alive agent
   * instead; a new certificate (e.g. from an exec plugin) gets a new agent. Proxy agents
   * are used as they come.
   */
  private sharedAgent(agent: RequestOptionsAgent): RequestOptionsAgent {
    const kind = agent?.constructor === https.Agent ? 'https' : agent?.constructor === http.Agent ? 'http' : undefined;
    if (!kind) return agent;
    const options = (agent as http.Agent & { options: Record<string, unknown> }).options;
    const key = JSON.stringify([kind, ...AGENT_IDENTITY.map((field) => options[field])]);
    if (this.shared?.key !== key) {
      this.shared?.agent.destroy();
      const keepAlive = { ...options, keepAlive: true };
      // One TLS context for every connection, instead of one per connection built from the same CA, certificate and key.
      this.shared = {
        key,
        agent: kind === 'https' ? new https.Agent({ ...keepAlive, secureContext: tls.createSecureContext(options) }) : new http.Agent(keepAlive),
      };
    }
    return this.shared.agent;
  }

  /**
   * The kubeconfig for client-node's `Watch`, its connections made by this instance's shared
   * agent: each watch otherwise opened its connection with an agent and a TLS context of its
   * own (a console opens some twenty-five at start).
   */
  watchConfig(): KubeConfig {
    const kc = Object.create(this.kc) as KubeConfig;
    kc.applyToFetchOptions = async (opts) => {
      const init = await this.kc.applyToFetchOptions(opts);
      return { ...init, agent: this.sharedAgent(init.agent as RequestOptionsAgent) as typeof init.agent };
    };
    return kc;
  }

  /** The API server URL of the current context. */
  get server(): string {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    return cluster.server;
  }

  /**
   * Sends one request and parses the JSON answer. An error status rejects with
   * `ApiRequestError` carrying the metav1.Status message and reason; a transport failure
   * rejects with the socket error (which has a string `code`, e.g. ECONNREFUSED).
   */
  async requestJson<T>(apiPath: string, req: JsonRequest = {}): Promise<T> {
    const { text, status, path } = await this.requestText(apiPath, req);
    return parseJsonBody<T>(text, status, path);
  }

  /** As {@link KubeHttp.requestJson}, but answers the body unparsed (parse it with {@link parseJsonBody}), for a caller that works on the text before it is parsed. */
  async requestText(apiPath: string, req: JsonRequest = {}): Promise<RawResponse> {
    const url = new URL(this.server + apiPath);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = {
      method: req.method ?? 'GET',
      headers: { Accept: req.accept ?? 'application/json' },
    };
    await this.kc.applyToHTTPSOptions(opts);
    opts.agent = this.sharedAgent(opts.agent);
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (payload !== undefined) {
      opts.headers = {
        ...opts.headers,
        'Content-Type': req.contentType ?? 'application/json',
        'Content-Length': Buffer.byteLength(payload),
      };
    }
    return send(url, opts, payload, req);
  }

  /**
   * Opens a streaming GET (pod logs) and resolves with the response once the status is
   * 2xx; the caller reads and closes it (abort `signal` to stop). An error status rejects
   * with `ApiRequestError` as {@link KubeHttp.requestJson} does. There is no idle timeout:
   * a followed stream may stay silent for as long as its container is.
   */
  async openStream(apiPath: string, req: Pick<JsonRequest, 'query' | 'signal' | 'accept'> = {}): Promise<http.IncomingMessage> {
    const url = new URL(this.server + apiPath);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: req.accept ?? '*/*' } };
    await this.kc.applyToHTTPSOptions(opts);
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { ...opts, signal: req.signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 400) {
          resolve(res);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => reject(statusError(status, res.statusMessage, Buffer.concat(chunks).toString('utf8'))));
      });
      request.on('error', reject);
      request.end();
    });
  }
}

/** A successful response's body, unparsed. */
export interface RawResponse {
  text: string;
  status: number;
  /** The request's path, without the query, for error messages. */
  path: string;
}

/** The JSON of a successful response; a body that is not JSON rejects as an `ApiRequestError` naming the path. */
export function parseJsonBody<T>(text: string, status: number, path: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiRequestError(status, `invalid JSON from ${path}: ${text.slice(0, 80)}`);
  }
}

function send(url: URL, opts: https.RequestOptions, payload: string | undefined, req: JsonRequest): Promise<RawResponse> {
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise<RawResponse>((resolve, reject) => {
    const request = transport.request(url, { ...opts, signal: req.signal }, (res) => {
      const ok = (res.statusCode ?? 0) < 400;
      const body = ok && req.read ? req.read() : joinedBody();
      let first = true;
      res.on('data', (c: Buffer) => {
        // Whole characters only: the first chunk may end inside one.
        if (first && ok) req.onHead?.(new StringDecoder('utf8').write(c));
        first = false;
        body.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        let text: string;
        try {
          text = body.end();
        } catch (err) {
          // A body past V8's longest string (512 MiB, e.g. an unpaginated list of 150,000 pods) must fail the request, not the process.
          reject(new ApiRequestError(res.statusCode ?? 0, `response from ${url.pathname} too large to read: ${err instanceof Error ? err.message : String(err)}`));
          return;
        }
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          reject(statusError(status, res.statusMessage, text));
          return;
        }
        resolve({ text, status, path: url.pathname });
      });
    });
    request.setTimeout(req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
      const err = new Error(`request to ${url.host} timed out`) as NodeJS.ErrnoException;
      err.code = 'ETIMEDOUT';
      request.destroy(err);
    });
    request.on('error', (err) => reject(withRequest(err, opts.method ?? 'GET', url)));
    request.end(payload);
  });
}

/** A transport error of a request, with the request it failed (client-go words it `Get "URL": reason`). */
export interface FailedRequest {
  readonly requestMethod?: string;
  readonly requestUrl?: string;
}

function withRequest(err: Error, method: string, url: URL): Error {
  return Object.assign(err, { requestMethod: method, requestUrl: url.origin + url.pathname } satisfies FailedRequest);
}

/**
 * A failed request as client-go words it: a transport failure names the method and URL
 * (`Get "https://10.0.0.1:6443/api/v1/...": connect ECONNREFUSED 10.0.0.1:6443`), so an
 * unreachable API server is named; an answer from the server is its message.
 */
export function describeRequestFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const { requestMethod: method, requestUrl: url } = (typeof err === 'object' && err !== null ? err : {}) as FailedRequest;
  if (!method || !url || !isNetworkError(err)) return message;
  return `${method[0]}${method.slice(1).toLowerCase()} "${url}": ${message}`;
}

/** Turns an error response into an `ApiRequestError`, preferring the metav1.Status body. */
export function statusError(status: number, statusText: string | undefined, body: string): ApiRequestError {
  try {
    const parsed = JSON.parse(body) as { kind?: string; message?: string; reason?: string };
    if (parsed && parsed.kind === 'Status' && parsed.message) return new ApiRequestError(status, parsed.message, parsed.reason);
  } catch {
    // not a Status body: fall through to the status line
  }
  const text = body.trim().split('\n')[0];
  return new ApiRequestError(status, text ? `${status} ${statusText ?? ''}: ${text}`.replace(' :', ':') : `${status} ${statusText ?? ''}`.trim());
}
