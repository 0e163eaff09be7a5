/**
 * Long-running actions (drain, rollback, sync) report their progress here, so every view
 * and the CLI can show it the same way.
 */

export type OperationState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'refused';

/** One unit of an operation's work: a pod being evicted, a node being cordoned. */
export interface OperationItem {
  /** `namespace/name` or `name`. */
  readonly key: string;
  /** Free-form progress word: evicting, waiting-for-pdb, terminated, running-elsewhere, ... */
  readonly state: string;
  readonly message?: string;
}

export interface Operation {
  readonly id: string;
  /** cordon, uncordon, drain, rollback, sync, ... */
  readonly action: string;
  /** What it acts on, e.g. `node/ip-10-0-1-12` or `deployment/shop/web`. */
  readonly target: string;
  readonly state: OperationState;
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** A one-line summary, set when it ends (or why it was refused). */
  readonly message?: string;
  readonly items: readonly OperationItem[];
}

/** The resource attributes of one request (authorization/v1 ResourceAttributes). */
export interface AccessQuery {
  readonly verb: string;
  /** '' for the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The authorizer's reason, or why the check itself failed. */
  readonly reason?: string;
}

/** The store key of an access query: `patch nodes`, `create pods/eviction in shop`, `patch deployments.apps`. */
export function accessKey(q: AccessQuery): string {
  const resource = `${q.resource}${q.group ? `.${q.group}` : ''}${q.subresource ? `/${q.subresource}` : ''}`;
  return `${q.verb} ${resource}${q.namespace ? ` in ${q.namespace}` : ''}${q.name ? ` named ${q.name}` : ''}`;
}
