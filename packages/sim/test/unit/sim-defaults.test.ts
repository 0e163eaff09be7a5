import type { Fields } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { createDefaulter as createUntypedDefaulter, applyDefaults as untypedDefaults } from '../../src/defaults.js';
import type { KubeObject } from '../../src/types.js';
import { kindTyped } from '../helpers/kinds.js';

const applyDefaults = kindTyped(untypedDefaults);
const createDefaulter = () => kindTyped(createUntypedDefaulter());

function pod(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec, ...extra };
}

describe('pods', () => {
  const defaulted = applyDefaults('pods', pod({ containers: [{ name: 'app', image: 'nginx:1.27' }] }));

  it('fills SetDefaults_PodSpec and SetDefaults_Pod', () => {
    expect(defaulted.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
    });
  });

  it('fills what admission plugins add: service account, priority, default tolerations', () => {
    expect(defaulted.spec).toMatchObject({
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(defaulted.spec!.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('fills container defaults', () => {
    expect(defaulted.spec!.containers[0]).toEqual({
      name: 'app',
      image: 'nginx:1.27',
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
  });

  it('sets status phase and QoS class', () => {
    expect(defaulted.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Always'],
  ])('image %s pulls %s', (image, policy) => {
    const p = applyDefaults('pods', pod({ containers: [{ name: 'c', image }] }));
    expect(p.spec!.containers[0].imagePullPolicy).toBe(policy);
  });

  it('defaults requests from limits and computes Guaranteed', () => {
    const p = applyDefaults(
      'pods',
      pod({ containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] }),
    );
    expect(p.spec!.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
    expect(p.status!.qosClass).toBe('Guaranteed');
  });

  it('rounds resource quantities up to milli and writes them canonically', () => {
    const p = applyDefaults(
      'pods',
      pod({ containers: [{ name: 'c', image: 'x:1', resources: { requests: { cpu: '0.5', memory: '1.5Gi' }, limits: { cpu: '1000001u', memory: '1n' } } }] }),
    );
    expect(p.spec!.containers[0].resources!.requests).toEqual({ cpu: '500m', memory: '1536Mi' });
    expect(p.spec!.containers[0].resources!.limits).toEqual({ cpu: '1001m', memory: '1m' });
  });

  it('fills ports, probes, env field refs and volumes', () => {
    const p = applyDefaults(
      'pods',
      pod({
        containers: [
          {
            name: 'c',
            image: 'x:1',
            ports: [{ containerPort: 8080 }],
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
            startupProbe: { grpc: { port: 9000 } },
            env: [
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            ],
          },
        ],
        volumes: [
          { name: 'scratch' },
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
          { name: 'host', hostPath: { path: '/var/log' } },
        ],
      }),
    );
    const c = p.spec!.containers[0];
    expect(c.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.readinessProbe!.periodSeconds).toBe(5);
    expect(c.startupProbe!.grpc).toEqual({ port: 9000, service: '' });
    expect(c.env![0].valueFrom!.fieldRef!.apiVersion).toBe('v1');
    expect(c.env![1].valueFrom!.resourceFieldRef!.divisor).toBe('0');
    expect(p.spec!.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
      { name: 'host', hostPath: { path: '/var/log', type: '' } },
    ]);
  });

  it('keeps what the object carries (fixtures)', () => {
    const carried = pod(
      {
        containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never', resources: { requests: { cpu: '1' } } }],
        restartPolicy: 'Never',
        serviceAccountName: 'builder',
        terminationGracePeriodSeconds: 0,
        tolerations: [{ operator: 'Exists' }],
        priority: 7,
      },
      { status: { phase: 'Running', qosClass: 'Guaranteed' } },
    );
    const p = applyDefaults('pods', carried);
    expect(p.spec).toMatchObject({
      restartPolicy: 'Never',
      serviceAccountName: 'builder',
      serviceAccount: 'builder',
      terminationGracePeriodSeconds: 0,
      priority: 7,
      tolerations: [{ operator: 'Exists' }],
    });
    expect(p.spec!.containers[0].imagePullPolicy).toBe('Never');
    expect(p.status).toEqual({ phase: 'Running', qosClass: 'Guaranteed' });
  });

  it('adds only the default toleration not already covered', () => {
    const p = applyDefaults(
      'pods',
      pod({ containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] }),
    );
    expect(p.spec!.tolerations!.map((t) => t.key)).toEqual([
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/not-ready',
    ]);
  });

  it('resolves built-in priority classes', () => {
    const p = applyDefaults('pods', pod({ containers: [], priorityClassName: 'system-node-critical' }));
    expect(p.spec!.priority).toBe(2000001000);
  });

  it('with hostNetwork, container ports become host ports', () => {
    const p = applyDefaults('pods', pod({ hostNetwork: true, containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 53 }] }] }));
    expect(p.spec!.containers[0].ports).toEqual([{ containerPort: 53, hostPort: 53, protocol: 'TCP' }]);
  });

  it('does not mutate its input', () => {
    const input = pod({ containers: [{ name: 'c', image: 'x' }] });
    const snapshot = structuredClone(input);
    applyDefaults('pods', input);
    expect(input).toEqual(snapshot);
  });
});

describe('workloads', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1' } } }] } };

  it('deployments', () => {
    const d = applyDefaults('apps/deployments', { metadata: { name: 'd', namespace: 'default' }, spec: { template } });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec!.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec!.template.spec!.containers[0].terminationMessagePath).toBe('/dev/termination-log');
  });

  it('pod templates do not get pod-only defaults (SetDefaults_Pod, admission)', () => {
    const d = applyDefaults('apps/deployments', { metadata: { name: 'd', namespace: 'default' }, spec: { template } });
    const spec = d.spec!.template.spec;
    expect(spec!.containers[0].resources).toEqual({ limits: { cpu: '1' } });
    expect(spec!.enableServiceLinks).toBeUndefined();
    expect(spec!.serviceAccountName).toBeUndefined();
    expect(spec!.tolerations).toBeUndefined();
    expect((d.spec!.template as Fields).status).toBeUndefined();
  });

  it('a Recreate deployment gets no rollingUpdate', () => {
    const d = applyDefaults('apps/deployments', { metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' }, replicas: 0 } });
    expect(d.spec!.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec!.replicas).toBe(0);
  });

  it('replicasets', () => {
    expect(applyDefaults('apps/replicasets', { metadata: { name: 'r' }, spec: {} }).spec!.replicas).toBe(1);
  });

  it('statefulsets', () => {
    const s = applyDefaults('apps/statefulsets', {
      metadata: { name: 's' },
      spec: { serviceName: 'db', template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] },
    });
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(s.spec!.minReadySeconds).toBeUndefined();
    expect(s.spec!.volumeClaimTemplates![0]).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
  });

  it('a statefulset with an explicit RollingUpdate type and no rollingUpdate stays bare (upstream)', () => {
    const s = applyDefaults('apps/statefulsets', { metadata: { name: 's' }, spec: { updateStrategy: { type: 'RollingUpdate' } } });
    expect(s.spec!.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  it('daemonsets', () => {
    const ds = applyDefaults('apps/daemonsets', { metadata: { name: 'ds' }, spec: { template } });
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it('jobs', () => {
    const j = applyDefaults('batch/jobs', { metadata: { name: 'j' }, spec: { template } });
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
    });
    expect(j.metadata.labels).toEqual({ app: 'web' });
  });

  it('jobs: parallelism alone leaves completions unset; podFailurePolicy changes the replacement policy', () => {
    const j = applyDefaults('batch/jobs', {
      metadata: { name: 'j' },
      spec: { parallelism: 3, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
    });
    expect(j.spec!.completions).toBeUndefined();
    expect(j.spec!.podReplacementPolicy).toBe('Failed');
    expect(j.spec!.podFailurePolicy!.rules[0].onPodConditions![0].status).toBe('True');
  });

  it('cronjobs', () => {
    const cj = applyDefaults('batch/cronjobs', { metadata: { name: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(cj.spec!.jobTemplate.spec!.template.spec!.restartPolicy).toBe('Always');
    expect(cj.spec!.jobTemplate.spec!.backoffLimit).toBeUndefined();
  });
});

describe('services', () => {
  it('fills spec defaults and allocates a cluster IP in 10.96.0.0/12', () => {
    const defaulter = createDefaulter();
    const svc = defaulter('services', { metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    const [a, b] = svc.spec!.clusterIP!.split('.').map(Number);
    expect(a).toBe(10);
    expect(b).toBeGreaterThanOrEqual(96);
    expect(b).toBeLessThanOrEqual(111);
    expect(svc.spec!.clusterIPs).toEqual([svc.spec!.clusterIP]);
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('is deterministic, unique, and stable for the same service', () => {
    const first = createDefaulter();
    const second = createDefaulter();
    const ips = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const obj = { metadata: { name: `svc-${i}`, namespace: 'ns' }, spec: {} };
      const ip = first('services', obj).spec!.clusterIP;
      expect(second('services', obj).spec!.clusterIP).toBe(ip);
      ips.add(ip!);
    }
    expect(ips.size).toBe(200);
    const again = first('services', { metadata: { name: 'svc-7', namespace: 'ns' }, spec: {} });
    expect(ips.has(again.spec!.clusterIP!)).toBe(true);
  });

  it('keeps carried IPs and does not hand them out again', () => {
    const defaulter = createDefaulter();
    const probe = createDefaulter()('services', { metadata: { name: 'b', namespace: 'x' }, spec: {} }).spec!.clusterIP;
    const carried = defaulter('services', { metadata: { name: 'a', namespace: 'x' }, spec: { clusterIP: probe } });
    expect(carried.spec!.clusterIP).toBe(probe);
    const other = defaulter('services', { metadata: { name: 'b', namespace: 'x' }, spec: {} });
    expect(other.spec!.clusterIP).not.toBe(probe);
  });

  it('gives default/kubernetes 10.96.0.1', () => {
    expect(createDefaulter()('services', { metadata: { name: 'kubernetes', namespace: 'default' }, spec: {} }).spec!.clusterIP).toBe('10.96.0.1');
  });

  it('headless and ExternalName services', () => {
    const defaulter = createDefaulter();
    const headless = defaulter('services', { metadata: { name: 'h', namespace: 'x' }, spec: { clusterIP: 'None', selector: { a: 'b' } } });
    expect(headless.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack' });
    const bare = defaulter('services', { metadata: { name: 'h2', namespace: 'x' }, spec: { clusterIP: 'None' } });
    expect(bare.spec).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(headless.spec!.ipFamilies).toEqual(['IPv4']);
    const ext = defaulter('services', { metadata: { name: 'e', namespace: 'x' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(ext.spec!.clusterIP).toBeUndefined();
    expect(ext.spec!.ipFamilies).toBeUndefined();
    expect(ext.spec!.internalTrafficPolicy).toBeUndefined();
  });

  it('NodePort and LoadBalancer services get node ports and external traffic policy', () => {
    const defaulter = createDefaulter();
    const lb = defaulter('services', {
      metadata: { name: 'lb', namespace: 'x' },
      spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }, { port: 80 }] },
    });
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    const ports = lb.spec!.ports!.map((p) => p.nodePort);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(30000);
      expect(port).toBeLessThanOrEqual(32767);
    }
    expect(new Set(ports).size).toBe(2);
    expect(lb.spec!.ports![0].targetPort).toBe('https');
  });

  it('ports sharing a number share a node port', () => {
    const dns = createDefaulter()('services', {
      metadata: { name: 'dns', namespace: 'x' },
      spec: { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
    });
    expect(dns.spec!.ports![0].nodePort).toBe(dns.spec!.ports![1].nodePort);
  });
});

describe('other kinds', () => {
  it('namespaces', () => {
    const ns = applyDefaults('namespaces', { metadata: { name: 'shop', labels: { team: 'a' } } });
    expect(ns.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    const terminating = applyDefaults('namespaces', { metadata: { name: 'old' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    expect(terminating.spec!.finalizers).toEqual([]);
    expect(terminating.status!.phase).toBe('Terminating');
  });

  it('persistent volume claims', () => {
    const pvc = applyDefaults('persistentvolumeclaims', { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } });
    expect(pvc.spec!.volumeMode).toBe('Filesystem');
    expect(pvc.status).toEqual({ phase: 'Pending' });
  });

  it('nodes: allocatable defaults to capacity', () => {
    const node = applyDefaults('nodes', { metadata: { name: 'n' }, status: { capacity: { cpu: '4', memory: '16Gi' } } });
    expect(node.status!.allocatable).toEqual({ cpu: '4', memory: '16Gi' });
  });

  it('pod disruption budgets get zeroed status counters', () => {
    const pdb = applyDefaults('policy/poddisruptionbudgets', { metadata: { name: 'p' }, spec: { minAvailable: 1 } });
    expect(pdb.status).toEqual({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  });

  it('limit ranges: default limits from max, default requests from defaults', () => {
    const lr = applyDefaults('limitranges', {
      metadata: { name: 'l' },
      spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { memory: '512Mi' } }] },
    });
    expect((lr.spec!.limits[0] as Fields).default).toEqual({ cpu: '2', memory: '512Mi' });
    expect(lr.spec!.limits[0].defaultRequest).toEqual({ cpu: '2', memory: '512Mi' });
  });

  it('v2 autoscalers default min replicas and the cpu metric', () => {
    const hpa = applyDefaults('autoscaling/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2',
      metadata: { name: 'h' },
      spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    expect(hpa.spec!.minReplicas).toBe(1);
    expect(hpa.spec!.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(hpa.spec!.behavior!.scaleDown).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    expect(hpa.spec!.behavior!.scaleUp!.policies).toHaveLength(2);
  });

  it('returns kinds without defaults unchanged, as the same object', () => {
    const cm = { metadata: { name: 'c' }, data: { a: 'b' } };
    expect(applyDefaults('configmaps', cm)).toBe(cm);
  });
});

describe('pod-level resources', () => {
  it('default pod-level requests from the pod-level limits when no container requests', () => {
    const p = applyDefaults('pods', pod({ containers: [{ name: 'c', image: 'x:1' }], resources: { limits: { cpu: '1', memory: '1Gi' } } }));
    expect(p.spec!.resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    expect(p.status!.qosClass).toBe('Guaranteed');
  });

  it('default pod-level requests from the containers requests where set', () => {
    const p = applyDefaults(
      'pods',
      pod({
        containers: [
          { name: 'a', image: 'x:1', resources: { requests: { cpu: '100m' } } },
          { name: 'b', image: 'x:1', resources: { requests: { cpu: '0.2' } } },
        ],
        resources: { limits: { cpu: '1', memory: '1Gi' } },
      }),
    );
    expect(p.spec!.resources!.requests).toEqual({ cpu: '300m', memory: '1Gi' });
    expect(p.status!.qosClass).toBe('Burstable');
  });
});
