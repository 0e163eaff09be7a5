import { describe, expect, it } from 'vitest';
import { createControllers, settle } from '../../src/controllers/index.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';
import { getAs, listAs } from '../helpers/kinds.js';

const MINUTE = 60_000;

function newStore(): MemoryStore {
  const store = new MemoryStore();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'batch' } });
  return store;
}

function cronJob(spec: Record<string, unknown>, createdMinutesAgo: number): KubeObject {
  const created = new Date(Date.now() - createdMinutesAgo * MINUTE);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'batch', creationTimestamp: `${created.toISOString().slice(0, 19)}Z` },
    spec: {
      jobTemplate: { metadata: { labels: { app: 'report' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

const cronJobController = () => createControllers().filter((c) => c.name === 'cronjob');
const jobsOf = (store: MemoryStore) => listAs(store, 'batch/jobs', { namespace: 'batch' });

/** The most recent five-minute mark at or before now, as the controller would schedule it. */
function lastFiveMinuteMark(): number {
  return Math.floor(Date.now() / (5 * MINUTE)) * 5 * MINUTE;
}

describe('CronJob controller', () => {
  it('starts the Job of the most recent missed time, named after it in minutes, once', () => {
    const store = newStore();
    store.create('batch/cronjobs', cronJob({ schedule: '*/5 * * * *' }, 60), { restore: true });
    settle(store, cronJobController());
    const mark = lastFiveMinuteMark();
    const jobs = jobsOf(store);
    expect(jobs.map((j) => j.metadata.name)).toEqual([`report-${mark / MINUTE}`]);
    expect(jobs[0].metadata.labels).toMatchObject({ app: 'report' });
    expect(jobs[0].metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(`${new Date(mark).toISOString().slice(0, 19)}Z`);
    expect(jobs[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'report', controller: true });
    const status = getAs(store, 'batch/cronjobs', 'batch', 'report')?.status;
    expect(status?.lastScheduleTime).toBe(`${new Date(mark).toISOString().slice(0, 19)}Z`);
    expect(status?.active).toHaveLength(1);

    settle(store, cronJobController());
    expect(jobsOf(store)).toHaveLength(1);
  });

  it('does not run before its first scheduled time, nor while suspended', () => {
    const store = newStore();
    store.create('batch/cronjobs', cronJob({ schedule: '*/5 * * * *', suspend: true }, 60), { restore: true });
    settle(store, cronJobController());
    expect(jobsOf(store)).toHaveLength(0);
  });

  it('skips a run whose startingDeadlineSeconds have passed', () => {
    const store = newStore();
    // Yearly, created two years ago: the last run is long past any deadline of a minute.
    store.create('batch/cronjobs', cronJob({ schedule: '@yearly', startingDeadlineSeconds: 60 }, 2 * 366 * 24 * 60), { restore: true });
    settle(store, cronJobController());
    expect(jobsOf(store)).toHaveLength(0);
  });

  it('with concurrencyPolicy Forbid, starts nothing while a Job still runs', () => {
    const store = newStore();
    const cj = store.create('batch/cronjobs', cronJob({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' }, 60), { restore: true });
    store.create('batch/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'report-1', namespace: 'batch', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid!, controller: true }] },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'busybox' }] } } },
    });
    settle(store, cronJobController());
    expect(jobsOf(store).map((j) => j.metadata.name)).toEqual(['report-1']);
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', () => {
    const store = newStore();
    const cj = store.create('batch/cronjobs', cronJob({ schedule: '@yearly', successfulJobsHistoryLimit: 2 }, 1), { restore: true });
    for (let i = 1; i <= 4; i++) {
      const started = `2026-0${i}-01T00:00:00Z`;
      const job = store.create('batch/jobs', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: `report-${i}`, namespace: 'batch', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid!, controller: true }] },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'busybox' }] } } },
      });
      const done = structuredClone(job);
      done.status = { startTime: started, completionTime: started, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: started }] };
      store.update('batch/jobs', done, { subresource: 'status' });
    }
    settle(store, cronJobController());
    expect(jobsOf(store).map((j) => j.metadata.name).sort()).toEqual(['report-3', 'report-4']);
    expect(getAs(store, 'batch/cronjobs', 'batch', 'report')?.status?.lastSuccessfulTime).toBe('2026-04-01T00:00:00Z');
  });
});

describe('Indexed Jobs', () => {
  it('runs one pod per completion index with its annotation, label, hostname and JOB_COMPLETION_INDEX, and reports completedIndexes', () => {
    const store = newStore();
    const allocatable = { cpu: '4', memory: '16Gi', pods: '110' };
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } },
      spec: { podCIDR: '10.244.0.0/24' },
      status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.168.0.1' }] },
    });
    store.create('batch/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'shards', namespace: 'batch' },
      spec: { completionMode: 'Indexed', completions: 3, parallelism: 3, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox' }] } } },
    });
    settle(store, createControllers().filter((c) => c.name === 'job'), { maxRounds: 1 });
    const pods = listAs(store, 'pods', { namespace: 'batch' }).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.spec!.hostname)).toEqual(['shards-0', 'shards-1', 'shards-2']);
    expect(pods[0].metadata.name).toMatch(/^shards-0-[a-z0-9]{5}$/);
    expect(pods[1].spec!.containers[0].env).toContainEqual({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
    });

    settle(store, createControllers());
    const job = getAs(store, 'batch/jobs', 'batch', 'shards')!;
    expect(job.status?.completedIndexes).toBe('0-2');
    expect(job.status?.succeeded).toBe(3);
    expect(job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
  });
});
