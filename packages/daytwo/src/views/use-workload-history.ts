import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type HistorySources, rolloutHistory } from '../domain/rollout-history.js';
import type { WorkloadRef } from '../domain/workloads.js';
import { useAppStore } from '../hooks/use-app-store.js';

const STORE_KIND = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' } as const;

/** A workload from the store with what its revision history is read from (ReplicaSets or ControllerRevisions). */
export function useWorkloadHistory(ref: WorkloadRef) {
  const { stored, sources } = useAppStore(
    useShallow((s) => ({
      stored: s.objects[STORE_KIND[ref.kind]].get(`${ref.namespace}/${ref.name}`),
      sources: ref.kind === 'Deployment' ? s.objects.replicasets : s.objects.controllerrevisions,
    })),
  );
  const workload: KubeObject | undefined = useMemo(() => (stored ? { ...stored, kind: ref.kind } : undefined), [stored, ref.kind]);
  const historySources: HistorySources = useMemo(
    () => (ref.kind === 'Deployment' ? { replicaSets: [...sources.values()] } : { controllerRevisions: [...sources.values()] }),
    [sources, ref.kind],
  );
  const history = useMemo(() => (workload ? rolloutHistory(workload, historySources) : []), [workload, historySources]);
  return { workload, historySources, history };
}
