/**
 * The result of rehearsing a drain on a simulated copy of the cluster: which pods would be
 * evicted, which go Pending and why, which PodDisruptionBudgets hold evictions and for how
 * long, and how long the drain would take at the live cluster's pace. Pure: the runner
 * records what it saw (in wall-clock ms of the fast simulation), this module turns it into
 * simulated seconds.
 */

import type { Pod } from '@daytwo/k8s/wire-types.js';
import type { DrainOptions } from './drain-plan.js';
import { humanDuration } from './format.js';
import { evaluateGate, type GateObjects, replicaSetIndex, type WorkloadRef, workloadKey, workloadOfPod } from './migration-gate.js';
import {
  pdbBlocksOf,
  pdbHoldRow,
  type RehearsalObservations,
  type RehearsalPdbBlock,
  type RehearsalRow,
  round,
  simulatedSeconds,
} from './migration-rehearsal.js';

/** A pod the simulated scheduler could not place during (or right after) the drain. */
export interface DrainRehearsalPendingPod {
  readonly pod: string;
  /** `Kind namespace/name` of its controller, when it has one. */
  readonly workload?: string;
  /** The scheduler's message (`0/6 nodes are available: ...`). */
  readonly reason: string;
  /** Still Pending when the rehearsal ended. */
  readonly stillPending: boolean;
  /** Already Pending before the drain started: not the drain's doing. */
  readonly beforeDrain: boolean;
  /** Simulated seconds it stayed Pending. */
  readonly seconds: number;
}

export interface DrainRehearsal {
  readonly nodes: readonly string[];
  /** The drain flags rehearsed (kubectl drain's). */
  readonly flags: Omit<DrainOptions, 'daemonSets'>;
  /** `drained` when every node was drained, else `failed`. */
  readonly result: 'drained' | 'failed';
  /** The drain's own summary line, in live terms. */
  readonly message: string;
  /** kubectl's errors for the nodes not drained (pods it refuses, evictions that timed out). */
  readonly errors: readonly string[];
  /** `namespace/name` of the pods whose eviction the API server accepted, in order. */
  readonly evicted: readonly string[];
  /** `namespace/name` of the pods that should have left and did not. */
  readonly notEvicted: readonly string[];
  readonly evictions: number;
  readonly pending: readonly DrainRehearsalPendingPod[];
  readonly pdbBlocks: readonly RehearsalPdbBlock[];
  /** The drain's own duration in the copy (cordon to the last pod gone), in simulated seconds. */
  readonly simulatedSeconds: number;
  /** Median seconds a live pod took from creation to Ready (undefined: none to measure). */
  readonly livePodStartupSeconds?: number;
  /** The estimate at the live pace: a PDB hold lasts at least as long as a live pod takes to start. */
  readonly estimatedSeconds: number;
  /** The drain's --timeout was 0 (wait forever): the rehearsal gave up after this many (live) seconds. */
  readonly timeoutAssumedSeconds?: number;
  readonly speed: number;
}

/** What the runner saw, in wall-clock ms since the rehearsal started. */
export interface DrainRehearsalObservations extends Pick<RehearsalObservations, 'pending' | 'refusals' | 'evictions'> {
  readonly nodes: readonly string[];
  readonly flags: Omit<DrainOptions, 'daemonSets'>;
  readonly drained: boolean;
  readonly message: string;
  readonly errors: readonly string[];
  readonly notMoved: readonly string[];
  /** When the drain itself ended. */
  readonly drainEndMs: number;
  /** When the rehearsal stopped watching the scheduler (after the replacements settled). */
  readonly endMs: number;
  readonly timeoutAssumedSeconds?: number;
}

/**
 * The drain at the live pace: its simulated duration, where each budget's holds (in turn,
 * one replacement at a time) last at least as long as a live pod takes to turn Ready.
 * Budgets hold concurrently, so the longest one counts.
 */
export function estimateDrainSeconds(drainSeconds: number, holds: readonly RehearsalPdbBlock[], liveStartup: number | undefined): number {
  if (liveStartup === undefined) return round(drainSeconds);
  const sim = new Map<string, number>();
  const live = new Map<string, number>();
  for (const h of holds) {
    if (!h.evicted) continue;
    const key = h.pdb ?? h.pod;
    sim.set(key, (sim.get(key) ?? 0) + h.seconds);
    live.set(key, (live.get(key) ?? 0) + Math.max(h.seconds, liveStartup));
  }
  const longest = (m: Map<string, number>) => Math.max(0, ...m.values());
  return round(drainSeconds + Math.max(0, longest(live) - longest(sim)));
}

/** Turns the observations into the report, at `speed` simulated seconds per wall second. */
export function buildDrainRehearsal(obs: DrainRehearsalObservations, speed: number, liveStartup?: number): DrainRehearsal {
  const sim = simulatedSeconds(speed);
  const pdbBlocks = pdbBlocksOf(obs.refusals, obs.drainEndMs, sim);
  const drainSeconds = sim(obs.drainEndMs);
  return {
    nodes: obs.nodes,
    flags: obs.flags,
    result: obs.drained ? 'drained' : 'failed',
    message: obs.message,
    errors: obs.errors,
    evicted: obs.evictions,
    notEvicted: obs.notMoved,
    evictions: obs.evictions.length,
    pending: [...obs.pending].map(([pod, p]) => ({
      pod,
      ...(p.workload ? { workload: p.workload } : {}),
      reason: p.reason,
      stillPending: p.stillPending,
      beforeDrain: p.before,
      seconds: sim((p.stillPending ? obs.endMs : p.lastMs) - p.firstMs),
    })),
    pdbBlocks,
    simulatedSeconds: drainSeconds,
    ...(liveStartup !== undefined ? { livePodStartupSeconds: round(liveStartup) } : {}),
    estimatedSeconds: estimateDrainSeconds(drainSeconds, pdbBlocks, liveStartup),
    ...(obs.timeoutAssumedSeconds !== undefined ? { timeoutAssumedSeconds: obs.timeoutAssumedSeconds } : {}),
    speed,
  };
}

const isUnschedulable = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') === true;

/**
 * True once the scheduler has had its say on every workload that lost a pod: each one is
 * back to its desired count (a StatefulSet recreates a pod only once the old one is gone)
 * and every pod of it without a node is marked Unschedulable. The rehearsal watches until
 * then, so a replacement that cannot run anywhere is reported even when the drain itself
 * has already ended.
 */
export function schedulingSettled(workloads: readonly WorkloadRef[], objects: GateObjects): boolean {
  const wanted = new Set(workloads.map(workloadKey));
  const replicasets = replicaSetIndex(objects.replicasets);
  const present = new Map<string, number>();
  for (const obj of objects.pods) {
    const pod = obj as Pod;
    if (pod.metadata.deletionTimestamp) continue;
    const w = workloadOfPod(pod, replicasets);
    if (!w || !wanted.has(workloadKey(w))) continue;
    present.set(workloadKey(w), (present.get(workloadKey(w)) ?? 0) + 1);
    if (!pod.spec?.nodeName && !isUnschedulable(pod)) return false;
  }
  return evaluateGate(workloads, objects).workloads.every((w) => w.satisfied || w.desired === undefined || (present.get(workloadKey(w.workload)) ?? 0) >= w.desired);
}

/** The rows of `daytwo rehearse drain -o table`: evictions, Pending pods, PDB holds, pods left behind. */
export function drainRehearsalRows(r: DrainRehearsal): RehearsalRow[] {
  const held = new Map(r.pdbBlocks.map((b) => [b.pod, b]));
  return [
    ...r.evicted.map((pod) => ({ what: 'evict', name: pod, seconds: String(held.get(pod)?.seconds ?? 0), detail: held.has(pod) ? 'evicted after a PodDisruptionBudget hold' : 'evicted' })),
    ...r.notEvicted.map((pod) => ({ what: 'stays', name: pod, seconds: '', detail: held.has(pod) ? 'never evicted: a PodDisruptionBudget held it until the end' : 'not evicted' })),
    ...r.pending.map((p) => ({
      what: 'pending',
      name: p.pod,
      seconds: String(p.seconds),
      detail: `${p.workload ? `${p.workload}: ` : ''}${p.beforeDrain ? '(Pending before the drain) ' : p.stillPending ? '' : '(scheduled later) '}${p.reason}`,
    })),
    ...r.pdbBlocks.map(pdbHoldRow),
  ];
}

/** The drain rehearsal in a few lines: outcome, counts, durations and kubectl's errors. */
export function drainRehearsalSummary(r: DrainRehearsal): string[] {
  const still = r.pending.filter((p) => p.stillPending).length;
  const before = r.pending.filter((p) => p.beforeDrain).length;
  const target = r.nodes.map((n) => `node/${n}`).join(', ');
  return [
    `Rehearsal of the drain of ${target} on a simulated copy (${r.speed}x): ${r.result}`,
    `  ${r.message}`,
    `  evictions: ${r.evictions}; pods Pending: ${r.pending.length} (${still} still Pending at the end${before > 0 ? `, ${before} already before the drain` : ''}); PDB holds: ${r.pdbBlocks.length}`,
    `  simulated duration: ${humanDuration(r.simulatedSeconds)}; estimated at the live pace: ${humanDuration(r.estimatedSeconds)}${r.livePodStartupSeconds !== undefined ? ` (live pods take ${r.livePodStartupSeconds}s from creation to Ready, median)` : ''}`,
    ...(r.timeoutAssumedSeconds !== undefined && r.notEvicted.length > 0 ? [`  --timeout 0 would wait forever: the rehearsal gave up after ${humanDuration(r.timeoutAssumedSeconds)}`] : []),
    ...[...new Set(r.errors)].map((e) => `  error: ${e}`),
  ];
}

/** 0 when the rehearsed drain drained every node and left no pod Pending (besides those Pending before it), 1 otherwise. */
export function drainRehearsalExitCode(r: DrainRehearsal): number {
  return r.result === 'drained' && !r.pending.some((p) => p.stillPending && !p.beforeDrain) ? 0 : 1;
}

