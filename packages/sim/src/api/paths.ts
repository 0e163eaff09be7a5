
/**
 * Parsing of API server request paths (k8s.io/apiserver RequestInfoFactory):
 * `/api/v1/namespaces/ns/pods/name/log`, `/apis/apps/v1/deployments`, legacy
 * `/api/v1/watch/...` paths, and the discovery endpoints.
 */

export type ApiPath =
  | { type: 'version' }
  | { type: 'apiVersions' }
  | { type: 'apiGroups' }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'openapi'; path: string }
  | { type: 'health' }
  | ResourcePath
  | { type: 'unknown' };

export interface ResourcePath {
  type: 'resource';
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows a `proxy` subresource (`stats/summary` of `/api/v1/nodes/n/proxy/stats/summary`). */
  proxyPath?: string;
  /** A legacy `/watch/` path. */
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const HEALTH_PATHS = new Set(['healthz', 'livez', 'readyz']);

/** Splits a URL path into what it addresses. Pure. */
export function parseApiPath(pathname: string): ApiPath {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return { type: 'version' };
  if (parts.length === 1 && HEALTH_PATHS.has(parts[0])) return { type: 'health' };
  if (parts[0] === 'openapi') return { type: 'openapi', path: pathname };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'apiVersions' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apiGroups' };
    if (parts.length === 2) return { type: 'unknown' };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { type: 'unknown' };
  }
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `/namespaces/{ns}` and its subresources `status`/`finalize` address the namespace
  // object itself (RequestInfoFactory's namespaceSubresources).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  // RequestInfoFactory: everything after a `proxy` subresource is the proxied path.
  const proxyPath = rest[2] === 'proxy' ? rest.slice(3).join('/') : undefined;
  if (proxyPath !== undefined) rest = rest.slice(0, 3);
  if (rest.length === 0 || rest.length > 3) return { type: 'unknown' };
  return {
    type: 'resource',
    group,
    version,
    resource: rest[0],
    namespace,
    name: rest[1],
    subresource: rest[2],
    ...(proxyPath !== undefined ? { proxyPath } : {}),
    legacyWatch,
  };
}
