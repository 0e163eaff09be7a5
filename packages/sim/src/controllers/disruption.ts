/**
 * Disruption controller, after k8s.io/kubernetes/pkg/controller/disruption/disruption.go:
 * keeps every PodDisruptionBudget's status (expected, healthy and desired pods, allowed
 * disruptions and the DisruptionAllowed condition) current.
 */

import type { Pod, PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { type LabelSelector, labelSelectorFromObject } from '../selectors.js';
import type { StoreEvent } from '../types.js';
import { keysOf, QueueController } from './base.js';
import { controllerOf, GR, getOf, isPodReady, jsonEqual, listOf, MANAGER, rfc3339, scaledValue, splitKey, updateWithRetry } from './objects.js';
import { keysSelectingPod } from './pod-selectors.js';

type PdbStatus = NonNullable<PodDisruptionBudget['status']>;
type PdbCondition = NonNullable<PdbStatus['conditions']>[number];

/** `DeletionTimeout`: how long an evicted pod counts as disrupted before it is expected gone. */
const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export class DisruptionController extends QueueController {
  readonly name = 'disruption';

  protected keysFor(ev: StoreEvent): string[] {
    if (ev.gr === GR.pdbs) return keysOf([ev.object]);
    const ns = ev.object.metadata.namespace;
    if (!ns) return [];
    // A pod concerns the budgets selecting it (getPdbForPod on the new and the old pod); a
    // controller's scale, every budget of its namespace (its pods' labels are not at hand).
    if (ev.gr === GR.pods) return keysSelectingPod(ev, listOf(this.ctx.store, GR.pdbs, { namespace: ns }), parseSelector);
    if (ev.gr === GR.deployments || ev.gr === GR.replicaSets || ev.gr === GR.statefulSets) {
      return keysOf(this.ctx.store.list(GR.pdbs, { namespace: ns }));
    }
    return [];
  }

  protected allKeys(): string[] {
    return keysOf(this.ctx.store.list(GR.pdbs));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pdb = getOf(this.ctx.store, GR.pdbs, namespace, name);
    if (!pdb || !namespace) return;
    const selector = parseSelector(pdb);
    const pods = this.index.podsSelected(namespace, selector);
    const now = this.now();
    const { expectedPods, desiredHealthy } = expectedAndDesired(pdb, pods, (p) => this.controllerScale(p));
    const disruptedPods = keptDisruptedPods(pdb, pods, now);
    const currentHealthy = countHealthy(pods, disruptedPods, now);
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    // expectedCount must be > 0 so a PDB that matches no pods yet is in a safe state.
    if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const observedGeneration = pdb.metadata.generation ?? 1;
    updateWithRetry<PodDisruptionBudget>(
      this.ctx.store,
      GR.pdbs,
      namespace,
      name,
      (copy) => {
        const status: PdbStatus = {
          ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
          disruptionsAllowed,
          currentHealthy,
          desiredHealthy,
          expectedPods,
          observedGeneration,
          conditions: disruptionAllowedConditions(copy.status?.conditions ?? [], disruptionsAllowed, observedGeneration, now),
        };
        if (jsonEqual(copy.status ?? {}, status)) return false;
        copy.status = status;
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
  }

  /**
   * `getExpectedScale` per pod: the scale of the pod's controller (a ReplicaSet owned by a
   * Deployment counts as the Deployment), keyed by the controller's uid so each counts once.
   */
  private controllerScale(pod: Pod): { uid: string; scale: number } | undefined {
    const ref = controllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata.namespace;
    if (ref.kind === 'ReplicaSet') {
      const rs = getOf(this.ctx.store, GR.replicaSets, ns, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const dRef = controllerOf(rs);
      if (dRef?.kind === 'Deployment') {
        const d = getOf(this.ctx.store, GR.deployments, ns, dRef.name);
        if (d && d.metadata.uid === dRef.uid) return { uid: dRef.uid, scale: d.spec?.replicas ?? 1 };
      }
      return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet') {
      const sts = getOf(this.ctx.store, GR.statefulSets, ns, ref.name);
      if (!sts || sts.metadata.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: sts.spec?.replicas ?? 1 };
    }
    return undefined;
  }
}

/**
 * `getExpectedPodCount`: an integer minAvailable counts the matching pods; maxUnavailable
 * and a percentage minAvailable use the controllers' scale, rounding percentages up.
 */
export function expectedAndDesired(
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
  scaleOf: (pod: Pod) => { uid: string; scale: number } | undefined,
): { expectedPods: number; desiredHealthy: number } {
  const expectedScale = (): number => {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const s = scaleOf(pod);
      if (s) seen.set(s.uid, s.scale);
    }
    let total = 0;
    for (const n of seen.values()) total += n;
    return total;
  };
  const spec: NonNullable<PodDisruptionBudget['spec']> = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const expectedPods = expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedPods, true);
    return { expectedPods, desiredHealthy: Math.max(0, expectedPods - maxUnavailable) };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedPods: pods.length, desiredHealthy: spec.minAvailable };
    const expectedPods = expectedScale();
    return { expectedPods, desiredHealthy: scaledValue(spec.minAvailable, expectedPods, true) };
  }
  return { expectedPods: 0, desiredHealthy: 0 };
}

/** The PDB's selector, parsed once; policy/v1: a missing selector matches no pods, an invalid one none either. */
function parseSelector(pdb: PodDisruptionBudget): LabelSelector {
  try {
    return labelSelectorFromObject(pdb.spec?.selector);
  } catch {
    return null;
  }
}

/** `buildDisruptedPodMap`: evicted pods still present, not deleting, and within the timeout. */
function keptDisruptedPods(pdb: PodDisruptionBudget, pods: readonly Pod[], now: Date): Record<string, string> {
  const kept: Record<string, string> = {};
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const pod = byName.get(name);
    if (!pod || pod.metadata.deletionTimestamp) continue;
    if (Date.parse(at) + DELETION_TIMEOUT_MS < now.getTime()) continue;
    kept[name] = at;
  }
  return kept;
}

/** `countHealthyPods`: ready pods that are neither being deleted nor just evicted. */
function countHealthy(pods: readonly Pod[], disrupted: Record<string, string>, now: Date): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (at && Date.parse(at) + DELETION_TIMEOUT_MS > now.getTime()) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** `UpdateDisruptionAllowedCondition` with `meta.SetStatusCondition` semantics. */
function disruptionAllowedConditions(current: PdbCondition[], allowed: number, observedGeneration: number, now: Date): PdbCondition[] {
  const status = allowed > 0 ? 'True' : 'False';
  const reason = allowed > 0 ? 'SufficientPods' : 'InsufficientPods';
  const old = current.find((c) => c.type === 'DisruptionAllowed');
  const next = {
    type: 'DisruptionAllowed',
    status,
    observedGeneration,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : rfc3339(now),
    reason,
    message: '',
  };
  return [...current.filter((c) => c.type !== 'DisruptionAllowed'), next];
}
