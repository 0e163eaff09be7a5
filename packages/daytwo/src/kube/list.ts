import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { statusCodeOf } from './errors.js';
import type { KubeHttp } from './http.js';

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
  } = {},
): Promise<ListResult> {
  const limit = opts.limit ?? LIST_PAGE_SIZE;
  let items: KubeObject[] = [];
  let token: string | undefined;
  let pages = 0;
  let restarts = 0;
  for (;;) {
    let page: ListResponse;
    try {
      page = await http.requestJson<ListResponse>(path, { query: { limit, continue: token }, signal: opts.signal });
    } catch (err) {
      if (token !== undefined && statusCodeOf(err) === 410 && restarts < LIST_RESTARTS) {
        restarts++;
        items = [];
        token = undefined;
        continue;
      }
      throw err;
    }
    pages++;
    const pageItems = withTypeMeta(page);
    for (const item of pageItems) items.push(opts.mapItem ? opts.mapItem(item) : item);
    token = page.metadata?.continue || undefined;
    if (!token) return { items, resourceVersion: page.metadata?.resourceVersion ?? '', pages };
  }
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
