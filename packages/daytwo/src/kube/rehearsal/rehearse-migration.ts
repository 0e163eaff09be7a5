/**
 * Rehearses a node pool migration: the live snapshot is loaded (restored as read, statuses
 * and UIDs included) into a fresh simulated cluster on loopback, and the same migration
 * engine runs there with the simulation's scheduler and controllers, `speed` times faster.
 * Every wait the migration has (gate timeout, eviction retries, drain timeout) is scaled by
 * the same factor. Nothing is sent to the live cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { pdbsForPod } from '../../domain/drain-plan.js';
import { workloadOfPod } from '../../domain/migration-gate.js';
import type { MigrationPreflight } from '../../domain/migration-preflight.js';
import { buildRehearsal, livePodStartupSeconds, type MigrationRehearsal, type RehearsalObservations } from '../../domain/migration-rehearsal.js';
import type { AppStore } from '../../store/app-store.js';
import type { DrainFlags } from '../actions/drain.js';
import { type MigrationEvent, startMigration } from '../actions/migrate.js';
import { AuditLog } from '../audit.js';
import { openSession } from '../session.js';
import type { LiveSnapshot } from './live-snapshot.js';

/** Simulated seconds per wall second by default. */
export const DEFAULT_REHEARSAL_SPEED = 30;

export interface RehearsalRequest {
  readonly from: string;
  readonly to?: readonly string[];
  /** The gate timeout of the real run, in (live) seconds. */
  readonly gateTimeoutSeconds: number;
  readonly drain?: DrainFlags;
  readonly speed?: number;
}

const MIGRATION_KINDS = ['nodes', 'pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'poddisruptionbudgets'] as const;

type PendingEntry = RehearsalObservations['pending'] extends ReadonlyMap<string, infer V> ? V : never;

/** Records every pod the simulated scheduler marks Unschedulable, with its controller. */
function followPending(store: AppStore, started: number): { pending: Map<string, PendingEntry>; stop(): void } {
  const pending = new Map<string, PendingEntry>();
  let initial = true;
  const check = () => {
    const now = initial ? 0 : Math.max(1, Date.now() - started);
    initial = false;
    const { objects } = store.getState();
    const seen = new Set<string>();
    for (const pod of objects.pods.values()) {
      const cond = ((pod.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]).find((c) => c.type === 'PodScheduled');
      if (pod.status?.phase !== 'Pending' || cond?.status !== 'False' || pod.metadata.deletionTimestamp) continue;
      const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
      seen.add(key);
      const w = workloadOfPod(pod, objects.replicasets);
      const prior = pending.get(key);
      pending.set(key, {
        ...(w ? { workload: `${w.kind} ${w.namespace}/${w.name}` } : {}),
        beforeMigration: prior ? prior.beforeMigration : now === 0,
        reason: cond.message ?? cond.reason ?? 'Unschedulable',
        firstMs: prior?.firstMs ?? now,
        lastMs: now,
        stillPending: true,
      });
    }
    for (const [key, p] of pending) if (!seen.has(key) && p.stillPending) pending.set(key, { ...p, stillPending: false });
  };
  // Pods already Pending before the migration starts are told apart from those it causes.
  check();
  const unsubscribe = store.subscribe(check);
  return {
    pending,
    stop() {
      check();
      unsubscribe();
    },
  };
}

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
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-rehearsal-'));
  const { startSim } = await import('@daytwo/sim/index.js');
  try {
    const fixture = path.join(dir, 'live.json');
    writeFileSync(fixture, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: snapshot.objects }));
    let serverVersion: string | undefined = snapshot.serverVersion;
    const sim = await startSim({ scenario: 'empty', fixtures: [fixture], speed, port: 0, host: '127.0.0.1', metricsServer: false, serverVersion }).catch(() => {
      serverVersion = undefined;
      return startSim({ scenario: 'empty', fixtures: [fixture], speed, port: 0, host: '127.0.0.1', metricsServer: false });
    });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const session = await openSession({ kubeConfigObject: kc, flushIntervalMs: 10 });
    try {
      session.start(MIGRATION_KINDS);
      await session.waitForSync(MIGRATION_KINDS);
      session.store.getState().setCluster({ version: snapshot.serverVersion });
      const started = Date.now();
      const pending = followPending(session.store, started);
      const nodes = new Map<string, { node: string; state: string; drainStartMs?: number; gateStartMs?: number; gateOpenMs?: number }>();
      const refusals = new Map<string, { firstMs: number; acceptedMs?: number; pdb?: string }>();
      const evictions: string[] = [];
      let preflight: MigrationPreflight | undefined;
      const at = () => Date.now() - started;
      const node = (name: string) => nodes.get(name) ?? nodes.set(name, { node: name, state: 'pending' }).get(name)!;
      const onEvent = (e: MigrationEvent) => {
        if (e.type === 'preflight') {
          preflight = e.preflight;
          for (const n of e.preflight.sourceNodes) node(n);
        } else if (e.type === 'cordoned') node(e.node).state = 'cordoned';
        else if (e.type === 'draining') Object.assign(node(e.node), { state: 'draining', drainStartMs: at() });
        else if (e.type === 'gate' && node(e.node).gateStartMs === undefined) Object.assign(node(e.node), { state: 'gating', gateStartMs: at() });
        else if (e.type === 'gate-open') Object.assign(node(e.node), { state: 'done', gateOpenMs: at() });
        else if (e.type === 'drain') {
          const d = e.event;
          if (d.type === 'retry') {
            const key = `${d.namespace}/${d.name}`;
            if (!refusals.has(key)) {
              const pod = session.store.getState().objects.pods.get(key);
              const pdb = pod ? pdbsForPod(pod, session.store.getState().objects.poddisruptionbudgets.values())[0] : undefined;
              refusals.set(key, { firstMs: at(), ...(pdb ? { pdb: `${pdb.metadata.namespace}/${pdb.metadata.name}` } : {}) });
            }
          } else if (d.type === 'accepted') {
            evictions.push(`${d.namespace}/${d.name}`);
            const r = refusals.get(`${d.namespace}/${d.name}`);
            if (r) r.acceptedMs = at();
          }
        }
      };
      const scaled = (seconds: number | undefined) => (seconds ? seconds / speed : seconds);
      const handle = startMigration(
        { kc: session.kc, store: session.store, audit: new AuditLog(path.join(dir, 'audit.log')) },
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
        evictions,
        pending: pending.pending,
        refusals,
      };
      const live = livePodStartupSeconds(snapshot.objects.filter((o) => o.kind === 'Pod'));
      return buildRehearsal(obs, speed, live);
    } finally {
      await session.stop();
      await sim.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
