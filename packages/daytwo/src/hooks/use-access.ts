import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ACCESS_RETRY_MS, type AccessVerdict, accessVerdict } from '../store/access-verdict.js';
import type { ClusterActions } from '../store/actions.js';
import { type AccessQuery, accessKey } from '../domain/operations.js';
import { useAppStore } from './use-app-store.js';

/**
 * Asks the API server (SelfSubjectAccessReview, through `actions.checkAccess`) whether the
 * queries are allowed whenever they change, and returns the verdict from the store, so a
 * denied key shows as denied before it is pressed. Pass memoised queries: a new array asks again.
 */
export function useAccess(actions: Pick<ClusterActions, 'checkAccess'> | undefined, queries: readonly AccessQuery[]): AccessVerdict {
  const decisions = useAppStore(useShallow((s) => queries.map((q) => s.access[accessKey(q)])));
  const verdict = accessVerdict(decisions);
  const failedAt = useAppStore((s) => (queries.some((q) => s.access[accessKey(q)]?.failed) ? s.access : undefined));
  useEffect(() => {
    if (!actions || queries.length === 0) return;
    actions.checkAccess(queries).catch(() => {
      // checkAccess records a failed check with its reason; nothing else to do here
    });
  }, [actions, queries]);
  // A check that failed (not a denial) is asked again, so the key comes back once the server answers.
  useEffect(() => {
    if (!actions || !failedAt) return;
    const timer = setTimeout(() => {
      actions.checkAccess(queries).catch(() => {});
    }, ACCESS_RETRY_MS);
    return () => clearTimeout(timer);
  }, [actions, queries, failedAt]);
  return verdict;
}
