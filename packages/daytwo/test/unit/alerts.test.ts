import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CronJob } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { type Alert, alertCounts, EMPTY_ALERT_STATE, evaluateAlerts, nextRun, sortAlerts } from '../../src/domain/alerts.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const MIN = 60_000;

function pod(name: string, status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { kind: 'Pod', metadata: { namespace: 'shop', name, creationTimestamp: iso(T0), ...extra }, spec: {}, status };
}
const running = (restartCount: number, waiting?: string): Record<string, unknown> => ({
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      restartCount,
      state: waiting ? { waiting: { reason: waiting } } : { running: {} },
      lastState: restartCount ? { terminated: { exitCode: 1, reason: 'Error', finishedAt: iso(T0) } } : {},
    },
  ],
});

describe('crash loop and restarts', () => {
  it('raises CrashLoopBackOff as critical with the last exit code and clears when running', () => {
    const { alerts } = evaluateAlerts({ pods: [pod('web', running(7, 'CrashLoopBackOff'))] }, T0 + MIN);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'CrashLoopBackOff', severity: 'critical', kind: 'Pod', name: 'web', since: T0 });
    expect(alerts[0]!.evidence).toBe('container app: CrashLoopBackOff, last exit 1 (Error), 7 restarts');
    expect(evaluateAlerts({ pods: [pod('web', running(7))] }, T0 + 2 * MIN).alerts).toEqual([]);
  });

  it('raises Restarting when the restart count rises within the window, and drops it after the window', () => {
    let ev = evaluateAlerts({ pods: [pod('web', running(2))] }, T0);
    expect(ev.alerts).toEqual([]);
    ev = evaluateAlerts({ pods: [pod('web', running(3))] }, T0 + MIN, ev.state);
    expect(ev.alerts).toHaveLength(1);
    expect(ev.alerts[0]).toMatchObject({ rule: 'Restarting', severity: 'warning', since: T0 + MIN });
    expect(ev.alerts[0]!.evidence).toContain('1 restart(s) in 10 min, last exit 1 (Error), 3 restarts');
    ev = evaluateAlerts({ pods: [pod('web', running(3))] }, T0 + 5 * MIN, ev.state);
    expect(ev.alerts.map((a) => a.rule)).toEqual(['Restarting']);
    ev = evaluateAlerts({ pods: [pod('web', running(3))] }, T0 + 12 * MIN, ev.state);
    expect(ev.alerts).toEqual([]);
  });

  it('does not alert on a stable restart count', () => {
    let ev = evaluateAlerts({ pods: [pod('web', running(4))] }, T0);
    ev = evaluateAlerts({ pods: [pod('web', running(4))] }, T0 + MIN, ev.state);
    expect(ev.alerts).toEqual([]);
  });
});

describe('pending pods', () => {
  const pending = (msg = '0/3 nodes are available: 3 Insufficient cpu.'): Record<string, unknown> => ({
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastTransitionTime: iso(T0) }],
  });
  it('alerts after one minute with the scheduler message', () => {
    expect(evaluateAlerts({ pods: [pod('p', pending())] }, T0 + MIN).alerts).toEqual([]);
    const [a] = evaluateAlerts({ pods: [pod('p', pending())] }, T0 + MIN + 1000).alerts;
    expect(a).toMatchObject({ rule: 'PodPending', severity: 'warning', since: T0 });
    expect(a!.evidence).toBe('Pending for 1m; Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.');
  });
  it('clears once scheduled and running', () => {
    expect(evaluateAlerts({ pods: [pod('p', { phase: 'Running' })] }, T0 + 5 * MIN).alerts).toEqual([]);
  });
});

describe('workloads', () => {
  const dep = (available: number, extra: Record<string, unknown> = {}, conditions: unknown[] = []): KubeObject => ({
    kind: 'Deployment',
    metadata: { namespace: 'shop', name: 'api' },
    spec: { replicas: 3, ...extra },
    status: { availableReplicas: available, conditions },
  });
  it('alerts only after the default 10-minute deadline, tracking first seen in state', () => {
    let ev = evaluateAlerts({ deployments: [dep(1)] }, T0);
    expect(ev.alerts).toEqual([]);
    ev = evaluateAlerts({ deployments: [dep(1)] }, T0 + 10 * MIN, ev.state);
    expect(ev.alerts).toEqual([]);
    ev = evaluateAlerts({ deployments: [dep(1)] }, T0 + 10 * MIN + 1000, ev.state);
    expect(ev.alerts[0]).toMatchObject({ rule: 'WorkloadUnavailable', severity: 'warning', since: T0, evidence: '1/3 available for 10m (deadline 600s)' });
    ev = evaluateAlerts({ deployments: [dep(3)] }, T0 + 11 * MIN, ev.state);
    expect(ev.alerts).toEqual([]);
    expect(ev.state.firstSeen.size).toBe(0);
  });
  it('honours progressDeadlineSeconds and is critical at zero available', () => {
    let ev = evaluateAlerts({ deployments: [dep(0, { progressDeadlineSeconds: 60 })] }, T0);
    ev = evaluateAlerts({ deployments: [dep(0, { progressDeadlineSeconds: 60 })] }, T0 + 61_000, ev.state);
    expect(ev.alerts[0]).toMatchObject({ rule: 'WorkloadUnavailable', severity: 'critical' });
  });
  it('raises RolloutStalled at once on ProgressDeadlineExceeded', () => {
    const c = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-1" has timed out progressing.', lastTransitionTime: iso(T0) };
    const [a] = evaluateAlerts({ deployments: [dep(2, {}, [c])] }, T0 + 1000).alerts;
    expect(a).toMatchObject({ rule: 'RolloutStalled', severity: 'critical', since: T0, evidence: 'ReplicaSet "api-1" has timed out progressing.' });
  });
  it('reads DaemonSet and StatefulSet counts', () => {
    const ds: KubeObject = { kind: 'DaemonSet', metadata: { namespace: 'kube-system', name: 'agent' }, spec: {}, status: { desiredNumberScheduled: 4, numberAvailable: 3 } };
    const sts: KubeObject = { kind: 'StatefulSet', metadata: { namespace: 'db', name: 'pg' }, spec: { replicas: 2 }, status: { availableReplicas: 2 } };
    let ev = evaluateAlerts({ daemonsets: [ds], statefulsets: [sts] }, T0);
    ev = evaluateAlerts({ daemonsets: [ds], statefulsets: [sts] }, T0 + 11 * MIN, ev.state);
    expect(ev.alerts.map((a) => `${a.kind}/${a.name}`)).toEqual(['DaemonSet/agent']);
  });
});

describe('nodes', () => {
  const node = (ready: string, taints: unknown[] = [], extra: unknown[] = []): KubeObject => ({
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(T0) }, ...extra] },
  });
  it('raises NotReady with how long', () => {
    const [a] = evaluateAlerts({ nodes: [node('False')] }, T0 + 3 * MIN).alerts;
    expect(a).toMatchObject({ rule: 'NodeNotReady', severity: 'critical', since: T0 });
    expect(a!.evidence).toBe('Ready=False for 3m: NodeStatusUnknown Kubelet stopped posting node status.');
  });
  it('raises Unreachable from the taint instead of NotReady', () => {
    const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(T0 + MIN) };
    const alerts = evaluateAlerts({ nodes: [node('Unknown', [taint])] }, T0 + 3 * MIN).alerts;
    expect(alerts.map((a) => a.rule)).toEqual(['NodeUnreachable']);
    expect(alerts[0]!.since).toBe(T0 + MIN);
  });
  it('raises each pressure condition as a warning, and nothing on a healthy node', () => {
    const p = { type: 'DiskPressure', status: 'True', message: 'kubelet has disk pressure', lastTransitionTime: iso(T0) };
    expect(evaluateAlerts({ nodes: [node('True', [], [p])] }, T0).alerts.map((a) => [a.rule, a.severity])).toEqual([['NodePressure', 'warning']]);
    expect(evaluateAlerts({ nodes: [node('True')] }, T0).alerts).toEqual([]);
  });
});

describe('jobs and cronjobs', () => {
  it('raises JobFailed from the Failed condition', () => {
    const job: KubeObject = { kind: 'Job', metadata: { namespace: 'ops', name: 'migrate' }, spec: {}, status: { failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: iso(T0) }] } };
    const [a] = evaluateAlerts({ jobs: [job] }, T0).alerts;
    expect(a).toMatchObject({ rule: 'JobFailed', severity: 'warning', evidence: 'BackoffLimitExceeded: Job has reached the specified backoff limit (7 failed pods)' });
    expect(evaluateAlerts({ jobs: [{ ...job, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } }] }, T0).alerts).toEqual([]);
  });
  const cron = (status: Record<string, unknown>, schedule = '*/5 * * * *'): CronJob => ({ kind: 'CronJob', metadata: { namespace: 'ops', name: 'backup', creationTimestamp: iso(T0) }, spec: { schedule, jobTemplate: {} }, status });
  it('raises CronJobFailed when the last run did not succeed, and clears on success', () => {
    expect(evaluateAlerts({ cronjobs: [cron({ lastScheduleTime: iso(T0 + MIN) })] }, T0 + 2 * MIN).alerts.map((a) => a.rule)).toEqual(['CronJobFailed']);
    expect(evaluateAlerts({ cronjobs: [cron({ lastScheduleTime: iso(T0 + MIN), active: [{ name: 'backup-1' }] })] }, T0 + 2 * MIN).alerts).toEqual([]);
    expect(evaluateAlerts({ cronjobs: [cron({ lastScheduleTime: iso(T0 + MIN), lastSuccessfulTime: iso(T0 + 2 * MIN) })] }, T0 + 3 * MIN).alerts).toEqual([]);
  });
  it('raises CronJobMissed when no run happened within interval plus one minute of grace', () => {
    const ok = { lastScheduleTime: iso(T0), lastSuccessfulTime: iso(T0 + 1000) };
    expect(evaluateAlerts({ cronjobs: [cron(ok)] }, T0 + 6 * MIN).alerts).toEqual([]);
    expect(evaluateAlerts({ cronjobs: [cron(ok)] }, T0 + 6 * MIN + 1000).alerts.map((a) => a.rule)).toEqual(['CronJobMissed']);
    expect(evaluateAlerts({ cronjobs: [{ ...cron(ok), spec: { schedule: '*/5 * * * *', suspend: true, jobTemplate: {} } }] }, T0 + 60 * MIN).alerts).toEqual([]);
  });
  it('reads any schedule with the shared cron parser, in the CronJob time zone', () => {
    expect(nextRun('*/15 * * * *', T0)).toBe(T0 + 15 * MIN);
    expect(nextRun('0 */2 * * *', T0)).toBe(T0 + 120 * MIN);
    expect(nextRun('@daily', T0)).toBe(T0 + 1440 * MIN);
    // Monthly: from 1 January, the next 03:00 on the 1st is that same day.
    expect(nextRun('0 3 1 * *', T0)).toBe(T0 + 3 * 60 * MIN);
    // 03:00 in Berlin is 02:00 UTC in winter.
    expect(nextRun('0 3 * * *', T0, 'Europe/Berlin')).toBe(T0 + 2 * 60 * MIN);
    expect(nextRun('not a schedule', T0)).toBeUndefined();
  });
  it('raises CronJobMissed for a monthly schedule once its run is a minute overdue', () => {
    const monthly = cron({ lastScheduleTime: iso(T0 + 3 * 60 * MIN), lastSuccessfulTime: iso(T0 + 3 * 60 * MIN + 1000) }, '0 3 1 * *');
    // The next run is 1 February 03:00.
    const due = Date.parse('2026-02-01T03:00:00Z');
    expect(evaluateAlerts({ cronjobs: [monthly] }, due + MIN).alerts).toEqual([]);
    const missed = evaluateAlerts({ cronjobs: [monthly] }, due + MIN + 1000).alerts;
    expect(missed).toMatchObject([{ rule: 'CronJobMissed', since: due }]);
  });
});

describe('persistent volume claims', () => {
  const pvc = (phase: string): KubeObject => ({ kind: 'PersistentVolumeClaim', metadata: { namespace: 'db', name: 'data', creationTimestamp: iso(T0) }, spec: {}, status: { phase } });
  const use = (used: number) => new Map([['db/data', { usedBytes: used, capacityBytes: 100 }]]);
  it('raises warning over 80% and critical over 90%, clearing below', () => {
    expect(evaluateAlerts({ persistentvolumeclaims: [pvc('Bound')], volumeUsage: use(80) }, T0).alerts).toEqual([]);
    expect(evaluateAlerts({ persistentvolumeclaims: [pvc('Bound')], volumeUsage: use(81) }, T0).alerts[0]).toMatchObject({ rule: 'VolumeFilling', severity: 'warning', evidence: '81% used (81 of 100 bytes), over 80%' });
    const ev = evaluateAlerts({ persistentvolumeclaims: [pvc('Bound')], volumeUsage: use(95) }, T0);
    expect(ev.alerts[0]).toMatchObject({ severity: 'critical' });
    const later = evaluateAlerts({ persistentvolumeclaims: [pvc('Bound')], volumeUsage: use(96) }, T0 + MIN, ev.state);
    expect(later.alerts[0]!.since).toBe(T0);
    expect(evaluateAlerts({ persistentvolumeclaims: [pvc('Bound')], volumeUsage: use(10) }, T0 + 2 * MIN, later.state).alerts).toEqual([]);
  });
  it('raises PVCPending after one minute', () => {
    expect(evaluateAlerts({ persistentvolumeclaims: [pvc('Pending')] }, T0 + MIN).alerts).toEqual([]);
    expect(evaluateAlerts({ persistentvolumeclaims: [pvc('Pending')] }, T0 + 2 * MIN).alerts[0]).toMatchObject({ rule: 'PVCPending', severity: 'warning' });
  });
});

describe('ordering and counts', () => {
  it('sorts critical first, then oldest, and counts by severity', () => {
    const a = (id: string, severity: Alert['severity'], since: number): Alert => ({ id, rule: 'JobFailed', severity, kind: 'Job', name: id, since, evidence: '' });
    const sorted = sortAlerts([a('w-new', 'warning', 5), a('c-new', 'critical', 9), a('w-old', 'warning', 1), a('c-old', 'critical', 2)]);
    expect(sorted.map((x) => x.id)).toEqual(['c-old', 'c-new', 'w-old', 'w-new']);
    expect(alertCounts(sorted)).toEqual({ critical: 2, warning: 2 });
  });
  it('starts from an empty state', () => {
    expect(evaluateAlerts({}, T0, EMPTY_ALERT_STATE)).toEqual({ alerts: [], state: { firstSeen: new Map(), restarts: new Map() } });
  });
});
