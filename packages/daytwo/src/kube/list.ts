import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { statusCodeOf } from './errors.js';
import { type JsonRequest, type KubeHttp, parseJsonBody, type RawResponse } from './http.js';
import { continueTokenOfHead, ManagedFieldsCut } from './list-body.js';

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
 * Unlike client-go's pager, a page is asked for as soon as the head of the one before it
 * arrives with its continue token (at most one page ahead of the one being read), so the
 * server prepares and sends it while the page before is still arriving and being parsed.
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
     * Cut the items' managed fields out of each page as it arrives, before it is parsed
     * ({@link ManagedFieldsCut}): for Pods and Nodes, whose records keep none.
     */
    dropManagedFields?: boolean;
  } = {},
): Promise<ListResult> {
  const limit = opts.limit ?? LIST_PAGE_SIZE;
  const request = (token: string | undefined, req: Pick<JsonRequest, 'onHead' | 'read'> = {}): Promise<RawResponse> =>
    http.requestText(path, { query: { limit, continue: token }, signal: opts.signal, ...req });
  const ask = (token: string | undefined): PageRequest => {
    const page: PageRequest = {
      token,
      response: request(token, {
        onHead: (head) => {
          page.nextToken = continueTokenOfHead(head.slice(0, HEAD_CHARS));
          if (page === current) askNext(page);
        },
        read: opts.dropManagedFields ? () => new ManagedFieldsCut() : undefined,
      }),
    };
    // Awaited when the loop reaches it, or dropped; until then a failure must not count as unhandled.
    page.response.catch(() => {});
    return page;
  };
  const askNext = (page: PageRequest): void => {
    if (page.nextToken !== undefined && !page.next) page.next = ask(page.nextToken);
  };
  const moveTo = (page: PageRequest): void => {
    current = page;
    askNext(page);
  };
  /** The page the loop waits for or maps: the only one whose head may ask for the page after it. */
  let current = ask(undefined);
  let items: KubeObject[] = [];
  let pages = 0;
  let restarts = 0;
  for (;;) {
    let raw: RawResponse;
    try {
      raw = await current.response;
    } catch (err) {
      if (current.token !== undefined && statusCodeOf(err) === 410 && restarts < LIST_RESTARTS) {
        restarts++;
        items = [];
        moveTo(ask(undefined));
        continue;
      }
      throw err;
    }
    const { token: pageToken } = current;
    const page = await parsePage(raw, opts.dropManagedFields ? () => request(pageToken) : undefined);
    pages++;
    const token = page.metadata?.continue || undefined;
    // The next page was asked for when this one's head arrived, so the server prepared it while
    // this one was received and parsed, and sends it while this one is mapped; at worst (a head
    // that did not hold the token) it is asked for now, before this page is mapped.
    if (token) moveTo(current.next?.token === token ? current.next : ask(token));
    const pageItems = withTypeMeta(page);
    // Taken out of the page as they are mapped, so a collection midway finds only the rest of the page alive.
    for (let item = pageItems.shift(); item !== undefined; item = pageItems.shift()) items.push(opts.mapItem ? opts.mapItem(item) : item);
    if (!token) return { items, resourceVersion: page.metadata?.resourceVersion ?? '', pages };
  }
}

/** One page of a list, asked for. */
interface PageRequest {
  readonly token: string | undefined;
  readonly response: Promise<RawResponse>;
  /** The next page's token, read from this page's head as it arrived. */
  nextToken?: string;
  /** The next page, asked for once this page's head named it and the loop had reached this page. */
  next?: PageRequest;
}

/** How much of a page's first chunk is read for its token: ListMeta comes first and is short. */
const HEAD_CHARS = 4096;

/**
 * A page's JSON. A page whose managed fields were cut as it arrived and that then does not
 * parse (never seen: the cut is tested against parsing and deleting) is read again whole
 * (`uncut`), so the error reported, if any, is the server's body's own.
 */
async function parsePage(raw: RawResponse, uncut: (() => Promise<RawResponse>) | undefined): Promise<ListResponse> {
  if (uncut) {
    try {
      return JSON.parse(raw.text) as ListResponse;
    } catch {
      const whole = await uncut();
      return parseJsonBody<ListResponse>(whole.text, whole.status, whole.path);
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
