/**
 * DaemonSet controller, after k8s.io/kubernetes/pkg/controller/daemon (daemon_controller.go,
 * update.go, util/daemonset_util.go): one pod per eligible node, pinned with node affinity
 * on `metadata.name` and given the daemon tolerations, ControllerRevisions, a rolling update
 * bounded by maxUnavailable, and status.
 */
import { byCreationTimestamp } from '@daytwo/k8s/kube-object.js';
import type { Affinity, DaemonSet, Node, Pod } from '@daytwo/k8s/wire-types.js';
import type { StoreEvent } from '../types.js';
import { keysOf, ownerKeys, QueueController } from './base.js';
import { CREATE_RETRY_MS, createPodRecordingFailure } from './events.js';
import { CONTROLLER_REVISION_HASH, daemonSetRevisionNaming, ownedRevisions, syncUpdateRevision, truncateHistory } from './history.js';
import {
  deleteIfPresent,
  GR,
  getOf,
  isPodAvailable,
  isPodReady,
  jsonEqual,
  listOf,
  MANAGER,
  msUntilNextAvailable,
  podFromTemplate,
  scaledValue,
  splitKey,
  updateWithRetry,
} from './objects.js';
import { matchesNodeSelectorAndAffinity, type Toleration, untoleratedTaint } from './scheduling.js';

type DaemonSetStatus = NonNullable<DaemonSet['status']>;

const TEMPLATE_GENERATION = 'pod-template-generation';

/** `AddOrUpdateDaemonPodTolerations`: what every daemon pod tolerates. */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const HOST_NETWORK_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

export class DaemonSetController extends QueueController {
  readonly name = 'daemonset';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.daemonSets) return keysOf([ev.object]);
    if (ev.gr === GR.nodes) return keysOf(this.ctx.store.list(GR.daemonSets));
    if (ev.gr === GR.pods) return ownerKeys(ev.object, 'DaemonSet');
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.daemonSets));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = getOf(this.ctx.store, GR.daemonSets, namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const { revision } = syncUpdateRevision(this.ctx.store, ds, 'DaemonSet', () => daemonSetRevisionNaming(ds));
    const hash: string = revision.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? daemonSetRevisionNaming(ds).hash;

    const nodes = listOf(this.ctx.store, GR.nodes);
    const podsByNode = new Map<string, Pod[]>();
    for (const pod of this.index.podsOf(ds.metadata.uid)) {
      const node = daemonPodNode(pod);
      if (!node) continue;
      podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod]);
    }

    for (const node of nodes) {
      const nodeName = node.metadata.name ?? '';
      const pods = (podsByNode.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (!nodeShouldRunDaemonPod(ds, node)) {
        for (const pod of pods) this.deletePod(pod);
        continue;
      }
      const failed = pods.filter((p) => p.status?.phase === 'Failed');
      for (const pod of failed) this.deletePod(pod);
      const live = pods.filter((p) => p.status?.phase !== 'Failed').sort(byCreationTimestamp);
      if (live.length === 0 && failed.length === 0 && !this.createPod(ds, nodeName, hash)) {
        this.requeueAfter(`${ds.metadata.namespace}/${ds.metadata.name}`, CREATE_RETRY_MS);
      }
      for (const extra of live.slice(1)) this.deletePod(extra);
    }

    this.rollingUpdate(ds, nodes, hash);
    this.updateStatus(ds, nodes, hash);
    const inUse = new Set<string>([revision.metadata.name ?? '']);
    for (const p of this.index.podsOf(ds.metadata.uid)) {
      const h = p.metadata.labels?.[CONTROLLER_REVISION_HASH];
      if (h) inUse.add(`${ds.metadata.name}-${h}`);
    }
    truncateHistory(this.ctx.store, ds, ownedRevisions(this.ctx.store, ds), inUse);
  }

  /** Creates the node's daemon pod; false when admission refused it (recorded as a FailedCreate event). */
  private createPod(ds: DaemonSet, nodeName: string, hash: string): boolean {
    const labels = {
      ...(ds.spec?.template?.metadata?.labels ?? {}),
      [CONTROLLER_REVISION_HASH]: hash,
      [TEMPLATE_GENERATION]: String(ds.metadata.generation ?? 1),
    };
    const pod = podFromTemplate(ds.spec?.template ?? {}, ds, 'apps/v1', 'DaemonSet', {
      generateName: `${ds.metadata.name}-`,
      labels,
    });
    pod.spec.affinity = withNodeNameAffinity(pod.spec.affinity, nodeName);
    pod.spec.tolerations = withDaemonTolerations(pod.spec.tolerations ?? [], pod.spec.hostNetwork === true);
    const failure = createPodRecordingFailure(this.ctx.store, ds, 'apps/v1', 'DaemonSet', 'daemonset-controller', this.now(), () =>
      this.ctx.store.create(GR.pods, pod, MANAGER.controllerManager),
    );
    return failure === undefined;
  }

  private deletePod(pod: Pod): void {
    deleteIfPresent(this.ctx.store, GR.pods, pod.metadata.namespace, pod.metadata.name ?? '', MANAGER.controllerManager);
  }

  /** `rollingUpdate` of update.go with maxSurge 0: replace old pods while at most maxUnavailable nodes lack an available pod. */
  private rollingUpdate(ds: DaemonSet, nodes: Node[], hash: string): void {
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const eligible = nodes.filter((n) => nodeShouldRunDaemonPod(ds, n));
    const maxUnavailable = Math.max(1, scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, eligible.length, true));
    const now = this.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let unavailable = 0;
    const oldAvailable: Pod[] = [];
    const oldUnavailable: Pod[] = [];
    const byNode = livePodsByNode(this.index.podsOf(ds.metadata.uid));
    for (const node of eligible) {
      const pod = byNode.get(node.metadata.name ?? '');
      const available = pod !== undefined && isPodAvailable(pod, minReady, now);
      if (!available) unavailable++;
      if (pod && pod.metadata.labels?.[CONTROLLER_REVISION_HASH] !== hash) (available ? oldAvailable : oldUnavailable).push(pod);
    }
    // Old pods that are unavailable anyway go first; they cost no availability.
    for (const pod of oldUnavailable) this.deletePod(pod);
    let budget = maxUnavailable - unavailable;
    for (const pod of oldAvailable) {
      if (budget <= 0) break;
      this.deletePod(pod);
      budget--;
    }
  }

  private updateStatus(ds: DaemonSet, nodes: Node[], hash: string): void {
    const now = this.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const byNode = livePodsByNode(this.index.podsOf(ds.metadata.uid));
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const pod = byNode.get(node.metadata.name ?? '');
      const shouldRun = nodeShouldRunDaemonPod(ds, node);
      if (shouldRun) desired++;
      if (!pod) continue;
      if (!shouldRun) {
        misscheduled++;
        continue;
      }
      current++;
      if (isPodReady(pod)) ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash) updated++;
    }
    const status: DaemonSetStatus = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      // Zero, like the other counters, is dropped below, after it replaced a stale count.
      numberUnavailable: desired - available,
    };
    const wait = msUntilNextAvailable([...byNode.values()], minReady, now);
    if (wait !== undefined) this.requeueAfter(`${ds.metadata.namespace}/${ds.metadata.name}`, (wait + 1) * this.ctx.clock.speed);
    updateWithRetry<DaemonSet>(
      this.ctx.store,
      GR.daemonSets,
      ds.metadata.namespace,
      ds.metadata.name ?? '',
      (copy) => {
        const next: DaemonSetStatus = { ...(copy.status ?? {}), ...status };
        for (const k of ['numberUnavailable', 'updatedNumberScheduled', 'numberAvailable'] as const) if (!next[k]) delete next[k];
        if (jsonEqual(next, copy.status ?? {})) return false;
        copy.status = next;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }
}

/**
 * `NodeShouldRunDaemonPod` (predicates part): the template's node selector and required
 * affinity match, and the node's NoSchedule/NoExecute taints are tolerated by the
 * template's tolerations plus the daemon ones (so cordoned nodes still get daemon pods).
 */
export function nodeShouldRunDaemonPod(ds: DaemonSet, node: Node): boolean {
  const spec = ds.spec?.template?.spec;
  if (!matchesNodeSelectorAndAffinity(spec, node)) return false;
  const tolerations = withDaemonTolerations(spec?.tolerations ?? [], spec?.hostNetwork === true);
  return untoleratedTaint(node.spec?.taints ?? [], tolerations) === undefined;
}

function withDaemonTolerations(tolerations: Toleration[], hostNetwork: boolean): Toleration[] {
  const wanted = hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS;
  const out = [...tolerations];
  for (const t of wanted) {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect && (o.operator ?? 'Equal') === 'Exists')) out.push({ ...t });
  }
  return out;
}

/** `ReplaceDaemonSetPodNodeNameNodeAffinity`: required terms become one `metadata.name In [node]` term. */
function withNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const out: Affinity = structuredClone(affinity ?? {});
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  return out;
}

/** The oldest live (not deleting) daemon pod per node. */
function livePodsByNode(pods: readonly Pod[]): Map<string, Pod> {
  const out = new Map<string, Pod>();
  for (const pod of [...pods].sort(byCreationTimestamp)) {
    const node = daemonPodNode(pod);
    if (node && !pod.metadata.deletionTimestamp && !out.has(node)) out.set(node, pod);
  }
  return out;
}

/** The node a daemon pod runs on, or is pinned to before it is bound. */
function daemonPodNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.[0];
  }
  return undefined;
}
