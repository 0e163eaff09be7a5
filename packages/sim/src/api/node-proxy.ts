/**
 * `nodes/proxy`: the API server's proxy to a node's kubelet. The simulated kubelets answer
 * one path, `stats/summary` (the Summary API, k8s.io/kubelet/pkg/apis/stats/v1alpha1), with
 * what a volume-usage reader needs: the node, its running pods and each pod's volumes backed
 * by a PersistentVolumeClaim, with `capacityBytes`, `usedBytes`, `availableBytes` and
 * `pvcRef`. Usage is the claim's `sim.daytwo.dev/used-bytes` annotation (0 when absent),
 * capacity its `status.capacity.storage`. CPU, memory, network and inode figures are left
 * out (they are optional in the API). A node whose kubelet is stopped cannot be reached.
 */
import { tryParseQuantity } from '@daytwo/k8s/quantity.js';
import type { Node, PersistentVolumeClaim, Pod } from '@daytwo/k8s/wire-types.js';
import { kubeletReports } from '../controllers/node-heartbeat.js';
import { GR, rfc3339 } from '../controllers/objects.js';
import { ApiError, notFound } from '../errors.js';
import type { ObjectStore } from '../types.js';
import type { RequestContext } from './context.js';
import { sendJson } from './http.js';

/** PersistentVolumeClaim annotation: bytes used on the claim's volume, as the kubelet measures it. */
export const USED_BYTES_ANNOTATION = 'sim.daytwo.dev/used-bytes';

/** Serves `GET /api/v1/nodes/{name}/proxy/{path}`. */
export function serveNodeProxy(ctx: RequestContext): void {
  if (ctx.verb !== 'get') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const name = ctx.path.name ?? '';
  const node: Node | undefined = ctx.state.store.get(GR.nodes, undefined, name);
  if (!node) throw notFound('', 'nodes', name);
  if (!kubeletReports(node)) {
    const ip = (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? name;
    throw new ApiError(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:10250: connect: connection refused`);
  }
  if (ctx.path.proxyPath !== 'stats/summary') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  sendJson(ctx.res, 200, statsSummary(ctx.state.store, node, new Date()));
}

/** The Summary the node's kubelet would report now. */
export function statsSummary(store: ObjectStore, node: Node, now: Date): Record<string, unknown> {
  const nodeName = node.metadata.name ?? '';
  const time = rfc3339(now);
  const running: Pod[] = store.list(GR.pods);
  const pods = running
    .filter((p) => p.spec?.nodeName === nodeName && p.status?.phase === 'Running')
    .map((pod) => ({
      podRef: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
      startTime: pod.status?.startTime ?? time,
      containers: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        startTime: pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.running?.startedAt ?? pod.status?.startTime ?? time,
      })),
      volume: claimVolumes(store, pod, time),
    }));
  return { node: { nodeName, startTime: node.metadata.creationTimestamp ?? time }, pods };
}

function claimVolumes(store: ObjectStore, pod: Pod, time: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc: PersistentVolumeClaim | undefined = store.get(GR.pvcs, pod.metadata.namespace, claimName);
    const capacity = tryParseQuantity(pvc?.status?.capacity?.storage)?.toUnits();
    if (pvc?.status?.phase !== 'Bound' || capacity === undefined) continue;
    const capacityBytes = Number(capacity);
    const used = Number(pvc.metadata.annotations?.[USED_BYTES_ANNOTATION] ?? 0);
    const usedBytes = Number.isFinite(used) ? Math.min(Math.max(0, Math.round(used)), capacityBytes) : 0;
    out.push({
      time,
      availableBytes: capacityBytes - usedBytes,
      capacityBytes,
      usedBytes,
      name: v.name,
      pvcRef: { name: claimName, namespace: pod.metadata.namespace },
    });
  }
  return out;
}
