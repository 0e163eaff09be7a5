/**
 * What the comparison needs to know of the built-in kinds' OpenAPI schemas, per field path:
 * - how a list merges under server-side apply: `+listType=map` with its `+listMapKey`s,
 *   `+listType=set`, or atomic. Where a type has no list type, its `patchStrategy=merge` +
 *   `patchMergeKey` make it a map keyed by that key (kube-openapi pkg/schemaconv: list type
 *   first, then patch strategy, else atomic). Lists not named here are atomic.
 * - string maps applied whole (`+mapType=atomic`, and LabelSelector's `+structType=atomic`
 *   `matchLabels`): a live key Git lacks is drift, since applying Git removes it;
 * - resource.Quantity fields, compared by amount (`500m` = `0.5`).
 * Taken from the `// +listType`, `// +listMapKey`, `// +mapType`, `patchMergeKey` markers
 * and the field types of k8s.io/api core/v1, apps/v1, batch/v1, autoscaling/v2 (and v2beta1,
 * v2beta2), networking/v1, node/v1, storage/v1, policy/v1, admissionregistration/v1, rbac/v1.
 * A kind not described here (custom resources) is {@link UNKNOWN}: the caller falls back.
 */

/** How a list is compared: by key, as a set of values, or by position. */
export type ListSemantics = { readonly keys: readonly string[] } | 'set' | 'atomic';

/** The schema of one field. */
export interface FieldSchema {
  /** Set when the field is a list. */
  readonly list?: ListSemantics;
  /** The items of a list. */
  readonly item?: FieldSchema;
  /** The fields of a struct. */
  readonly fields?: Readonly<Record<string, FieldSchema>>;
  /** Every value of a map (a ResourceList's quantities). */
  readonly values?: FieldSchema;
  /** A string map applied whole (`+mapType=atomic`). */
  readonly exact?: boolean;
  /** A resource.Quantity. */
  readonly quantity?: boolean;
}

const struct = (fields: Record<string, FieldSchema>): FieldSchema => ({ fields });
const keyed = (keys: readonly string[], item?: FieldSchema): FieldSchema => ({ list: { keys }, ...(item ? { item } : {}) });
const atomicList = (item: FieldSchema): FieldSchema => ({ list: 'atomic', item });
const SET: FieldSchema = { list: 'set' };
const QUANTITY: FieldSchema = { quantity: true };
/** core/v1 ResourceList: map[ResourceName]resource.Quantity. */
const RESOURCE_LIST: FieldSchema = { values: QUANTITY };
const EXACT_MAP: FieldSchema = { exact: true };
/** meta/v1 LabelSelector (`+structType=atomic`). */
const LABEL_SELECTOR = struct({ matchLabels: EXACT_MAP });

const RESOURCE_REQUIREMENTS = struct({ limits: RESOURCE_LIST, requests: RESOURCE_LIST, claims: keyed(['name']) });

/** core/v1 EnvVarSource.resourceFieldRef.divisor is a Quantity. */
const ENV_VAR = struct({ valueFrom: struct({ resourceFieldRef: struct({ divisor: QUANTITY }) }) });

const CONTAINER = struct({
  ports: keyed(['containerPort', 'protocol']),
  env: keyed(['name'], ENV_VAR),
  volumeMounts: keyed(['mountPath']),
  volumeDevices: keyed(['devicePath']),
  resources: RESOURCE_REQUIREMENTS,
});

const PVC_SPEC = struct({ resources: RESOURCE_REQUIREMENTS, selector: LABEL_SELECTOR });

const VOLUME = struct({
  emptyDir: struct({ sizeLimit: QUANTITY }),
  ephemeral: struct({ volumeClaimTemplate: struct({ spec: PVC_SPEC }) }),
  downwardAPI: struct({ items: atomicList(struct({ resourceFieldRef: struct({ divisor: QUANTITY }) })) }),
});

const POD_AFFINITY_TERM = struct({ labelSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR });
const POD_AFFINITY = struct({
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(POD_AFFINITY_TERM),
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(struct({ podAffinityTerm: POD_AFFINITY_TERM })),
});

const POD_SPEC = struct({
  containers: keyed(['name'], CONTAINER),
  initContainers: keyed(['name'], CONTAINER),
  ephemeralContainers: keyed(['name'], CONTAINER),
  volumes: keyed(['name'], VOLUME),
  imagePullSecrets: keyed(['name']),
  hostAliases: keyed(['ip']),
  topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable'], struct({ labelSelector: LABEL_SELECTOR })),
  resourceClaims: keyed(['name']),
  schedulingGates: keyed(['name']),
  nodeSelector: EXACT_MAP,
  overhead: RESOURCE_LIST,
  resources: RESOURCE_REQUIREMENTS,
  affinity: struct({ podAffinity: POD_AFFINITY, podAntiAffinity: POD_AFFINITY }),
});

const POD_TEMPLATE = struct({ spec: POD_SPEC });
const WORKLOAD = struct({ spec: struct({ selector: LABEL_SELECTOR, template: POD_TEMPLATE }) });

/** autoscaling/v2 (and v2beta2) MetricTarget, and v2beta1's target fields. */
const METRIC_TARGET = struct({ value: QUANTITY, averageValue: QUANTITY });
const METRIC_SOURCE = struct({
  target: METRIC_TARGET,
  targetValue: QUANTITY,
  targetAverageValue: QUANTITY,
  selector: LABEL_SELECTOR,
  metric: struct({ selector: LABEL_SELECTOR }),
  metricSelector: LABEL_SELECTOR,
});
const HPA_METRIC = struct({ object: METRIC_SOURCE, pods: METRIC_SOURCE, resource: METRIC_SOURCE, containerResource: METRIC_SOURCE, external: METRIC_SOURCE });

const WEBHOOKS = struct({ webhooks: keyed(['name'], struct({ namespaceSelector: LABEL_SELECTOR, objectSelector: LABEL_SELECTOR })) });

/** Root schemas by `group/Kind` (core group: `/Kind`). */
const KINDS: Readonly<Record<string, FieldSchema>> = {
  '/Pod': struct({ spec: POD_SPEC }),
  '/PodTemplate': struct({ template: POD_TEMPLATE }),
  // ReplicationControllerSpec.selector is a `+mapType=atomic` map.
  '/ReplicationController': struct({ spec: struct({ selector: EXACT_MAP, template: POD_TEMPLATE }) }),
  'apps/Deployment': WORKLOAD,
  'apps/ReplicaSet': WORKLOAD,
  'apps/DaemonSet': WORKLOAD,
  'apps/StatefulSet': struct({
    spec: struct({ selector: LABEL_SELECTOR, template: POD_TEMPLATE, volumeClaimTemplates: atomicList(struct({ spec: PVC_SPEC })) }),
  }),
  'batch/Job': WORKLOAD,
  'batch/CronJob': struct({ spec: struct({ jobTemplate: WORKLOAD }) }),
  // ServiceSpec.ports: `+listType=map +listMapKey=port +listMapKey=protocol`; selector `+mapType=atomic`.
  '/Service': struct({ spec: struct({ ports: keyed(['port', 'protocol']), selector: EXACT_MAP }) }),
  '/PersistentVolumeClaim': struct({ spec: PVC_SPEC }),
  '/PersistentVolume': struct({ spec: struct({ capacity: RESOURCE_LIST }) }),
  '/ResourceQuota': struct({ spec: struct({ hard: RESOURCE_LIST }) }),
  '/LimitRange': struct({
    spec: struct({
      limits: atomicList(
        struct({ max: RESOURCE_LIST, min: RESOURCE_LIST, default: RESOURCE_LIST, defaultRequest: RESOURCE_LIST, maxLimitRequestRatio: RESOURCE_LIST }),
      ),
    }),
  }),
  '/ServiceAccount': struct({ secrets: keyed(['name']) }),
  '/Node': struct({ spec: struct({ podCIDRs: SET }) }),
  '/ConfigMap': struct({}),
  '/Secret': struct({}),
  '/Namespace': struct({}),
  '/Endpoints': struct({}),
  'autoscaling/HorizontalPodAutoscaler': struct({ spec: struct({ metrics: atomicList(HPA_METRIC) }) }),
  // NetworkPolicySpec ingress/egress and their ports/from/to are `+listType=atomic`.
  'networking.k8s.io/NetworkPolicy': struct({
    spec: struct({
      podSelector: LABEL_SELECTOR,
      ingress: atomicList(struct({ from: atomicList(struct({ podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR })) })),
      egress: atomicList(struct({ to: atomicList(struct({ podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR })) })),
    }),
  }),
  'networking.k8s.io/Ingress': struct({}),
  'networking.k8s.io/IngressClass': struct({}),
  'policy/PodDisruptionBudget': struct({ spec: struct({ selector: LABEL_SELECTOR }) }),
  'rbac.authorization.k8s.io/Role': struct({}),
  'rbac.authorization.k8s.io/ClusterRole': struct({ aggregationRule: struct({ clusterRoleSelectors: atomicList(LABEL_SELECTOR) }) }),
  'rbac.authorization.k8s.io/RoleBinding': struct({}),
  'rbac.authorization.k8s.io/ClusterRoleBinding': struct({}),
  'node.k8s.io/RuntimeClass': struct({ overhead: struct({ podFixed: RESOURCE_LIST }) }),
  'storage.k8s.io/StorageClass': struct({}),
  'storage.k8s.io/CSIStorageCapacity': struct({ capacity: QUANTITY, maximumVolumeSize: QUANTITY, nodeTopology: LABEL_SELECTOR }),
  'scheduling.k8s.io/PriorityClass': struct({}),
  'coordination.k8s.io/Lease': struct({}),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': WEBHOOKS,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': WEBHOOKS,
};

/** ObjectMeta, the same for every kind: finalizers `+listType=set`, ownerReferences keyed by uid. */
const METADATA = struct({ finalizers: SET, ownerReferences: keyed(['uid']) });

/** The schema of a kind, or undefined for kinds not described (custom resources). */
export function kindSchema(group: string, kind: string): FieldSchema | undefined {
  const root = KINDS[`${group}/${kind}`];
  return root ? { fields: { ...root.fields, metadata: METADATA } } : undefined;
}

/** The schema at a path of field names from the root (list items add no name). */
export function schemaAt(root: FieldSchema | undefined, names: readonly string[]): FieldSchema | undefined {
  let node = root;
  for (const name of names) {
    if (!node) return undefined;
    const holder = node.item ?? node;
    node = holder.fields?.[name] ?? holder.values;
  }
  return node;
}
