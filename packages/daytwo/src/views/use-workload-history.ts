import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type HistorySources, type RolloutWorkload, rolloutHistory } from '../domain/rollout-history.js';
import type { WorkloadRef } from '../domain/workloads.js';
import { useAppStore } from '../hooks/use-app-store.js';

const STORE_KIND = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' } as const;

/** A workload from the store with what its revision history is read from (ReplicaSets or ControllerRevisions). */
export function useWorkloadHistory(ref: WorkloadRef) {
  const deployment = ref.kind === 'Deployment';
  const { stored, replicaSets, revisions } = useAppStore(
    useShallow((s) => ({
      stored: s.objects[STORE_KIND[ref.kind]].get(`${ref.namespace}/${ref.name}`),
      replicaSets: deployment ? s.objects.replicasets : undefined,
      revisions: deployment ? undefined : s.objects.controllerrevisions,
    })),
  );
  const workload: RolloutWorkload | undefined = useMemo(() => (stored ? { ...stored, kind: ref.kind } : undefined), [stored, ref.kind]);
  const historySources: HistorySources = useMemo(
    () => (replicaSets ? { replicaSets: [...replicaSets.values()] } : { controllerRevisions: [...(revisions?.values() ?? [])] }),
    [replicaSets, revisions],
  );
  const history = useMemo(() => (workload ? rolloutHistory(workload, historySources) : []), [workload, historySources]);
  return { workload, historySources, history };
}
