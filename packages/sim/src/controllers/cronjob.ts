/**
 * CronJob status only: `status.active` lists the CronJob's unfinished Jobs, as the real
 * controller keeps it (pkg/controller/cronjob/cronjob_controllerv2.go). The simulation
 * does not start Jobs on schedule.
 */
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { controllerOf, GR, jsonEqual, MANAGER, splitKey, updateWithRetry } from './objects.js';

export class CronJobController extends QueueController {
  readonly name = 'cronjob';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.cronJobs) return keysOf([ev.object]);
    if (ev.gr === GR.jobs) return ownerKeys(ev.object, 'CronJob');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.cronJobs));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const cj = this.ctx.store.get(GR.cronJobs, namespace, name);
    if (!cj) return;
    const active = this.ctx.store
      .list(GR.jobs, { namespace })
      .filter((j) => controllerOf(j)?.uid === cj.metadata.uid && !isFinished(j))
      .map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace, resourceVersion: j.metadata.resourceVersion, uid: j.metadata.uid }));
    updateWithRetry(
      this.ctx.store,
      GR.cronJobs,
      namespace,
      name,
      (copy) => {
        const next = { ...(copy.status ?? {}) };
        if (active.length > 0) next.active = active;
        else delete next.active;
        if (jsonEqual(next, copy.status ?? {})) return false;
        copy.status = next;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }
}

function isFinished(job: KubeObject): boolean {
  return (job.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
