import { type ObjectRef, STORE_KIND_TYPES, storeRef } from '../domain/object-ref.js';
import { KIND_NAMES, type KindName } from '../domain/kinds.js';
import type { ObjectViewParams } from './object-view-params.js';

/** kubectl's short names of the kinds daytwo knows. */
const SHORT_NAMES: Readonly<Record<string, KindName>> = {
  ns: 'namespaces',
  no: 'nodes',
  po: 'pods',
  ev: 'events',
  deploy: 'deployments',
  rs: 'replicasets',
  sts: 'statefulsets',
  ds: 'daemonsets',
  cj: 'cronjobs',
  svc: 'services',
  ep: 'endpoints',
  pdb: 'poddisruptionbudgets',
  pvc: 'persistentvolumeclaims',
  limits: 'limitranges',
  quota: 'resourcequotas',
};

/** Core kinds daytwo does not watch but `:describe` reads (the API server is asked for them, never the store). */
const UNWATCHED: Readonly<Record<string, { readonly kind: string; readonly namespaced: boolean }>> = {
  secret: { kind: 'Secret', namespaced: true },
  secrets: { kind: 'Secret', namespaced: true },
  cm: { kind: 'ConfigMap', namespaced: true },
  configmap: { kind: 'ConfigMap', namespaced: true },
  configmaps: { kind: 'ConfigMap', namespaced: true },
  sa: { kind: 'ServiceAccount', namespaced: true },
  serviceaccount: { kind: 'ServiceAccount', namespaced: true },
  serviceaccounts: { kind: 'ServiceAccount', namespaced: true },
};

/** The store kind a `TYPE` names: plural, singular (kind), or short name, case-insensitive. */
export function kindOfType(type: string): KindName | undefined {
  const t = type.toLowerCase();
  return (
    SHORT_NAMES[t] ??
    KIND_NAMES.find((k) => k === t || STORE_KIND_TYPES[k].kind.toLowerCase() === t)
  );
}

/**
 * `:describe TYPE/NAME [-n NAMESPACE]` (also `:object`): the object view on a kind daytwo
 * watches, or a Secret, ConfigMap or ServiceAccount, in the console's scope unless `-n`
 * says otherwise. The view opens on describe; `y`, `d` and `e` switch.
 */
export function objectCommandParams(args: string, namespace: string | undefined): { params: ObjectViewParams } | { error: string } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let ns = namespace;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-n' || words[i] === '--namespace') ns = words[++i];
    else rest.push(words[i]);
  }
  const target = rest.join(' ');
  const slash = target.indexOf('/');
  const type = slash > 0 ? target.slice(0, slash).toLowerCase() : '';
  const kind = kindOfType(type);
  const other = UNWATCHED[type];
  const name = target.slice(slash + 1);
  if ((!kind && !other) || !name || rest.length !== 1) return { error: `describe needs TYPE/NAME [-n NAMESPACE], e.g. pod/web-1 or secret/db, got "${args.trim()}"` };
  const namespaced = other ? other.namespaced : !['namespaces', 'nodes'].includes(kind as string);
  if (namespaced && !ns) return { error: `${target}: which namespace? add -n NAMESPACE` };
  const ref: ObjectRef = kind
    ? storeRef(kind, namespaced ? ns : undefined, name)
    : { apiVersion: 'v1', kind: other.kind, ...(namespaced ? { namespace: ns } : {}), name };
  return { params: { ref, mode: 'describe' } };
}
