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
  /** A running operation held by the user (a migration paused before its next node). */
  readonly paused?: boolean;
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
  /** The check itself failed (network, HTTP 5xx): not a denial, it is asked again. */
  readonly failed?: boolean;
}

/** The store key of an access query: `patch nodes`, `create pods/eviction in shop`, `patch deployments.apps`. */
export function accessKey(q: AccessQuery): string {
  const resource = `${q.resource}${q.group ? `.${q.group}` : ''}${q.subresource ? `/${q.subresource}` : ''}`;
  return `${q.verb} ${resource}${q.namespace ? ` in ${q.namespace}` : ''}${q.name ? ` named ${q.name}` : ''}`;
}

/** The nodes an operation acts on, from its target (`node/a,node/b` -> `a`, `b`). */
export function operationNodes(op: Pick<Operation, 'target'>): string[] {
  return op.target
    .split(',')
    .filter((t) => t.startsWith('node/'))
    .map((t) => t.slice('node/'.length));
}

/** Operations still running, oldest first. */
export function runningOperations(operations: ReadonlyMap<string, Operation>): Operation[] {
  return [...operations.values()].filter((o) => o.state === 'running');
}

/** The console's drains: not the CLI's dry runs, nor the drains a migration runs (its own panel shows them). */
const isConsoleDrain = (o: Operation) => o.action === 'drain' && !o.id.startsWith('migrate-');

/** The migration the Node pools view shows: the running one, else the newest finished one not dismissed. */
export function shownMigration(operations: ReadonlyMap<string, Operation>, dismissed: ReadonlySet<string>): Operation | undefined {
  const migrations = [...operations.values()].filter((o) => o.action === 'migrate');
  return migrations.findLast((o) => o.state === 'running') ?? migrations.findLast((o) => !dismissed.has(o.id));
}

/**
 * The drain the node views show: the running one, else the newest finished one that was
 * not dismissed. It lives in the store, so every Nodes and Node pools view shows the same
 * drain, whichever view started it and however often the user switched views since.
 */
export function shownDrain(operations: ReadonlyMap<string, Operation>, dismissed: ReadonlySet<string>): Operation | undefined {
  const drains = [...operations.values()].filter(isConsoleDrain);
  const running = drains.findLast((o) => o.state === 'running');
  return running ?? drains.findLast((o) => !dismissed.has(o.id));
}

/**
 * Why a drain of `nodes` cannot start now, if it cannot: a node is being drained already,
 * or another drain is running (the console drains one set of nodes at a time, as
 * `kubectl drain a b c` does, so that two drains never take down the same workload together).
 */
export function drainConflict(nodes: readonly string[], operations: ReadonlyMap<string, Operation>): string | undefined {
  const running = [...operations.values()].filter((o) => isConsoleDrain(o) && o.state === 'running');
  for (const op of running) {
    const busy = operationNodes(op).filter((n) => nodes.includes(n));
    if (busy.length > 0) {
      return `${busy.map((n) => `node/${n}`).join(', ')} ${busy.length === 1 ? 'is' : 'are'} already being drained: Esc in the Nodes or Node pools view cancels that drain`;
    }
  }
  if (running.length > 0) {
    return `a drain of ${running[0].target} is running: the console drains one set of nodes at a time (Esc in the Nodes or Node pools view cancels it)`;
  }
  const migration = [...operations.values()].find((o) => o.action === 'migrate' && o.state === 'running');
  if (migration) return `a migration of ${migration.target} is running: it drains its own nodes (Esc in the Node pools view aborts it)`;
  return undefined;
}

/** The quit question while operations run: `1 drain running: quit and cancel it?`. */
export function quitQuestion(running: readonly Operation[]): string {
  const actions = [...new Set(running.map((o) => o.action))];
  const what = actions.length === 1 ? `${actions[0]}${running.length === 1 ? '' : 's'}` : 'operations';
  return `${running.length} ${what} running: quit and cancel ${running.length === 1 ? 'it' : 'them'}?`;
}
