/**
 * Any object by its `ObjectRef`: the REST path found as kubectl's RESTMapper finds it
 * (the kinds daytwo watches are known; others come from discovery), the whole object, and
 * the events about it as `kubectl describe` searches them.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent, DaemonSet, EndpointSlice, Ingress, ReplicaSet, Service, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { selectorString } from '../domain/describe/controllers.js';
import type { DescribeInputs } from '../domain/describe/index.js';
import { describeNeeds } from '../domain/describe/index.js';
import { type BackendService, backendServiceNames } from '../domain/describe/ingress.js';
import { KIND_NAMES, WATCHED_KINDS } from '../domain/kinds.js';
import { apiGroup, type ObjectRef, STORE_KIND_TYPES } from '../domain/object-ref.js';
import { describeError, statusCodeOf } from './errors.js';
import type { KubeHttp } from './http.js';
import { LIST_PAGE_SIZE, listAll } from './list.js';

/** The EndpointSlices of a Service, by the label the EndpointSlice controller sets. */
function endpointSlicesPath(namespace: string, service: string): string {
  return `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`;
}

/** `describeBackendV1`'s reads for each backend service: its EndpointSlices and the Service, or the error. */
async function readBackendServices(http: KubeHttp, namespace: string, names: readonly string[]): Promise<ReadonlyMap<string, BackendService>> {
  const entries = await Promise.all(
    names.map(async (name): Promise<[string, BackendService]> => {
      try {
        const { items } = await listAll(http, endpointSlicesPath(namespace, name));
        const service = await http.requestJson<Service>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
        return [name, { service, slices: items as EndpointSlice[] }];
      } catch (err) {
        return [name, { error: describeError(err) }];
      }
    }),
  );
  return new Map(entries);
}

/** Where a kind is served. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  /** Plural resource name, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** Discovery answers per apiVersion, per client: they do not change while a console is open. */
const discovered = new WeakMap<KubeHttp, Map<string, Promise<ApiResourceList>>>();

/** The resource serving `ref.kind` in `ref.apiVersion`; rejects when the server does not serve it. */
export async function resourceOf(http: KubeHttp, ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): Promise<ResourceInfo> {
  const group = apiGroup(ref.apiVersion);
  const version = ref.apiVersion.slice(group ? group.length + 1 : 0);
  const known = KIND_NAMES.find((k) => STORE_KIND_TYPES[k].apiVersion === ref.apiVersion && STORE_KIND_TYPES[k].kind === ref.kind);
  const watched = known && WATCHED_KINDS.find((w) => w.kind === known);
  if (watched) return { group, version, resource: watched.kind, namespaced: watched.namespaced };
  let perClient = discovered.get(http);
  if (!perClient) {
    perClient = new Map();
    discovered.set(http, perClient);
  }
  let list = perClient.get(ref.apiVersion);
  if (!list) {
    list = http.requestJson<ApiResourceList>(group ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`);
    list.catch(() => perClient.delete(ref.apiVersion));
    perClient.set(ref.apiVersion, list);
  }
  const found = (await list).resources?.find((r) => r.kind === ref.kind && !r.name.includes('/'));
  if (!found) throw new Error(`the server doesn't have a resource type for ${ref.kind} in ${ref.apiVersion}`);
  return { group, version, resource: found.name, namespaced: found.namespaced };
}

/** The REST path of the object (or of a subresource of it, e.g. `scale`). */
export async function objectPath(http: KubeHttp, ref: ObjectRef, subresource?: string): Promise<string> {
  const r = await resourceOf(http, ref);
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
  return `${base}${ns}/${r.resource}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ''}`;
}

/** The whole object, as `kubectl get -o yaml` reads it (with apiVersion and kind set). */
export async function getObject(http: KubeHttp, ref: ObjectRef): Promise<KubeObject> {
  const obj = await http.requestJson<KubeObject>(await objectPath(http, ref));
  return { ...obj, apiVersion: obj.apiVersion ?? ref.apiVersion, kind: obj.kind ?? ref.kind };
}

/**
 * `GetFieldSelector` of client-go's events: involvedObject name, namespace, kind and uid,
 * keys sorted as `fields.Set.AsSelector` sorts them.
 */
export function eventFieldSelector(ref: ObjectRef, uid: string | undefined): string {
  const fields: [string, string][] = [
    ['involvedObject.kind', ref.kind],
    ['involvedObject.name', ref.name],
    ['involvedObject.namespace', ref.namespace ?? ''],
    ...(uid ? [['involvedObject.uid', uid] as [string, string]] : []),
  ];
  return fields.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * The events about an object, as kubectl describe's `searchEvents` lists them: in the
 * object's namespace (all namespaces for a cluster-scoped one), by field selector, in pages
 * of 500. For a Node it also searches with the node's name as uid, as `kubectl describe
 * node` does: the kubelet records node events with that uid, the controllers with the real one.
 */
export async function listEvents(http: KubeHttp, ref: ObjectRef, uid: string | undefined): Promise<CoreEvent[]> {
  const search = async (id: string | undefined) => {
    const base = ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : '/api/v1/events';
    const { items } = await listAll(http, `${base}?fieldSelector=${encodeURIComponent(eventFieldSelector(ref, id))}`, { limit: LIST_PAGE_SIZE });
    // A list of core/v1 events: the kind is the path's.
    return items as CoreEvent[];
  };
  const events = await search(uid);
  if (ref.kind === 'Node' && ref.apiVersion === 'v1' && uid !== ref.name) events.push(...(await search(ref.name)));
  return events;
}

/** Reads what `kubectl describe` reads for the object; a list the user may not read is left out, as kubectl does. */
export async function describeInputs(http: KubeHttp, ref: ObjectRef): Promise<DescribeInputs> {
  const object = await getObject(http, ref);
  const needs = describeNeeds(ref.kind, ref.apiVersion);
  const optional = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (statusCodeOf(err) === 403) return undefined;
      throw err;
    }
  };
  const uid = object.metadata?.uid;
  const namespacePath = `/api/v1/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}`;
  const [events, pods, replicaSets, controllerPods, endpointSlices, backendServices] = await Promise.all([
    needs.events ? optional(() => listEvents(http, ref, uid)) : undefined,
    needs.pods && ref.kind === 'Node'
      ? optional(async () => {
          const sel = `spec.nodeName=${ref.name},status.phase!=Succeeded,status.phase!=Failed`;
          return (await listAll(http, `/api/v1/pods?fieldSelector=${encodeURIComponent(sel)}`)).items;
        })
      : needs.pods
        ? optional(async () => (await listAll(http, `${namespacePath}/pods`)).items)
        : undefined,
    needs.replicaSets
      ? optional(async () => {
          const { items } = await listAll(http, `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}/replicasets`);
          return items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.controller === true && o.uid === uid));
        })
      : undefined,
    // getPodStatusForController: the pods the selector matches (the describer keeps those it controls).
    needs.controllerPods
      ? listAll(http, `${namespacePath}/pods?labelSelector=${encodeURIComponent(selectorString((object as ReplicaSet | DaemonSet | StatefulSet).spec?.selector))}`).then(
          ({ items }) => items,
          (err: unknown) => ({ error: describeError(err) }),
        )
      : undefined,
    // kubectl ignores an error listing a Service's EndpointSlices (Endpoints: <none>).
    needs.endpointSlices
      ? listAll(http, endpointSlicesPath(ref.namespace ?? 'default', ref.name)).then(
          ({ items }) => items as EndpointSlice[],
          () => [],
        )
      : undefined,
    needs.backendServices ? readBackendServices(http, ref.namespace ?? 'default', backendServiceNames(object as Ingress)) : undefined,
  ]);
  return { object, events, pods, replicaSets, controllerPods, endpointSlices, backendServices };
}
