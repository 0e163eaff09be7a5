/**
 * The simulated cluster's Kubernetes API server: a plain `node:http` handler that serves
 * discovery, CRUD, list/watch, patches and the pod/scale/status/eviction subresources of
 * every resource type registered in the object store, authenticated by bearer token and
 * authorized by the sim's RBAC policy.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { ClusterRoleBinding, RoleBinding } from '@daytwo/k8s/wire-types.js';
import { reviewAccess, reviewRules, reviewSelf } from './api/access-review.js';
import type { RequestContext, ServerState } from './api/context.js';
import { readObject } from './api/crud.js';
import { serveCustomResources } from './api/custom-resources.js';
import { apiGroupList, apiResourceList, apiVersions, servesGroupVersion, versionInfo } from './api/discovery.js';
import { acceptsJson, fieldManagerFromUserAgent, sendError, sendJson } from './api/http.js';
import { METRICS_RESOURCE_TYPES, metricsResourceType, serveMetrics } from './api/metrics.js';
import { serveNodeProxy } from './api/node-proxy.js';
import { openApiV3GroupVersion, openApiV3Index } from './api/openapi.js';
import { type ApiPath, parseApiPath, type ResourcePath } from './api/paths.js';
import { parseDryRun, verbFor } from './api/request.js';
import { handleResource } from './api/resource-handlers.js';
import { WatchHub } from './api/watch.js';
import { authenticate, authorize, defaultPolicy, type Policy, policyFromObjects, type SimTokens, type UserInfo } from './auth.js';
import { ApiError, forbidden, internalError } from './errors.js';
import type { Faults } from './faults.js';
import { grOf } from './resources.js';
import { selfSignedCertificate } from './tls.js';
import type { KubeObject, LogSource, ObjectStore, ResourceType } from './types.js';

/** What the API server serves from. */
export interface ApiDeps {
  store: ObjectStore;
  faults: Faults;
  tokens: SimTokens;
  /** gitVersion reported by `/version`, e.g. `v1.31.0` or `v1.31.5-eks-abc`. */
  serverVersion: string;
  logs?: LogSource;
  /** How often watches that allow bookmarks get one (default 5 s). */
  bookmarkIntervalMs?: number;
  /** Serve `metrics.k8s.io` as metrics-server would (default true). */
  metricsServer?: boolean;
}

/** A request handler plus the long-lived streams it owns. */
export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly watches: WatchHub;
  /** Ends every watch and log stream and stops feeding them. */
  stop(): void;
}

const UNAUTHORIZED = new ApiError(401, 'Unauthorized', 'Unauthorized');
const NOT_FOUND = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/** Builds the request handler for `deps`. */
export function createApiHandler(deps: ApiDeps): ApiHandler {
  const { store, faults } = deps;
  const version = versionInfo(deps.serverVersion);
  const storeWithCache = store as ObjectStore & { serialized?(obj: KubeObject): string };
  const serialize = storeWithCache.serialized
    ? (obj: KubeObject) => storeWithCache.serialized!(obj)
    : (obj: KubeObject) => JSON.stringify(obj);
  const streams = new Set<() => void>();
  const state: ServerState = {
    store,
    faults,
    logs: deps.logs,
    serialize,
    track(stop) {
      streams.add(stop);
      return () => streams.delete(stop);
    },
  };
  const watches = new WatchHub({ store, serialize, faults, bookmarkIntervalMs: deps.bookmarkIntervalMs });
  const stopCustomResources = serveCustomResources(store);

  let policy: Policy | undefined;
  let policyTypes = -1;
  // Stored Roles and bindings change the policy: it is rebuilt on the next request.
  store.subscribe((ev) => {
    if (ev.gr.startsWith('rbac.authorization.k8s.io/')) policy = undefined;
  });
  const currentPolicy = (): Policy => {
    const types = store.resourceTypes();
    if (!policy || types.length !== policyTypes) {
      const builtIn = defaultPolicy([...new Set(types.map((t) => t.resource))]);
      const stored = policyFromObjects({
        clusterRoles: store.list('rbac.authorization.k8s.io/clusterroles'),
        roles: store.list('rbac.authorization.k8s.io/roles'),
        clusterRoleBindings: store.list('rbac.authorization.k8s.io/clusterrolebindings') as ClusterRoleBinding[],
        roleBindings: store.list('rbac.authorization.k8s.io/rolebindings') as RoleBinding[],
      });
      policy = { roles: [...builtIn.roles, ...stored.roles], bindings: [...builtIn.bindings, ...stored.bindings] };
      policyTypes = types.length;
    }
    return policy;
  };

  /** Resolves, fault-checks and authorizes a resource request; throws the API errors. */
  const admit = (req: IncomingMessage, res: ServerResponse, url: URL, path: ResourcePath, user: UserInfo): RequestContext => {
    const type = store
      .resourceTypes()
      .find((t) => t.group === path.group && t.version === path.version && t.resource === path.resource);
    if (!type) throw NOT_FOUND();
    const query = url.searchParams;
    const verb = verbFor(req.method ?? 'GET', path, query);
    // Subresources carry their own verbs (checked by the resource handlers).
    if (!verb || (!path.subresource && !type.verbs.includes(verb))) {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (verb !== 'watch' && faults.shouldFailRequest()) throw internalError('injected fault (errors)');
    if (faults.fail.includes(type.resource)) throw internalError(`injected fault (fail=${type.resource})`);
    const namespace = type.namespaced ? path.namespace : undefined;
    // Upstream's RequestInfo takes `/api/v1/namespaces/{name}` as a request in namespace {name}:
    // a RoleBinding there may grant reading that namespace itself.
    const authNamespace = namespace ?? (type.resource === 'namespaces' ? path.name : undefined);
    const attrs = { verb, group: type.group, resource: type.resource, subresource: path.subresource, namespace: authNamespace, name: path.name };
    if (faults.forbid.includes(type.resource) || !authorize(currentPolicy(), user, attrs).allowed) {
      throw forbidden(user.name, verb, type.group, type.resource, path.subresource, authNamespace, path.name);
    }
    // The deprecation warning kube-apiserver sends from 1.33 for every v1 Endpoints request.
    if (type.group === '' && type.resource === 'endpoints' && Number.parseInt(version.minor, 10) >= 33) {
      res.setHeader('Warning', '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"');
    }
    return {
      req,
      res,
      query,
      user,
      path: { ...path, namespace },
      type,
      gr: grOf(type),
      verb,
      dryRun: parseDryRun(query),
      fieldManager: query.get('fieldManager') || fieldManagerFromUserAgent(req.headers['user-agent']),
      state,
    };
  };

  /** metrics.k8s.io: computed, not stored, so it bypasses the store-backed handlers. */
  const admitMetrics = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: ResourcePath,
    user: UserInfo,
    type: ResourceType,
  ): void => {
    const verb = verbFor(req.method ?? 'GET', path, url.searchParams);
    if (!verb || !type.verbs.includes(verb)) {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (faults.shouldFailRequest()) throw internalError('injected fault (errors)');
    const namespace = type.namespaced ? path.namespace : undefined;
    const attrs = { verb, group: type.group, resource: type.resource, namespace, name: path.name };
    if (!authorize(currentPolicy(), user, attrs).allowed) {
      throw forbidden(user.name, verb, type.group, type.resource, undefined, namespace, path.name);
    }
    serveMetrics(res, store, type, path, url.searchParams, new Date());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = parseApiPath(url.pathname);
    if (faults.latencyMs > 0) await delay(faults.latencyMs);
    // system:public-info-viewer lets anonymous clients read the version and health endpoints.
    if (path.type === 'version') return sendJson(res, 200, version);
    if (path.type === 'health') return sendText(res, 200, 'ok');
    const user = authenticate(req.headers.authorization, deps.tokens);
    if (!user) return sendError(res, UNAUTHORIZED);
    if (path.type === 'openapi') return serveOpenApi(res, path.path, store.resourceTypes());
    if (!acceptsJson(req.headers.accept)) {
      return sendError(res, new ApiError(406, 'NotAcceptable', 'only the following media types are accepted: application/json'));
    }
    const metricsTypes = deps.metricsServer === false ? [] : METRICS_RESOURCE_TYPES;
    if (path.type !== 'resource') return serveDiscovery(res, path, [...store.resourceTypes(), ...metricsTypes]);
    const metricsType = deps.metricsServer === false ? undefined : metricsResourceType(path);
    if (metricsType) return admitMetrics(req, res, url, path, user, metricsType);
    const ctx = admit(req, res, url, path, user);
    if (ctx.type.group === '' && ctx.type.resource === 'nodes' && path.subresource === 'proxy') return serveNodeProxy(ctx);
    if ((ctx.type.group === 'authorization.k8s.io' || ctx.type.group === 'authentication.k8s.io') && ctx.verb === 'create') {
      return handleReview(ctx, currentPolicy());
    }
    await handleResource(ctx, watches);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiError) sendError(res, err);
      else sendError(res, internalError(err instanceof Error ? err.message : String(err)));
    });
  };
  const stop = () => {
    stopCustomResources();
    watches.stop();
    for (const end of [...streams]) end();
    streams.clear();
  };
  return Object.assign(handler, { watches, stop });
}

function serveDiscovery(res: ServerResponse, path: Exclude<ApiPath, ResourcePath>, types: ResourceType[]): void {
  if (path.type === 'apiVersions') sendJson(res, 200, apiVersions());
  else if (path.type === 'apiGroups') sendJson(res, 200, apiGroupList(types));
  else if (path.type !== 'groupVersion') sendText(res, 404, '404 page not found\n');
  else if (!servesGroupVersion(types, path.group, path.version)) sendError(res, NOT_FOUND());
  else sendJson(res, 200, apiResourceList(types, path.group, path.version));
}

async function handleReview(ctx: RequestContext, policy: Policy): Promise<void> {
  // kubectl 1.32+ posts reviews (auth whoami, auth can-i) as protobuf.
  const body = await readObject(ctx);
  switch (ctx.type.resource) {
    case 'selfsubjectaccessreviews':
      return sendJson(ctx.res, 201, reviewAccess(body, ctx.user, policy));
    case 'selfsubjectrulesreviews':
      return sendJson(ctx.res, 201, reviewRules(body, ctx.user, policy));
    case 'selfsubjectreviews':
      return sendJson(ctx.res, 201, reviewSelf(ctx.user));
    default:
      throw NOT_FOUND();
  }
}

/** Plain text, as the Go mux answers health checks and paths nobody serves. */
function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** OpenAPI v3 only (see api/openapi.ts); v2 is absent, which kubectl tolerates. */
function serveOpenApi(res: ServerResponse, pathname: string, types: ResourceType[]): void {
  const rest = pathname.replace(/^\/openapi\/v3\/?/, '');
  const doc = !pathname.startsWith('/openapi/v3')
    ? undefined
    : rest === ''
      ? openApiV3Index(types)
      : openApiV3GroupVersion(types, rest.replace(/\/$/, ''));
  if (doc) sendJson(res, 200, doc);
  else sendText(res, 404, '404 page not found\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The API server on a loopback port, speaking HTTP and HTTPS on the same port. */
export class SimServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly front: NetServer,
    private readonly handler: ApiHandler,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
    /** `https://127.0.0.1:<port>` (kubectl sends credentials only over TLS). */
    readonly httpsUrl: string,
    readonly port: number,
    /** PEM of the self-signed serving certificate, the CA for `httpsUrl`. */
    readonly certificate: string,
  ) {
    front.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening (`port` 0 picks a free one). */
  static async start(deps: ApiDeps, opts: { port?: number; host?: string } = {}): Promise<SimServer> {
    const host = opts.host ?? '127.0.0.1';
    const handler = createApiHandler(deps);
    const tls = selfSignedCertificate([...new Set([host, '127.0.0.1', '::1', 'localhost'])].filter((h) => h !== '0.0.0.0' && h !== '::'));
    const http = createServer(handler);
    const https = createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
    for (const server of [http, https]) {
      // Watches and log streams are long-lived; Node's default request timeout would cut them.
      server.requestTimeout = 0;
      server.headersTimeout = 60_000;
      server.keepAliveTimeout = 30_000;
    }
    // One port for both: a TLS connection starts with a handshake record (0x16). The sockets
    // are accepted here, not by the HTTP servers, so their `noDelay` (on by default) never
    // applies: without it Nagle's algorithm held the last small write of a response (an empty
    // list, a watch event) until the client's delayed ACK, 40 ms later. Go's net package,
    // and so kube-apiserver, sets TCP_NODELAY on every connection.
    const front = createNetServer({ noDelay: true }, (socket) => {
      socket.once('data', (first) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? https : http).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(opts.port ?? 0, host, () => {
        front.off('error', reject);
        resolve();
      });
    });
    const port = (front.address() as AddressInfo).port;
    const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
    return new SimServer(front, handler, `http://${urlHost}:${port}`, `https://${urlHost}:${port}`, port, tls.cert);
  }

  /** Open watch streams (for tests and diagnostics). */
  get openWatches(): number {
    return this.handler.watches.size;
  }

  /** Ends every stream, closes every connection and stops listening. */
  async close(): Promise<void> {
    this.handler.stop();
    const closed = new Promise<void>((resolve) => this.front.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
