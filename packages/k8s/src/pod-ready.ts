import type { KubeObject } from './kube-object.js';

/** `podutil.IsPodReady` (k8s.io/kubernetes/pkg/api/v1/pod): the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return ((pod.status?.conditions ?? []) as { type?: string; status?: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');
}
