/**
 * The kubelets' heartbeats: each node's kubelet renews its Lease in `kube-node-lease` every
 * 10 s (`nodeLeaseRenewIntervalFraction` 0.25 of `nodeLeaseDurationSeconds` 40, in
 * k8s.io/kubernetes/pkg/kubelet), which is what the node lifecycle controller watches. A node
 * annotated `sim.daytwo.dev/kubelet: stopped` has a kubelet that no longer reports: its Lease
 * goes stale and the lifecycle controller marks the node Unknown. When the annotation goes,
 * the kubelet reports again: it renews its Lease and posts its conditions (Ready=True).
 */
import type { Lease, Node } from '@daytwo/k8s/wire-types.js';
import type { ControllerContext, KubeObject, StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { GR, getOf, listOf, MANAGER, updateWithRetry } from './objects.js';

/** Node annotation: `stopped` makes the node's kubelet stop reporting (heartbeat loss). */
export const KUBELET_ANNOTATION = 'sim.daytwo.dev/kubelet';

export const LEASES = 'coordination.k8s.io/leases';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** kubelet `nodeLeaseDurationSeconds`. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The kubelet renews every quarter of the lease duration. */
export const NODE_LEASE_RENEW_MS = (NODE_LEASE_DURATION_SECONDS * 1000) / 4;

/**
 * Kubelets are not synchronised: each renews on its own phase of the period. Renewing
 * 5,000 Leases in one go blocked the sim for 300 ms every 10 s; a tenth of them every
 * second keeps each Lease's 10 s period and spreads the work.
 */
const RENEW_SLICES = 10;

/** The slice of the renewal period in which a node's kubelet renews: a stable hash of its name. */
function renewSlice(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % RENEW_SLICES;
}

/** Whether the node's kubelet reports (heartbeats, status). */
export function kubeletReports(node: KubeObject): boolean {
  return node.metadata.annotations?.[KUBELET_ANNOTATION] !== 'stopped';
}

/** metav1.MicroTime as it serializes: RFC 3339 with six fractional digits. */
export function microTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000Z`;
}

/** The conditions a healthy kubelet posts (pkg/kubelet/nodestatus/setters.go). */
const HEALTHY: Record<string, { status: string; reason: string; message: string }> = {
  MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
};

export class NodeHeartbeatController extends QueueController {
  readonly name = 'node-heartbeat';
  private stopRenewing?: () => void;

  override start(ctx: ControllerContext): void {
    super.start(ctx);
    let slice = 0;
    this.stopRenewing = ctx.clock.every(NODE_LEASE_RENEW_MS / RENEW_SLICES, () => {
      slice = (slice + 1) % RENEW_SLICES;
      for (const node of listOf(this.ctx.store, GR.nodes)) {
        if (renewSlice(node.metadata.name ?? '') === slice && kubeletReports(node)) this.renew(node);
      }
    });
  }

  override stop(): void {
    this.stopRenewing?.();
    this.stopRenewing = undefined;
    super.stop();
  }

  protected keysFor(ev: StoreEvent): string[] {
    return ev.gr === GR.nodes && ev.type !== 'DELETED' ? keysOf([ev.object]) : [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.nodes));
  }

  /** A node gets its Lease when it registers; a kubelet that reports again renews it and posts its status. */
  protected reconcile(key: string): void {
    const node = getOf(this.ctx.store, GR.nodes, undefined, key.slice(key.indexOf('/') + 1));
    if (!node) return;
    const lease = this.ctx.store.get(LEASES, NODE_LEASE_NAMESPACE, node.metadata.name ?? '');
    if (!lease) this.createLease(node);
    if (!kubeletReports(node) || !markedUnknown(node)) return;
    this.renew(node);
    this.postReady(node);
  }

  private createLease(node: Node): void {
    const name = node.metadata.name ?? '';
    try {
      this.ctx.store.create(
        LEASES,
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name,
            namespace: NODE_LEASE_NAMESPACE,
            ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
          },
          spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: microTime(this.now()) },
        },
        { fieldManager: 'kubelet' },
      );
    } catch {
      // No kube-node-lease namespace (a fixture without it): the lifecycle controller then goes by the node's status.
    }
  }

  private renew(node: Node): void {
    const name = node.metadata.name ?? '';
    if (!this.ctx.store.get(LEASES, NODE_LEASE_NAMESPACE, name)) {
      this.createLease(node);
      return;
    }
    const renewTime = microTime(this.now());
    updateWithRetry<Lease>(this.ctx.store, LEASES, NODE_LEASE_NAMESPACE, name, (lease) => {
      lease.spec = { ...(lease.spec ?? {}), renewTime };
      return true;
    }, { fieldManager: 'kubelet' });
  }

  /** The kubelet's status update after it reconnects: its conditions as it sees them, heartbeat now. */
  private postReady(node: Node): void {
    const now = `${this.now().toISOString().slice(0, 19)}Z`;
    updateWithRetry<Node>(this.ctx.store, GR.nodes, undefined, node.metadata.name ?? '', (copy) => {
      if (!markedUnknown(copy) || !copy.status?.conditions) return false;
      copy.status.conditions = copy.status.conditions.map((c) => {
        const healthy = HEALTHY[c.type];
        if (!healthy || c.reason !== 'NodeStatusUnknown') return c;
        return { ...c, ...healthy, lastHeartbeatTime: now, lastTransitionTime: now };
      });
      return true;
    }, MANAGER.kubeletStatus);
  }
}

/** The lifecycle controller set the node's Ready to Unknown because its kubelet went silent. */
function markedUnknown(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'Unknown' && ready.reason === 'NodeStatusUnknown';
}
