/**
 * Every mutating action goes through {@link runGuarded}: refused under `--readonly` or when
 * RBAC denies it, and written to the audit log before and after, whatever the outcome.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { type AccessQuery, accessKey } from '../../domain/operations.js';
import type { AppStore } from '../../store/app-store.js';
import { canI } from '../access.js';
import { type AuditEntry, type AuditLog, AuditWriteError } from '../audit.js';
import { describeError } from '../errors.js';

/** What an action needs from the session it runs in. */
export interface ActionEnv {
  readonly kc: KubeConfig;
  readonly store: AppStore;
  readonly audit: AuditLog;
  /**
   * Where an audit line that could not be written is reported, at once: the CLI writes it to
   * stderr; by default (the console) it is an error message in the store.
   */
  readonly reportAuditFailure?: (message: string) => void;
  /** Hands the terminal to a child process (kubectl exec -it) and takes it back; absent without a console. */
  readonly terminal?: TerminalHandover;
}

/** Runs `run` (synchronously) with the terminal, then gives it back to the console. */
export interface TerminalHandover {
  handOver<T>(run: () => T): T;
  /** Why the terminal cannot be handed over here, e.g. the --demo cluster runs in this process and would stop answering. */
  readonly unavailable?: string;
}

/** The action was not attempted: read-only mode, or RBAC said no. */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** The user stopped the action; what was done stays done. */
export class ActionCancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'ActionCancelled';
  }
}

export interface ActionSpec {
  /** cordon, uncordon, drain, rollback, sync, ... */
  readonly action: string;
  /** e.g. `node/ip-10-0-1-12`, `deployment/shop/web`. */
  readonly target: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Every permission the action needs; each is checked before anything is sent. */
  readonly requires: readonly AccessQuery[];
  /**
   * Changes nothing in the cluster, so `--readonly` does not refuse it (a port-forward, as
   * k9s allows it in read-only mode); RBAC and the audit log still apply.
   */
  readonly allowedReadonly?: boolean;
}

/**
 * Checks the permissions an action needs and records the answers in the store (where the
 * views read them to offer or grey out a key). Returns the first denial, if any; a check
 * that failed (HTTP 5xx, network) is said as such, never as "not allowed".
 */
export async function checkAccess(env: ActionEnv, requires: readonly AccessQuery[]): Promise<string | undefined> {
  let denied: string | undefined;
  for (const query of requires) {
    const decision = await canI(env.kc, query);
    env.store.getState().setAccess(accessKey(query), decision);
    if (!decision.allowed && denied === undefined) {
      denied = decision.failed
        ? `the access check for ${accessKey(query)} failed, nothing was sent${decision.reason ? `: ${decision.reason}` : ''}`
        : `not allowed to ${accessKey(query)}${decision.reason ? `: ${decision.reason}` : ''}`;
    }
  }
  return denied;
}

/** Fields of the audit "end" line learnt from the action's result (e.g. the revision a rollback restored). */
export interface GuardedSpec<T> extends ActionSpec {
  readonly endOptions?: (result: T) => Readonly<Record<string, unknown>>;
}

/**
 * Writes an audit line after the fact (the action's end, or a refusal): a failure is reported
 * at once through the env and does not change the action's outcome, which has happened.
 */
function auditAfter(env: ActionEnv, entry: Omit<AuditEntry, 'time'>): void {
  try {
    env.audit.write(entry);
  } catch (err) {
    if (!(err instanceof AuditWriteError)) throw err;
    const message = `${err.message}; the ${entry.phase} of ${entry.action} ${entry.target} (${entry.result}) is not recorded`;
    if (env.reportAuditFailure) env.reportAuditFailure(message);
    else env.store.getState().pushMessage('error', message);
  }
}

/**
 * Runs `run` if the action is allowed, auditing the attempt and its outcome. An audit log
 * that cannot take the "start" line stops the action before it begins (refused, with the
 * reason); one that fails later is reported and the action's outcome stands.
 */
export async function runGuarded<T>(env: ActionEnv, spec: GuardedSpec<T>, run: () => Promise<T>): Promise<T> {
  const { cluster } = env.store.getState();
  const base = {
    context: cluster.context,
    user: cluster.user ?? '',
    action: spec.action,
    target: spec.target,
    ...(spec.options ? { options: spec.options } : {}),
  };
  const refusal = cluster.readonly && !spec.allowedReadonly
    ? `${spec.action} refused: daytwo is read-only (--readonly)`
    : await checkAccess(env, spec.requires).then((denied) => denied && `${spec.action} refused: ${denied}`);
  if (refusal) {
    auditAfter(env, { ...base, phase: 'refused', result: 'refused', message: refusal });
    throw new ActionRefused(refusal);
  }
  try {
    env.audit.write({ ...base, phase: 'start' });
  } catch (err) {
    if (err instanceof AuditWriteError) throw new ActionRefused(`${spec.action} not started: ${err.message}`);
    throw err;
  }
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const cancelled = err instanceof ActionCancelled;
    auditAfter(env, { ...base, phase: 'end', result: cancelled ? 'cancelled' : 'failed', message: describeError(err) });
    throw err;
  }
  const endOptions = spec.endOptions?.(result);
  auditAfter(env, { ...base, ...(endOptions ? { options: { ...spec.options, ...endOptions } } : {}), phase: 'end', result: 'succeeded' });
  return result;
}
