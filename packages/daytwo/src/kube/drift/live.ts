/**
 * Reads the live counterparts of what Git declares: one LIST per kind and namespace Git
 * declares (which also serves Extra detection). The store's cached objects have no
 * managedFields and no last-applied annotation, so the full objects are listed here.
 */
import type { LiveScope } from '../../domain/drift/compare.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describeError } from '../errors.js';
import type { KubeHttp } from '../http.js';
import { type ResourceInfo, resourcePath } from './resources.js';

/** One kind in one namespace (or cluster-wide) to list. */
export interface ScopeRequest {
  readonly resource: ResourceInfo;
  readonly namespace?: string;
}

/** The key of a scope request. */
export function scopeRequestKey(s: ScopeRequest): string {
  return `${s.resource.group}/${s.resource.resource}/${s.namespace ?? ''}`;
}

/** Lists every scope in parallel; a failed list becomes an error line and its scope is left out. */
export async function listScopes(
  http: KubeHttp,
  scopes: readonly ScopeRequest[],
): Promise<{ scopes: Map<string, LiveScope>; resourceVersions: Map<string, string>; errors: string[] }> {
  const out = new Map<string, LiveScope>();
  const resourceVersions = new Map<string, string>();
  const errors: string[] = [];
  await Promise.all(
    scopes.map(async (s) => {
      try {
        const list = await http.requestJson<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>(resourcePath(s.resource, s.namespace));
        if (list.metadata?.resourceVersion) resourceVersions.set(scopeRequestKey(s), list.metadata.resourceVersion);
        // List items carry no apiVersion and kind; the comparison needs them (a Secret is redacted by its kind).
        const objects = (list.items ?? []).map((o) => ({ ...o, apiVersion: s.resource.apiVersion, kind: s.resource.kind }));
        out.set(scopeRequestKey(s), { group: s.resource.group, kind: s.resource.kind, namespace: s.namespace, objects });
      } catch (err) {
        const where = s.namespace ? ` in ${s.namespace}` : '';
        errors.push(`cannot list ${s.resource.resource}${s.resource.group ? `.${s.resource.group}` : ''}${where}: ${describeError(err)}`);
      }
    }),
  );
  return { scopes: out, resourceVersions, errors: errors.sort() };
}
