import { describe, expect, it } from 'vitest';
import { compactRecord, createInterner, nodeRecord, type PodRecord, podRecord, prune, UNIQUE } from '../../src/compact.js';
import type { KubeObject } from '../../src/kube-object.js';
import { podRequests } from '../../src/pod-requests.js';
import { explainQos } from '../../src/qos.js';
import type { Pod } from '../../src/wire-types.js';

/**
 * A pod as the API server returns it for a Deployment's replica: what a list or watch event brings. A
 * `KubeObject`, not a `Pod`: it carries `lastProbeTime: null` as Go marshals a zero time, which
 * the wire types (`string | undefined`) do not model.
 */
function apiPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'checkout-api-7d9f8c6b5-x2k4q',
      generateName: 'checkout-api-7d9f8c6b5-',
      namespace: 'checkout-prod',
      uid: '5f0c3c4e-1111-2222-3333-444455556666',
      resourceVersion: '81234',
      creationTimestamp: '2026-12-01T10:00:00Z',
      labels: { app: 'checkout-api', 'pod-template-hash': '7d9f8c6b5' },
      annotations: {
        'kubectl.kubernetes.io/default-container': 'api',
        'prometheus.io/scrape': 'true',
        'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy"]}',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-api-7d9f8c6b5', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
    },
    spec: {
      nodeName: 'ip-10-0-1-17.eu-west-1.compute.internal',
      containers: [
        {
          name: 'api',
          image: 'ghcr.io/acme/checkout-api:1.4.2',
          imagePullPolicy: 'IfNotPresent',
          command: ['/app', '--port=8080'],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/app' }, { name: 'scratch', mountPath: '/tmp' }],
          terminationMessagePath: '/dev/termination-log',
        },
      ],
      initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '64Mi' } } }],
      volumes: [
        { name: 'config', configMap: { name: 'checkout-api', defaultMode: 420, items: [{ key: 'app.yaml', path: 'app.yaml' }] } },
        { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
      ],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['general'] }] }] } },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] },
      },
      priority: 0,
      terminationGracePeriodSeconds: 30,
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      securityContext: { runAsNonRoot: true },
      enableServiceLinks: true,
    },
    status: {
      phase: 'Running',
      qosClass: 'Burstable',
      hostIP: '10.0.1.17',
      hostIPs: [{ ip: '10.0.1.17' }],
      podIP: '10.0.1.44',
      podIPs: [{ ip: '10.0.1.44' }],
      startTime: '2026-12-01T10:00:01Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-12-01T10:00:09Z' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, image: 'envoy:1.30', imageID: 'sha256:aa', containerID: 'containerd://bb', state: { running: { startedAt: '2026-12-01T10:00:02Z' } }, lastState: {} }],
      containerStatuses: [
        {
          name: 'api',
          ready: true,
          started: true,
          restartCount: 3,
          image: 'ghcr.io/acme/checkout-api:1.4.2',
          imageID: 'ghcr.io/acme/checkout-api@sha256:0123',
          containerID: 'containerd://cc',
          state: { running: { startedAt: '2026-12-01T11:00:00Z' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-12-01T10:30:00Z', finishedAt: '2026-12-01T11:00:00Z', containerID: 'containerd://dd' } },
        },
      ],
    },
  };
}

describe('prune', () => {
  it('keeps the fields a shape names, whole under true, element by element in arrays', () => {
    const value = { a: 1, b: { c: 2, d: 3 }, e: [{ f: 1, g: 2 }, { f: 3 }], h: 'x' };
    expect(prune(value, { a: true, b: { c: true }, e: { f: true } })).toEqual({ a: 1, b: { c: 2 }, e: [{ f: 1 }, { f: 3 }] });
  });

  it("applies '*' to every field not named, so a volume keeps which kind of source it is", () => {
    const volumes = [{ name: 'data', emptyDir: { medium: 'Memory' } }, { name: 'cfg', configMap: { name: 'x' } }];
    expect(prune(volumes, { name: true, '*': {} })).toEqual([{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: {} }]);
  });

  it('copies what it keeps below the top of a shape, and leaves its input as it was', () => {
    const value = { meta: { name: 'a', junk: 1 }, list: [{ k: 1 }] };
    const before = structuredClone(value);
    const out = prune(value, { meta: { name: true }, list: { k: true } }) as typeof value;
    expect(value).toEqual(before);
    expect(out.meta).not.toBe(value.meta);
    expect(out.list[0]).not.toBe(value.list[0]);
  });

  it('ignores fields inherited from Object.prototype and undefined values', () => {
    expect(prune({ a: undefined, b: 1 }, { a: true, b: true })).toEqual({ b: 1 });
    expect(prune({ b: 1 }, { '*': { x: true } })).toEqual({ b: 1 });
    expect(prune(Object.create({ inherited: 1 }), { '*': true })).toEqual({});
  });

  it('keeps primitives and null where a shape expects an object', () => {
    expect(prune({ a: 'text', b: null }, { a: { x: true }, b: { y: true } })).toEqual({ a: 'text', b: null });
  });
});

describe('interning', () => {
  /** An interner that records what it is asked to share. */
  function spy(): { intern: (s: string) => string; asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      intern: (s) => {
        asked.push(s);
        return s;
      },
    };
  }

  it('changes no value, and the record shares no object with the pod it came from', () => {
    const pod = apiPod() as Pod;
    const record = compactRecord('pods', pod, createInterner()) as PodRecord;
    expect(record).toEqual(podRecord(apiPod()));
    expect(record.metadata.labels).not.toBe(pod.metadata.labels);
    expect(record.spec!.tolerations![0]).not.toBe(pod.spec!.tolerations![0]);
    expect(record.spec!.containers![0].resources!.requests).not.toBe(pod.spec!.containers[0].resources!.requests);
  });

  it('offers every kept string to the pool, inside whole-kept values too, except what is unique to the pod', () => {
    const { intern, asked } = spy();
    compactRecord('pods', apiPod(), intern);
    expect(asked).toEqual(expect.arrayContaining(['ip-10-0-1-17.eu-west-1.compute.internal', 'checkout-prod', 'checkout-api', 'rs-uid', 'node.kubernetes.io/not-ready', '2026-12-01T10:00:09Z']));
    for (const own of ['checkout-api-7d9f8c6b5-x2k4q', '5f0c3c4e-1111-2222-3333-444455556666', '81234', '10.0.1.44']) expect(asked).not.toContain(own);
    const again = spy();
    prune({ name: 'a-unique-name-1', ns: 'a-shared-namespace' }, { name: UNIQUE, ns: true }, again.intern);
    expect(again.asked).toEqual(['a-shared-namespace']);
  });

  it('shares one copy of the values pods keep whole (labels, tolerations, requests) between records', () => {
    const intern = createInterner();
    const a = compactRecord('pods', apiPod(), intern) as PodRecord;
    const other = apiPod();
    other.metadata.name = 'checkout-api-7d9f8c6b5-zz9rt';
    const b = compactRecord('pods', other, intern) as PodRecord;
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.spec!.tolerations).toBe(a.spec!.tolerations);
    expect(b.spec!.containers![0].resources!.requests).toBe(a.spec!.containers![0].resources!.requests);
    other.metadata.labels = { ...other.metadata.labels, app: 'another' };
    const c = compactRecord('pods', other, intern) as PodRecord;
    expect(c.metadata.labels).toEqual({ app: 'another', 'pod-template-hash': '7d9f8c6b5' });
    expect(c.metadata.labels).not.toBe(a.metadata.labels);
  });

  it('gives back the value it is given, past its limit too', () => {
    const intern = createInterner(2);
    const names = ['ip-10-0-1-17.internal', 'ip-10-0-1-18.internal', 'ip-10-0-1-19.internal', 'short'];
    expect([...names, ...names].map(intern)).toEqual([...names, ...names]);
  });
});

describe('podRecord', () => {
  it('keeps identity, owner, node, containers with resources, scheduling inputs, volume kinds and the status daytwo shows', () => {
    expect(podRecord(apiPod())).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'checkout-api-7d9f8c6b5-x2k4q',
        generateName: 'checkout-api-7d9f8c6b5-',
        namespace: 'checkout-prod',
        uid: '5f0c3c4e-1111-2222-3333-444455556666',
        resourceVersion: '81234',
        creationTimestamp: '2026-12-01T10:00:00Z',
        labels: { app: 'checkout-api', 'pod-template-hash': '7d9f8c6b5' },
        annotations: { 'kubectl.kubernetes.io/default-container': 'api' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-api-7d9f8c6b5', uid: 'rs-uid', controller: true }],
      },
      spec: {
        nodeName: 'ip-10-0-1-17.eu-west-1.compute.internal',
        containers: [
          { name: 'api', image: 'ghcr.io/acme/checkout-api:1.4.2', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
        ],
        initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '64Mi' } } }],
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['general'] }] }] } },
        },
        volumes: [
          { name: 'config', configMap: {} },
          { name: 'scratch', emptyDir: {} },
        ],
        priority: 0,
        terminationGracePeriodSeconds: 30,
        restartPolicy: 'Always',
      },
      status: {
        phase: 'Running',
        qosClass: 'Burstable',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-01T10:00:09Z' }],
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, state: { running: { startedAt: '2026-12-01T10:00:02Z' } }, lastState: {} }],
        containerStatuses: [
          {
            name: 'api',
            ready: true,
            started: true,
            restartCount: 3,
            state: { running: { startedAt: '2026-12-01T11:00:00Z' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-12-01T10:30:00Z', finishedAt: '2026-12-01T11:00:00Z' } },
          },
        ],
        podIP: '10.0.1.44',
        hostIP: '10.0.1.17',
        startTime: '2026-12-01T10:00:01Z',
      },
    });
  });

  it('is idempotent', () => {
    const once = podRecord(apiPod());
    expect(podRecord(once)).toEqual(once);
  });

  it('gives the same QoS explanation and requests as the whole pod', () => {
    const pod = apiPod();
    const record = podRecord(pod);
    expect(explainQos(record)).toEqual(explainQos(pod));
    expect(podRequests(record)).toEqual(podRequests(pod));
  });

  it('keeps a mirror pod recognisable and gives a pod without kept annotations none', () => {
    const mirror = apiPod();
    mirror.metadata.annotations = { 'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.hash': 'abc' };
    expect(podRecord(mirror).metadata.annotations).toEqual({ 'kubernetes.io/config.mirror': 'abc' });
    const plain = apiPod();
    plain.metadata.annotations = { 'prometheus.io/scrape': 'true' };
    expect(podRecord(plain).metadata).not.toHaveProperty('annotations');
  });

  it('keeps the apiVersions an object was written through (read by the Upgrade view)', () => {
    const pod = { ...apiPod(), usedApiVersions: [{ apiVersion: 'v1beta1', manager: 'old' }] };
    expect(podRecord(pod).usedApiVersions).toEqual([{ apiVersion: 'v1beta1', manager: 'old' }]);
  });
});

describe('nodeRecord', () => {
  it('drops images, volumes, daemon endpoints, heartbeats and annotations; keeps what pools, capacity and alerts read', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'ip-10-0-1-17',
        uid: 'node-uid',
        resourceVersion: '9',
        creationTimestamp: '2026-11-01T00:00:00Z',
        labels: { 'eks.amazonaws.com/nodegroup': 'general', 'kubernetes.io/arch': 'amd64' },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: { providerID: 'aws:///eu-west-1a/i-0abc', podCIDR: '10.0.1.0/24', podCIDRs: ['10.0.1.0/24'], unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2026-12-01T00:00:00Z' }] },
      status: {
        capacity: { cpu: '16', memory: '64475148Ki', pods: '110' },
        allocatable: { cpu: '15890m', memory: '63458316Ki', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-12-05T10:00:00Z', lastTransitionTime: '2026-11-01T00:01:00Z' }],
        addresses: [{ type: 'InternalIP', address: '10.0.1.17' }],
        nodeInfo: { kubeletVersion: 'v1.30.2-eks-1552ad0', osImage: 'Amazon Linux 2023', architecture: 'amd64' },
        images: [{ names: ['ghcr.io/acme/checkout-api:1.4.2'], sizeBytes: 123456789 }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        volumesInUse: ['kubernetes.io/csi/ebs.csi.aws.com^vol-1'],
      },
    };
    expect(nodeRecord(node)).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'ip-10-0-1-17',
        uid: 'node-uid',
        resourceVersion: '9',
        creationTimestamp: '2026-11-01T00:00:00Z',
        labels: { 'eks.amazonaws.com/nodegroup': 'general', 'kubernetes.io/arch': 'amd64' },
      },
      spec: { providerID: 'aws:///eu-west-1a/i-0abc', podCIDR: '10.0.1.0/24', unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2026-12-01T00:00:00Z' }] },
      status: {
        capacity: { cpu: '16', memory: '64475148Ki', pods: '110' },
        allocatable: { cpu: '15890m', memory: '63458316Ki', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: '2026-11-01T00:01:00Z' }],
        addresses: [{ type: 'InternalIP', address: '10.0.1.17' }],
        nodeInfo: { kubeletVersion: 'v1.30.2-eks-1552ad0', osImage: 'Amazon Linux 2023', architecture: 'amd64' },
      },
    });
  });
});

describe('compactRecord', () => {
  it('keeps objects of kinds without a record shape as they are', () => {
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [] } } } };
    expect(compactRecord('deployments', deployment)).toBe(deployment);
  });

  it('reduces pods and nodes by their store kind', () => {
    expect(compactRecord('pods', apiPod())).toEqual(podRecord(apiPod()));
  });
});
