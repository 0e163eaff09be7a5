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

/**
 * Lists a collection page by page (`limit` + `continue`), as client-go's pager does.
 * When a continue token expires midway (410), it falls back to one unpaginated list, like
 * the pager's FullListIfExpired (k8s.io/client-go/tools/pager/pager.go).
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
  const items: KubeObject[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    let page: ListResponse;
    try {
      page = await http.requestJson<ListResponse>(path, { query: { limit, continue: token }, signal: opts.signal });
    } catch (err) {
      if (token !== undefined && statusCodeOf(err) === 410) {
        const full = await http.requestJson<ListResponse>(path, { signal: opts.signal });
        return { items: mapItems(withTypeMeta(full), opts.mapItem), resourceVersion: full.metadata?.resourceVersion ?? '', pages: pages + 1 };
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

function mapItems(items: KubeObject[], mapItem: ((item: KubeObject) => KubeObject) | undefined): KubeObject[] {
  return mapItem ? items.map(mapItem) : items;
}
