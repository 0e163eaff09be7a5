/**
 * Typed errors of the Kubernetes layer, so the CLI and the console can print one clear
 * line instead of a stack trace.
 */

/** A kubeconfig that cannot be used: names the file (or files) and what is wrong with it. */
export class KubeconfigError extends Error {
  constructor(
    /** The file at fault; several files joined by the path delimiter when KUBECONFIG merged them. */
    readonly file: string,
    /** What is wrong, without the file name: `line 3, column 5: ...`, `context "x" does not exist; ...`. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'KubeconfigError';
  }
}

/** No kubeconfig anywhere (no --kubeconfig, no KUBECONFIG file, no ~/.kube/config). */
export class NoKubeconfigError extends KubeconfigError {
  constructor(readonly searched: readonly string[]) {
    super(
      searched.join(', ') || '~/.kube/config',
      'no kubeconfig found; run `daytwo --demo` to try daytwo on a simulated cluster',
    );
    this.name = 'NoKubeconfigError';
    this.message = `no kubeconfig found (looked for ${this.file}); run \`daytwo --demo\` to try daytwo on a simulated cluster`;
  }
}

/** An API request answered with an error status; `reason` and `message` come from the metav1.Status body when there is one. */
export class ApiRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** The status code of an API error (ours, client-node's `Watch`/typed APIs, or a watch ERROR event's Status). */
export function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { statusCode?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

/**
 * True for failures to reach the server at all (refused, reset, DNS, timeout), as opposed
 * to the server answering with an error.
 */
export function isNetworkError(err: unknown): boolean {
  if (statusCodeOf(err) !== undefined) return false;
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  const errno = (err as { errno?: unknown }).errno;
  const type = (err as { type?: unknown }).type;
  // node-fetch (used by client-node's Watch) wraps socket errors as FetchError type 'system'.
  return typeof code === 'string' || typeof errno === 'string' || type === 'system';
}

/** A one-line description of any error for the status line and connection state. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return withReasonFirst(err.message);
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return withReasonFirst((err as { message: string }).message);
  }
  return String(err);
}

/**
 * node-fetch's `request to <url> failed, reason: <reason>` puts a watch URL of a hundred
 * characters before what went wrong; a header line cuts it before the reason. The reason
 * comes first, then the server and path (the query is bookkeeping).
 */
function withReasonFirst(message: string): string {
  const fetch = /^request to (\S+) failed, reason: (.+)$/s.exec(message);
  if (!fetch) return message;
  const url = fetch[1].split('?')[0];
  return `${fetch[2].trim()} (${url})`;
}
