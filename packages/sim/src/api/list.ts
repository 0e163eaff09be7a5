/**
 * List responses: paging with `limit`/`continue` and the list body, built by
 * concatenating each object's cached JSON so large lists stay cheap.
 */

import { objectKey } from '@daytwo/k8s/kube-object.js';
import { ApiError, badRequest, invalid } from '../errors.js';
import type { KubeObject } from '../types.js';

/** The decoded `continue` token: where the next page starts and the list's resourceVersion. */
export interface ContinueToken {
  /**
   * Resource version of the first page's list: every page is read at it. -1 (a token
   * handed out with a 410 for an expired one) continues at the latest resourceVersion.
   */
  rv: number;
  /** The last key returned; the next page starts after it. */
  start: string;
}

/**
 * Encodes a continue token like the storage layer does (base64 of
 * `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`).
 */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: `${token.start}\u0000` })).toString(
    'base64url',
  );
}

/** Decodes a continue token; a malformed one is a 400 as upstream reports it. */
export function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // storage.DecodeContinue: a resourceVersion of 0 is invalid, a negative one means "latest".
    if (parsed.v !== 'meta.k8s.io/v1' || !Number.isInteger(parsed.rv) || parsed.rv === 0 || typeof parsed.start !== 'string') {
      throw new Error('bad token');
    }
    const start: string = parsed.start;
    return { rv: parsed.rv, start: start.endsWith('\u0000') ? start.slice(0, -1) : start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/**
 * etcd3 store's `inconsistentContinue` message (interpretListError ->
 * handleCompactedErrorForPaging) for a continue token older than the retained history.
 */
export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** etcd3 store's `expired` message: an Exact list at a resourceVersion older than the history kept. */
export const LIST_EXPIRED_MESSAGE = 'The resourceVersion for the provided list is too old.';

/** A 410 whose Status carries `metadata.continue`: the same position, at the latest resourceVersion (rv -1). */
class ContinueExpiredError extends ApiError {
  constructor(readonly continueToken: string) {
    super(410, 'Expired', CONTINUE_EXPIRED_MESSAGE);
  }

  override toStatus(): Record<string, unknown> {
    return { ...super.toStatus(), metadata: { continue: this.continueToken } };
  }
}

export function continueExpired(start: string): ApiError {
  return new ContinueExpiredError(encodeContinue({ rv: -1, start }));
}

/** storage.NewTooLargeResourceVersionError: 504 for a resourceVersion the server has not reached. */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** The query parameters that choose which state a LIST reads. */
export interface ListReadParams {
  resourceVersion: string;
  resourceVersionMatch: string;
  continue: string;
  limit: number;
}

/** Which state a LIST reads: `at` a resourceVersion (undefined: the latest), after a key when continuing. */
export interface ListRead {
  at?: number;
  after?: string;
}

/**
 * ValidateListOptions (k8s.io/apimachinery/pkg/apis/meta/internalversion/validation):
 * 422 `ListOptions.meta.k8s.io "" is invalid` with one cause per broken rule.
 */
function validateListParams(params: ListReadParams): void {
  const match = params.resourceVersionMatch;
  if (!match) return;
  const causes: { field: string; message: string; reason: string }[] = [];
  const forbidden = (message: string) =>
    causes.push({ field: 'resourceVersionMatch', message: `Forbidden: ${message}`, reason: 'FieldValueForbidden' });
  if (!params.resourceVersion) forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (params.continue) forbidden('resourceVersionMatch is forbidden when continue is provided');
  if (match !== 'Exact' && match !== 'NotOlderThan') {
    causes.push({
      field: 'resourceVersionMatch',
      message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan", ""`,
      reason: 'FieldValueNotSupported',
    });
  }
  if (match === 'Exact' && params.resourceVersion === '0') forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (causes.length > 0) throw invalid('meta.k8s.io', 'ListOptions', '', causes);
}

/**
 * The resourceVersion semantics of LIST (api-concepts "Semantics for get and list";
 * storage ValidateListOptions and the watch cache's waitUntilFresh):
 * - a continue token reads at its resourceVersion (Exact); past the history kept: 410
 *   with a token that continues at the latest one;
 * - `resourceVersion` unset, `0`, or NotOlderThan (also the legacy unset match without a
 *   limit): the latest state — the sim's store is never stale;
 * - `resourceVersionMatch=Exact`, or the legacy unset match with a limit and N != 0: at N
 *   (410 when N has left the history);
 * - N beyond the current resourceVersion: 504 Too large resource version.
 */
export function resolveListRead(params: ListReadParams, current: number, isExpired: (rv: number) => boolean): ListRead {
  validateListParams(params);
  const rvText = params.resourceVersion;
  if (params.continue) {
    const token = decodeContinue(params.continue);
    if (rvText && rvText !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    if (token.rv < 0) return { after: token.start };
    if (token.rv > current) throw tooLargeResourceVersion(token.rv, current);
    if (token.rv < current && isExpired(token.rv)) throw continueExpired(token.start);
    return { at: token.rv, after: token.start };
  }
  if (!rvText) return {};
  if (!/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);
  const rv = Number(rvText);
  if (rv > current) throw tooLargeResourceVersion(rv, current);
  const exact =
    params.resourceVersionMatch === 'Exact' || (params.resourceVersionMatch === '' && params.limit > 0 && rv > 0);
  if (!exact) return {};
  if (rv < current && isExpired(rv)) throw new ApiError(410, 'Expired', LIST_EXPIRED_MESSAGE);
  return { at: rv };
}

export interface Page {
  items: KubeObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

/**
 * One page of `objects` (ordered by namespace/name): the items after `after`, at most
 * `limit` of them (0 = all), with a continue token when more remain.
 */
export function paginate(objects: KubeObject[], limit: number, listRv: number, after?: string): Page {
  let from = 0;
  if (after !== undefined) {
    // Objects are sorted by key, so binary search for the first key after `after`.
    let lo = 0;
    let hi = objects.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (objectKey(objects[mid]) <= after) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  if (limit <= 0 || from + limit >= objects.length) return { items: objects.slice(from) };
  const items = objects.slice(from, from + limit);
  return {
    items,
    continueToken: encodeContinue({ rv: listRv, start: objectKey(items[items.length - 1]) }),
    remainingItemCount: objects.length - from - limit,
  };
}

/** Items per written chunk of a streamed list body. */
const LIST_CHUNK = 1000;

/** Where a list body goes: an HTTP response. */
export interface ListBodySink {
  /** False when the chunk had to be buffered: wait for `drain` before writing more. */
  write(chunk: string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed?: boolean;
}

/**
 * Writes `{"kind":"PodList","apiVersion":"v1","metadata":{...},"items":[...]}` to `out` in
 * chunks of serialized items, so a 100 MB list is never one string or one buffer; and
 * waits for `drain` whenever the socket's buffer is full, so the whole list is not queued
 * in memory while a slow client reads it (unpaginated 30,000-pod lists otherwise took the
 * sim's peak RSS past 1.5 GiB). Stops early when the connection closes.
 */
export async function writeListBody(
  out: ListBodySink,
  listKind: string,
  apiVersion: string,
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  items: readonly KubeObject[],
  serialize: (obj: KubeObject) => string,
): Promise<void> {
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await drained(out);
  };
  await write(`{"kind":"${listKind}","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`);
  for (let i = 0; i < items.length; i += LIST_CHUNK) {
    if (out.destroyed) return;
    const end = Math.min(items.length, i + LIST_CHUNK);
    const parts: string[] = new Array(end - i);
    for (let j = i; j < end; j++) parts[j - i] = serialize(items[j]);
    await write(i === 0 ? parts.join(',') : `,${parts.join(',')}`);
  }
  out.write(']}');
}

function drained(out: ListBodySink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}
