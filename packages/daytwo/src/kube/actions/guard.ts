/**
 * Every mutating action goes through {@link runGuarded}: refused under `--readonly` or when
 * RBAC denies it, and written to the audit log before and after, whatever the outcome.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AppStore } from '../../store/app-store.js';
import { type AccessQuery, accessKey } from '../../store/operations.js';
import { canI } from '../access.js';
import type { AuditLog } from '../audit.js';
import { describeError } from '../errors.js';

/** What an action needs from the session it runs in. */
export interface ActionEnv {
  readonly kc: KubeConfig;
  readonly store: AppStore;
  readonly audit: AuditLog;
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
}

/**
 * Checks the permissions an action needs and records the answers in the store (where the
 * views read them to offer or grey out a key). Returns the first denial, if any.
 */
export async function checkAccess(env: ActionEnv, requires: readonly AccessQuery[]): Promise<string | undefined> {
  let denied: string | undefined;
  for (const query of requires) {
    const decision = await canI(env.kc, query);
    env.store.getState().setAccess(accessKey(query), decision);
    if (!decision.allowed && denied === undefined) {
      denied = `not allowed to ${accessKey(query)}${decision.reason ? `: ${decision.reason}` : ''}`;
    }
  }
  return denied;
}

/** Runs `run` if the action is allowed, auditing the attempt and its outcome. */
export async function runGuarded<T>(env: ActionEnv, spec: ActionSpec, run: () => Promise<T>): Promise<T> {
  const { cluster } = env.store.getState();
  const base = {
    context: cluster.context,
    user: cluster.user ?? '',
    action: spec.action,
    target: spec.target,
    ...(spec.options ? { options: spec.options } : {}),
  };
  const refusal = cluster.readonly
    ? `${spec.action} refused: daytwo is read-only (--readonly)`
    : await checkAccess(env, spec.requires).then((denied) => denied && `${spec.action} refused: ${denied}`);
  if (refusal) {
    env.audit.write({ ...base, phase: 'refused', result: 'refused', message: refusal });
    throw new ActionRefused(refusal);
  }
  env.audit.write({ ...base, phase: 'start' });
  try {
    const result = await run();
    env.audit.write({ ...base, phase: 'end', result: 'succeeded' });
    return result;
  } catch (err) {
    const cancelled = err instanceof ActionCancelled;
    env.audit.write({ ...base, phase: 'end', result: cancelled ? 'cancelled' : 'failed', message: describeError(err) });
    throw err;
  }
}
