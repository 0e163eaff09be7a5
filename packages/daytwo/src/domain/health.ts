/**
 * What the Health view shows of the alerts: the rows in the console's scope with their age,
 * and where Enter takes the user for each kind of object. Pure.
 */
import { type Alert, ago } from './alerts.js';
import { type WorkloadRef, workloadKey } from './workloads.js';

/** An alert with its age at the time of drawing. */
export type AlertRow = Alert & { readonly age: string };

/** Alerts in namespace `scope` (nodes are in every scope), most severe then oldest first, with ages. */
export function alertRows(alerts: readonly Alert[], scope: string | undefined, now: number): AlertRow[] {
  return alerts.filter((a) => !scope || a.namespace === undefined || a.namespace === scope).map((a) => ({ ...a, age: ago(now - a.since) }));
}

/** Where Enter on an alert goes: a view and the params it takes (see each view's params). */
export type AlertTarget =
  | { readonly view: 'logs'; readonly params: { readonly kind?: string; readonly namespace: string; readonly name: string } }
  | { readonly view: 'workloads'; readonly params: { readonly select: string } }
  | { readonly view: 'nodes'; readonly params: { readonly select: string } }
  | { readonly view: 'events'; readonly params: { readonly object: { readonly kind: string; readonly namespace?: string; readonly name: string } } };

/**
 * A pod's or a Job's alert opens its logs; a workload's, the Workloads view on its row; a
 * node's, the Nodes view on its row; anything else (CronJob, PersistentVolumeClaim), the
 * Events view limited to that object.
 */
export function alertTarget(a: Alert): AlertTarget {
  const ns = a.namespace ?? '';
  switch (a.kind) {
    case 'Pod':
      return { view: 'logs', params: { namespace: ns, name: a.name } };
    case 'Job':
      return { view: 'logs', params: { kind: 'Job', namespace: ns, name: a.name } };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return { view: 'workloads', params: { select: workloadKey({ kind: a.kind as WorkloadRef['kind'], namespace: ns, name: a.name }) } };
    case 'Node':
      return { view: 'nodes', params: { select: a.name } };
    default:
      return { view: 'events', params: { object: { kind: a.kind, namespace: a.namespace, name: a.name } } };
  }
}

/** The `select` param of a view opened on one row (`openView('nodes', { select: name })`), if any. */
export function selectParam(params: unknown): string | undefined {
  const select = (params as { select?: unknown } | undefined)?.select;
  return typeof select === 'string' && select !== '' ? select : undefined;
}
