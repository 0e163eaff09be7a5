/**
 * Keeps `alerts` in the store current: the alert rules (domain/alerts.ts) are evaluated
 * again when watched objects or volume stats change, `settleMs` after the change and at most
 * once per `throttleMs` (a burst of pod events costs one evaluation), and every `refreshMs` even when nothing changes, since
 * durations and deadlines move with the clock. The rules' memory (first seen, restart counts)
 * lives here, so the header badge and the Health view show the same alerts.
 */
import { type AlertInputs, type AlertState, EMPTY_ALERT_STATE, evaluateAlerts } from '../domain/alerts.js';
import type { AppState, AppStore } from './app-store.js';

/** How often alerts are evaluated when nothing changes (the Pending and deadline rules count in minutes). */
export const ALERT_REFRESH_MS = 10_000;
/** The shortest gap between two evaluations after changes. */
export const ALERT_THROTTLE_MS = 1_000;
/**
 * How long after a change its evaluation waits, at least: the frame that shows the change is
 * drawn first (evaluating 30,000 pods takes 50-70 ms, which held back the frame that showed
 * them listed).
 */
export const ALERT_SETTLE_MS = 200;

/** What the rules read from the store. */
export function alertInputs(state: AppState): AlertInputs {
  const o = state.objects;
  return {
    pods: o.pods.values(),
    deployments: o.deployments.values(),
    statefulsets: o.statefulsets.values(),
    daemonsets: o.daemonsets.values(),
    nodes: o.nodes.values(),
    jobs: o.jobs.values(),
    cronjobs: o.cronjobs.values(),
    persistentvolumeclaims: o.persistentvolumeclaims.values(),
    volumeUsage: state.volumeStats.status === 'available' ? state.volumeStats.usage : undefined,
  };
}

export interface AlertTrackerOptions {
  readonly refreshMs?: number;
  readonly throttleMs?: number;
  readonly settleMs?: number;
  /** Epoch ms; tests pass their own clock. */
  readonly now?: () => number;
}

/** Evaluates now and keeps `store.alerts` current; answers a stop function. */
export function trackAlerts(store: AppStore, opts: AlertTrackerOptions = {}): () => void {
  const now = opts.now ?? Date.now;
  const throttleMs = opts.throttleMs ?? ALERT_THROTTLE_MS;
  const settleMs = opts.settleMs ?? ALERT_SETTLE_MS;
  let memory: AlertState = EMPTY_ALERT_STATE;
  let seen: { objects: AppState['objects']; volumeStats: AppState['volumeStats'] } | undefined;
  let pending: NodeJS.Timeout | undefined;
  let last = 0;
  const evaluate = () => {
    pending = undefined;
    last = now();
    const state = store.getState();
    seen = { objects: state.objects, volumeStats: state.volumeStats };
    const result = evaluateAlerts(alertInputs(state), last, memory);
    memory = result.state;
    state.setAlerts(result.alerts);
  };
  const unsubscribe = store.subscribe((s) => {
    if (pending || (seen && s.objects === seen.objects && s.volumeStats === seen.volumeStats)) return;
    pending = setTimeout(evaluate, Math.max(settleMs, last + throttleMs - now()));
    pending.unref();
  });
  const timer = setInterval(evaluate, opts.refreshMs ?? ALERT_REFRESH_MS);
  timer.unref();
  evaluate();
  return () => {
    unsubscribe();
    clearInterval(timer);
    clearTimeout(pending);
  };
}
