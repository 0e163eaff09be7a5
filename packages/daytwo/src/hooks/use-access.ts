import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type AccessVerdict, accessVerdict } from '../store/access-verdict.js';
import type { ClusterActions } from '../store/actions.js';
import { type AccessQuery, accessKey } from '../store/operations.js';
import { useAppStore } from './use-app-store.js';

/**
 * Asks the API server (SelfSubjectAccessReview, through `actions.checkAccess`) whether the
 * queries are allowed whenever they change, and returns the verdict from the store, so a
 * denied key shows as denied before it is pressed. Pass memoised queries: a new array asks again.
 */
export function useAccess(actions: Pick<ClusterActions, 'checkAccess'> | undefined, queries: readonly AccessQuery[]): AccessVerdict {
  const decisions = useAppStore(useShallow((s) => queries.map((q) => s.access[accessKey(q)])));
  useEffect(() => {
    if (!actions || queries.length === 0) return;
    actions.checkAccess(queries).catch(() => {
      // checkAccess records a failed check as a denial with its reason; nothing else to do here
    });
  }, [actions, queries]);
  return accessVerdict(decisions);
}
