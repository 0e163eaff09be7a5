/**
 * CronJob controller, after pkg/controller/cronjob/cronjob_controllerv2.go: at each
 * scheduled time (robfig/cron's standard schedule, in `spec.timeZone` or UTC) it creates
 * the Job `<cronjob>-<scheduled unix minutes>` from the job template, honouring `suspend`,
 * `startingDeadlineSeconds` and `concurrencyPolicy` (Allow, Forbid, Replace); it keeps
 * `status.active`, `lastScheduleTime` and `lastSuccessfulTime`, and deletes finished Jobs
 * beyond `successfulJobsHistoryLimit` / `failedJobsHistoryLimit`.
 */
import { type CronSchedule, mostRecentScheduleTime, nextScheduleTime, parseCronSchedule } from '@daytwo/k8s/cron.js';
import type { CronJob, Job } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { recordEvent } from './events.js';
import {
  controllerOf,
  createOf,
  deleteIfPresent,
  GR,
  getOf,
  jsonEqual,
  listOf,
  MANAGER,
  newControllerRef,
  rfc3339,
  splitKey,
  updateWithRetry,
} from './objects.js';

type CronJobStatus = NonNullable<CronJob['status']>;
type JobTemplateSpec = NonNullable<CronJob['spec']>['jobTemplate'];
type JobSpec = NonNullable<Job['spec']>;

const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Upstream gives up counting missed runs past this many and says so in an event. */
const TOO_MANY_MISSED = 100;

export class CronJobController extends QueueController {
  readonly name = 'cronjob';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.cronJobs) return ev.type === 'DELETED' ? [] : keysOf([ev.object]);
    if (ev.gr === GR.jobs) return ownerKeys(ev.object, 'CronJob');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.cronJobs));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const cj = getOf(this.ctx.store, GR.cronJobs, namespace, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const now = this.now();
    const jobs = listOf(this.ctx.store, GR.jobs, { namespace }).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const status: CronJobStatus = { ...(cj.status ?? {}) };
    for (const job of jobs) {
      const done = finishedCondition(job);
      if (done?.type === 'Complete') {
        const completed = job.status?.completionTime ?? done.lastTransitionTime;
        if (completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completed;
      }
    }
    this.cleanUpFinished(cj, jobs);

    let live = jobs.filter((j) => !finishedCondition(j) && !j.metadata.deletionTimestamp);
    const schedule = this.schedule(cj);
    const created = schedule ? this.runDueJob(cj, schedule, live, status, now) : undefined;
    if (created) live = [...live, created];
    const active = live.map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace, resourceVersion: j.metadata.resourceVersion, uid: j.metadata.uid }));
    if (active.length > 0) status.active = active;
    else delete status.active;
    this.writeStatus(cj, status);
    if (schedule) this.requeueAtNextRun(cj, schedule, now);
  }

  /** Starts the Job of the most recent missed schedule time, if it may run; returns it. */
  private runDueJob(cj: CronJob, schedule: CronSchedule, live: Job[], status: CronJobStatus, now: Date): Job | undefined {
    if (cj.spec?.suspend) return undefined;
    const timeZone = cj.spec?.timeZone ?? undefined;
    const deadline = cj.spec?.startingDeadlineSeconds ?? undefined;
    let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || now.getTime();
    if (deadline !== undefined) earliest = Math.max(earliest, now.getTime() - deadline * 1000);
    const due = mostRecentScheduleTime(schedule, earliest, now.getTime(), timeZone);
    if (!due) return undefined;
    if (due.missed > TOO_MANY_MISSED) {
      this.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${due.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = new Date(due.time);
    if (deadline !== undefined && due.time + deadline * 1000 < now.getTime()) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${scheduled.toUTCString().replace('GMT', '+0000')}`);
      return undefined;
    }
    const jobName = `${cj.metadata.name}-${Math.floor(due.time / 60_000)}`;
    if (live.some((j) => j.metadata.name === jobName) || this.ctx.store.get(GR.jobs, cj.metadata.namespace, jobName)) {
      status.lastScheduleTime = rfc3339(scheduled);
      return undefined;
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && live.length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return undefined;
    }
    if (policy === 'Replace') {
      for (const job of live) {
        deleteIfPresent(this.ctx.store, GR.jobs, job.metadata.namespace, job.metadata.name ?? '', { ...MANAGER.controllerManager, propagationPolicy: 'Background' });
        this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      }
      live.length = 0;
    }
    const template: JobTemplateSpec = cj.spec?.jobTemplate ?? {};
    const job = createOf(
      this.ctx.store,
      GR.jobs,
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: jobName,
          namespace: cj.metadata.namespace,
          ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
          annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduled) },
          ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
        },
        // A template without a spec gets an empty one, which the API server's validation refuses.
        spec: structuredClone(template.spec ?? ({} as JobSpec)),
      },
      MANAGER.controllerManager,
    );
    this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
    status.lastScheduleTime = rfc3339(scheduled);
    return job;
  }

  /** Finished Jobs beyond the history limits go, oldest first. */
  private cleanUpFinished(cj: CronJob, jobs: readonly Job[]): void {
    const limits = { Complete: cj.spec?.successfulJobsHistoryLimit ?? 3, Failed: cj.spec?.failedJobsHistoryLimit ?? 1 };
    for (const kind of ['Complete', 'Failed'] as const) {
      const finished = jobs
        .filter((j) => finishedCondition(j)?.type === kind && !j.metadata.deletionTimestamp)
        .sort((a, b) => Date.parse(a.status?.startTime ?? a.metadata.creationTimestamp ?? '') - Date.parse(b.status?.startTime ?? b.metadata.creationTimestamp ?? ''));
      for (const job of finished.slice(0, Math.max(0, finished.length - limits[kind]))) {
        deleteIfPresent(this.ctx.store, GR.jobs, job.metadata.namespace, job.metadata.name ?? '', { ...MANAGER.controllerManager, propagationPolicy: 'Background' });
        this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      }
    }
  }

  private schedule(cj: CronJob) {
    try {
      return parseCronSchedule(cj.spec?.schedule ?? '');
    } catch (err) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${(err as Error).message}`);
      return undefined;
    }
  }

  private requeueAtNextRun(cj: CronJob, schedule: CronSchedule, now: Date): void {
    if (cj.spec?.suspend) return;
    const next = nextScheduleTime(schedule, now.getTime(), cj.spec?.timeZone ?? undefined);
    if (next === undefined) return;
    // Schedules are wall-clock times: the wait is real time whatever the sim's speed.
    this.requeueAfter(`${cj.metadata.namespace}/${cj.metadata.name}`, (next - now.getTime() + 100) * this.ctx.clock.speed);
  }

  private writeStatus(cj: CronJob, status: CronJobStatus): void {
    updateWithRetry<CronJob>(
      this.ctx.store,
      GR.cronJobs,
      cj.metadata.namespace,
      cj.metadata.name ?? '',
      (copy) => {
        if (jsonEqual(status, copy.status ?? {})) return false;
        copy.status = status;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }

  private event(cj: CronJob, type: string, reason: string, message: string): void {
    recordEvent(this.ctx.store, cj, 'batch/v1', 'CronJob', type, reason, message, 'cronjob-controller', this.now());
  }
}

function finishedCondition(job: Job): { type: string; lastTransitionTime?: string } | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
