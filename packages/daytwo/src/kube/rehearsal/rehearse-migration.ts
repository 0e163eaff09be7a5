/**
 * Rehearses a node pool migration: the live snapshot is loaded (restored as read, statuses
 * and UIDs included) into a fresh simulated cluster on loopback, and the same migration
 * engine runs there with the simulation's scheduler and controllers, `speed` times faster.
 * Every wait the migration has (gate timeout, eviction retries, drain timeout) is scaled by
 * the same factor. Nothing is sent to the live cluster.
 */
import path from 'node:path';
import type { MigrationPreflight } from '../../domain/migration-preflight.js';
import { buildRehearsal, livePodStartupSeconds, type MigrationRehearsal, type RehearsalObservations } from '../../domain/migration-rehearsal.js';
import type { DrainFlags } from '../actions/drain.js';
import { type MigrationEvent, startMigration } from '../actions/migrate.js';
import type { LiveSnapshot } from './live-snapshot.js';
import { DEFAULT_REHEARSAL_SPEED, followPending, recordEvictions, withSimulatedCopy } from './simulated-copy.js';

export interface RehearsalRequest {
  readonly from: string;
  readonly to?: readonly string[];
  /** The gate timeout of the real run, in (live) seconds. */
  readonly gateTimeoutSeconds: number;
  readonly drain?: DrainFlags;
  readonly speed?: number;
}

const MIGRATION_KINDS = ['nodes', 'pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'poddisruptionbudgets'] as const;

/** The run's message in live terms: its timeouts unscaled, and no `--resume` advice for a copy that is gone. */
function liveMessage(message: string, req: RehearsalRequest): string {
  const drainTimeout = req.drain?.timeoutSeconds || req.gateTimeoutSeconds;
  return message
    .replace(/; resume with --resume$/, '')
    .replace(/global timeout reached: [\d.]+s/g, `the drain timeout (${drainTimeout}s) was reached`)
    .replace(/timed out after [\d.]+s/g, `timed out after ${req.gateTimeoutSeconds}s`);
}

/** Runs the rehearsal and returns its report. */
export async function rehearseMigration(snapshot: LiveSnapshot, req: RehearsalRequest): Promise<MigrationRehearsal> {
  const speed = req.speed ?? DEFAULT_REHEARSAL_SPEED;
  return withSimulatedCopy(snapshot, speed, MIGRATION_KINDS, async ({ session, audit, dir }) => {
    const started = Date.now();
    const pending = followPending(session.store, started);
    const nodes = new Map<string, { node: string; state: string; drainStartMs?: number; gateStartMs?: number; gateOpenMs?: number }>();
    let preflight: MigrationPreflight | undefined;
    const at = () => Date.now() - started;
    const evictionsSeen = recordEvictions(session.store, at);
    const node = (name: string) => nodes.get(name) ?? nodes.set(name, { node: name, state: 'pending' }).get(name)!;
    const onEvent = (e: MigrationEvent) => {
      if (e.type === 'preflight') {
        preflight = e.preflight;
        for (const n of e.preflight.sourceNodes) node(n);
      } else if (e.type === 'cordoned') node(e.node).state = 'cordoned';
      else if (e.type === 'draining') Object.assign(node(e.node), { state: 'draining', drainStartMs: at() });
      else if (e.type === 'gate' && node(e.node).gateStartMs === undefined) Object.assign(node(e.node), { state: 'gating', gateStartMs: at() });
      else if (e.type === 'gate-open') Object.assign(node(e.node), { state: 'done', gateOpenMs: at() });
      else if (e.type === 'drain') evictionsSeen.record(e.event);
    };
    const scaled = (seconds: number | undefined) => (seconds ? seconds / speed : seconds);
    const handle = startMigration(
      { kc: session.kc, store: session.store, audit },
      {
        from: req.from,
        to: req.to ?? [],
        gateTimeoutSeconds: req.gateTimeoutSeconds / speed,
        // A drain held forever (kubectl's default, --timeout 0) would hold the rehearsal forever:
        // there it gives up after the gate timeout, and the report names what held it.
        drain: { ...(req.drain ?? {}), timeoutSeconds: scaled(req.drain?.timeoutSeconds || req.gateTimeoutSeconds) },
        ignorePreflight: true,
        journalFile: path.join(dir, 'journal.json'),
        retryBackoff: { initialMs: 1000 / speed, maxMs: 5000 / speed },
        onEvent,
      },
    );
    const summary = await handle.done;
    pending.stop();
    const endMs = at();
    const obs: RehearsalObservations = {
      preflight: preflight ?? summary.preflight,
      result: summary.state,
      message: liveMessage(summary.message, req),
      endMs,
      nodes: [...nodes.values()],
      evictions: evictionsSeen.evictions,
      pending: pending.pending,
      refusals: evictionsSeen.refusals,
    };
    const live = livePodStartupSeconds(snapshot.objects.filter((o) => o.kind === 'Pod'));
    return buildRehearsal(obs, speed, live);
  });
}
