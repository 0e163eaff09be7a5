/**
 * Strategic merge patch metadata: which lists merge and by which key, taken from the
 * `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api (core/v1, apps/v1,
 * policy/v1, batch/v1, meta/v1 types.go). Lists not listed here are replaced whole.
 */

/** How a field is merged by a strategic merge patch. */
export interface FieldStrategy {
  /** 'merge' merges list items (by `mergeKey`, or as a set for primitive lists). */
  strategy: 'merge' | 'replace' | 'retainKeys';
  mergeKey?: string;
  /** `patchStrategy:"merge,retainKeys"`: list items also drop keys not in the patch's `$retainKeys`. */
  retainKeys?: boolean;
}

/** Looks up the strategy of the field at `path` (field names from the object root, no indices). */
export type StrategyLookup = (path: readonly string[]) => FieldStrategy | undefined;

const merge = (mergeKey?: string, retainKeys = false): FieldStrategy => ({ strategy: 'merge', mergeKey, retainKeys });

/**
 * Strategies keyed by the trailing field names of a path. The longest matching suffix wins,
 * so `containers.ports` (ContainerPort, by containerPort) beats a Service's `spec.ports` (by port).
 */
const BY_SUFFIX: Record<string, FieldStrategy> = {
  // meta/v1 ObjectMeta
  'metadata.finalizers': merge(),
  'metadata.ownerReferences': merge('uid'),
  // core/v1 PodSpec
  volumes: merge('name', true),
  containers: merge('name'),
  initContainers: merge('name'),
  ephemeralContainers: merge('name'),
  imagePullSecrets: merge('name'),
  hostAliases: merge('ip'),
  topologySpreadConstraints: merge('topologyKey'),
  resourceClaims: merge('name', true),
  schedulingGates: merge('name'),
  // core/v1 Container
  'containers.ports': merge('containerPort'),
  'initContainers.ports': merge('containerPort'),
  'ephemeralContainers.ports': merge('containerPort'),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
  // core/v1 status types and every workload/PDB/namespace condition list
  conditions: merge('type'),
  podIPs: merge('ip'),
  hostIPs: merge('ip'),
  'status.addresses': merge('type'),
  'spec.podCIDRs': merge(),
  // core/v1 ServiceSpec
  'spec.ports': merge('port'),
  // apps/v1 DeploymentSpec.strategy (`patchStrategy:"retainKeys"`)
  'spec.strategy': { strategy: 'retainKeys' },
};

/** The strategy of the field at `path` for built-in kinds (the table above). */
export const builtinStrategies: StrategyLookup = (path) => {
  for (let take = Math.min(path.length, 3); take >= 1; take--) {
    const hit = BY_SUFFIX[path.slice(path.length - take).join('.')];
    if (hit) return hit;
  }
  return undefined;
};
