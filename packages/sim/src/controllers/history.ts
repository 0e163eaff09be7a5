/**
 * ControllerRevisions for StatefulSets and DaemonSets, after
 * k8s.io/kubernetes/pkg/controller/history/controller_history.go and the `getPatch` /
 * `snapshot` functions of the statefulset and daemon controllers.
 */
import type { ControllerRevision, DaemonSet, Fields, PodTemplateSpec, StatefulSet } from '@daytwo/k8s/wire-types.js';
import type { KubeObject, ObjectStore } from '../types.js';
import { canonicalJson, computeHash, hashControllerRevision } from './hash.js';
import { controllerOf, createIfAbsent, GR, jsonEqual, listOf, MANAGER, newControllerRef, updateWithRetry } from './objects.js';

/** The kinds whose history is ControllerRevisions. */
export type RevisionOwner = StatefulSet | DaemonSet;

/** What a collision bump reads and writes of either owner's status. */
interface CollisionCounted extends KubeObject {
  status?: { collisionCount?: number };
}

/** `history.ControllerRevisionHashLabel`. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** `apps.DefaultDaemonSetUniqueLabelKey` / `apps.ControllerRevisionHashLabelKey`. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/** Container lists of a PodSpec: each container's `resources` is a struct, which Go always writes. */
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * The template as `json.Marshal` of the typed PodTemplateSpec writes it: struct fields Go
 * writes even when zero and `omitempty` (a struct is never empty to encoding/json) are added,
 * `metadata.creationTimestamp: null` and each container's `resources: {}`. Other zero values
 * the API server drops on write are left as stored.
 */
export function asTypedTemplate(template: PodTemplateSpec | undefined): Fields {
  const copy: PodTemplateSpec = structuredClone(template ?? {});
  const spec: Fields | undefined = copy.spec;
  for (const list of CONTAINER_LISTS) {
    const containers = spec?.[list];
    if (spec && Array.isArray(containers)) spec[list] = containers.map((c: unknown) => (c && typeof c === 'object' && !('resources' in c) ? { ...c, resources: {} } : c));
  }
  return { ...copy, metadata: { creationTimestamp: null, ...(copy.metadata ?? {}) } };
}

/**
 * `getPatch` (daemon/update.go, statefulset/stateful_set_utils.go), byte for byte:
 * `{"spec":{"template":{...,"$patch":"replace"}}}`, a strategic merge patch that replaces the
 * whole template. Upstream marshals the typed object, reads it back into a
 * `map[string]interface{}` and marshals that, so every object's keys come out sorted; kubectl
 * (`daemonSetMatch`/`statefulsetMatch`) recomputes it from the live workload and compares the
 * bytes with `data`, so `data` keeps exactly that key order (JSON.parse keeps insertion order
 * and the API server writes `data` back as stored).
 */
export function templatePatch(owner: RevisionOwner): { raw: string; data: Record<string, unknown> } {
  const template = { ...asTypedTemplate(owner.spec?.template), $patch: 'replace' };
  const raw = canonicalJson({ spec: { template } });
  return { raw, data: JSON.parse(raw) as Record<string, unknown> };
}

/** Revisions controlled by `owner`, oldest revision first. */
export function ownedRevisions(store: ObjectStore, owner: KubeObject): ControllerRevision[] {
  return listOf(store, GR.controllerRevisions, { namespace: owner.metadata.namespace })
    .filter((r) => controllerOf(r)?.uid === owner.metadata.uid)
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

export interface RevisionNaming {
  /** Name and hash label of the revision for this owner's current template. */
  name: string;
  hash: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * StatefulSet naming (`history.NewControllerRevision`): FNV-32 of the patch bytes, name
 * `<set>-<hash>`, labels = template labels + `controller.kubernetes.io/hash`.
 */
export function statefulSetRevisionNaming(sts: StatefulSet, raw: string): RevisionNaming {
  // getStatefulSetRevisions always passes a collision count (0 when status has none).
  const hash = hashControllerRevision(raw, sts.status?.collisionCount ?? 0);
  const prefix = (sts.metadata.name ?? '').slice(0, 223);
  return {
    name: `${prefix}-${hash}`,
    hash,
    labels: { ...(sts.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
  };
}

/**
 * DaemonSet naming (`snapshot` in daemon/update.go): `ComputeHash` of the template, name
 * `<ds>-<hash>`, labels = template labels + `controller-revision-hash`, the DaemonSet's annotations.
 */
export function daemonSetRevisionNaming(ds: DaemonSet): RevisionNaming {
  const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
  return {
    name: `${ds.metadata.name}-${hash}`,
    hash,
    labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH]: hash },
    ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
  };
}

/**
 * Finds or creates the revision matching the owner's current template and makes it the
 * newest: an existing equal revision that is not the latest (a rollback) gets the next
 * revision number, as `nextRevision`/`FindEqualRevisions` do upstream.
 */
export function syncUpdateRevision(
  store: ObjectStore,
  owner: RevisionOwner,
  ownerKind: 'StatefulSet' | 'DaemonSet',
  naming: (raw: string) => RevisionNaming,
): { revision: ControllerRevision; all: ControllerRevision[] } {
  const { raw, data } = templatePatch(owner);
  const existing = ownedRevisions(store, owner);
  const max = existing.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
  const equal = existing.filter((r) => jsonEqual(r.data, data));
  if (equal.length > 0) {
    let latest = equal[equal.length - 1];
    if ((latest.revision ?? 0) !== max) {
      latest =
        updateWithRetry<ControllerRevision>(
          store,
          GR.controllerRevisions,
          latest.metadata.namespace,
          latest.metadata.name ?? '',
          (copy) => {
            copy.revision = max + 1;
            return true;
          },
          MANAGER.controllerManager,
        ) ?? latest;
    }
    return { revision: latest, all: ownedRevisions(store, owner) };
  }
  const n = naming(raw);
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: n.name,
      namespace: owner.metadata.namespace,
      labels: n.labels,
      ...(n.annotations ? { annotations: n.annotations } : {}),
      ownerReferences: [newControllerRef(owner, 'apps/v1', ownerKind)],
    },
    data,
    revision: max + 1,
  };
  const created = createIfAbsent(store, GR.controllerRevisions, cr, MANAGER.controllerManager);
  if (!created) {
    // A name taken by different data: a hash collision. Bump collisionCount and retry later.
    const kindGr = ownerKind === 'StatefulSet' ? GR.statefulSets : GR.daemonSets;
    updateWithRetry<CollisionCounted>(
      store,
      kindGr,
      owner.metadata.namespace,
      owner.metadata.name ?? '',
      (copy) => {
        copy.status = { ...(copy.status ?? {}), collisionCount: (copy.status?.collisionCount ?? 0) + 1 };
        return true;
      },
      MANAGER.controllerManagerStatus,
    );
    throw new Error(`ControllerRevision ${n.name} collides; collisionCount bumped`);
  }
  return { revision: created, all: ownedRevisions(store, owner) };
}

/** Deletes the oldest revisions beyond `revisionHistoryLimit` that no live pod uses. */
export function truncateHistory(
  store: ObjectStore,
  owner: RevisionOwner,
  revisions: readonly ControllerRevision[],
  inUse: ReadonlySet<string>,
): void {
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const candidates = revisions.filter((r) => !inUse.has(r.metadata.name ?? ''));
  const excess = candidates.length - limit;
  for (const r of candidates.slice(0, Math.max(0, excess))) {
    try {
      store.delete(GR.controllerRevisions, r.metadata.namespace, r.metadata.name ?? '', MANAGER.controllerManager);
    } catch {
      // Already gone.
    }
  }
}
