/**
 * Authentication (bearer tokens -> users) and a small RBAC evaluator for the
 * simulated cluster. Rule matching mirrors k8s.io/kubernetes
 * plugin/pkg/auth/authorizer/rbac (VerbMatches, APIGroupMatches, ResourceMatches,
 * ResourceNameMatches) and the allow reason mirrors its `RBAC: allowed by ...` text.
 */

import { randomBytes } from 'node:crypto';
import type * as wire from '@daytwo/k8s/wire-types.js';

/** The users a sim instance knows. */
export const SIM_USERS = ['admin', 'viewer', 'operator', 'restricted'] as const;
export type SimUser = (typeof SIM_USERS)[number];

/** Bearer token per user, random per sim instance. */
export type SimTokens = Record<SimUser, string>;

export interface UserInfo {
  name: string;
  groups: string[];
}

/** rbac/v1 PolicyRule (resource rules only; non-resource URLs are open to every authenticated user). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface ClusterRole {
  name: string;
  rules: PolicyRule[];
  /** A namespaced Role (named `namespace/name` in the policy); a ClusterRole when absent. */
  namespace?: string;
}

export interface Subject {
  kind: 'User' | 'Group';
  name: string;
}

export interface ClusterRoleBinding {
  name: string;
  roleRef: string;
  subjects: Subject[];
  /**
   * Set for a RoleBinding: its role applies only to requests in this namespace (upstream
   * rbac's VisitRulesFor reads RoleBindings of the request's namespace only, so a list
   * across all namespaces is not granted by one).
   */
  namespace?: string;
}

/** The namespace `restricted` may read (a RoleBinding of the viewer role there), and nothing else. */
export const RESTRICTED_NAMESPACE = 'shop';

export interface Policy {
  roles: ClusterRole[];
  bindings: ClusterRoleBinding[];
}

/** authorizer.Attributes for a resource request. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  /** `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`, or '' when denied. */
  reason: string;
}

/** Fresh random tokens for every sim user. */
export function generateTokens(): SimTokens {
  const token = () => randomBytes(24).toString('base64url');
  return { admin: token(), viewer: token(), operator: token(), restricted: token() };
}

/**
 * Resolves an `Authorization` header to a user. Returns undefined for a missing,
 * malformed or unknown token (the server answers 401).
 */
export function authenticate(authorization: string | undefined, tokens: SimTokens): UserInfo | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return undefined;
  for (const user of SIM_USERS) {
    if (tokens[user] === m[1]) return { name: user, groups: ['system:authenticated'] };
  }
  return undefined;
}

const READ_VERBS = ['get', 'list', 'watch'];

/**
 * The sim's policy: `admin` may do everything, `viewer` may read everything but
 * secrets, `operator` may additionally cordon (patch/update nodes) but not evict;
 * `restricted` may read (as viewer) in namespace {@link RESTRICTED_NAMESPACE} only;
 * everyone authenticated may create self access reviews (upstream `system:basic-user`).
 * `readableResources` lists the plural resource names the viewer may read.
 */
export function defaultPolicy(readableResources: readonly string[]): Policy {
  const readable = readableResources.filter((r) => r !== 'secrets');
  const readRule: PolicyRule = {
    verbs: READ_VERBS,
    apiGroups: ['*'],
    resources: [...readable, 'pods/log', '*/status', '*/scale'],
  };
  return {
    roles: [
      { name: 'cluster-admin', rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
      { name: 'daytwo-viewer', rules: [readRule] },
      {
        name: 'daytwo-operator',
        rules: [readRule, { verbs: ['patch', 'update'], apiGroups: [''], resources: ['nodes'] }],
      },
      {
        name: 'system:basic-user',
        rules: [
          {
            verbs: ['create'],
            apiGroups: ['authorization.k8s.io'],
            resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
          },
          { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
        ],
      },
    ],
    bindings: [
      { name: 'daytwo-admin', roleRef: 'cluster-admin', subjects: [{ kind: 'User', name: 'admin' }] },
      { name: 'daytwo-viewer', roleRef: 'daytwo-viewer', subjects: [{ kind: 'User', name: 'viewer' }] },
      { name: 'daytwo-operator', roleRef: 'daytwo-operator', subjects: [{ kind: 'User', name: 'operator' }] },
      {
        name: 'daytwo-restricted',
        roleRef: 'daytwo-viewer',
        subjects: [{ kind: 'User', name: 'restricted' }],
        namespace: RESTRICTED_NAMESPACE,
      },
      {
        name: 'system:basic-user',
        roleRef: 'system:basic-user',
        subjects: [{ kind: 'Group', name: 'system:authenticated' }],
      },
    ],
  };
}

/** Whether one PolicyRule allows the request (upstream rbac.RuleAllows). */
export function ruleAllows(rule: PolicyRule, attrs: ResourceAttributes): boolean {
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return (
    matchesOrStar(rule.verbs, attrs.verb) &&
    matchesOrStar(rule.apiGroups, attrs.group) &&
    resourceMatches(rule.resources, combined, attrs.subresource) &&
    (!rule.resourceNames?.length || (attrs.name !== undefined && rule.resourceNames.includes(attrs.name)))
  );
}

function matchesOrStar(values: readonly string[], wanted: string): boolean {
  return values.includes('*') || values.includes(wanted);
}

function resourceMatches(resources: readonly string[], combined: string, subresource: string | undefined): boolean {
  return resources.some(
    (r) => r === '*' || r === combined || (subresource !== undefined && r === `*/${subresource}`),
  );
}

function subjectMatches(subject: Subject, user: UserInfo): boolean {
  return subject.kind === 'User' ? subject.name === user.name : user.groups.includes(subject.name);
}

/** Evaluates a request against a policy; the first binding whose role allows it gives the reason. */
export function authorize(policy: Policy, user: UserInfo, attrs: ResourceAttributes): Decision {
  for (const binding of policy.bindings) {
    if (binding.namespace !== undefined && binding.namespace !== attrs.namespace) continue;
    const subject = binding.subjects.find((s) => subjectMatches(s, user));
    if (!subject) continue;
    const role = policy.roles.find((r) => r.name === binding.roleRef);
    if (role?.rules.some((rule) => ruleAllows(rule, attrs))) {
      // Upstream's wording: `RoleBinding "x/ns" of ClusterRole "y"` for a RoleBinding.
      const by = binding.namespace === undefined ? `ClusterRoleBinding "${binding.name}"` : `RoleBinding "${binding.name}/${binding.namespace}"`;
      const of = role.namespace === undefined ? `ClusterRole "${role.name}"` : `Role "${role.name.slice(role.namespace.length + 1)}"`;
      return {
        allowed: true,
        reason: `RBAC: allowed by ${by} of ${of} to ${subject.kind} "${subject.name}"`,
      };
    }
  }
  return { allowed: false, reason: '' };
}

/** The rules that apply to a user (for SelfSubjectRulesReview). */
export function rulesFor(policy: Policy, user: UserInfo): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const binding of policy.bindings) {
    if (!binding.subjects.some((s) => subjectMatches(s, user))) continue;
    const role = policy.roles.find((r) => r.name === binding.roleRef);
    if (role) rules.push(...role.rules);
  }
  return rules;
}

/** The RBAC objects stored in the cluster (rbac.authorization.k8s.io/v1). */
export interface RbacObjects {
  clusterRoles: readonly wire.ClusterRole[];
  roles: readonly wire.Role[];
  clusterRoleBindings: readonly wire.ClusterRoleBinding[];
  roleBindings: readonly wire.RoleBinding[];
}

/**
 * The policy stored RBAC objects grant, to be evaluated after the sim's built-in one:
 * Roles are named `namespace/name` so that RoleBindings can refer to either kind; a
 * ServiceAccount subject is the user `system:serviceaccount:<namespace>:<name>`.
 * Non-resource URL rules and aggregation are not modelled.
 */
export function policyFromObjects(rbac: RbacObjects): Policy {
  const rules = (obj: wire.Role | wire.ClusterRole): PolicyRule[] =>
    (obj.rules ?? [])
      .filter((r): r is typeof r & { resources: string[] } => Array.isArray(r.resources))
      .map((r) => ({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
  const subjects = (obj: wire.RoleBinding | wire.ClusterRoleBinding): Subject[] =>
    (obj.subjects ?? []).flatMap((s): Subject[] => {
      if (s.kind === 'User' || s.kind === 'Group') return [{ kind: s.kind, name: s.name }];
      if (s.kind === 'ServiceAccount') return [{ kind: 'User', name: `system:serviceaccount:${s.namespace ?? obj.metadata.namespace}:${s.name}` }];
      return [];
    });
  const roles: ClusterRole[] = [
    ...rbac.clusterRoles.map((r) => ({ name: r.metadata.name ?? '', rules: rules(r) })),
    ...rbac.roles.map((r) => ({ name: `${r.metadata.namespace}/${r.metadata.name}`, namespace: r.metadata.namespace, rules: rules(r) })),
  ];
  const bindings: ClusterRoleBinding[] = [
    ...rbac.clusterRoleBindings
      .filter((b) => b.roleRef?.kind === 'ClusterRole')
      .map((b) => ({ name: b.metadata.name ?? '', roleRef: b.roleRef.name, subjects: subjects(b) })),
    ...rbac.roleBindings.map((b) => ({
      name: b.metadata.name ?? '',
      namespace: b.metadata.namespace,
      roleRef: b.roleRef?.kind === 'Role' ? `${b.metadata.namespace}/${b.roleRef.name}` : b.roleRef?.name,
      subjects: subjects(b),
    })),
  ];
  return { roles, bindings };
}
