/**
 * The simulated kube-scheduler: binds pending pods to the least allocated feasible node
 * (name order breaks ties), or marks them Unschedulable with the real message and a
 * FailedScheduling event.
 */
import type { Node, PersistentVolumeClaim, Pod } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { QueueController } from './base.js';
import { recordEvent } from './events.js';
import { GR, getOf, isPodTerminal, listOf, MANAGER, NULL_TIME, rfc3339, splitKey, updateWithRetry } from './objects.js';
import {
  type FilterVerdict,
  filterNode,
  fitErrorMessage,
  leastAllocatedScore,
  podRequests,
  type Resources,
} from './scheduling.js';
import { claimBindingMode, SELECTED_NODE_ANNOTATION } from './volume-binding.js';

const DEFAULT_SCHEDULER = 'default-scheduler';
/** How often unschedulable pods are retried without a triggering event (upstream flushes its unschedulable queue every 5 minutes; a shorter retry keeps the demo lively). */
const RETRY_UNSCHEDULABLE_MS = 30_000;

export class SchedulerController extends QueueController {
  readonly name = 'scheduler';
  /** Requested resources per node, invalidated when a pod on that node changes. */
  private readonly usage = new Map<string, Resources>();

  override start(ctx: import('../types.js').ControllerContext): void {
    this.usage.clear();
    super.start(ctx);
    // What every node has requested, summed now rather than when the first pod after start-up
    // is scheduled (150,000 pods on 5,000 nodes took 420 ms, and the pods behind it waited).
    for (const node of listOf(this.ctx.store, GR.nodes)) this.requestedOn(node.metadata.name ?? '');
  }

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.pods) {
      const pod = ev.object as Pod;
      const node = pod.spec?.nodeName;
      if (node) {
        this.usage.delete(node);
        // A pod leaving a node frees room: retry the pods waiting for some.
        if (ev.type === 'DELETED' || isPodTerminal(pod)) return this.pendingKeys();
        return [];
      }
      return ev.type === 'DELETED' ? [] : [`${ev.object.metadata.namespace}/${ev.object.metadata.name}`];
    }
    if (ev.gr === GR.nodes) {
      this.usage.delete(ev.object.metadata.name ?? '');
      return this.pendingKeys();
    }
    // A claim created or bound may let a pod waiting on it through the VolumeBinding filter.
    if (ev.gr === GR.pvcs && ev.type !== 'DELETED') return this.pendingKeys();
    return [];
  }

  protected allKeys(): string[] {
    return this.pendingKeys();
  }

  private pendingKeys(): string[] {
    return this.index
      .unscheduledPods()
      .filter((p) => this.isOurs(p))
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }

  private isOurs(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER && !isPodTerminal(pod);
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = getOf(this.ctx.store, GR.pods, namespace, name);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp || !this.isOurs(pod)) return;
    const nodes = listOf(this.ctx.store, GR.nodes);
    const claims = this.claimsOf(pod);
    if ('unschedulable' in claims && nodes.length > 0) {
      this.markUnschedulable(pod, preFilterFitError(nodes.length, claims.unschedulable));
      return;
    }
    const request = podRequests(pod);
    const verdicts: FilterVerdict[] = [];
    let best: { node: Node; score: number } | undefined;
    for (const node of nodes) {
      const requested = this.requestedOn(node.metadata.name ?? '');
      const verdict = filterNode(pod, node, requested, request);
      verdicts.push(verdict);
      if (!verdict.fits) continue;
      const score = leastAllocatedScore(node, requested, request);
      // Nodes are listed in name order, so a strict comparison keeps the first name on ties.
      if (!best || score > best.score) best = { node, score };
    }
    if (best) {
      if ('waitForFirstConsumer' in claims) this.selectNodeForClaims(claims.waitForFirstConsumer, best.node.metadata.name ?? '');
      this.bind(pod, best.node.metadata.name ?? '');
    }
    else this.markUnschedulable(pod, nodes.length === 0 ? 'no nodes available to schedule pods' : fitErrorMessage(nodes.length, verdicts));
  }

  /**
   * The VolumeBinding plugin's PreFilter: a claim that does not exist, or that is unbound
   * with Immediate binding (or no class to provision it), keeps the pod Pending; unbound
   * WaitForFirstConsumer claims are provisioned on the node chosen.
   */
  private claimsOf(pod: Pod): { unschedulable: string } | { waitForFirstConsumer: PersistentVolumeClaim[] } {
    const waitForFirstConsumer: PersistentVolumeClaim[] = [];
    let unboundImmediate = false;
    for (const volume of pod.spec?.volumes ?? []) {
      const claimName = volume.persistentVolumeClaim?.claimName;
      if (!claimName) continue;
      const pvc = getOf(this.ctx.store, GR.pvcs, pod.metadata.namespace, claimName);
      if (!pvc) return { unschedulable: `persistentvolumeclaim "${claimName}" not found` };
      if (pvc.metadata.deletionTimestamp) return { unschedulable: `persistentvolumeclaim "${claimName}" is being deleted` };
      if (pvc.spec?.volumeName) continue;
      if (claimBindingMode(this.ctx.store, pvc) === 'WaitForFirstConsumer') waitForFirstConsumer.push(pvc);
      else unboundImmediate = true;
    }
    return unboundImmediate ? { unschedulable: 'pod has unbound immediate PersistentVolumeClaims' } : { waitForFirstConsumer };
  }

  private selectNodeForClaims(claims: readonly PersistentVolumeClaim[], nodeName: string): void {
    for (const pvc of claims) {
      updateWithRetry<PersistentVolumeClaim>(
        this.ctx.store,
        GR.pvcs,
        pvc.metadata.namespace,
        pvc.metadata.name ?? '',
        (copy) => {
          if (copy.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === nodeName) return false;
          copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [SELECTED_NODE_ANNOTATION]: nodeName };
          return true;
        },
        MANAGER.scheduler,
      );
    }
  }

  private requestedOn(node: string): Resources {
    let usage = this.usage.get(node);
    if (!usage) {
      usage = { cpu: 0, memory: 0, pods: 0 };
      for (const p of this.index.podsOnNode(node)) {
        if (isPodTerminal(p)) continue;
        const r = podRequests(p);
        usage.cpu += r.cpu;
        usage.memory += r.memory;
        usage.pods++;
      }
      this.usage.set(node, usage);
    }
    return usage;
  }

  /** What a `pods/binding` does: sets spec.nodeName and the PodScheduled condition. */
  private bind(pod: Pod, nodeName: string): void {
    const now = rfc3339(this.now());
    const bound = updateWithRetry<Pod>(
      this.ctx.store,
      GR.pods,
      pod.metadata.namespace,
      pod.metadata.name ?? '',
      (copy) => {
        const spec = copy.spec!;
        if (spec.nodeName) return false;
        spec.nodeName = nodeName;
        copy.status ??= {};
        copy.status.phase ??= 'Pending';
        const others = (copy.status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        copy.status.conditions = [
          ...others,
          { type: 'PodScheduled', status: 'True', lastProbeTime: NULL_TIME, lastTransitionTime: now },
        ];
        return true;
      },
      MANAGER.scheduler,
    );
    if (bound) {
      recordEvent(
        this.ctx.store,
        bound,
        'v1',
        'Pod',
        'Normal',
        'Scheduled',
        `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
        DEFAULT_SCHEDULER,
        this.now(),
      );
    }
  }

  private markUnschedulable(pod: Pod, message: string): void {
    const now = rfc3339(this.now());
    const updated = updateWithRetry<Pod>(
      this.ctx.store,
      GR.pods,
      pod.metadata.namespace,
      pod.metadata.name ?? '',
      (copy) => {
        copy.status ??= {};
        const current = (copy.status.conditions ?? []).find((c) => c.type === 'PodScheduled');
        if (current?.status === 'False' && current.message === message) return false;
        copy.status.phase ??= 'Pending';
        const others = (copy.status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        copy.status.conditions = [
          ...others,
          {
            type: 'PodScheduled',
            status: 'False',
            lastProbeTime: NULL_TIME,
            lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : now,
            reason: 'Unschedulable',
            message,
          },
        ];
        return true;
      },
      MANAGER.schedulerStatus,
    );
    if (updated) {
      recordEvent(this.ctx.store, updated, 'v1', 'Pod', 'Warning', 'FailedScheduling', message, DEFAULT_SCHEDULER, this.now());
    }
    this.requeueAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, RETRY_UNSCHEDULABLE_MS);
  }
}

/** FitError's message when a PreFilter plugin rejects the pod: no per-node histogram, and preemption cannot help. */
function preFilterFitError(total: number, reason: string): string {
  return `0/${total} nodes are available: ${reason}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
