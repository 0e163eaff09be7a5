/**
 * The built-in resource types of the simulated API server, as a real API server's
 * discovery (`kubectl api-resources`) reports them: names, kinds, short names, verbs,
 * categories and the subresources the simulation serves.
 */

import type { GroupResource, ResourceType } from './types.js';

/** Every verb of a regular collection resource. */
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Namespaces cannot be deleted as a collection. */
const NO_COLLECTION_DELETE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

interface Spec {
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs?: string[];
  subresources?: string[];
  categories?: string[];
  singularName?: string;
}

function typesOf(group: string, version: string, specs: Spec[]): ResourceType[] {
  return specs.map((s) => ({
    group,
    version,
    resource: s.resource,
    singularName: s.singularName ?? s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: s.namespaced,
    ...(s.shortNames ? { shortNames: s.shortNames } : {}),
    verbs: s.verbs ?? ALL_VERBS,
    ...(s.subresources ? { subresources: s.subresources } : {}),
    ...(s.categories ? { categories: s.categories } : {}),
  }));
}

const ALL = ['all'];

/**
 * The built-in resource types, a fresh array of fresh objects per call.
 * Short names and categories are those of upstream's REST storage (`ShortNames()` and
 * `Categories()` in pkg/registry/<group>/<resource>/storage/storage.go).
 */
export function builtinResourceTypes(): ResourceType[] {
  return [
    ...typesOf('', 'v1', [
      { resource: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
      { resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] },
      { resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
      { resource: 'endpoints', kind: 'Endpoints', singularName: 'endpoints', namespaced: true, shortNames: ['ep'] },
      { resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
      { resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
      {
        resource: 'namespaces',
        kind: 'Namespace',
        namespaced: false,
        shortNames: ['ns'],
        verbs: NO_COLLECTION_DELETE,
        subresources: ['finalize', 'status'],
      },
      { resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['proxy', 'status'] },
      {
        resource: 'persistentvolumeclaims',
        kind: 'PersistentVolumeClaim',
        namespaced: true,
        shortNames: ['pvc'],
        subresources: ['status'],
      },
      { resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: ['status'] },
      {
        resource: 'pods',
        kind: 'Pod',
        namespaced: true,
        shortNames: ['po'],
        categories: ALL,
        subresources: ['binding', 'eviction', 'log', 'status'],
      },
      { resource: 'podtemplates', kind: 'PodTemplate', namespaced: true },
      {
        resource: 'replicationcontrollers',
        kind: 'ReplicationController',
        namespaced: true,
        shortNames: ['rc'],
        categories: ALL,
        subresources: ['scale', 'status'],
      },
      { resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], subresources: ['status'] },
      { resource: 'secrets', kind: 'Secret', namespaced: true },
      { resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
      {
        resource: 'services',
        kind: 'Service',
        namespaced: true,
        shortNames: ['svc'],
        categories: ALL,
        subresources: ['status'],
      },
    ]),
    ...typesOf('apps', 'v1', [
      { resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
      { resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ALL, subresources: ['status'] },
      {
        resource: 'deployments',
        kind: 'Deployment',
        namespaced: true,
        shortNames: ['deploy'],
        categories: ALL,
        subresources: ['scale', 'status'],
      },
      {
        resource: 'replicasets',
        kind: 'ReplicaSet',
        namespaced: true,
        shortNames: ['rs'],
        categories: ALL,
        subresources: ['scale', 'status'],
      },
      {
        resource: 'statefulsets',
        kind: 'StatefulSet',
        namespaced: true,
        shortNames: ['sts'],
        categories: ALL,
        subresources: ['scale', 'status'],
      },
    ]),
    ...typesOf('autoscaling', 'v2', [
      {
        resource: 'horizontalpodautoscalers',
        kind: 'HorizontalPodAutoscaler',
        namespaced: true,
        shortNames: ['hpa'],
        categories: ALL,
        subresources: ['status'],
      },
    ]),
    ...typesOf('batch', 'v1', [
      { resource: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ALL, subresources: ['status'] },
      { resource: 'jobs', kind: 'Job', namespaced: true, categories: ALL, subresources: ['status'] },
    ]),
    ...typesOf('policy', 'v1', [
      {
        resource: 'poddisruptionbudgets',
        kind: 'PodDisruptionBudget',
        namespaced: true,
        shortNames: ['pdb'],
        subresources: ['status'],
      },
    ]),
    ...typesOf('networking.k8s.io', 'v1', [
      { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
      { resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: ['status'] },
      { resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
    ]),
    ...typesOf('discovery.k8s.io', 'v1', [{ resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true }]),
    ...typesOf('events.k8s.io', 'v1', [{ resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] }]),
    ...typesOf('storage.k8s.io', 'v1', [{ resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] }]),
    ...typesOf('scheduling.k8s.io', 'v1', [
      { resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
    ]),
    ...typesOf('coordination.k8s.io', 'v1', [{ resource: 'leases', kind: 'Lease', namespaced: true }]),
    ...typesOf('rbac.authorization.k8s.io', 'v1', [
      { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
      { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
      { resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
      { resource: 'roles', kind: 'Role', namespaced: true },
    ]),
    ...typesOf('apiextensions.k8s.io', 'v1', [
      {
        resource: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        namespaced: false,
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: ['status'],
      },
    ]),
    ...typesOf('authentication.k8s.io', 'v1', [
      { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
    ]),
    ...typesOf('authorization.k8s.io', 'v1', [
      { resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
      { resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
    ]),
  ];
}

/** The group/resource key of a type: 'pods', 'apps/deployments'. */
export function grOf(type: Pick<ResourceType, 'group' | 'resource'>): GroupResource {
  return type.group ? `${type.group}/${type.resource}` : type.resource;
}

/** `apiVersion` of a type's objects: 'v1', 'apps/v1'. */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Splits a group/resource key into its group ('' for core) and resource. */
export function splitGr(gr: GroupResource): { group: string; resource: string } {
  const slash = gr.lastIndexOf('/');
  return slash < 0 ? { group: '', resource: gr } : { group: gr.slice(0, slash), resource: gr.slice(slash + 1) };
}

/**
 * Plural resource name for a kind the registry does not know, exactly as
 * apimachinery's meta.UnsafeGuessKindToResource guesses it: lower case, `endpoints`
 * unchanged, `s` -> `ses`, `y` -> `ies`, else `s`.
 */
export function guessPlural(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular === '' || singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}
