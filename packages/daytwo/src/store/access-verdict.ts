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
  | { readonly state: 'none' };

/** Folds the store's decisions for an action's queries (undefined: not answered yet) into one verdict. */
export function accessVerdict(decisions: readonly (AccessDecision | undefined)[]): AccessVerdict {
  if (decisions.length === 0) return { state: 'none' };
  const denied = decisions.find((d) => d !== undefined && !d.allowed);
  if (denied) return { state: 'denied', reason: denied.reason };
  return decisions.every((d) => d?.allowed === true) ? { state: 'allowed' } : { state: 'checking' };
}
