/**
 * The merged log stream of a target: one {@link ContainerLog} per pod and container, for
 * the pods the target resolves to in the store. Following, it keeps that set current from
 * the store's pods (no watch of its own): a pod that appears is joined and read from its
 * start, a pod that goes away (or is replaced by one with a new uid) is left, each with a
 * marker in the stream.
 */
import type { PodRecord } from '@daytwo/k8s/compact.js';
import {
  DEFAULT_TAIL_LINES,
  type LogEntry,
  type LogStreamHandle,
  type LogStreamOptions,
  marker,
} from '../../domain/log-entry.js';
import { describeTarget, type LogTarget, podsOfTarget, targetMissing, targetNotFound } from '../../domain/log-target.js';
import type { AppState, AppStore } from '../../store/app-store.js';
import type { BackoffOptions } from '../backoff.js';
import type { KubeHttp } from '../http.js';
import { ContainerLog } from './container-log.js';
import { podContainers } from './container-state.js';

/** What the follower reads from and writes to. */
export interface LogFollowerDeps {
  readonly http: KubeHttp;
  /** The session's store, whose pods (and workloads) say which pods the target means. */
  readonly store: AppStore;
  /** Reconnect delays of a dropped stream. */
  readonly backoff?: BackoffOptions;
  /** See `ContainerLogDeps.settleMs`. */
  readonly settleMs?: number;
}

interface FollowedPod {
  pod: PodRecord;
  readonly containers: ContainerLog[];
}

/**
 * Starts streaming `target`'s logs and calls `onEntries` with each batch of entries (lines
 * and markers) as they arrive. Without `follow`, reads the current pods' logs and ends.
 * `tailLines` defaults to {@link DEFAULT_TAIL_LINES} per container (pass -1 for all); pods
 * that join later are read from their start.
 */
export function followLogs(
  deps: LogFollowerDeps,
  target: LogTarget,
  options: LogStreamOptions,
  onEntries: (entries: readonly LogEntry[]) => void,
): LogStreamHandle {
  const follow = (options.follow ?? true) && !options.previous;
  const tail = options.tailLines ?? DEFAULT_TAIL_LINES;
  const container = target.container ?? options.container;
  const followed = new Map<string, FollowedPod>();
  let stopped = false;
  let reportedMissing = false;
  const emit = (entries: LogEntry[]) => {
    if (!stopped && entries.length > 0) onEntries(entries);
  };
  const ref = (pod: PodRecord) => ({ namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name ?? '' });

  const start = (pod: PodRecord, joinedLate: boolean): FollowedPod => {
    const names = podContainers(pod).filter((c) => container === undefined || c === container);
    if (names.length === 0 && container !== undefined) emit([marker(ref(pod), `has no container "${container}"`)]);
    const containers = names.map(
      (name) =>
        new ContainerLog(
          pod,
          {
            container: name,
            follow,
            previous: options.previous ?? false,
            // A pod that joins later is new: all of its lines are new too.
            tailLines: joinedLate || tail < 0 ? undefined : tail,
            sinceSeconds: options.sinceSeconds,
          },
          { http: deps.http, emit, backoff: deps.backoff, settleMs: deps.settleMs },
        ),
    );
    return { pod, containers };
  };

  const resolve = (state: AppState) => podsOfTarget(target, state.objects);
  const initial = resolve(deps.store.getState());
  // A named pod or workload the store does not hold is not found, as the CLI (and kubectl) says; following waits for it.
  const missingAtStart = initial.length === 0 && targetMissing(target, deps.store.getState().objects);
  if (missingAtStart) reportedMissing = true;
  if (initial.length === 0) {
    const text = missingAtStart ? `${targetNotFound(target)}${follow ? ': waiting for it' : ''}` : follow ? 'no pods yet: waiting for them' : 'no pods';
    emit([marker({ namespace: '', pod: describeTarget(target) }, text)]);
  }
  for (const pod of initial) followed.set(pod.metadata.uid ?? `${ref(pod).namespace}/${ref(pod).pod}`, start(pod, false));

  const sync = (state: AppState) => {
    if (stopped) return;
    const current = new Map(resolve(state).map((p) => [p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`, p]));
    for (const [uid, entry] of followed) {
      if (current.has(uid)) continue;
      for (const c of entry.containers) c.stop();
      followed.delete(uid);
      emit([marker(ref(entry.pod), 'left: the pod is gone')]);
    }
    for (const [uid, pod] of current) {
      const known = followed.get(uid);
      if (known) {
        if (known.pod !== pod) {
          if (!known.pod.spec?.nodeName && pod.spec?.nodeName) emit([marker(ref(pod), `scheduled on node ${pod.spec.nodeName}`)]);
          known.pod = pod;
          for (const c of known.containers) c.update(pod);
        }
        continue;
      }
      emit([marker(ref(pod), `joined${pod.spec?.nodeName ? ` on node ${pod.spec.nodeName}` : ' (not scheduled yet)'}`)]);
      followed.set(uid, start(pod, true));
    }
    if (current.size === 0 && targetMissing(target, state.objects) && !reportedMissing) {
      reportedMissing = true;
      emit([marker({ namespace: '', pod: describeTarget(target) }, 'not found (yet): waiting for it')]);
    }
  };

  const unsubscribe = follow
    ? deps.store.subscribe((state, prev) => {
        const o = state.objects;
        const was = prev.objects;
        if (o.pods !== was.pods || o.deployments !== was.deployments || o.statefulsets !== was.statefulsets || o.daemonsets !== was.daemonsets || o.jobs !== was.jobs) {
          sync(state);
        }
      })
    : () => {};

  const allRead = Promise.all([...followed.values()].flatMap((f) => f.containers.map((c) => c.done))).then(() => undefined);
  let stopResolve: () => void = () => {};
  const stoppedPromise = new Promise<void>((r) => {
    stopResolve = r;
  });
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      for (const f of followed.values()) for (const c of f.containers) c.stop();
      stopResolve();
    },
    done: follow ? stoppedPromise : Promise.race([allRead, stoppedPromise]),
  };
}
