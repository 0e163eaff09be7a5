import type { SelfSubjectAccessReview } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { reviewAccess } from '../../src/api/access-review.js';
import { authenticate, authorize, defaultPolicy, generateTokens, RESTRICTED_NAMESPACE, ruleAllows, SIM_USERS } from '../../src/auth.js';

const policy = defaultPolicy(['pods', 'nodes', 'secrets', 'deployments', 'poddisruptionbudgets']);
const user = (name: string) => ({ name, groups: ['system:authenticated'] });

describe('authenticate', () => {
  const tokens = generateTokens();

  it('maps each bearer token to its user', () => {
    expect(authenticate(`Bearer ${tokens.admin}`, tokens)?.name).toBe('admin');
    expect(authenticate(`Bearer ${tokens.viewer}`, tokens)?.name).toBe('viewer');
    expect(authenticate(`bearer ${tokens.operator}`, tokens)?.name).toBe('operator');
  });

  it('refuses missing, malformed and unknown tokens', () => {
    expect(authenticate(undefined, tokens)).toBeUndefined();
    expect(authenticate('Basic YWRtaW46YWRtaW4=', tokens)).toBeUndefined();
    expect(authenticate('Bearer nope', tokens)).toBeUndefined();
  });

  it('generates different tokens per instance', () => {
    const other = generateTokens();
    expect(other.admin).not.toBe(tokens.admin);
    expect(new Set(Object.values(other)).size).toBe(SIM_USERS.length);
  });
});

describe('ruleAllows', () => {
  it('matches verbs, groups, subresources and resource names', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['pods/log'], resourceNames: ['web-1'] };
    expect(ruleAllows(rule, { verb: 'get', group: '', resource: 'pods', subresource: 'log', name: 'web-1' })).toBe(true);
    expect(ruleAllows(rule, { verb: 'get', group: '', resource: 'pods', subresource: 'log', name: 'web-2' })).toBe(false);
    expect(ruleAllows(rule, { verb: 'get', group: '', resource: 'pods', name: 'web-1' })).toBe(false);
    expect(ruleAllows(rule, { verb: 'list', group: '', resource: 'pods', subresource: 'log', name: 'web-1' })).toBe(false);
    expect(ruleAllows(rule, { verb: 'get', group: 'apps', resource: 'pods', subresource: 'log', name: 'web-1' })).toBe(false);
  });

  it('matches */subresource for any resource', () => {
    const rule = { verbs: ['get'], apiGroups: ['*'], resources: ['*/status'] };
    expect(ruleAllows(rule, { verb: 'get', group: 'apps', resource: 'deployments', subresource: 'status' })).toBe(true);
    expect(ruleAllows(rule, { verb: 'get', group: 'apps', resource: 'deployments' })).toBe(false);
  });
});

describe('authorize with the default policy', () => {
  it('lets admin do anything, with the RBAC reason', () => {
    const d = authorize(policy, user('admin'), { verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: 'a' });
    expect(d).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "daytwo-admin" of ClusterRole "cluster-admin" to User "admin"',
    });
  });

  it('lets the viewer read everything but secrets, and nothing more', () => {
    const viewer = user('viewer');
    expect(authorize(policy, viewer, { verb: 'list', group: '', resource: 'pods' }).allowed).toBe(true);
    expect(authorize(policy, viewer, { verb: 'watch', group: 'apps', resource: 'deployments', namespace: 'x' }).allowed).toBe(true);
    expect(authorize(policy, viewer, { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'x' }).allowed).toBe(true);
    expect(authorize(policy, viewer, { verb: 'get', group: '', resource: 'secrets', namespace: 'x' })).toEqual({ allowed: false, reason: '' });
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
      expect(authorize(policy, viewer, { verb, group: '', resource: 'pods', namespace: 'x' }).allowed).toBe(false);
    }
    expect(authorize(policy, viewer, { verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: 'x' }).allowed).toBe(false);
    expect(authorize(policy, viewer, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
    );
  });

  it('lets the operator cordon but not evict', () => {
    const operator = user('operator');
    expect(authorize(policy, operator, { verb: 'patch', group: '', resource: 'nodes', name: 'n1' }).allowed).toBe(true);
    expect(authorize(policy, operator, { verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: 'x' }).allowed).toBe(false);
    expect(authorize(policy, operator, { verb: 'delete', group: '', resource: 'nodes', name: 'n1' }).allowed).toBe(false);
  });

  it('lets restricted read its one namespace through a RoleBinding, and nothing at the cluster scope', () => {
    const restricted = user('restricted');
    const inShop = authorize(policy, restricted, { verb: 'list', group: '', resource: 'pods', namespace: RESTRICTED_NAMESPACE });
    // Upstream's roleBindingDescriber: `RoleBinding "name/namespace" of ClusterRole "role" to User "user"`.
    expect(inShop).toEqual({
      allowed: true,
      reason: `RBAC: allowed by RoleBinding "daytwo-restricted/${RESTRICTED_NAMESPACE}" of ClusterRole "daytwo-viewer" to User "restricted"`,
    });
    expect(authorize(policy, restricted, { verb: 'list', group: '', resource: 'pods' }).allowed).toBe(false);
    expect(authorize(policy, restricted, { verb: 'list', group: '', resource: 'pods', namespace: 'payments' }).allowed).toBe(false);
    expect(authorize(policy, restricted, { verb: 'list', group: '', resource: 'namespaces' }).allowed).toBe(false);
    expect(authorize(policy, restricted, { verb: 'patch', group: '', resource: 'pods', namespace: RESTRICTED_NAMESPACE }).allowed).toBe(false);
  });

  it('knows nobody else', () => {
    expect(authorize(policy, { name: 'mallory', groups: [] }, { verb: 'get', group: '', resource: 'pods' }).allowed).toBe(false);
  });
});

describe('reviewAccess (SelfSubjectAccessReview)', () => {
  const review = (resourceAttributes: Record<string, string>) => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes },
  });

  it('answers allowed with the reason, or denied without one', () => {
    const allowed = reviewAccess(review({ verb: 'patch', resource: 'nodes', name: 'n1' }), user('admin'), policy);
    expect(allowed.status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "daytwo-admin" of ClusterRole "cluster-admin" to User "admin"',
    });
    const denied = reviewAccess(review({ verb: 'patch', resource: 'nodes', name: 'n1' }), user('viewer'), policy) as SelfSubjectAccessReview;
    expect(denied.status).toEqual({ allowed: false });
    expect(denied.spec.resourceAttributes!.verb).toBe('patch');
  });

  it('refuses a review without attributes (422)', () => {
    expect(() => reviewAccess({ metadata: {}, spec: {} }, user('admin'), policy)).toThrow(/exactly one of nonResourceAttributes or resourceAttributes/);
  });
});
