/**
 * How the API server merges the list fields of the built-in kinds, one table for both of its
 * merges: server-side apply reads the `+listType`/`+listMapKey` markers of k8s.io/api (its
 * managedFields `k:{...}` and `v:` elements), a strategic merge patch the `patchStrategy`/
 * `patchMergeKey` struct tags (core/v1, apps/v1, policy/v1, batch/v1, meta/v1 types.go).
 * A field not named here is atomic for apply and replaced whole by a patch.
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

/** The merge semantics of one field. */
export interface FieldMerge {
  /** Server-side apply: the `+listMapKey`s of a `+listType=map`, or `set` for `+listType=set`; absent when atomic. */
  readonly apply?: readonly string[] | 'set';
  /** Strategic merge patch; absent when the patch replaces the field whole. */
  readonly patch?: FieldStrategy;
}

const merge = (mergeKey?: string, retainKeys = false): FieldStrategy => ({ strategy: 'merge', mergeKey, retainKeys });
const keyed = (keys: readonly string[], patch: FieldStrategy): FieldMerge => ({ apply: keys, patch });
const byName = keyed(['name'], merge('name'));

/**
 * Fields by the trailing field names of their path. The longest matching suffix wins, so
 * `containers.ports` (ContainerPort: containerPort+protocol, patched by containerPort) beats
 * a Service's `spec.ports` (port+protocol, patched by port).
 */
const BY_SUFFIX: Readonly<Record<string, FieldMerge>> = {
  // meta/v1 ObjectMeta
  'metadata.finalizers': { apply: 'set', patch: merge() },
  'metadata.ownerReferences': keyed(['uid'], merge('uid')),
  // core/v1 PodSpec
  volumes: keyed(['name'], merge('name', true)),
  containers: byName,
  initContainers: byName,
  ephemeralContainers: byName,
  imagePullSecrets: byName,
  hostAliases: keyed(['ip'], merge('ip')),
  topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable'], merge('topologyKey')),
  resourceClaims: keyed(['name'], merge('name', true)),
  schedulingGates: byName,
  // core/v1 Container
  'containers.ports': keyed(['containerPort', 'protocol'], merge('containerPort')),
  'initContainers.ports': keyed(['containerPort', 'protocol'], merge('containerPort')),
  'ephemeralContainers.ports': keyed(['containerPort', 'protocol'], merge('containerPort')),
  env: byName,
  volumeMounts: keyed(['mountPath'], merge('mountPath')),
  volumeDevices: keyed(['devicePath'], merge('devicePath')),
  // core/v1 status types and every workload/PDB/namespace condition list
  conditions: keyed(['type'], merge('type')),
  podIPs: keyed(['ip'], merge('ip')),
  hostIPs: keyed(['ip'], merge('ip')),
  'status.addresses': keyed(['type'], merge('type')),
  'spec.podCIDRs': { patch: merge() },
  // core/v1 ServiceSpec
  'spec.ports': keyed(['port', 'protocol'], merge('port')),
  // apps/v1 DeploymentSpec.strategy (`patchStrategy:"retainKeys"`)
  'spec.strategy': { patch: { strategy: 'retainKeys' } },
};

/** The merge semantics of the field at `path` (field names from the object root, no indices or keys). */
export function fieldMerge(path: readonly string[]): FieldMerge | undefined {
  for (let take = Math.min(path.length, 3); take >= 1; take--) {
    const hit = BY_SUFFIX[path.slice(path.length - take).join('.')];
    if (hit) return hit;
  }
  return undefined;
}

/** The strategic-merge-patch strategy of the field at `path` for built-in kinds. */
export const builtinStrategies: StrategyLookup = (path) => fieldMerge(path)?.patch;
