/**
 * What the store says about one container of a pod, as far as reading its logs goes. The
 * kubelet serves logs of a running container, of a terminated one, and (while a crashing
 * container waits to restart) of its last run; a container that never started has none.
 */
import type { PodRecord } from '@daytwo/k8s/compact.js';

/** A container's status fields the log engine reads. */
export interface ContainerLogState {
  /** Whether `GET pods/{name}/log` can serve this container now. */
  readonly readable: boolean;
  /** Running now: a stream that ends while this holds was dropped, not finished. */
  readonly running: boolean;
  readonly restartCount: number;
  /**
   * Whether `previous=true` can serve it: the kubelet reads the instance in
   * `lastState.terminated` (validateContainerLogStatus), whatever the restart count.
   */
  readonly hasPrevious: boolean;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { running?: unknown; terminated?: unknown; waiting?: unknown };
  lastState?: { terminated?: unknown };
}

/** The log state of `container` in `pod`; unreadable when the pod is unscheduled or the container never started. */
export function containerLogState(pod: PodRecord, container: string): ContainerLogState {
  const statuses: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  const restartCount = status?.restartCount ?? 0;
  const hasPrevious = status?.lastState?.terminated !== undefined && status.lastState.terminated !== null;
  if (!pod.spec?.nodeName || !status?.state) return { readable: false, running: false, restartCount, hasPrevious };
  const running = status.state.running !== undefined;
  const readable = running || status.state.terminated !== undefined || hasPrevious;
  return { readable, running, restartCount, hasPrevious };
}

/** The containers of a pod whose logs a stream reads: init containers first, as the pod runs them. */
export function podContainers(pod: PodRecord): string[] {
  const names = (list: readonly { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
  return [...names(pod.spec?.initContainers), ...names(pod.spec?.containers)];
}

/**
 * kubectl's refusal of `logs -p` when no selected container has a previous instance
 * (the API server's 400, as kubectl prints it); undefined when at least one has.
 */
export function noPreviousInstance(pods: readonly PodRecord[], container: string | undefined): string | undefined {
  let first: { pod: string; container: string } | undefined;
  for (const pod of pods) {
    for (const name of container === undefined ? podContainers(pod) : [container]) {
      if (containerLogState(pod, name).hasPrevious) return undefined;
    }
    // kubectl names the container it asked for: -c, else the pod's default (first) container.
    first ??= { pod: pod.metadata.name ?? '', container: container ?? pod.spec?.containers?.[0]?.name ?? '' };
  }
  return first && `Error from server (BadRequest): previous terminated container "${first.container}" in pod "${first.pod}" not found`;
}

