/** Which resource serves a kind, from API discovery (`/api/v1`, `/apis/<group>/<version>`). */
import { ApiRequestError } from '../errors.js';
import type { KubeHttp } from '../http.js';

/** A kind as the API server serves it. */
export interface ResourceInfo {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** Discovery answers per apiVersion, fetched once per session (kinds rarely appear or vanish mid-session). */
export class ResourceCatalog {
  private readonly byVersion = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly http: KubeHttp) {}

  /** The resource serving `kind` in `apiVersion`, or undefined when the server has none (404 or not listed). */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let pending = this.byVersion.get(apiVersion);
    if (!pending) {
      pending = this.discover(apiVersion);
      this.byVersion.set(apiVersion, pending);
      pending.catch(() => this.byVersion.delete(apiVersion));
    }
    return (await pending).get(kind);
  }

  private async discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const url = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const out = new Map<string, ResourceInfo>();
    let list: APIResourceList;
    try {
      list = await this.http.requestJson<APIResourceList>(url);
    } catch (err) {
      if (err instanceof ApiRequestError && err.statusCode === 404) return out;
      throw err;
    }
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      out.set(r.kind, { apiVersion, group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced });
    }
    return out;
  }
}

/** REST path of an object (or, without `name`, of its collection in `namespace`). */
export function resourcePath(r: ResourceInfo, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
