/**
 * Keys of the associative lists of the built-in kinds, by field name: the `+listType=map` /
 * `+listMapKey` and `patchMergeKey` tags of k8s.io/api, which server-side apply uses for
 * managedFields `k:{...}` elements and which identify list items across versions. Lists not
 * named here are atomic (compared by position). Ports are keyed by more than one field
 * depending on where they stand, so their owners handle them.
 */
export const LIST_MAP_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  podIPs: ['ip'],
  hostIPs: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  schedulingGates: ['name'],
  addresses: ['type'],
};
