/**
 * PVC volume usage from the kubelet's Summary API (`/api/v1/nodes/NODE/proxy/stats/summary`,
 * k8s.io/kubelet/pkg/apis/stats/v1alpha1): each pod's `volume` entries that carry a `pvcRef`.
 * Pure: the kube layer fetches, this reads.
 */
import type { PodRecord } from '@daytwo/k8s/compact.js';
import type { VolumeUsage } from './alerts.js';

/** What daytwo reads of a Summary: pods' volumes with a claim reference. */
export interface StatsSummaryJson {
  readonly node?: { readonly nodeName?: string };
  readonly pods?: readonly {
    readonly volume?: readonly {
      readonly name?: string;
      readonly capacityBytes?: number;
      readonly usedBytes?: number;
      readonly pvcRef?: { readonly name?: string; readonly namespace?: string };
    }[];
  }[];
}

/** Where the volume stats stand: read from the kubelets, not yet, or not readable (and why). */
export type VolumeStatsState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'available';
      /** Usage by PVC `namespace/name`. */
      readonly usage: ReadonlyMap<string, VolumeUsage>;
      /** Epoch ms of the reading. */
      readonly at: number;
      /** Nodes whose kubelet could not be read this time, with the reason. */
      readonly failed: readonly string[];
    }
  | { readonly status: 'unavailable'; readonly reason: string };

/** Usage of every claim-backed volume in one Summary, by `namespace/name`. */
export function claimUsageFromSummary(summary: StatsSummaryJson): [string, VolumeUsage][] {
  const out: [string, VolumeUsage][] = [];
  for (const pod of summary.pods ?? []) {
    for (const v of pod.volume ?? []) {
      const ref = v.pvcRef;
      if (!ref?.name || !ref.namespace) continue;
      if (typeof v.usedBytes !== 'number' || typeof v.capacityBytes !== 'number') continue;
      out.push([`${ref.namespace}/${ref.name}`, { usedBytes: v.usedBytes, capacityBytes: v.capacityBytes }]);
    }
  }
  return out;
}

/**
 * The nodes worth asking: those running a pod that mounts a PersistentVolumeClaim (a kubelet
 * reports volume usage only for the pods it runs), sorted.
 */
export function nodesWithClaims(pods: Iterable<PodRecord>): string[] {
  const nodes = new Set<string>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase !== 'Running') continue;
    if ((pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim)) nodes.add(node);
  }
  return [...nodes].sort();
}
