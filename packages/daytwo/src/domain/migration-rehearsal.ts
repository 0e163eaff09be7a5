/**
 * The result of rehearsing a node pool migration on a simulated copy of the cluster: which
 * pods went Pending and why, which PodDisruptionBudgets held evictions and for how long, the
 * eviction count and how long the migration would take at the live cluster's pace. Pure:
 * the rehearsal runner records what it saw (in wall-clock ms of the fast simulation) and
 * this module turns it into simulated time.
 */

import type { PodRecord } from '@daytwo/k8s/compact.js';
import { humanDuration } from './format.js';
import type { MigrationPreflight } from './migration-preflight.js';
import type { ColumnDef } from './table.js';

/** A pod the simulated scheduler could not place. */
export interface RehearsalPendingPod {
  readonly pod: string;
  /** `Kind namespace/name` of its controller, when it has one. */
  readonly workload?: string;
  /** The scheduler's message (`0/6 nodes are available: ...`). */
  readonly reason: string;
  /** Still Pending when the rehearsal ended. */
  readonly stillPending: boolean;
  /** Already Pending before the migration started: not the migration's doing. */
  readonly beforeMigration: boolean;
  /** Simulated seconds it stayed Pending. */
  readonly seconds: number;
}

/** An eviction a PodDisruptionBudget refused (429) before it passed, or until the end. */
export interface RehearsalPdbBlock {
  readonly pod: string;
  readonly pdb?: string;
  readonly seconds: number;
  /** False when the eviction never passed. */
  readonly evicted: boolean;
}

export interface RehearsalNode {
  readonly node: string;
  readonly state: string;
  readonly drainSeconds: number;
  readonly gateSeconds: number;
}

export interface MigrationRehearsal {
  readonly from: string;
  readonly to: readonly string[];
  /** How the simulated migration ended: succeeded, failed (gate timeout, drain error), ... */
  readonly result: string;
  readonly message: string;
  readonly evictions: number;
  readonly nodes: readonly RehearsalNode[];
  readonly pending: readonly RehearsalPendingPod[];
  readonly pdbBlocks: readonly RehearsalPdbBlock[];
  /** The simulated run's own duration, in simulated seconds. */
  readonly simulatedSeconds: number;
  /** Median seconds a pod of the live cluster took from creation to Ready (undefined: none to measure). */
  readonly livePodStartupSeconds?: number;
  /** The estimate at the live pace: each gate that waited takes at least the live startup. */
  readonly estimatedSeconds: number;
  readonly preflightBlockers: readonly string[];
  /** The simulation's speed factor (simulated seconds per wall second). */
  readonly speed: number;
}

/** What the runner saw, in wall-clock ms since the rehearsal started. */
export interface RehearsalObservations {
  readonly preflight: MigrationPreflight;
  readonly result: string;
  readonly message: string;
  readonly endMs: number;
  readonly nodes: readonly { node: string; state: string; drainStartMs?: number; gateStartMs?: number; gateOpenMs?: number }[];
  readonly evictions: readonly string[];
  readonly pending: ReadonlyMap<string, { workload?: string; reason: string; firstMs: number; lastMs: number; stillPending: boolean; before: boolean }>;
  /** Per pod: the first 429, when its eviction passed, and the budget named. */
  readonly refusals: ReadonlyMap<string, { firstMs: number; acceptedMs?: number; pdb?: string }>;
}

const MAX_STARTUP_SECONDS = 600;

/**
 * The median time a pod of the live cluster took from creation to its Ready condition, over
 * Ready pods; outliers above 10 minutes (pods that became Ready again after a restart) are
 * left out.
 */
export function livePodStartupSeconds(pods: Iterable<PodRecord>): number | undefined {
  const samples: number[] = [];
  for (const pod of pods) {
    const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'True');
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    const readyAt = Date.parse(ready?.lastTransitionTime ?? '');
    const seconds = (readyAt - created) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_STARTUP_SECONDS) samples.push(seconds);
  }
  if (samples.length === 0) return undefined;
  samples.sort((a, b) => a - b);
  const mid = Math.floor(samples.length / 2);
  return samples.length % 2 === 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
}

/** Seconds to one decimal, as the reports print them. */
export const round = (s: number) => Math.round(s * 10) / 10;

/** Wall-clock ms of the rehearsal as simulated seconds, at `speed` simulated seconds per wall second. */
export const simulatedSeconds = (speed: number) => (ms: number) => round((ms / 1000) * speed);

/** The observed PDB refusals as holds: from the first 429 to the eviction passing, or to `endMs` when it never did. */
export function pdbBlocksOf(refusals: RehearsalObservations['refusals'], endMs: number, sim: (ms: number) => number): RehearsalPdbBlock[] {
  return [...refusals].map(([pod, r]) => ({
    pod,
    ...(r.pdb ? { pdb: r.pdb } : {}),
    seconds: sim((r.acceptedMs ?? endMs) - r.firstMs),
    evicted: r.acceptedMs !== undefined,
  }));
}

/** Turns the observations into the report, at `speed` simulated seconds per wall second. */
export function buildRehearsal(obs: RehearsalObservations, speed: number, liveStartup?: number): MigrationRehearsal {
  const sim = simulatedSeconds(speed);
  const nodes: RehearsalNode[] = obs.nodes.map((n) => {
    const drainEnd = n.gateStartMs ?? (n.drainStartMs !== undefined ? obs.endMs : undefined);
    const gateEnd = n.gateOpenMs ?? (n.gateStartMs !== undefined ? obs.endMs : undefined);
    return {
      node: n.node,
      state: n.state,
      drainSeconds: n.drainStartMs !== undefined && drainEnd !== undefined ? sim(drainEnd - n.drainStartMs) : 0,
      gateSeconds: n.gateStartMs !== undefined && gateEnd !== undefined ? sim(gateEnd - n.gateStartMs) : 0,
    };
  });
  const estimated = nodes.reduce((sum, n) => sum + n.drainSeconds + (n.gateSeconds > 0 && liveStartup !== undefined ? Math.max(n.gateSeconds, liveStartup) : n.gateSeconds), 0);
  return {
    from: obs.preflight.from,
    to: obs.preflight.to,
    result: obs.result,
    message: obs.message,
    evictions: obs.evictions.length,
    nodes,
    pending: [...obs.pending].map(([pod, p]) => ({
      pod,
      ...(p.workload ? { workload: p.workload } : {}),
      reason: p.reason,
      stillPending: p.stillPending,
      beforeMigration: p.before,
      seconds: sim((p.stillPending ? obs.endMs : p.lastMs) - p.firstMs),
    })),
    pdbBlocks: pdbBlocksOf(obs.refusals, obs.endMs, sim),
    simulatedSeconds: sim(obs.endMs),
    ...(liveStartup !== undefined ? { livePodStartupSeconds: round(liveStartup) } : {}),
    estimatedSeconds: round(estimated),
    preflightBlockers: obs.preflight.blockers,
    speed,
  };
}

export interface RehearsalRow {
  readonly what: string;
  readonly name: string;
  readonly seconds: string;
  readonly detail: string;
}

/** A PodDisruptionBudget's hold on one pod's eviction, as a report row. */
export function pdbHoldRow(b: RehearsalPdbBlock): RehearsalRow {
  return { what: 'pdb-hold', name: b.pod, seconds: String(b.seconds), detail: `${b.pdb ? `PodDisruptionBudget ${b.pdb}` : 'PodDisruptionBudget'}${b.evicted ? '' : ': never evicted'}` };
}

/** The rows of `daytwo rehearse migrate -o table`: nodes, Pending pods and PDB holds. */
export function rehearsalRows(r: MigrationRehearsal): RehearsalRow[] {
  return [
    ...r.nodes.map((n) => ({ what: 'node', name: n.node, seconds: String(round(n.drainSeconds + n.gateSeconds)), detail: `${n.state}: drain ${n.drainSeconds}s, gate ${n.gateSeconds}s` })),
    ...r.pending.map((p) => ({ what: 'pending', name: p.pod, seconds: String(p.seconds), detail: `${p.workload ? `${p.workload}: ` : ''}${p.beforeMigration ? '(Pending before the migration) ' : p.stillPending ? '' : '(scheduled later) '}${p.reason}` })),
    ...r.pdbBlocks.map(pdbHoldRow),
  ];
}

export const REHEARSAL_COLUMNS: readonly ColumnDef<RehearsalRow>[] = [
  { id: 'what', header: 'WHAT', value: (r) => r.what },
  { id: 'name', header: 'NAME', value: (r) => r.name },
  { id: 'seconds', header: 'SECONDS', value: (r) => r.seconds, align: 'right' },
  { id: 'detail', header: 'DETAIL', value: (r) => r.detail },
];

/** The rehearsal in a few lines: outcome, counts, durations and the preflight's blockers. */
export function rehearsalSummary(r: MigrationRehearsal): string[] {
  const targets = r.to.length > 0 ? r.to.join(',') : 'any other schedulable node';
  const still = r.pending.filter((p) => p.stillPending).length;
  const before = r.pending.filter((p) => p.beforeMigration).length;
  return [
    `Rehearsal of nodepool/${r.from} -> ${targets} on a simulated copy (${r.speed}x): ${r.result}`,
    `  ${r.message}`,
    `  evictions: ${r.evictions}; pods Pending: ${r.pending.length} (${still} still Pending at the end${before > 0 ? `, ${before} already before the migration` : ''}); PDB holds: ${r.pdbBlocks.length}`,
    `  simulated duration: ${humanDuration(r.simulatedSeconds)}; estimated at the live pace: ${humanDuration(r.estimatedSeconds)}${r.livePodStartupSeconds !== undefined ? ` (live pods take ${r.livePodStartupSeconds}s from creation to Ready, median)` : ''}`,
    ...r.preflightBlockers.map((b) => `  preflight blocker: ${b}`),
  ];
}
