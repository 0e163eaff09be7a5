/**
 * Live alerts: the conditions a day-2 runbook starts with (a crash-looping container, a
 * workload short of available replicas, a PVC filling or stuck Pending, a node NotReady or
 * under pressure, a failed Job or CronJob, a pod that cannot be scheduled), derived purely
 * from watched objects and kubelet volume stats. "First seen" and restart history are kept in
 * an {@link AlertState} the caller passes back in with `now`, so the derivation stays pure.
 */

import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import { nextScheduleTime, parseCronSchedule } from '@daytwo/k8s/cron.js';
import type { CronJob, DaemonSet, Deployment, Job, PersistentVolumeClaim, StatefulSet } from '@daytwo/k8s/wire-types.js';
import type { ColumnDef } from './table.js';

export type Severity = 'critical' | 'warning';

export type AlertRule =
  | 'CrashLoopBackOff'
  | 'Restarting'
  | 'WorkloadUnavailable'
  | 'RolloutStalled'
  | 'VolumeFilling'
  | 'PVCPending'
  | 'NodeNotReady'
  | 'NodeUnreachable'
  | 'NodePressure'
  | 'JobFailed'
  | 'CronJobFailed'
  | 'CronJobMissed'
  | 'PodPending';

/** One alert: what, where, since when and why. */
export interface Alert {
  /** Stable identity: `rule/kind/namespace/name[/detail]`. */
  readonly id: string;
  readonly rule: AlertRule;
  readonly severity: Severity;
  /** Kind of the object (`Pod`, `Deployment`, `Node`, ...). */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Epoch ms the condition started (from the object where it says, else first seen). */
  readonly since: number;
  /** One line of evidence, e.g. `container app: CrashLoopBackOff, last exit 1 (Error), 7 restarts`. */
  readonly evidence: string;
}

/** Usage of one PVC-backed volume, from the kubelet's `/stats/summary`. */
export interface VolumeUsage {
  readonly usedBytes: number;
  readonly capacityBytes: number;
}

/** Everything the rules read. Missing kinds count as empty. */
export interface AlertInputs {
  readonly pods?: Iterable<PodRecord>;
  readonly deployments?: Iterable<Deployment>;
  readonly statefulsets?: Iterable<StatefulSet>;
  readonly daemonsets?: Iterable<DaemonSet>;
  readonly nodes?: Iterable<NodeRecord>;
  readonly jobs?: Iterable<Job>;
  readonly cronjobs?: Iterable<CronJob>;
  readonly persistentvolumeclaims?: Iterable<PersistentVolumeClaim>;
  /** Volume usage by PVC `namespace/name`. */
  readonly volumeUsage?: ReadonlyMap<string, VolumeUsage>;
}

/** What the rules remember between evaluations. Treat as opaque; start from {@link EMPTY_ALERT_STATE}. */
export interface AlertState {
  /** Epoch ms each condition (by alert id, without severity) was first seen. */
  readonly firstSeen: ReadonlyMap<string, number>;
  /** Restart counts observed per container (`ns/pod/container`), oldest first, within the window. */
  readonly restarts: ReadonlyMap<string, readonly RestartSample[]>;
}

export interface RestartSample {
  readonly at: number;
  readonly count: number;
}

export const EMPTY_ALERT_STATE: AlertState = { firstSeen: new Map(), restarts: new Map() };

/** Thresholds; every rule's figure is here so the README and tests name the same numbers. */
export interface AlertThresholds {
  /** A container whose restart count rose within this window is `Restarting`. */
  readonly restartWindowMs: number;
  /** Used when a Deployment has no `progressDeadlineSeconds`, and for StatefulSets/DaemonSets. */
  readonly defaultProgressDeadlineSeconds: number;
  readonly volumeWarningRatio: number;
  readonly volumeCriticalRatio: number;
  /** A PVC Pending longer than this alerts. */
  readonly pvcPendingMs: number;
  /** A pod Pending longer than this alerts. */
  readonly podPendingMs: number;
  /** A CronJob with no schedule for longer than this past its expected run is `CronJobMissed`. */
  readonly cronJobGraceMs: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  restartWindowMs: 10 * 60_000,
  // kube-controller-manager's default for Deployment.spec.progressDeadlineSeconds.
  defaultProgressDeadlineSeconds: 600,
  volumeWarningRatio: 0.8,
  volumeCriticalRatio: 0.9,
  pvcPendingMs: 60_000,
  podPendingMs: 60_000,
  cronJobGraceMs: 60_000,
};

/** The result of one evaluation: alerts (most severe, then oldest first) and the state to pass next time. */
export interface AlertEvaluation {
  readonly alerts: readonly Alert[];
  readonly state: AlertState;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastHeartbeatTime?: string;
}

const time = (ts: unknown): number | undefined => {
  if (typeof ts !== 'string') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
};
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** Any object with `status.conditions` (pods, nodes, workloads, jobs). */
interface WithConditions {
  readonly status?: { readonly conditions?: readonly Condition[] };
}
const conditions = (o: WithConditions): readonly Condition[] => (Array.isArray(o.status?.conditions) ? o.status.conditions : []);
const condition = (o: WithConditions, type: string): Condition | undefined => conditions(o).find((c) => c.type === type);

/** Evaluate every rule at `now` (epoch ms) given the previous state. */
export function evaluateAlerts(inputs: AlertInputs, now: number, previous: AlertState = EMPTY_ALERT_STATE): AlertEvaluation {
  const t = DEFAULT_THRESHOLDS;
  const firstSeen = new Map<string, number>();
  const restarts = new Map<string, readonly RestartSample[]>();
  const alerts: Alert[] = [];
  /** Tracks first seen of a condition even before it is old enough to alert. */
  const seen = (key: string): number => {
    const at = previous.firstSeen.get(key) ?? now;
    firstSeen.set(key, at);
    return at;
  };
  const push = (a: Omit<Alert, 'id'> & { detail?: string }): void => {
    const { detail, ...rest } = a;
    const id = [a.rule, a.kind, a.namespace ?? '', a.name, ...(detail ? [detail] : [])].join('/');
    alerts.push({ id, ...rest });
  };

  for (const pod of inputs.pods ?? []) podAlerts(pod, now, t, previous, restarts, seen, push);
  for (const w of inputs.deployments ?? []) workloadAlerts({ kind: 'Deployment', object: w }, now, t, seen, push);
  for (const w of inputs.statefulsets ?? []) workloadAlerts({ kind: 'StatefulSet', object: w }, now, t, seen, push);
  for (const w of inputs.daemonsets ?? []) workloadAlerts({ kind: 'DaemonSet', object: w }, now, t, seen, push);
  for (const n of inputs.nodes ?? []) nodeAlerts(n, now, seen, push);
  for (const j of inputs.jobs ?? []) jobAlerts(j, seen, push);
  for (const c of inputs.cronjobs ?? []) cronJobAlerts(c, now, t, push);
  for (const pvc of inputs.persistentvolumeclaims ?? []) pvcAlerts(pvc, now, t, inputs.volumeUsage, seen, push);

  return { alerts: sortAlerts(alerts), state: { firstSeen, restarts } };
}

/** Critical before warning, then oldest first, then by id for a stable order. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  const rank = (s: Severity): number => (s === 'critical' ? 0 : 1);
  return [...alerts].sort((a, b) => rank(a.severity) - rank(b.severity) || a.since - b.since || a.id.localeCompare(b.id));
}

/** Counts for the header badge. */
export function alertCounts(alerts: readonly Alert[]): { critical: number; warning: number } {
  let critical = 0;
  for (const a of alerts) if (a.severity === 'critical') critical++;
  return { critical, warning: alerts.length - critical };
}

type Seen = (key: string) => number;
type Push = (a: Omit<Alert, 'id'> & { detail?: string }) => void;

function podAlerts(
  pod: PodRecord,
  now: number,
  t: AlertThresholds,
  previous: AlertState,
  restarts: Map<string, readonly RestartSample[]>,
  seen: Seen,
  push: Push,
): void {
  const { namespace, name = '' } = pod.metadata;
  const base = { kind: 'Pod', namespace, name };
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    const key = `${namespace}/${name}/${cs.name}`;
    const count = num(cs.restartCount);
    const history = (previous.restarts.get(key) ?? []).filter((s) => now - s.at <= t.restartWindowMs);
    const last = history[history.length - 1];
    const samples = last && last.count === count ? history : [...history, { at: now, count }];
    restarts.set(key, samples);
    const term = cs.lastState?.terminated;
    const lastExit = term ? `, last exit ${num(term.exitCode)} (${term.reason ?? 'unknown'})` : '';
    const detail = `container ${cs.name}`;
    if (cs.state?.waiting?.reason === 'CrashLoopBackOff') {
      const since = time(term?.finishedAt) ?? seen(`CrashLoopBackOff/${key}`);
      push({ ...base, rule: 'CrashLoopBackOff', severity: 'critical', since, detail: cs.name, evidence: `${detail}: CrashLoopBackOff${lastExit}, ${count} restarts` });
      continue;
    }
    const rose = samples.length > 1 && samples[samples.length - 1]!.count > samples[0]!.count;
    if (rose) {
      const risen = samples[samples.length - 1]!.count - samples[0]!.count;
      push({ ...base, rule: 'Restarting', severity: 'warning', since: samples[1]!.at, detail: cs.name, evidence: `${detail}: ${risen} restart(s) in ${Math.round(t.restartWindowMs / 60_000)} min${lastExit}, ${count} restarts` });
    }
  }
  if (pod.status?.phase === 'Pending' && !pod.metadata.deletionTimestamp) {
    const sched = condition(pod, 'PodScheduled');
    const since = (sched?.status === 'False' ? time(sched.lastTransitionTime) : undefined) ?? time(pod.metadata.creationTimestamp) ?? seen(`PodPending/${namespace}/${name}`);
    if (now - since > t.podPendingMs) {
      const why = sched?.status === 'False' ? `${sched.reason ?? 'Unschedulable'}: ${sched.message ?? ''}`.trim() : 'scheduled, containers not started';
      push({ ...base, rule: 'PodPending', severity: 'warning', since, evidence: `Pending for ${ago(now - since)}; ${why}` });
    }
  }
}

/** A workload with the kind its collection says it is. */
type Workload =
  | { readonly kind: 'Deployment'; readonly object: Deployment }
  | { readonly kind: 'StatefulSet'; readonly object: StatefulSet }
  | { readonly kind: 'DaemonSet'; readonly object: DaemonSet };

function workloadAlerts(workload: Workload, now: number, t: AlertThresholds, seen: Seen, push: Push): void {
  const w = workload.object;
  const { namespace, name = '' } = w.metadata;
  const kind = w.kind ?? workload.kind;
  const base = { kind, namespace, name };
  const progressing = condition(w, 'Progressing');
  if (kind === 'Deployment' && progressing?.reason === 'ProgressDeadlineExceeded') {
    push({ ...base, rule: 'RolloutStalled', severity: 'critical', since: time(progressing.lastTransitionTime) ?? seen(`RolloutStalled/${kind}/${namespace}/${name}`), evidence: progressing.message ?? 'ProgressDeadlineExceeded' });
    return;
  }
  const { desired, available } = workloadReplicas(workload);
  const key = `WorkloadUnavailable/${kind}/${namespace}/${name}`;
  if (available >= desired || (workload.kind === 'Deployment' && workload.object.spec?.paused)) return;
  // A Deployment says since when it lacks minimum availability; that also serves a one-shot report.
  const unavailable = condition(w, 'Available');
  const since = (unavailable?.status === 'False' ? time(unavailable.lastTransitionTime) : undefined) ?? seen(key);
  const progressDeadline = workload.kind === 'Deployment' ? workload.object.spec?.progressDeadlineSeconds : undefined;
  const deadline = kind === 'Deployment' && typeof progressDeadline === 'number' ? progressDeadline : t.defaultProgressDeadlineSeconds;
  if (now - since <= deadline * 1000) return;
  const severity: Severity = available === 0 ? 'critical' : 'warning';
  push({ ...base, rule: 'WorkloadUnavailable', severity, since, evidence: `${available}/${desired} available for ${ago(now - since)} (deadline ${deadline}s)` });
}

/** Desired and available pods: a DaemonSet's scheduled numbers, the others' replicas (1 when unset). */
function workloadReplicas(workload: Workload): { desired: number; available: number } {
  if (workload.kind === 'DaemonSet') {
    const status = workload.object.status;
    return { desired: num(status?.desiredNumberScheduled), available: num(status?.numberAvailable) };
  }
  const { spec, status } = workload.object;
  return { desired: typeof spec?.replicas === 'number' ? spec.replicas : 1, available: num(status?.availableReplicas) };
}

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

function nodeAlerts(n: NodeRecord, now: number, seen: Seen, push: Push): void {
  const name = n.metadata.name ?? '';
  const base = { kind: 'Node', name };
  const ready = condition(n, 'Ready');
  const taints = Array.isArray(n.spec?.taints) ? n.spec.taints : [];
  const unreachable = taints.find((x) => x.key === 'node.kubernetes.io/unreachable');
  if (unreachable) {
    const since = time(unreachable.timeAdded) ?? time(ready?.lastTransitionTime) ?? seen(`NodeUnreachable/${name}`);
    push({ ...base, rule: 'NodeUnreachable', severity: 'critical', since, evidence: `taint node.kubernetes.io/unreachable:${unreachable.effect} for ${ago(now - since)}; ${ready?.message ?? 'kubelet stopped posting status'}` });
  } else if (ready && ready.status !== 'True') {
    const since = time(ready.lastTransitionTime) ?? seen(`NodeNotReady/${name}`);
    push({ ...base, rule: 'NodeNotReady', severity: 'critical', since, evidence: `Ready=${ready.status} for ${ago(now - since)}: ${ready.reason ?? ''} ${ready.message ?? ''}`.trim() });
  }
  for (const type of PRESSURE) {
    const c = condition(n, type);
    if (c?.status !== 'True') continue;
    const since = time(c.lastTransitionTime) ?? seen(`NodePressure/${name}/${type}`);
    push({ ...base, rule: 'NodePressure', severity: 'warning', since, detail: type, evidence: `${type} for ${ago(now - since)}: ${c.message ?? c.reason ?? ''}`.trim() });
  }
}

function jobAlerts(j: Job, seen: Seen, push: Push): void {
  const failed = condition(j, 'Failed');
  if (failed?.status !== 'True') return;
  const { namespace, name = '' } = j.metadata;
  const since = time(failed.lastTransitionTime) ?? seen(`JobFailed/${namespace}/${name}`);
  push({ kind: 'Job', namespace, name, rule: 'JobFailed', severity: 'warning', since, evidence: `${`${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim()} (${num(j.status?.failed)} failed pods)` });
}

function cronJobAlerts(c: CronJob, now: number, t: AlertThresholds, push: Push): void {
  const { namespace, name = '' } = c.metadata;
  const base = { kind: 'CronJob', namespace, name };
  if (c.spec?.suspend) return;
  const lastSchedule = time(c.status?.lastScheduleTime);
  const lastSuccess = time(c.status?.lastSuccessfulTime);
  const active = Array.isArray(c.status?.active) && c.status.active.length > 0;
  if (lastSchedule !== undefined && !active && (lastSuccess === undefined || lastSuccess < lastSchedule)) {
    // The last run ended (no active job) without a success at or after its schedule.
    push({ ...base, rule: 'CronJobFailed', severity: 'warning', since: lastSchedule, evidence: `last run scheduled ${ago(now - lastSchedule)} ago did not succeed` });
  }
  // The first run the schedule called for after the last one (or creation), as the CronJob controller computes it.
  const from = lastSchedule ?? time(c.metadata.creationTimestamp);
  const due = from === undefined ? undefined : nextRun(c.spec?.schedule, from, c.spec?.timeZone);
  if (due !== undefined && from !== undefined && now - due > t.cronJobGraceMs) {
    push({ ...base, rule: 'CronJobMissed', severity: 'warning', since: due, evidence: `no run since ${ago(now - from)} ago; a run was due ${ago(now - due)} ago (schedule "${c.spec?.schedule}")` });
  }
}

/**
 * The first run of a CronJob's schedule after `afterMs` (in its `timeZone`), parsed by the
 * shared robfig/cron parser; undefined for a schedule the API server would have refused.
 */
export function nextRun(schedule: unknown, afterMs: number, timeZone?: unknown): number | undefined {
  if (typeof schedule !== 'string') return undefined;
  try {
    return nextScheduleTime(parseCronSchedule(schedule), afterMs, typeof timeZone === 'string' ? timeZone : undefined);
  } catch {
    return undefined;
  }
}

function pvcAlerts(pvc: PersistentVolumeClaim, now: number, t: AlertThresholds, usage: ReadonlyMap<string, VolumeUsage> | undefined, seen: Seen, push: Push): void {
  const { namespace, name = '' } = pvc.metadata;
  const base = { kind: 'PersistentVolumeClaim', namespace, name };
  if (pvc.status?.phase === 'Pending') {
    const since = time(pvc.metadata.creationTimestamp) ?? seen(`PVCPending/${namespace}/${name}`);
    if (now - since > t.pvcPendingMs) push({ ...base, rule: 'PVCPending', severity: 'warning', since, evidence: `Pending for ${ago(now - since)}` });
    return;
  }
  const u = usage?.get(`${namespace}/${name}`);
  if (!u || u.capacityBytes <= 0) return;
  const ratio = u.usedBytes / u.capacityBytes;
  if (ratio <= t.volumeWarningRatio) return;
  const severity: Severity = ratio > t.volumeCriticalRatio ? 'critical' : 'warning';
  const since = seen(`VolumeFilling/${namespace}/${name}`);
  push({ ...base, rule: 'VolumeFilling', severity, since, evidence: `${Math.round(ratio * 100)}% used (${u.usedBytes} of ${u.capacityBytes} bytes), over ${Math.round((severity === 'critical' ? t.volumeCriticalRatio : t.volumeWarningRatio) * 100)}%` });
}

/** Columns of the alert table (`daytwo report health`, Health view). */
export const ALERT_COLUMNS: readonly ColumnDef<Alert & { readonly age: string }>[] = [
  { id: 'severity', header: 'SEVERITY', value: (a) => a.severity, sortValue: (a) => (a.severity === 'critical' ? 0 : 1) },
  { id: 'rule', header: 'ALERT', value: (a) => a.rule },
  { id: 'object', header: 'OBJECT', value: (a) => `${a.kind}/${a.namespace ? `${a.namespace}/` : ''}${a.name}`, flex: true },
  { id: 'age', header: 'AGE', value: (a) => a.age, align: 'right', sortValue: (a) => a.since },
  { id: 'evidence', header: 'EVIDENCE', value: (a) => a.evidence, flex: true },
];

/** A duration as `45s`, `12m`, `3h4m`, `2d5h`. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}
