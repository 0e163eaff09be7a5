/**
 * The controllers of the simulated cluster and `settle()`, which runs them synchronously
 * until the cluster has converged (used by scenarios, and so `--controllers none` serves a
 * complete, frozen state).
 */
import { frozenClock } from '../clock.js';
import type { Controller, ObjectStore } from '../types.js';
import type { SimController, SimControllerContext } from './base.js';
import { CrdEstablishingController } from './crd-establishing.js';
import { CronJobController } from './cronjob.js';
import { DaemonSetController } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { DisruptionController } from './disruption.js';
import { EndpointSliceController } from './endpoint-slices.js';
import { EndpointsController } from './endpoints.js';
import { GarbageCollector } from './garbage-collector.js';
import { JobController } from './job.js';
import { KubeletController } from './kubelet.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { ReplicaSetController } from './replicaset.js';
import { ResourceQuotaController } from './resource-quota.js';
import { SchedulerController } from './scheduler.js';
import { ServiceAccountController } from './service-account.js';
import { StatefulSetController } from './statefulset.js';
import { VolumeBindingController } from './volume-binding.js';

export type { SimController, SimControllerContext } from './base.js';
export { SIM_ANNOTATIONS } from './kubelet.js';
import { NodeHeartbeatController } from './node-heartbeat.js';
export { KUBELET_ANNOTATION } from './node-heartbeat.js';

/**
 * Every controller, ordered so that one settle round carries a new workload as far as it
 * can: owners before what they create, the scheduler before the kubelet, and the
 * controllers that only report (endpoints, disruption) last.
 */
export function createControllers(): SimController[] {
  return [
    new GarbageCollector(),
    new DeploymentController(),
    // Quota status before the pod creators, so the quota admission can charge their pods.
    new ResourceQuotaController(),
    new ReplicaSetController(),
    new StatefulSetController(),
    new DaemonSetController(),
    new JobController(),
    new CronJobController(),
    new NodeHeartbeatController(),
    new NodeLifecycleController(),
    new SchedulerController(),
    new KubeletController(),
    new EndpointsController(),
    new DisruptionController(),
    new NamespaceController(),
    new VolumeBindingController(),
    new EndpointSliceController(),
    new ServiceAccountController(),
    new CrdEstablishingController(),
  ];
}

export interface SettleOptions {
  /** Deterministic randomness (container IDs); default Math.random. */
  random?: () => number;
  /** Upper bound on reconcile rounds (default 200). */
  maxRounds?: number;
}

export interface SettleResult {
  /** Rounds run, including the final one that changed nothing. */
  rounds: number;
  /** False when maxRounds ran out before the store stopped changing. */
  converged: boolean;
}

/** Whether a controller can be driven synchronously. */
export function isSimController(c: Controller): c is SimController {
  return typeof (c as Partial<SimController>).reconcileAll === 'function';
}

/**
 * Runs every controller's `reconcileAll()` in order, round after round, until a round
 * writes nothing. Timers never fire meanwhile; the kubelet starts, readies, finishes and
 * removes pods at once instead of after its delays (crash-looping containers crash once
 * and wait for their back-off). Controllers are stopped again afterwards; start them
 * with the real clock to keep the cluster live.
 */
export function settle(store: ObjectStore, controllers: readonly Controller[], opts: SettleOptions = {}): SettleResult {
  const sims = controllers.filter(isSimController);
  const ctx: SimControllerContext = {
    store,
    clock: frozenClock(),
    random: opts.random ?? Math.random,
    immediate: true,
  };
  const maxRounds = opts.maxRounds ?? 200;
  for (const c of sims) c.start(ctx);
  try {
    for (let round = 1; round <= maxRounds; round++) {
      const before = store.resourceVersion;
      for (const c of sims) c.reconcileAll();
      if (store.resourceVersion === before) return { rounds: round, converged: true };
    }
    return { rounds: maxRounds, converged: false };
  } finally {
    for (const c of sims) c.stop();
  }
}
