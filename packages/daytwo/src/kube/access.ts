/**
 * "Can I?" checks through SelfSubjectAccessReview, as `kubectl auth can-i` does, so an
 * action key is offered only when RBAC allows it.
 */
import { AuthorizationV1Api, type KubeConfig, type V1SelfSubjectAccessReview } from '@kubernetes/client-node';
import { describeError } from './errors.js';
import { allowPlainHttp } from './kubeconfig.js';
import type { AccessDecision, AccessQuery } from '../domain/operations.js';

export type { AccessDecision, AccessQuery } from '../domain/operations.js';

/**
 * Answers are cached per `KubeConfig` (one per session) and per query: RBAC seldom changes
 * while a console is open, and every row of a table may ask the same question.
 */
const cache = new WeakMap<KubeConfig, Map<string, Promise<AccessDecision>>>();

/**
 * Whether the current user may perform `query`. A failed check (network, server error)
 * answers `allowed: false` with the reason and is not cached, so it is asked again later.
 */
export function canI(kc: KubeConfig, query: AccessQuery): Promise<AccessDecision> {
  let perConfig = cache.get(kc);
  if (!perConfig) {
    perConfig = new Map();
    cache.set(kc, perConfig);
  }
  const key = [query.verb, query.group, query.resource, query.subresource, query.namespace, query.name].join('\u0000');
  const cached = perConfig.get(key);
  if (cached) return cached;
  const pending = review(kc, query).catch((err: unknown): AccessDecision => {
    perConfig.delete(key);
    return { allowed: false, failed: true, reason: describeCheckFailure(err) };
  });
  perConfig.set(key, pending);
  return pending;
}

/**
 * client-node's ApiException message is several lines (`HTTP-Code: 500`, `Message: ...`,
 * `Body: ...`, `Headers: ...`); one line is `HTTP 500: <the Status message>`.
 */
function describeCheckFailure(err: unknown): string {
  const { code, body } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; body?: unknown };
  if (typeof code !== 'number') return describeError(err).split('\n')[0];
  let message: string | undefined;
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) : body;
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // not a Status body
  }
  return `HTTP ${code}${message ? `: ${message}` : ''}`;
}

/** Forgets cached answers for `kc` (e.g. after a context switch or an RBAC change). */
export function clearAccessCache(kc: KubeConfig): void {
  cache.delete(kc);
}

async function review(kc: KubeConfig, q: AccessQuery): Promise<AccessDecision> {
  const api = allowPlainHttp(kc).makeApiClient(AuthorizationV1Api);
  const body: V1SelfSubjectAccessReview = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: q.verb,
        group: q.group,
        resource: q.resource,
        ...(q.subresource ? { subresource: q.subresource } : {}),
        ...(q.namespace ? { namespace: q.namespace } : {}),
        ...(q.name ? { name: q.name } : {}),
      },
    },
  };
  const res = await api.createSelfSubjectAccessReview({ body });
  const status = res.status;
  const allowed = status?.allowed === true && status.denied !== true;
  const reason = status?.reason || status?.evaluationError || undefined;
  return reason ? { allowed, reason } : { allowed };
}
