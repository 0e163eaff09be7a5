/**
 * One read-only pass over the live cluster for a rehearsal: GET lists only, never a watch
 * and never a write. Secrets and ConfigMaps are not read (a pod that mounts one still
 * schedules in the simulated cluster, which does not check them).
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { KubeHttp } from '../http.js';
import { listAll } from '../list.js';
import { fetchServerVersion } from '../version.js';

/** The collections a rehearsal reads, in the order they are loaded into the simulated cluster. */
export const SNAPSHOT_COLLECTIONS = [
  { path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace' },
  { path: '/apis/scheduling.k8s.io/v1/priorityclasses', apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' },
  { path: '/apis/storage.k8s.io/v1/storageclasses', apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
  { path: '/api/v1/nodes', apiVersion: 'v1', kind: 'Node' },
  { path: '/api/v1/limitranges', apiVersion: 'v1', kind: 'LimitRange' },
  { path: '/api/v1/resourcequotas', apiVersion: 'v1', kind: 'ResourceQuota' },
  { path: '/api/v1/persistentvolumes', apiVersion: 'v1', kind: 'PersistentVolume' },
  { path: '/api/v1/persistentvolumeclaims', apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { path: '/apis/apps/v1/deployments', apiVersion: 'apps/v1', kind: 'Deployment' },
  { path: '/apis/apps/v1/replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { path: '/apis/apps/v1/statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { path: '/apis/apps/v1/daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { path: '/apis/apps/v1/controllerrevisions', apiVersion: 'apps/v1', kind: 'ControllerRevision' },
  { path: '/apis/batch/v1/jobs', apiVersion: 'batch/v1', kind: 'Job' },
  { path: '/apis/policy/v1/poddisruptionbudgets', apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { path: '/api/v1/pods', apiVersion: 'v1', kind: 'Pod' },
] as const;

/** What was read, and the API server's version. */
export interface LiveSnapshot {
  readonly objects: readonly KubeObject[];
  readonly serverVersion: string;
  /** `kind: N` for each kind read. */
  readonly counts: Readonly<Record<string, number>>;
  /** Kinds the user may not list (they are left out of the copy). */
  readonly skipped: readonly string[];
}

const LOADED_OWNER_KINDS = new Set<string>(SNAPSHOT_COLLECTIONS.map((c) => c.kind));

/**
 * Drops what the copy must not carry: managedFields (large, unused), and owner references
 * to kinds the copy does not hold (a CRD operator's pods would otherwise be collected as
 * orphans by the simulated garbage collector; they count as pods without a controller).
 */
function forCopy(obj: KubeObject): KubeObject {
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  const owners = metadata.ownerReferences?.filter((r) => LOADED_OWNER_KINDS.has(r.kind));
  return { ...obj, metadata: { ...metadata, ...(owners ? { ownerReferences: owners } : {}) } };
}

/** Reads the cluster once with GET lists. A kind the user may not list is skipped and named. */
export async function readLiveSnapshot(http: KubeHttp): Promise<LiveSnapshot> {
  const version = await fetchServerVersion(http);
  const objects: KubeObject[] = [];
  const counts: Record<string, number> = {};
  const skipped: string[] = [];
  for (const c of SNAPSHOT_COLLECTIONS) {
    try {
      const { items } = await listAll(http, c.path);
      counts[c.kind] = items.length;
      for (const item of items) objects.push(forCopy({ ...item, apiVersion: c.apiVersion, kind: c.kind }));
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      // Nodes, pods and the workloads are the rehearsal; without them there is nothing to rehearse.
      if ((status === 403 || status === 404) && !['Node', 'Pod'].includes(c.kind)) {
        skipped.push(c.kind);
        continue;
      }
      throw err;
    }
  }
  return { objects, serverVersion: version.gitVersion, counts, skipped };
}
