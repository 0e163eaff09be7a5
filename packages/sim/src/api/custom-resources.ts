/**
 * CustomResourceDefinitions make their resources served, as apiextensions-apiserver's
 * crdHandler does: every served version of a stored CRD is a resource type in discovery,
 * CRUD and watch (custom resources are stored generically), printed with the version's
 * `additionalPrinterColumns`. Deleting a CRD deletes its custom resources and stops
 * serving them (upstream does this through the `customresourcecleanup` finalizer).
 */
import type { CustomResourceDefinition } from '@daytwo/k8s/wire-types.js';
import { ApiError } from '../errors.js';
import type { GroupResource, KubeObject, ObjectStore, PrinterColumn, ResourceType } from '../types.js';
import { compareKubeVersions } from './discovery.js';

/** Where CustomResourceDefinitions are stored. */
export const CRD_GR: GroupResource = 'apiextensions.k8s.io/customresourcedefinitions';

const CR_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The resource types a CRD serves; none for a CRD missing what serving needs. */
export function customResourceTypes(crd: KubeObject): ResourceType[] {
  // A stored CRD may lack what serving needs: read loosely, checked below.
  const spec = (crd as Partial<CustomResourceDefinition>).spec;
  const names = spec?.names;
  if (typeof spec?.group !== 'string' || typeof names?.plural !== 'string' || typeof names.kind !== 'string') return [];
  const versions: CrdVersion[] = Array.isArray(spec.versions) ? spec.versions : [];
  return versions
    .filter((v) => v?.served === true && typeof v.name === 'string')
    .map((v) => ({
      group: spec.group,
      version: v.name,
      resource: names.plural,
      singularName: names.singular || names.kind.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind || `${names.kind}List`,
      namespaced: spec.scope !== 'Cluster',
      verbs: CR_VERBS,
      ...(names.shortNames?.length ? { shortNames: [...names.shortNames] } : {}),
      ...(names.categories?.length ? { categories: [...names.categories] } : {}),
      ...(subresourcesOf(v).length ? { subresources: subresourcesOf(v) } : {}),
      printerColumns: (v.additionalPrinterColumns ?? []).map(
        (c): PrinterColumn => ({
          name: c.name,
          type: c.type,
          ...(c.format ? { format: c.format } : {}),
          ...(c.description ? { description: c.description } : {}),
          ...(c.priority ? { priority: c.priority } : {}),
          jsonPath: c.jsonPath,
        }),
      ),
    }));
}

type CrdVersion = CustomResourceDefinition['spec']['versions'][number];

function subresourcesOf(version: CrdVersion): string[] {
  return (['status', 'scale'] as const).filter((s) => version.subresources?.[s] !== undefined);
}

/**
 * Serves the custom resources of the CRDs in `store` now and as they are created, changed
 * and deleted. The store keeps one version per resource: the preferred served version
 * (GA before beta before alpha), which is what discovery's preferredVersion names.
 * Returns the function that stops following.
 */
export function serveCustomResources(store: ObjectStore): () => void {
  /** The group/resource each CRD serves, by CRD name. */
  const served = new Map<string, { gr: GroupResource }>();
  const sync = (crd: KubeObject) => {
    const types = customResourceTypes(crd).sort((a, b) => compareKubeVersions(a.version, b.version));
    if (types.length === 0) return;
    store.registerType(types[0]);
    served.set(crd.metadata.name ?? '', { gr: `${types[0].group}/${types[0].resource}` });
  };
  const remove = (crd: KubeObject) => {
    const entry = served.get(crd.metadata.name ?? '');
    if (!entry) return;
    served.delete(crd.metadata.name ?? '');
    // Writes from inside a store notification are queued after it: delete, then stop serving.
    queueMicrotask(() => {
      if (!store.resourceType(entry.gr)) return;
      for (const obj of store.list(entry.gr)) {
        try {
          store.delete(entry.gr, obj.metadata.namespace, obj.metadata.name ?? '', { fieldManager: 'kube-apiserver' });
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }
      store.unregisterType(entry.gr);
    });
  };
  for (const crd of store.list(CRD_GR)) sync(crd);
  return store.subscribe((ev) => {
    if (ev.gr !== CRD_GR) return;
    if (ev.type === 'DELETED') remove(ev.object);
    else sync(ev.object);
  });
}
