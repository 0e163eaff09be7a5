/**
 * Job controller, after k8s.io/kubernetes/pkg/controller/job/job_controller.go (NonIndexed
 * jobs): runs up to `parallelism` pods until `completions` succeed, counts failures against
 * `backoffLimit` (with the pod-recreation back-off) and sets the Complete / Failed conditions.
 */
import type { Job, Pod, PodSpec } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { CREATE_RETRY_MS, createPodRecordingFailure, recordEvent } from './events.js';
import { backoffSeconds } from './kubelet.js';
import {
  deleteIfPresent,
  GR,
  getOf,
  isPodActive,
  isPodReady,
  jsonEqual,
  MANAGER,
  podFromTemplate,
  rfc3339,
  splitKey,
  updateWithRetry,
} from './objects.js';

/** Labels the API server adds to a Job's selector and template (batch validation/strategy). */
export function jobPodLabels(job: KubeObject): Record<string, string> {
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

export class JobController extends QueueController {
  readonly name = 'job';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.jobs) return keysOf([ev.object]);
    if (ev.gr === GR.pods) return ownerKeys(ev.object, 'Job');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.jobs));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = getOf(this.ctx.store, GR.jobs, namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const pods = this.index.podsOf(job.metadata.uid);
    const active = pods.filter(isPodActive);
    // Finished pods may be deleted later; what status already counted stays counted.
    const succeeded = Math.max(pods.filter((p) => p.status?.phase === 'Succeeded').length, job.status?.succeeded ?? 0);
    const failed = Math.max(pods.filter((p) => p.status?.phase === 'Failed').length, job.status?.failed ?? 0);
    const conditions = job.status?.conditions ?? [];
    if (conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;

    const now = this.now();
    const ts = rfc3339(now);
    const completions = job.spec?.completions ?? undefined;
    const parallelism = job.spec?.parallelism ?? 1;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const status: JobStatus = {
      ...(job.status ?? {}),
      startTime: job.status?.startTime ?? ts,
      active: active.length,
      ready: active.filter(isPodReady).length,
      succeeded: Math.max(0, succeeded),
      failed,
      uncountedTerminatedPods: {},
      conditions,
    };
    if (status.succeeded === 0) delete status.succeeded;
    if (status.failed === 0) delete status.failed;
    if (status.active === 0) delete status.active;

    const indexed = job.spec?.completionMode === 'Indexed';
    const completedIndexes = indexed ? succeededIndexes(job, pods) : undefined;
    if (completedIndexes) {
      status.succeeded = completedIndexes.size;
      if (status.succeeded === 0) delete status.succeeded;
      const formatted = formatIndexes(completedIndexes);
      if (formatted) status.completedIndexes = formatted;
      else delete status.completedIndexes;
    }
    const done = completedIndexes
      ? completedIndexes.size >= (completions ?? 0)
      : completions === undefined
        ? succeeded > 0 && active.length === 0
        : succeeded >= completions;
    if (failed > backoffLimit || pastBackoffLimitOnFailure(job, active, backoffLimit)) {
      for (const pod of active) deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
      delete status.active;
      status.conditions = [
        ...conditions,
        { type: 'Failed', status: 'True', lastProbeTime: ts, lastTransitionTime: ts, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
      ];
      recordEvent(this.ctx.store, job, 'batch/v1', 'Job', 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller', now);
    } else if (done) {
      status.completionTime = ts;
      status.conditions = [...conditions, { type: 'Complete', status: 'True', lastProbeTime: ts, lastTransitionTime: ts }];
      recordEvent(this.ctx.store, job, 'batch/v1', 'Job', 'Normal', 'Completed', 'Job completed', 'job-controller', now);
    } else if (!job.spec?.suspend) {
      const remaining = completions === undefined ? parallelism : completions - succeeded;
      const want = Math.max(0, Math.min(parallelism, remaining) - active.length);
      if (want > 0 && this.backoffElapsed(job, pods, failed)) {
        let created = 0;
        const free = completedIndexes ? freeIndexes(completions ?? 0, completedIndexes, active) : undefined;
        while (created < want && (!free || created < free.length) && this.createPod(job, free?.[created])) created++;
        if (created > 0 || active.length > 0) status.active = active.length + created;
        else delete status.active;
        if (created < want) this.requeueAfter(`${job.metadata.namespace}/${job.metadata.name}`, CREATE_RETRY_MS);
      }
    }
    this.writeStatus(job, status);
  }

  /** New pods after a failure wait 10 s, doubling per failure, capped at 6 minutes upstream (5 here, as the kubelet). */
  private backoffElapsed(job: Job, pods: Pod[], failed: number): boolean {
    if (failed === 0 || this.immediate) return true;
    const lastFailure = Math.max(
      0,
      ...pods
        .filter((p) => p.status?.phase === 'Failed')
        .map((p) => Date.parse(p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? p.metadata.creationTimestamp ?? '') || 0),
    );
    const delayMs = backoffSeconds(failed - 1) * 1000;
    const readyAt = lastFailure + delayMs / this.ctx.clock.speed;
    const wait = readyAt - this.now().getTime();
    if (wait <= 0) return true;
    this.requeueAfter(`${job.metadata.namespace}/${job.metadata.name}`, wait * this.ctx.clock.speed);
    return false;
  }

  /** Creates one pod (for `index` of an Indexed Job); false when admission refused it (recorded as a FailedCreate event). */
  private createPod(job: Job, index?: number): boolean {
    const template = job.spec?.template ?? {};
    const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}), ...jobPodLabels(job) };
    if (index !== undefined) labels[COMPLETION_INDEX] = String(index);
    const pod = podFromTemplate(template, job, 'batch/v1', 'Job', {
      generateName: index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`,
      labels,
    });
    if (index !== undefined) withCompletionIndex(pod, `${job.metadata.name}-${index}`, index);
    const failure = createPodRecordingFailure(this.ctx.store, job, 'batch/v1', 'Job', 'job-controller', this.now(), () =>
      this.ctx.store.create(GR.pods, pod, MANAGER.controllerManager),
    );
    return failure === undefined;
  }

  private writeStatus(job: Job, status: JobStatus): void {
    if (jsonEqual(job.status ?? {}, status)) return;
    updateWithRetry<Job>(
      this.ctx.store,
      GR.jobs,
      job.metadata.namespace,
      job.metadata.name ?? '',
      (copy) => {
        copy.status = status;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }
}

type JobStatus = NonNullable<Job['status']>;

const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/**
 * What the Job controller gives the pod of one index (indexed_job_utils.go): the index as
 * annotation and label, the hostname `<job>-<index>`, and `JOB_COMPLETION_INDEX` in every
 * container's environment from that annotation.
 */
function withCompletionIndex(pod: Pod & { spec: PodSpec }, hostname: string, index: number): void {
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.spec.hostname ??= hostname;
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    if (!(c.env ?? []).some((e) => e.name === env.name)) c.env = [...(c.env ?? []), env];
  }
}

function indexOf(pod: Pod): number | undefined {
  const value = pod.metadata.annotations?.[COMPLETION_INDEX];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Indexes already succeeded: those status counted, and those of succeeded pods. */
function succeededIndexes(job: Job, pods: readonly Pod[]): Set<number> {
  const done = parseIndexes(job.status?.completedIndexes ?? '');
  for (const pod of pods) {
    const index = indexOf(pod);
    if (pod.status?.phase === 'Succeeded' && index !== undefined && index < (job.spec?.completions ?? 0)) done.add(index);
  }
  return done;
}

/** Indexes with neither a success nor a running pod, lowest first. */
function freeIndexes(completions: number, done: ReadonlySet<number>, active: readonly Pod[]): number[] {
  const running = new Set(active.map(indexOf));
  const out: number[] = [];
  for (let i = 0; i < completions; i++) if (!done.has(i) && !running.has(i)) out.push(i);
  return out;
}

/** `"1,3-5,7"` as status.completedIndexes writes intervals. */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function parseIndexes(text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

/**
 * `pastBackoffLimitOnFailure`: with restartPolicy OnFailure failures are container
 * restarts, counted over the pods still Pending or Running.
 */
function pastBackoffLimitOnFailure(job: Job, active: readonly Pod[], backoffLimit: number): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of active) {
    const phase = pod.status?.phase ?? 'Pending';
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
}
