/** `kubectl describe` of a Job (describeJob) and a CronJob (describeCronJob, describeJobTemplate, printActiveJobs). */
import { humanDuration } from '@daytwo/k8s/human-duration.js';
import type { CoreEvent, CronJob, Job } from '@daytwo/k8s/wire-types.js';
import { selectorString } from './controllers.js';
import { podTemplateBlock } from './deployment.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, controllerOf, type DescribeWriter, labelsBlock, rfc1123z } from './writer.js';

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;


/** `capIndexesListOrNone`: the completed indexes, cut after the first comma past 50 characters. */
export function capIndexes(indexes: string | undefined, softLimit = 50): string {
  if (!indexes) return '<none>';
  const comma = indexes.indexOf(',', softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

export function describeJob(w: DescribeWriter, job: Job, events: readonly CoreEvent[] | undefined, now: number): void {
  const spec = job.spec;
  const status = job.status;
  w.line(0, `Name:\t${job.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${job.metadata?.namespace ?? ''}`);
  w.line(0, `Selector:\t${selectorString(spec?.selector)}`);
  labelsBlock(w, 'Labels', job.metadata?.labels);
  annotationsBlock(w, job.metadata?.annotations);
  const controller = controllerOf(job);
  if (controller) w.line(0, `Controlled By:\t${controller}`);
  if (isSet(spec?.parallelism)) w.line(0, `Parallelism:\t${spec.parallelism}`);
  w.line(0, `Completions:\t${isSet(spec?.completions) ? spec.completions : '<unset>'}`);
  if (spec?.completionMode) w.line(0, `Completion Mode:\t${spec.completionMode}`);
  if (isSet(spec?.suspend)) w.line(0, `Suspend:\t${spec.suspend}`);
  if (isSet(spec?.backoffLimit)) w.line(0, `Backoff Limit:\t${spec.backoffLimit}`);
  if (isSet(spec?.ttlSecondsAfterFinished)) w.line(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}`);
  if (status?.startTime) w.line(0, `Start Time:\t${rfc1123z(status.startTime)}`);
  if (status?.completionTime) w.line(0, `Completed At:\t${rfc1123z(status.completionTime)}`);
  if (status?.startTime && status.completionTime) {
    w.line(0, `Duration:\t${humanDuration(Math.trunc((Date.parse(status.completionTime) - Date.parse(status.startTime)) / 1000))}`);
  }
  if (isSet(spec?.activeDeadlineSeconds)) w.line(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s`);
  const counts = `${status?.active ?? 0} Active`;
  const rest = `${status?.succeeded ?? 0} Succeeded / ${status?.failed ?? 0} Failed`;
  w.line(0, `Pods Statuses:\t${isSet(status?.ready) ? `${counts} (${status.ready} Ready)` : counts} / ${rest}`);
  if (spec?.completionMode === 'Indexed') w.line(0, `Completed Indexes:\t${capIndexes(status?.completedIndexes)}`);
  podTemplateBlock(w, spec?.template);
  eventsBlock(w, events, now);
}

/** Go's printBoolPtr: `True`, `False`, `<unset>`. */
const boolPtr = (v: boolean | null | undefined) => (isSet(v) ? (v ? 'True' : 'False') : '<unset>');

export function describeCronJob(w: DescribeWriter, cj: CronJob, events: readonly CoreEvent[] | undefined, now: number): void {
  const spec = cj.spec;
  const orUnset = (v: number | string | null | undefined, unit = '') => (isSet(v) ? `${v}${unit}` : '<unset>');
  w.line(0, `Name:\t${cj.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${cj.metadata?.namespace ?? ''}`);
  labelsBlock(w, 'Labels', cj.metadata?.labels);
  annotationsBlock(w, cj.metadata?.annotations);
  w.line(0, `Schedule:\t${spec?.schedule ?? ''}`);
  w.line(0, `Concurrency Policy:\t${spec?.concurrencyPolicy ?? ''}`);
  w.line(0, `Suspend:\t${boolPtr(spec?.suspend)}`);
  w.line(0, `Time Zone:\t${orUnset(spec?.timeZone)}`);
  w.line(0, `Successful Job History Limit:\t${orUnset(spec?.successfulJobsHistoryLimit)}`);
  w.line(0, `Failed Job History Limit:\t${orUnset(spec?.failedJobsHistoryLimit)}`);
  w.line(0, `Starting Deadline Seconds:\t${orUnset(spec?.startingDeadlineSeconds, 's')}`);
  const template = spec?.jobTemplate?.spec;
  w.line(0, `Selector:\t${template?.selector ? selectorString(template.selector) : '<unset>'}`);
  w.line(0, `Parallelism:\t${orUnset(template?.parallelism)}`);
  w.line(0, `Completions:\t${orUnset(template?.completions)}`);
  if (isSet(template?.activeDeadlineSeconds)) w.line(0, `Active Deadline Seconds:\t${template.activeDeadlineSeconds}s`);
  podTemplateBlock(w, template?.template);
  w.line(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}`);
  const active = cj.status?.active ?? [];
  w.line(0, `Active Jobs:\t${active.length > 0 ? active.map((j) => j.name).join(', ') : '<none>'}`);
  eventsBlock(w, events, now);
}
