/** Readiness from the store's object maps plus the Helm and manifest sources: what the view and the report both call. */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { KindMaps } from '../kinds.js';
import type { KubeVersion } from '../version.js';
import { type ApiFinding, liveApiFindings, type ManifestUse, manifestApiFindings } from './api-findings.js';
import { buildUpgradeReadiness, type UpgradeReadiness } from './readiness.js';
import type { HelmReleaseUses } from './sources.js';

export interface ReadinessSources {
  readonly target: KubeVersion;
  readonly apiServer?: KubeVersion;
  /** Objects by store kind (`nodes`, `pods`, `poddisruptionbudgets`, ...). */
  readonly objects: Partial<KindMaps>;
  readonly helmReleases?: readonly HelmReleaseUses[];
  /** Git and file manifests. */
  readonly manifests?: readonly ManifestUse[];
}

const values = <T extends KubeObject>(m: ReadonlyMap<string, T> | undefined): T[] => (m ? [...m.values()] : []);

/** API findings of every source: live objects of every kind held, Helm releases, manifests. */
export function findingsOf(src: ReadinessSources): ApiFinding[] {
  const live = Object.entries(src.objects).flatMap(([kind, map]) => (kind === 'events' || !map ? [] : liveApiFindings(map.values(), src.target)));
  const helm = manifestApiFindings((src.helmReleases ?? []).flatMap((r) => r.uses), src.target);
  return [...live, ...helm, ...manifestApiFindings(src.manifests ?? [], src.target)];
}

/** The whole readiness answer from the sources. */
export function readinessOf(src: ReadinessSources): UpgradeReadiness {
  return buildUpgradeReadiness({
    target: src.target,
    apiServer: src.apiServer,
    apis: findingsOf(src),
    nodes: values(src.objects.nodes),
    pods: values(src.objects.pods),
    pdbs: values(src.objects.poddisruptionbudgets),
    daemonSets: values(src.objects.daemonsets),
    workloads: [...values(src.objects.deployments), ...values(src.objects.statefulsets)],
  });
}
