import type { KubeObject } from './kube-object.js';
import type { Pod } from './wire-types.js';

/** `podutil.IsPodReady` (k8s.io/kubernetes/pkg/api/v1/pod): the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return ((pod as Pod).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
