/**
 * A minimal OpenAPI v3 surface: the `/openapi/v3` index and, per group/version, the PATCH
 * operations with their `x-kubernetes-group-version-kind` and query parameters. That is
 * what kubectl's query-parameter verifier (cli-runtime resource/query_param_verifier_v3.go)
 * reads to decide that the server validates fields itself (`fieldValidation`), so
 * `kubectl apply`/`create` need no schema download. Schemas are not served: kubectl then
 * computes strategic merge patches from its compiled-in types, as it does for built-ins.
 */

import { createHash } from 'node:crypto';
import type { ResourceType } from '../types.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** `/openapi/v3`: the group/version documents and where to fetch them. */
export function openApiV3Index(types: readonly ResourceType[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of types) {
    const path = gvPath(t.group, t.version);
    if (paths[path]) continue;
    const hash = createHash('sha256').update(path).digest('hex').slice(0, 32).toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

const QUERY_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string' },
  uniqueItems: true,
}));

/** `/openapi/v3/api/v1`, `/openapi/v3/apis/{group}/{version}`; undefined when not served. */
export function openApiV3GroupVersion(types: readonly ResourceType[], path: string): Record<string, unknown> | undefined {
  const served = types.filter((t) => gvPath(t.group, t.version) === path && t.verbs.includes('patch'));
  if (served.length === 0 && !types.some((t) => gvPath(t.group, t.version) === path)) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of served) {
    const scope = t.namespaced ? '/namespaces/{namespace}' : '';
    paths[`/${path}${scope}/${t.resource}/{name}`] = {
      patch: {
        description: `partially update the specified ${t.kind}`,
        operationId: `patch${t.kind}`,
        parameters: QUERY_PARAMETERS,
        requestBody: {
          content: {
            'application/apply-patch+yaml': { schema: { type: 'object' } },
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
          },
          required: true,
        },
        responses: { '200': { description: 'OK' }, '201': { description: 'Created' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: {} };
}
