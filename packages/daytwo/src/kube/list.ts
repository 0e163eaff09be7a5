import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { statusCodeOf } from './errors.js';
import { type KubeHttp, parseJsonBody, type RawResponse } from './http.js';
import { withoutManagedFields } from './list-body.js';

/** Page size of lists: large lists come in chunks, so no single response holds 138 MB. */
export const LIST_PAGE_SIZE = 500;

/** A complete list of one collection and the resourceVersion to watch from. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** Number of pages requested, for tests and diagnostics. */
  pages: number;
}

interface ListResponse {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[] | null;
}

/** Times a list starts over from its first page after its continue token expired, before it fails. */
export const LIST_RESTARTS = 3;

/**
 * Lists a collection page by page (`limit` + `continue`), as client-go's pager does.
 * When a continue token expires midway (410 Expired), the list starts over from its first
 * page, at the latest resourceVersion (as client-go's reflector relists through the pager
 * when a list fails as expired, k8s.io/client-go/tools/cache/reflector.go), up to
 * {@link LIST_RESTARTS} times. It does not take the pager's other way out (FullListIfExpired,
 * one unpaginated list): the response for 150,000 pods is larger than the longest string V8
 * can hold, so that list could never be read.
 * List items come without `apiVersion`/`kind`; they are filled in from the list so objects
 * look the same whether they came from a list or a watch event.
 */
export async function listAll(
  http: KubeHttp,
  path: string,
  opts: {
    limit?: number;
    signal?: AbortSignal;
    /**
     * Applied to each item as its page arrives, e.g. to drop fields nobody reads: the full
     * objects of a page can then be collected before the next page, instead of all of
     * them living until the whole list is in.
     */
    mapItem?: (item: KubeObject) => KubeObject;
    /**
     * Cut the items' managed fields out of each page before it is parsed
     * ({@link withoutManagedFields}): for Pods and Nodes, whose records keep none.
     */
    dropManagedFields?: boolean;
  } = {},
): Promise<ListResult> {
  const limit = opts.limit ?? LIST_PAGE_SIZE;
  const fetchPage = (token: string | undefined): Promise<RawResponse> => {
    const request = http.requestText(path, { query: { limit, continue: token }, signal: opts.signal });
    // Awaited on the next turn of the loop; until then a failure must not count as unhandled.
    request.catch(() => {});
    return request;
  };
  let items: KubeObject[] = [];
  let token: string | undefined;
  let pages = 0;
  let restarts = 0;
  let next = fetchPage(undefined);
  for (;;) {
    let raw: RawResponse;
    try {
      raw = await next;
    } catch (err) {
      if (token !== undefined && statusCodeOf(err) === 410 && restarts < LIST_RESTARTS) {
        restarts++;
        items = [];
        token = undefined;
        next = fetchPage(undefined);
        continue;
      }
      throw err;
    }
    const page = parsePage(raw, opts.dropManagedFields === true);
    pages++;
    token = page.metadata?.continue || undefined;
    // The next page is asked for before this one is mapped, so the server prepares and sends
    // it while this process reduces this page's objects (one request in flight, as before).
    // Not before this page is parsed (its token read from the body's head): with the server on
    // the same two cores, a 30,000-pod list took 1.57 s against 1.54 s that way (1.88 against
    // 1.74 s at a heap growth of 1.3x), medians of 8 and 6 alternating runs.
    if (token) next = fetchPage(token);
    const pageItems = withTypeMeta(page);
    // Taken out of the page as they are mapped, so a collection midway finds only the rest of the page alive.
    for (let item = pageItems.shift(); item !== undefined; item = pageItems.shift()) items.push(opts.mapItem ? opts.mapItem(item) : item);
    if (!token) return { items, resourceVersion: page.metadata?.resourceVersion ?? '', pages };
  }
}

function parsePage(raw: RawResponse, dropManagedFields: boolean): ListResponse {
  if (dropManagedFields) {
    try {
      return JSON.parse(withoutManagedFields(raw.text)) as ListResponse;
    } catch {
      // Parsed whole below, which reports what is wrong with the body.
    }
  }
  return parseJsonBody<ListResponse>(raw.text, raw.status, raw.path);
}

function withTypeMeta(list: ListResponse): KubeObject[] {
  const items = list.items ?? [];
  const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -4) : undefined;
  if (!kind) return items;
  for (const item of items) {
    if (!item.kind) item.kind = kind;
    if (!item.apiVersion && list.apiVersion) item.apiVersion = list.apiVersion;
  }
  return items;
}
