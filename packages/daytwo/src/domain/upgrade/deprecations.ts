/**
 * Which apiVersion/kind pairs are deprecated or removed, and what replaces them. The data is
 * upstream's: k8s.io/api's prerelease-lifecycle tags (api-lifecycle.ts, generated), plus the
 * Kubernetes Deprecated API Migration Guide for the types whose Go packages live outside
 * k8s.io/api (CustomResourceDefinition, APIService) or were deleted from it (PodSecurityPolicy).
 */

import { type KubeVersion, parseKubeVersion } from '../version.js';
import { API_LIFECYCLE, API_LIFECYCLE_READ_AT, API_LIFECYCLE_SOURCE, type ApiLifecycleEntry } from './api-lifecycle.js';

/** Where the deprecation data comes from, and the release it was read at. */
export const DEPRECATION_SOURCES = {
  lifecycle: API_LIFECYCLE_SOURCE,
  readAt: API_LIFECYCLE_READ_AT,
  guide: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
} as const;

/** What upstream says about one apiVersion of one kind. */
export interface ApiDeprecation {
  readonly apiVersion: string;
  readonly kind: string;
  /** `1.22`; undefined when not deprecated. */
  readonly deprecatedIn?: string;
  /** The first release that no longer serves it; undefined when not scheduled. */
  readonly removedIn?: string;
  /** The apiVersion to migrate to, when there is one. */
  readonly replacement?: string;
  /** The first release serving the replacement. */
  readonly replacementAvailableIn?: string;
  readonly source: 'k8s.io/api' | 'deprecation guide';
}

/**
 * From the Deprecated API Migration Guide, for types k8s.io/api has no lifecycle tags for.
 * The guide gives no deprecation release for these; the dates are those of their removal notes.
 */
const GUIDE_ENTRIES: readonly ApiDeprecation[] = [
  // v1.16: "The extensions/v1beta1 API version of PodSecurityPolicy ... Migrate to policy/v1beta1, available since v1.10".
  { apiVersion: 'extensions/v1beta1', kind: 'PodSecurityPolicy', removedIn: '1.16', replacement: 'policy/v1beta1', replacementAvailableIn: '1.10', source: 'deprecation guide' },
  // v1.22: CustomResourceDefinition (apiextensions.k8s.io/v1 since v1.16), APIService (apiregistration.k8s.io/v1 since v1.10).
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition', deprecatedIn: '1.16', removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1', replacementAvailableIn: '1.16', source: 'deprecation guide' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kind: 'APIService', deprecatedIn: '1.19', removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1', replacementAvailableIn: '1.10', source: 'deprecation guide' },
  // v1.25: "PodSecurityPolicy in the policy/v1beta1 API version ... deprecated in v1.21, removed in v1.25"; no replacement API (Pod Security Admission).
  { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', deprecatedIn: '1.21', removedIn: '1.25', source: 'deprecation guide' },
];

/**
 * The guide's replacement where the lifecycle tags name none although a GA version exists
 * (events.k8s.io/v1 since 1.19, node.k8s.io/v1 since 1.20).
 */
const GUIDE_REPLACEMENTS: Readonly<Record<string, string>> = {
  'events.k8s.io/v1beta1 Event': 'events.k8s.io/v1',
  'node.k8s.io/v1beta1 RuntimeClass': 'node.k8s.io/v1',
};

const key = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

function fromLifecycle(entry: ApiLifecycleEntry, introduced: ReadonlyMap<string, string>): ApiDeprecation {
  const replacement = entry.replacement ?? GUIDE_REPLACEMENTS[key(entry.apiVersion, entry.kind)];
  const replacementAvailableIn = replacement ? introduced.get(key(replacement, entry.kind)) : undefined;
  return {
    apiVersion: entry.apiVersion,
    kind: entry.kind,
    ...(entry.deprecated ? { deprecatedIn: entry.deprecated } : {}),
    ...(entry.removed ? { removedIn: entry.removed } : {}),
    ...(replacement ? { replacement } : {}),
    ...(replacementAvailableIn ? { replacementAvailableIn } : {}),
    source: 'k8s.io/api',
  };
}

function buildTable(): ReadonlyMap<string, ApiDeprecation> {
  const introduced = new Map<string, string>();
  for (const e of API_LIFECYCLE) if (e.introduced) introduced.set(key(e.apiVersion, e.kind), e.introduced);
  const table = new Map<string, ApiDeprecation>();
  for (const e of API_LIFECYCLE) {
    if (!e.deprecated && !e.removed) continue;
    table.set(key(e.apiVersion, e.kind), fromLifecycle(e, introduced));
  }
  for (const e of GUIDE_ENTRIES) if (!table.has(key(e.apiVersion, e.kind))) table.set(key(e.apiVersion, e.kind), e);
  return table;
}

/** Every deprecated or removed apiVersion/kind, keyed `apiVersion kind`. */
export const DEPRECATIONS: ReadonlyMap<string, ApiDeprecation> = buildTable();

/** What upstream says about `apiVersion` of `kind`; undefined when it is neither deprecated nor removed. */
export function lookupDeprecation(apiVersion: string, kind: string): ApiDeprecation | undefined {
  return DEPRECATIONS.get(key(apiVersion, kind));
}

/** `1.25` as a version, for comparisons with the target. */
export function releaseVersion(release: string): KubeVersion {
  const v = parseKubeVersion(release);
  if (!v) throw new Error(`not a release: ${release}`);
  return v;
}
