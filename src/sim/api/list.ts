/**
 * List responses: paging with `limit`/`continue` and the list body, built by
 * concatenating each object's cached JSON so large lists stay cheap.
 */

import { objectKey } from '../../domain/kube-object.js';
import { ApiError, badRequest } from '../errors.js';
import type { KubeObject } from '../types.js';

/** The decoded `continue` token: where the next page starts and the list's resourceVersion. */
export interface ContinueToken {
  /** Resource version of the first page's list. */
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
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') {
      throw new Error('bad token');
    }
    const start: string = parsed.start;
    return { rv: parsed.rv, start: start.endsWith('\u0000') ? start.slice(0, -1) : start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/** storage.ErrResourceExpired's message for a continue token older than the retained history. */
export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function continueExpired(): ApiError {
  return new ApiError(410, 'Expired', CONTINUE_EXPIRED_MESSAGE);
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
