/**
 * The conformance scenarios: kubectl commands and manifests run in a namespace of their own
 * (`$NS`) on the simulated cluster and on the real control plane. What each step printed
 * and what `observe` reads back are normalised and compared.
 *
 * A step is `{ kubectl: [...args], stdin?: 'manifest' }`; `observe` steps are kubectl
 * commands too (usually `get ... -o json`). `settle` waits (ms) before observing, for
 * controllers to act. `known` names a difference that is expected, with the reason; the
 * README's table of known differences is made from those.
 */

const podSpec = (extra = '') => `
      containers:
      - name: app
        image: nginx:1.27${extra}`;

/** A Service and a Deployment whose ports leave `protocol` out. */
export const PORTS_MANIFEST = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]
`;

export const SCENARIOS = [
  {
    name: 'statefulset with volumeClaimTemplates is accepted',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
      },
    ],
    observe: [['get', 'statefulset', 'db', '-o', 'jsonpath={.spec.volumeClaimTemplates[0].metadata.name}']],
  },
  {
    name: 'server-side apply over client-side apply keeps ports without protocol',
    steps: [
      { kubectl: ['apply', '-f', '-'], stdin: PORTS_MANIFEST },
      { kubectl: ['apply', '--server-side', '-f', '-'], stdin: PORTS_MANIFEST },
    ],
    observe: [
      ['get', 'service', 'web', '-o', 'jsonpath={.spec.ports}'],
      ['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].ports}'],
    ],
  },
  {
    name: 'moving from client-side to server-side apply rewrites last-applied and bumps generation',
    steps: [
      { kubectl: ['apply', '-f', '-'], stdin: PORTS_MANIFEST },
      { kubectl: ['apply', '--server-side', '-f', '-'], stdin: PORTS_MANIFEST },
    ],
    observe: [['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.generation}']],
  },
  {
    name: 'unknown field refused by --validate=strict',
    steps: [{ kubectl: ['apply', '--validate=strict', '-f', '-'], stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict}\ndata: {a: "1"}\nbogus: true\n` }],
    observe: [],
    known: 'The sim has no OpenAPI schemas of the built-in types, so it cannot tell unknown fields (kubectl then reports nothing); it ignores them.',
  },
  {
    name: 'invalid enum value refused',
    steps: [{ kubectl: ['apply', '-f', '-'], stdin: `apiVersion: v1\nkind: Service\nmetadata: {name: enum}\nspec: {type: Bogus, ports: [{port: 80}]}\n` }],
    observe: [],
    known: 'Enum validation needs the schemas the sim does not have (see the row above).',
  },
  {
    name: 'kubectl auth whoami',
    steps: [{ kubectl: ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'] }],
    observe: [],
  },
  {
    name: 'API groups daytwo and kubectl users rely on are served',
    steps: [],
    observe: [
      ['api-resources', '--api-group=rbac.authorization.k8s.io', '-o', 'name'],
      ['api-resources', '--api-group=discovery.k8s.io', '-o', 'name'],
      ['api-resources', '--api-group=authentication.k8s.io', '-o', 'name'],
      ['api-resources', '--api-group=storage.k8s.io', '-o', 'name'],
    ],
    known: 'authentication.k8s.io: the sim serves SelfSubjectReviews only, not TokenReviews (it has no webhook or aggregated authenticators to review for). storage.k8s.io: the sim serves StorageClasses only (no CSIDrivers, CSINodes, CSIStorageCapacities, VolumeAttachments, VolumeAttributesClasses); there are no CSI drivers to describe.',
  },
  {
    name: 'CustomResourceDefinitions are served',
    steps: [],
    observe: [['api-resources', '--api-group=apiextensions.k8s.io', '-o', 'name']],
  },
  {
    // The CRD's group carries the run's namespace: CRDs are cluster-scoped and outlive the namespace.
    name: 'a CRD serves its resource, printed with its additionalPrinterColumns',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.$NS.example.com}
spec:
  group: $NS.example.com
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
`,
      },
      { kubectl: ['wait', '--for=condition=established', 'crd/widgets.$NS.example.com', '--timeout=30s'] },
      { kubectl: ['apply', '-f', '-'], stdin: 'apiVersion: $NS.example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3, color: red}\n' },
    ],
    observe: [
      ['get', 'widgets.$NS.example.com'],
      ['get', 'crd', 'widgets.$NS.example.com', '-o', 'jsonpath={.status.conditions[*].type} {.status.conditions[*].reason} {.status.acceptedNames} {.status.storedVersions}'],
      ['delete', 'crd', 'widgets.$NS.example.com'],
    ],
  },
  {
    name: 'autoscaling/v1 is served',
    steps: [],
    observe: [['api-versions']],
    known: 'The sim serves a subset of the API versions (no autoscaling/v1, admissionregistration, certificates, flowcontrol, node.k8s.io, resource.k8s.io, ...).',
  },
  {
    name: 'kubectl explain',
    steps: [{ kubectl: ['explain', 'deployment.spec.replicas'] }],
    observe: [],
    known: 'kubectl explain reads the OpenAPI v3 schemas, which the sim does not serve for the built-in types.',
  },
  {
    name: 'deleting a namespace deletes its content and the namespace',
    steps: [
      { kubectl: ['create', 'namespace', '$NS-gone'] },
      { kubectl: ['-n', '$NS-gone', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'] },
      { kubectl: ['-n', '$NS-gone', 'create', 'configmap', 'c', '--from-literal=a=b'] },
      { kubectl: ['delete', 'namespace', '$NS-gone', '--timeout=60s'] },
    ],
    observe: [['get', 'namespace', '$NS-gone', '--ignore-not-found', '-o', 'name']],
  },
  {
    name: 'foreground deletion removes dependents, then the owner',
    steps: [
      { kubectl: ['create', 'deployment', 'fg', '--image=nginx:1.27', '--replicas=2'] },
      { kubectl: ['rollout', 'status', 'deployment/fg', '--timeout=60s'] },
      { kubectl: ['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s'] },
    ],
    observe: [['get', 'deployments,replicasets,pods', '-l', 'app=fg', '-o', 'name']],
  },
  {
    name: 'a Job gets a generated selector on its controller-uid',
    steps: [{ kubectl: ['create', 'job', 'once', '--image=busybox:1.36'] }],
    observe: [['get', 'job', 'once', '-o', 'jsonpath={.spec.selector.matchLabels} {.spec.template.metadata.labels}']],
  },
  {
    name: 'an Indexed Job runs one pod per index',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: batch/v1
kind: Job
metadata: {name: shards}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
${podSpec().replace(/^ {4}/gm, '    ')}
`,
      },
      { kubectl: ['wait', '--for=condition=Complete', 'job/shards', '--timeout=60s'] },
    ],
    observe: [
      ['get', 'job', 'shards', '-o', 'jsonpath={.status.completedIndexes} {.status.succeeded}'],
      ['get', 'pods', '-l', 'job-name=shards', '-o', "jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index}:{.spec.hostname} {end}", '--sort-by=.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index'],
    ],
  },
  {
    name: 'a CronJob with an unparseable schedule is refused',
    steps: [{ kubectl: ['create', 'cronjob', 'bad', '--image=busybox:1.36', '--schedule=* * * *'] }],
    observe: [],
  },
  {
    name: 'a pod whose claim cannot bind stays Pending, with the scheduler reason',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: nowhere}
spec: {accessModes: [ReadWriteOnce], storageClassName: no-such-class, resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: waits}
spec:
  containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: nowhere}}]
`,
      },
    ],
    settle: 3000,
    observe: [['get', 'pod', 'waits', '-o', 'jsonpath={.status.phase} {.status.conditions[?(@.type=="PodScheduled")].message}']],
    known: "Pending on both, for the same reason; the message's tail differs: kube-scheduler 1.35 and 1.36 end it with 'not found' (and adds 'no new claims to deallocate, ' before 'preemption:' for filter rejections), the sim writes 'preemption: 0/N nodes are available: N Preemption is not helpful for scheduling.' as its other messages do. Not aligned yet.",
  },
  {
    name: 'replicas spread over the nodes',
    steps: [
      { kubectl: ['create', 'deployment', 'spread', '--image=nginx:1.27', '--replicas=3'] },
      { kubectl: ['rollout', 'status', 'deployment/spread', '--timeout=60s'] },
    ],
    observe: [{ kubectl: ['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'], transform: 'distinct-count' }],
    known: "The sim's scorer counts requests only, so pods without requests all land on the least allocated node; kube-scheduler counts default requests (100m, 200Mi) for them and spreads by topology. The fix moves the demo's pods, and the tests written against their places with them: not done yet.",
  },
  {
    name: 'StatefulSet minReadySeconds makes pods available',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: slow}
spec:
  replicas: 2
  minReadySeconds: 2
  serviceName: slow
  selector: {matchLabels: {app: slow}}
  template:
    metadata: {labels: {app: slow}}
    spec:
${podSpec().replace(/^ {6}/gm, '      ')}
`,
      },
      { kubectl: ['rollout', 'status', 'statefulset/slow', '--timeout=60s'] },
    ],
    settle: 4000,
    observe: [['get', 'statefulset', 'slow', '-o', 'jsonpath={.status.readyReplicas} {.status.availableReplicas}']],
  },
  {
    name: 'DaemonSet status has no stale numberUnavailable',
    steps: [
      { kubectl: ['apply', '-f', '-'], stdin: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n` },
      { kubectl: ['rollout', 'status', 'daemonset/agent', '--timeout=60s'] },
    ],
    settle: 2000,
    observe: [['get', 'daemonset', 'agent', '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.numberAvailable} [{.status.numberUnavailable}]']],
  },
  {
    name: 'Endpoints go with their Service',
    steps: [
      { kubectl: ['create', 'deployment', 'ep', '--image=nginx:1.27'] },
      { kubectl: ['expose', 'deployment', 'ep', '--port=80'] },
      { kubectl: ['rollout', 'status', 'deployment/ep', '--timeout=60s'] },
      { kubectl: ['delete', 'service', 'ep'] },
    ],
    settle: 2000,
    observe: [['get', 'endpoints,endpointslices', '-l', 'kubernetes.io/service-name=ep', '-o', 'name'], ['get', 'endpoints', 'ep', '--ignore-not-found', '-o', 'name']],
  },
  {
    name: 'a PodDisruptionBudget blocks an eviction with 429',
    steps: [
      {
        kubectl: ['apply', '-f', '-'],
        stdin: `apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded}
spec:
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec:
      nodeSelector: {kubernetes.io/hostname: real-node-b}
      containers: [{name: app, image: nginx:1.27}]
`,
      },
      { kubectl: ['create', 'poddisruptionbudget', 'guarded', '--selector=app=guarded', '--min-available=1'] },
      { kubectl: ['rollout', 'status', 'deployment/guarded', '--timeout=60s'] },
      { kubectl: ['wait', '--for=jsonpath={.status.currentHealthy}=1', 'poddisruptionbudget/guarded', '--timeout=60s'] },
      { kubectl: ['drain', 'real-node-b', '--pod-selector=app=guarded', '--ignore-daemonsets', '--timeout=3s'] },
      { kubectl: ['uncordon', 'real-node-b'] },
    ],
    observe: [['get', 'poddisruptionbudget', 'guarded', '-o', 'jsonpath={.status.currentHealthy} {.status.desiredHealthy} {.status.disruptionsAllowed} {.status.expectedPods}']],
  },
  {
    name: 'rollout undo makes a new revision with the old template',
    steps: [
      { kubectl: ['create', 'deployment', 'undo', '--image=nginx:1.26'] },
      { kubectl: ['rollout', 'status', 'deployment/undo', '--timeout=60s'] },
      { kubectl: ['set', 'image', 'deployment/undo', 'nginx=nginx:1.27'] },
      { kubectl: ['rollout', 'status', 'deployment/undo', '--timeout=60s'] },
      { kubectl: ['rollout', 'undo', 'deployment/undo'] },
      { kubectl: ['rollout', 'status', 'deployment/undo', '--timeout=60s'] },
    ],
    observe: [
      ['get', 'deployment', 'undo', '-o', "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.spec.template.spec.containers[0].image}"],
      ['rollout', 'history', 'deployment/undo'],
    ],
  },
  {
    name: 'server-side print columns',
    steps: [
      { kubectl: ['create', 'deployment', 'cols', '--image=nginx:1.27'] },
      { kubectl: ['expose', 'deployment', 'cols', '--port=80'] },
      { kubectl: ['rollout', 'status', 'deployment/cols', '--timeout=60s'] },
    ],
    observe: [{ kubectl: ['get', 'deployments,replicasets,services,endpoints,endpointslices,configmaps,serviceaccounts'], transform: 'headers' }],
  },
];

