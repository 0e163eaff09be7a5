/** The `:ctx` table: the kubeconfig's contexts, the current one marked as k9s marks it. Pure. */
import type { ColumnDef } from './table.js';

/** One context of the kubeconfig, for `:ctx`. */
export interface KubeContextEntry {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  /** The cluster's server URL, when the kubeconfig names it. */
  readonly server?: string;
  readonly namespace?: string;
}

/** A context with whether the console is on it. */
export interface ContextRow extends KubeContextEntry {
  readonly current: boolean;
}

/** The rows, in kubeconfig order. */
export function contextRows(contexts: readonly KubeContextEntry[], current: string): ContextRow[] {
  return contexts.map((c) => ({ ...c, current: c.name === current }));
}

export const CONTEXT_COLUMNS: readonly ColumnDef<ContextRow>[] = [
  { id: 'name', header: 'NAME', value: (r) => (r.current ? `${r.name} (*)` : r.name), sortValue: (r) => r.name, flex: true },
  { id: 'cluster', header: 'CLUSTER', value: (r) => r.cluster, flex: true },
  { id: 'user', header: 'USER', value: (r) => r.user },
  { id: 'namespace', header: 'NAMESPACE', value: (r) => r.namespace ?? '' },
  { id: 'server', header: 'SERVER', value: (r) => r.server ?? '', flex: true },
];

/** What the Contexts view takes: `:ctx NAME` switches to NAME as it opens. */
export interface ContextsParams {
  readonly switchTo?: string;
}

/** `:ctx NAME`: the params of the Contexts view that switch at once (the kubeconfig judges the name). */
export function contextCommandParams(args: string): { readonly params: ContextsParams } {
  return { params: { switchTo: args.trim() } };
}
