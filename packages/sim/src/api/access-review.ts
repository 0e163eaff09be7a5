/**
 * SelfSubjectAccessReview and SelfSubjectRulesReview (authorization.k8s.io/v1),
 * answered from the sim's RBAC policy, and SelfSubjectReview (authentication.k8s.io/v1,
 * `kubectl auth whoami`). None is stored.
 */

import type { SelfSubjectAccessReview, SelfSubjectRulesReview } from '@daytwo/k8s/wire-types.js';
import { authorize, type Policy, rulesFor, type UserInfo } from '../auth.js';
import { badRequest, invalid } from '../errors.js';
import type { KubeObject } from '../types.js';

/** Non-resource URLs every authenticated user may GET (upstream system:discovery / system:public-info-viewer). */
const PUBLIC_PATHS = ['/api', '/api/*', '/apis', '/apis/*', '/version', '/healthz', '/livez', '/readyz', '/openapi', '/openapi/*'];

function nonResourceAllowed(user: UserInfo, path: string, verb: string): boolean {
  if (user.name === 'admin') return true;
  if (verb !== 'get') return false;
  return PUBLIC_PATHS.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p));
}

/** Fills `status` of a SelfSubjectAccessReview for `user`. */
export function reviewAccess(review: Partial<SelfSubjectAccessReview>, user: UserInfo, policy: Policy): KubeObject {
  const spec = review.spec ?? {};
  const attrs = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  if (!attrs && !nonResource) {
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      {
        field: 'spec.resourceAttributes',
        message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  let status: { allowed: boolean; reason?: string };
  if (attrs) {
    const decision = authorize(policy, user, {
      verb: attrs.verb ?? '',
      group: attrs.group ?? '',
      resource: attrs.resource ?? '',
      subresource: attrs.subresource || undefined,
      namespace: attrs.namespace || undefined,
      name: attrs.name || undefined,
    });
    status = decision.allowed ? { allowed: true, reason: decision.reason } : { allowed: false };
  } else {
    const allowed = nonResourceAllowed(user, nonResource?.path ?? '', nonResource?.verb ?? '');
    status = allowed ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' } : { allowed: false };
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec,
    status,
  };
}

/** Fills `status` of a SelfSubjectRulesReview: the user's resource rules. */
export function reviewRules(review: Partial<SelfSubjectRulesReview>, user: UserInfo, policy: Policy): KubeObject {
  if (!review.spec?.namespace) throw badRequest('no namespace on request');
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: review.spec,
    status: {
      resourceRules: rulesFor(policy, user).map((r) => ({
        verbs: r.verbs,
        apiGroups: r.apiGroups,
        resources: r.resources,
        ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
      })),
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_PATHS }],
      incomplete: false,
    },
  };
}

/** A SelfSubjectReview: who the request authenticated as. */
export function reviewSelf(user: UserInfo): KubeObject {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {},
    status: { userInfo: { username: user.name, groups: user.groups } },
  };
}
