/** What one API request asks for, decoded from its method, path and query. */

import { badRequest } from '../errors.js';
import type { ResourcePath } from './paths.js';

/** The authorizer verb of a request (k8s.io/apiserver RequestInfoFactory). */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** The RBAC verb for a method on a resource path, or undefined for an unsupported method. */
export function verbFor(method: string, path: ResourcePath, query: URLSearchParams): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (path.legacyWatch || isTrue(query.get('watch'))) return 'watch';
      return path.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/** Query booleans as the API server's conversion reads them (`true`, `1`). */
export function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/** `dryRun=All` (the only value the API server accepts besides none). */
export function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dryRun value: ${v}: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

/** An optional non-negative integer query parameter; malformed -> 400. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`invalid value for ${name}: ${value}`);
  return Number(value);
}
