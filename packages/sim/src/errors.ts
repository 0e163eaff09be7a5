/**
 * metav1.Status errors as the API server returns them. Reasons and message shapes
 * follow k8s.io/apimachinery/pkg/api/errors.
 */

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'Unauthorized'
  | 'TooManyRequests'
  | 'Expired'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `pods "web-1" not found` (group-qualified for named groups: `deployments.apps "web" not found`). */
export function notFound(group: string, resource: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(group, resource)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export function alreadyExists(group: string, resource: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(group, resource)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export function conflict(group: string, resource: string, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: resource },
  );
}

export function invalid(
  group: string,
  kind: string,
  name: string,
  causes: { field: string; message: string; reason?: string }[],
): ApiError {
  const detail = aggregateMessage(causes.map((c) => `${c.field}: ${c.message}`));
  const what = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${what} "${name}" is invalid: ${detail}`, {
    name: name || undefined,
    group: group || undefined,
    kind,
    causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

/** utilerrors.Aggregate's message: one error as is, several (deduplicated) in brackets. */
function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** `pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"` */
export function forbidden(
  user: string,
  verb: string,
  group: string,
  resource: string,
  subresource: string | undefined,
  namespace: string | undefined,
  name?: string,
): ApiError {
  const res = subresource ? `${resource}/${subresource}` : resource;
  const target = name ? `${qualified(group, resource)} "${name}"` : qualified(group, resource);
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${target} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${group}"${scope}`,
    { name, group: group || undefined, kind: resource },
  );
}

export function expired(message = 'too old resource version'): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): ApiError {
  return new ApiError(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
}

function qualified(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}
