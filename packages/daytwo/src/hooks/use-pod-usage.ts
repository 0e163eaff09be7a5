import { useEffect, useState } from 'react';
import type { PodUsageState } from '../domain/pod-usage.js';
import type { ClusterActions } from '../store/actions.js';

/**
 * How often a view asks for usage again. The metrics API has no watch, and metrics-server
 * only scrapes the kubelets every `--metric-resolution` (15 s by default): asking more
 * often returns the same numbers.
 */
export const POD_USAGE_REFRESH_MS = 15_000;

const NO_ACTIONS: PodUsageState = { status: 'unavailable', reason: 'usage is not available without a cluster connection' };

/**
 * Pod usage of every namespace through `actions.podMetrics`, asked for on mount and every
 * {@link POD_USAGE_REFRESH_MS} while the caller is mounted; the last answer stays until
 * the next one arrives.
 */
export function usePodUsage(actions: ClusterActions | undefined, intervalMs = POD_USAGE_REFRESH_MS): PodUsageState {
  const [usage, setUsage] = useState<PodUsageState>(actions?.podMetrics ? { status: 'unknown' } : NO_ACTIONS);
  useEffect(() => {
    if (!actions?.podMetrics) {
      setUsage(NO_ACTIONS);
      return;
    }
    let live = true;
    const refresh = () => {
      actions.podMetrics?.().then(
        (state) => live && setUsage(state),
        (err: unknown) => live && setUsage({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) }),
      );
    };
    refresh();
    const timer = setInterval(refresh, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [actions, intervalMs]);
  return usage;
}
