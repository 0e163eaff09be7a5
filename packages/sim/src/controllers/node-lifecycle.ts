/**
 * Node lifecycle controller, its NoSchedule tainting pass (TaintNodesByCondition,
 * `doNoScheduleTaintingPass` in k8s.io/kubernetes/pkg/controller/nodelifecycle): a node's
 * NoSchedule taints for `spec.unschedulable` and for its conditions follow them. So
 * `kubectl cordon` (which only sets `spec.unschedulable`) gets the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint added, and `kubectl uncordon` gets it
 * removed. Other taints are left alone. The NoExecute pass (evicting from unreachable
 * nodes) is not modelled.
 */
import type { KubeObject, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { GR, MANAGER, rfc3339, updateWithRetry } from './objects.js';

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** `nodeConditionToTaintKeyStatusMap`: condition type -> status -> taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: 'node.kubernetes.io/not-ready', Unknown: 'node.kubernetes.io/unreachable' },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};

const CONTROLLED_KEYS = new Set([UNSCHEDULABLE_TAINT, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);

/** The NoSchedule taint keys the node's spec and conditions call for. */
export function wantedNoScheduleTaints(node: KubeObject): string[] {
  const keys: string[] = [];
  for (const c of (node.status?.conditions ?? []) as { type?: string; status?: string }[]) {
    const key = CONDITION_TAINTS[c.type ?? '']?.[c.status ?? ''];
    if (key) keys.push(key);
  }
  if (node.spec?.unschedulable === true) keys.push(UNSCHEDULABLE_TAINT);
  return keys;
}

/**
 * The node's taints after the pass (`TaintSetDiff` on key and effect, then
 * `SwapNodeControllerTaint`, which stamps `timeAdded` on what it adds), or undefined when
 * nothing changes.
 */
export function reconcileNoScheduleTaints(node: KubeObject, now: Date): Taint[] | undefined {
  const current: Taint[] = node.spec?.taints ?? [];
  const wanted = new Set(wantedNoScheduleTaints(node));
  const isControlled = (t: Taint) => t.effect === 'NoSchedule' && CONTROLLED_KEYS.has(t.key);
  const toDelete = current.filter((t) => isControlled(t) && !wanted.has(t.key));
  const present = new Set(current.filter(isControlled).map((t) => t.key));
  const toAdd = [...wanted].filter((k) => !present.has(k));
  if (toAdd.length === 0 && toDelete.length === 0) return undefined;
  return [
    ...current.filter((t) => !toDelete.includes(t)),
    ...toAdd.map((key) => ({ key, effect: 'NoSchedule', timeAdded: rfc3339(now) })),
  ];
}

export class NodeLifecycleController extends QueueController {
  readonly name = 'nodelifecycle';

  protected keysFor(ev: StoreEvent): string[] {
    return ev.gr === GR.nodes && ev.type !== 'DELETED' ? keysOf([ev.object]) : [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.nodes));
  }

  protected reconcile(key: string): void {
    const name = key.slice(key.indexOf('/') + 1);
    updateWithRetry(
      this.ctx.store,
      GR.nodes,
      undefined,
      name,
      (copy) => {
        const taints = reconcileNoScheduleTaints(copy, this.now());
        if (!taints) return false;
        copy.spec = { ...(copy.spec ?? {}) };
        if (taints.length > 0) copy.spec.taints = taints;
        else delete copy.spec.taints;
        return true;
      },
      MANAGER.controllerManager,
    );
  }
}
