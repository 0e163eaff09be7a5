/**
 * The simulated copy a rehearsal runs on: the live snapshot loaded (restored as read,
 * statuses and UIDs included) into a fresh simulated cluster on loopback, `speed` times
 * faster, with a session on it; and the record of every pod its scheduler leaves Pending.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import type { SimOptions } from '@daytwo/sim/index.js';
import { KubeConfig } from '@kubernetes/client-node';
import { pdbsForPod } from '../../domain/drain-plan.js';
import type { KindName } from '../../domain/kinds.js';
import { workloadOfPod } from '../../domain/migration-gate.js';
import type { RehearsalObservations } from '../../domain/migration-rehearsal.js';
import type { AppStore } from '../../store/app-store.js';
import type { DrainEvent } from '../actions/drain.js';
import { AuditLog } from '../audit.js';
import { type KubeSession, openSession } from '../session.js';
import type { LiveSnapshot } from './live-snapshot.js';

/** Simulated seconds per wall second by default. */
export const DEFAULT_REHEARSAL_SPEED = 30;

/** What a rehearsal runs with: a session on the copy, an audit log and a scratch directory of its own. */
export interface SimulatedCopy {
  readonly session: KubeSession;
  readonly audit: AuditLog;
  readonly dir: string;
}

/**
 * Loads `snapshot` into a simulated cluster, syncs `kinds` into a session on it and runs
 * `run`; the copy, its session and its scratch directory are gone when it resolves.
 */
export async function withSimulatedCopy<T>(snapshot: LiveSnapshot, speed: number, kinds: readonly KindName[], run: (copy: SimulatedCopy) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-rehearsal-'));
  const { startSim } = await import('@daytwo/sim/index.js');
  try {
    const fixture = path.join(dir, 'live.json');
    writeFileSync(fixture, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: snapshot.objects }));
    const options = { scenario: 'empty', fixtures: [fixture], speed, port: 0, host: '127.0.0.1', metricsServer: false } satisfies SimOptions;
    // A version the simulation does not serve falls back to its own.
    const sim = await startSim({ ...options, serverVersion: snapshot.serverVersion }).catch(() => startSim(options));
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const session = await openSession({ kubeConfigObject: kc, flushIntervalMs: 10 });
    try {
      session.start(kinds);
      await session.waitForSync(kinds);
      session.store.getState().setCluster({ version: snapshot.serverVersion });
      return await run({ session, audit: new AuditLog(path.join(dir, 'audit.log')), dir });
    } finally {
      await session.stop();
      await sim.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type PendingEntry = RehearsalObservations['pending'] extends ReadonlyMap<string, infer V> ? V : never;

/** The scheduler's verdict on a pod that has no node yet: its PodScheduled=False condition. */
export function unschedulableCondition(pod: Pod): { reason?: string; message?: string } | undefined {
  if (pod.status?.phase !== 'Pending' || pod.metadata.deletionTimestamp) return undefined;
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
}

/**
 * Records every pod the simulated scheduler marks Unschedulable, with its controller, in
 * ms since `started`; pods already Pending when it starts are marked `before`.
 */
export function followPending(store: AppStore, started: number): { pending: Map<string, PendingEntry>; stop(): void } {
  const pending = new Map<string, PendingEntry>();
  let initial = true;
  const check = () => {
    const now = initial ? 0 : Math.max(1, Date.now() - started);
    initial = false;
    const { objects } = store.getState();
    const seen = new Set<string>();
    for (const obj of objects.pods.values()) {
      const pod = obj as Pod;
      const cond = unschedulableCondition(pod);
      if (!cond) continue;
      const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
      seen.add(key);
      const w = workloadOfPod(pod, objects.replicasets);
      const prior = pending.get(key);
      pending.set(key, {
        ...(w ? { workload: `${w.kind} ${w.namespace}/${w.name}` } : {}),
        before: prior ? prior.before : now === 0,
        reason: cond.message ?? cond.reason ?? 'Unschedulable',
        firstMs: prior?.firstMs ?? now,
        lastMs: now,
        stillPending: true,
      });
    }
    for (const [key, p] of pending) if (!seen.has(key) && p.stillPending) pending.set(key, { ...p, stillPending: false });
  };
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

/**
 * Records a drain's evictions as they pass (`namespace/name`, in order) and, per pod, the
 * first 429 (a PodDisruptionBudget refusing), the budget named, and when it finally passed.
 */
export function recordEvictions(store: AppStore, at: () => number): Pick<RehearsalObservations, 'evictions' | 'refusals'> & { record(e: DrainEvent): void } {
  const refusals = new Map<string, { firstMs: number; acceptedMs?: number; pdb?: string }>();
  const evictions: string[] = [];
  return {
    evictions,
    refusals,
    record(d) {
      if (d.type !== 'retry' && d.type !== 'accepted') return;
      const key = `${d.namespace}/${d.name}`;
      if (d.type === 'retry' && !refusals.has(key)) {
        const { objects } = store.getState();
        const pod = objects.pods.get(key);
        const pdb = pod ? pdbsForPod(pod, objects.poddisruptionbudgets.values())[0] : undefined;
        refusals.set(key, { firstMs: at(), ...(pdb ? { pdb: `${pdb.metadata.namespace}/${pdb.metadata.name}` } : {}) });
      } else if (d.type === 'accepted') {
        evictions.push(key);
        const r = refusals.get(key);
        if (r) r.acceptedMs = at();
      }
    },
  };
}
