import type { AccessDecision } from '../domain/operations.js';

/**
 * What the access checks of one action say together: `allowed` when every query is allowed,
 * `denied` (with the first denial) as soon as one is denied, `checking` while any answer is
 * missing, `none` when the action needs no query (nothing selected).
 */
export type AccessVerdict =
  | { readonly state: 'allowed' }
  | { readonly state: 'denied'; readonly reason?: string }
  | { readonly state: 'checking' }
  /** A check failed (not a denial): it is asked again after {@link ACCESS_RETRY_MS}. */
  | { readonly state: 'failed'; readonly reason?: string }
  | { readonly state: 'none' };

/** How long after a failed access check it is asked again. */
export const ACCESS_RETRY_MS = 5_000;

/** Folds the store's decisions for an action's queries (undefined: not answered yet) into one verdict. */
export function accessVerdict(decisions: readonly (AccessDecision | undefined)[]): AccessVerdict {
  if (decisions.length === 0) return { state: 'none' };
  const denied = decisions.find((d) => d !== undefined && !d.allowed && !d.failed);
  if (denied) return { state: 'denied', reason: denied.reason };
  const failed = decisions.find((d) => d?.failed);
  if (failed) return { state: 'failed', reason: failed.reason };
  return decisions.every((d) => d?.allowed === true) ? { state: 'allowed' } : { state: 'checking' };
}

/**
 * Why an action's key does nothing, for a status or notice line: `rollback not allowed: ...`
 * when RBAC denies it, `rollback: the access check failed and will be retried: HTTP 500: ...`
 * when the check itself failed; undefined otherwise. `of` names the target (`for web`).
 */
export function accessNotice(verdict: AccessVerdict, action: string, of?: string): string | undefined {
  const target = of ? ` for ${of}` : '';
  if (verdict.state === 'denied') return `${action} not allowed${target}: ${verdict.reason ?? 'RBAC denies it'}`;
  if (verdict.state === 'failed') return `${action}${target}: the access check failed and will be retried${verdict.reason ? `: ${verdict.reason}` : ''}`;
  return undefined;
}
