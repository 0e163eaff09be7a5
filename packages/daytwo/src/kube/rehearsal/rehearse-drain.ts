/**
 * Rehearses a drain: the live snapshot is loaded into a simulated cluster and the real drain
 * engine (kube/actions/drain.ts, as `daytwo drain` and the console run it) drains the node
 * there, `speed` times faster, with the simulation's scheduler and controllers. After the
 * drain the rehearsal keeps watching until the scheduler has placed (or refused) every
 * replacement, so the Pending pods a drain leaves behind are in the report. Nothing is sent
 * to the live cluster.
 */
import { buildDrainRehearsal, type DrainRehearsal, schedulingSettled } from '../../domain/drain-rehearsal.js';
import { type WorkloadRef, workloadKey, workloadOfPod } from '../../domain/migration-gate.js';
import { livePodStartupSeconds } from '../../domain/migration-rehearsal.js';
import type { AppStore } from '../../store/app-store.js';
import { type DrainEvent, DrainFailed, type DrainFlags, type DrainSummary, drainNodes } from '../actions/drain.js';
import type { LiveSnapshot } from './live-snapshot.js';
import { DEFAULT_REHEARSAL_SPEED, followPending, recordEvictions, withSimulatedCopy } from './simulated-copy.js';

export interface DrainRehearsalRequest {
  readonly nodes: readonly string[];
  readonly flags: DrainFlags;
  readonly speed?: number;
}

const DRAIN_KINDS = ['nodes', 'pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'poddisruptionbudgets'] as const;

/**
 * The (live) seconds a drain with `--timeout 0` is given in the copy: kubectl would wait
 * forever on a budget that never frees up, a rehearsal has to end.
 */
export const UNBOUNDED_DRAIN_LIMIT_SECONDS = 600;

/** At most this many simulated seconds of watching the scheduler after the drain. */
const SETTLE_LIMIT_SECONDS = 120;

/** Resolves when the scheduler has settled the `workloads` (see {@link schedulingSettled}), or after `limitMs`. */
function settled(store: AppStore, workloads: readonly WorkloadRef[], limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const o = store.getState().objects;
      if (!schedulingSettled(workloads, { pods: o.pods.values(), replicasets: o.replicasets.values(), deployments: o.deployments.values(), statefulsets: o.statefulsets.values() })) return;
      finish();
    };
    const timer = setTimeout(finish, limitMs);
    const unsubscribe = store.subscribe(check);
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    check();
  });
}

/** The drain's message in live terms: its timeout unscaled. */
function liveText(text: string, timeoutSeconds: number): string {
  return text.replace(/global timeout reached: [\d.e-]+s/g, `global timeout reached: ${timeoutSeconds}s`);
}

/** Runs the rehearsal and returns its report. A node that does not exist rejects, as the drain does. */
export async function rehearseDrain(snapshot: LiveSnapshot, req: DrainRehearsalRequest): Promise<DrainRehearsal> {
  const speed = req.speed ?? DEFAULT_REHEARSAL_SPEED;
  const timeoutSeconds = req.flags.timeoutSeconds || UNBOUNDED_DRAIN_LIMIT_SECONDS;
  return withSimulatedCopy(snapshot, speed, DRAIN_KINDS, async ({ session, audit }) => {
    const { store } = session;
    const started = Date.now();
    const at = () => Date.now() - started;
    const pending = followPending(store, started);
    const evictions = recordEvictions(store, at);
    const lost = new Map<string, WorkloadRef>();
    const errors: string[] = [];
    const onEvent = (e: DrainEvent) => {
      evictions.record(e);
      if (e.type === 'failed') errors.push(...e.errors.map((x) => liveText(x, timeoutSeconds)));
      if (e.type !== 'accepted') return;
      const { objects } = store.getState();
      const pod = objects.pods.get(`${e.namespace}/${e.name}`);
      const w = pod ? workloadOfPod(pod, objects.replicasets) : undefined;
      if (w) lost.set(workloadKey(w), w);
    };
    let summary: DrainSummary;
    try {
      summary = await drainNodes(
        { kc: session.kc, store, audit },
        {
          nodes: req.nodes,
          flags: { ...req.flags, timeoutSeconds: timeoutSeconds / speed },
          retryBackoff: { initialMs: 1000 / speed, maxMs: 5000 / speed },
          operationId: 'rehearsal',
          onEvent,
        },
      );
    } catch (err) {
      if (!(err instanceof DrainFailed)) throw err;
      summary = err.summary;
    }
    const drainEndMs = at();
    await settled(store, [...lost.values()], (SETTLE_LIMIT_SECONDS * 1000) / speed);
    pending.stop();
    const live = livePodStartupSeconds(snapshot.objects.filter((o) => o.kind === 'Pod'));
    return buildDrainRehearsal(
      {
        nodes: req.nodes,
        flags: req.flags,
        drained: summary.failed.length === 0,
        message: liveText(summary.message, timeoutSeconds),
        errors,
        notMoved: summary.notMoved,
        evictions: evictions.evictions,
        refusals: evictions.refusals,
        pending: pending.pending,
        drainEndMs,
        endMs: at(),
        ...(req.flags.timeoutSeconds ? {} : { timeoutAssumedSeconds: UNBOUNDED_DRAIN_LIMIT_SECONDS }),
      },
      speed,
      live,
    );
  });
}
