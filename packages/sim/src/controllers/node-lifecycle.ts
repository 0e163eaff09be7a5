/**
 * Node lifecycle controller, its NoSchedule tainting pass (TaintNodesByCondition,
 * `doNoScheduleTaintingPass` in k8s.io/kubernetes/pkg/controller/nodelifecycle): a node's
 * NoSchedule taints for `spec.unschedulable` and for its conditions follow them. So
 * `kubectl cordon` (which only sets `spec.unschedulable`) gets the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint added, and `kubectl uncordon` gets it
 * removed. Other taints are left alone.
 *
 * Its health monitor (`monitorNodeHealth`, every `--node-monitor-period` 5 s): a node whose
 * kubelet has not renewed its Lease (nor posted its Ready heartbeat) for
 * `--node-monitor-grace-period` (40 s) gets its Ready and pressure conditions set to
 * Unknown (`NodeStatusUnknown`, "Kubelet stopped posting node status."), and so, by the
 * passes above and the NoExecute pass, the `node.kubernetes.io/unreachable` taints. Evicting
 * the pods of such a node after their toleration (300 s) and marking them not ready are not
 * modelled.
 */
import type { Lease, Node, NodeCondition, Taint } from '@daytwo/k8s/wire-types.js';
import type { ControllerContext, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { LEASES, NODE_LEASE_NAMESPACE } from './node-heartbeat.js';
import { GR, getOf, listOf, MANAGER, rfc3339, updateWithRetry } from './objects.js';

/** kube-controller-manager `--node-monitor-period`. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** kube-controller-manager `--node-monitor-grace-period` (the default until 1.31). */
export const NODE_MONITOR_GRACE_MS = 40_000;
/** The conditions set to Unknown when the kubelet goes silent (`nodeConditionTypes` plus Ready). */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

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

/** The NoExecute taints of `doNoExecuteTaintingPass`: Ready False -> not-ready, Unknown -> unreachable. */
const NO_EXECUTE_TAINTS: Record<string, string> = { False: 'node.kubernetes.io/not-ready', Unknown: 'node.kubernetes.io/unreachable' };
const NO_EXECUTE_KEYS = new Set(Object.values(NO_EXECUTE_TAINTS));

/** The NoSchedule taint keys the node's spec and conditions call for. */
export function wantedNoScheduleTaints(node: Node): string[] {
  const keys: string[] = [];
  for (const c of node.status?.conditions ?? []) {
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
export function reconcileNoScheduleTaints(node: Node, now: Date): Taint[] | undefined {
  return reconcileTaints(node.spec?.taints ?? [], 'NoSchedule', CONTROLLED_KEYS, wantedNoScheduleTaints(node), now);
}

/** The NoExecute taint the node's Ready condition calls for (none when Ready is True or absent). */
export function wantedNoExecuteTaints(node: Node): string[] {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const key = NO_EXECUTE_TAINTS[ready?.status ?? ''];
  return key ? [key] : [];
}

/** The node's taints after both passes, or undefined when nothing changes. */
export function reconcileNodeTaints(node: Node, now: Date): Taint[] | undefined {
  const noSchedule = reconcileNoScheduleTaints(node, now);
  const current = noSchedule ?? node.spec?.taints ?? [];
  const noExecute = reconcileTaints(current, 'NoExecute', NO_EXECUTE_KEYS, wantedNoExecuteTaints(node), now);
  return noExecute ?? noSchedule;
}

function reconcileTaints(current: Taint[], effect: string, controlled: ReadonlySet<string>, wantedKeys: readonly string[], now: Date): Taint[] | undefined {
  const wanted = new Set(wantedKeys);
  const isControlled = (t: Taint) => t.effect === effect && controlled.has(t.key);
  const toDelete = current.filter((t) => isControlled(t) && !wanted.has(t.key));
  const present = new Set(current.filter(isControlled).map((t) => t.key));
  const toAdd = [...wanted].filter((k) => !present.has(k));
  if (toAdd.length === 0 && toDelete.length === 0) return undefined;
  return [...current.filter((t) => !toDelete.includes(t)), ...toAdd.map((key) => ({ key, effect, timeAdded: rfc3339(now) }))];
}

/** What the monitor last saw of a node's heartbeat, and when it saw it change (`nodeHealthData`). */
interface NodeHealth {
  heartbeat: string;
  probeMs: number;
}

/** The node's heartbeat as the monitor reads it: its Lease's renewTime and its Ready heartbeat. */
function heartbeatOf(node: Node, lease: Lease | undefined): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
}

/**
 * The node's conditions once its kubelet is judged silent: Ready and the pressure conditions
 * Unknown from `now` (heartbeat kept), or undefined when they already are.
 */
export function silentNodeConditions(node: Node, now: Date): NodeCondition[] | undefined {
  const conditions = node.status?.conditions ?? [];
  if (!conditions.some((c) => MONITORED_CONDITIONS.includes(c.type) && c.status !== 'Unknown')) return undefined;
  const at = rfc3339(now);
  return conditions.map((c) =>
    MONITORED_CONDITIONS.includes(c.type) && c.status !== 'Unknown'
      ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at }
      : c,
  );
}

export class NodeLifecycleController extends QueueController {
  readonly name = 'nodelifecycle';
  private readonly health = new Map<string, NodeHealth>();
  private stopMonitor?: () => void;

  override start(ctx: ControllerContext): void {
    super.start(ctx);
    this.health.clear();
    this.stopMonitor = ctx.clock.every(NODE_MONITOR_PERIOD_MS, () => this.monitorNodeHealth());
  }

  override stop(): void {
    this.stopMonitor?.();
    this.stopMonitor = undefined;
    super.stop();
  }

  /**
   * A heartbeat counts from when the monitor sees it change (upstream's probeTimestamp), so a
   * node seen for the first time, or after a restart of the controller, gets a full grace period.
   */
  monitorNodeHealth(): void {
    const now = this.now();
    const seen = new Set<string>();
    for (const node of listOf(this.ctx.store, GR.nodes)) {
      const name = node.metadata.name ?? '';
      seen.add(name);
      const heartbeat = heartbeatOf(node, getOf(this.ctx.store, LEASES, NODE_LEASE_NAMESPACE, name));
      const known = this.health.get(name);
      if (!known || known.heartbeat !== heartbeat) {
        this.health.set(name, { heartbeat, probeMs: now.getTime() });
        continue;
      }
      const silentForMs = (now.getTime() - known.probeMs) * this.ctx.clock.speed;
      if (silentForMs <= NODE_MONITOR_GRACE_MS) continue;
      updateWithRetry<Node>(this.ctx.store, GR.nodes, undefined, name, (copy) => {
        const conditions = silentNodeConditions(copy, now);
        if (!conditions) return false;
        copy.status = { ...copy.status, conditions };
        return true;
      }, MANAGER.controllerManagerStatus);
    }
    for (const name of this.health.keys()) if (!seen.has(name)) this.health.delete(name);
  }

  protected keysFor(ev: StoreEvent): string[] {
    return ev.gr === GR.nodes && ev.type !== 'DELETED' ? keysOf([ev.object]) : [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.nodes));
  }

  protected reconcile(key: string): void {
    const name = key.slice(key.indexOf('/') + 1);
    updateWithRetry<Node>(
      this.ctx.store,
      GR.nodes,
      undefined,
      name,
      (copy) => {
        const taints = reconcileNodeTaints(copy, this.now());
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
