/**
 * kubectl describe for a StatefulSet, ReplicaSet, Service and ConfigMap on real-looking
 * objects, as k8s.io/kubectl pkg/describe/describe.go prints them today (the comparison with
 * an installed kubectl is test/integration/describe-kubectl.test.ts).
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { EndpointSlice } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { podPhaseCounts } from '../../src/domain/describe/controllers.js';
import { describeNeeds, describeObject } from '../../src/domain/describe/index.js';
import { formatEndpointSlices } from '../../src/domain/describe/service.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const owned = (uid: string, phase: string, name: string) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: [{ controller: true, uid, kind: 'StatefulSet', name: 'db' }] }, status: { phase } }) as unknown as KubeObject;

describe('StatefulSet', () => {
  it('prints replicas, update strategy, retention policy, pods by phase, the template and the claim templates', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'data', uid: 'u1', creationTimestamp: '2026-12-01T08:00:00Z', labels: { app: 'db' } },
      spec: {
        replicas: 3,
        serviceName: 'db-headless',
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { app: 'db' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1, maxUnavailable: 1 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ name: 'pg', containerPort: 5432 }] }] } },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } } },
        ],
      },
      status: { replicas: 3 },
    } as unknown as KubeObject;
    const pods = [owned('u1', 'Running', 'db-0'), owned('u1', 'Running', 'db-1'), owned('u1', 'Pending', 'db-2'), owned('other', 'Running', 'x')];
    const lines = describeObject({ object: sts, events: [], controllerPods: pods }, NOW);
    const text = lines.join('\n');
    expect(lines.slice(0, 3)).toEqual(['Name:                   db', 'Namespace:              data', expect.stringMatching(/^CreationTimestamp: {6}Tue, 01 Dec 2026 /)]);
    expect(text).toContain(
      [
        'Selector:               app=db',
        'Labels:                 app=db',
        'Annotations:            <none>',
        'Service Name:           db-headless',
        'Pod Management Policy:  Parallel',
        'Replicas:               3 desired | 3 total',
        'Update Strategy:        RollingUpdate',
        '  Partition:            1',
        '  MaxUnavailable:       1',
        'Persistent Volume Claim Retention Policy:',
        '  WhenDeleted:  Delete',
        '  WhenScaled:   Retain',
        'Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed',
        'Pod Template:',
      ].join('\n'),
    );
    expect(text).toContain(
      ['Volume Claims:', '  Name:          data', '  StorageClass:  gp3', '  Labels:        <none>', '  Annotations:   <none>', '  Capacity:      20Gi', '  Access Modes:  [ReadWriteOnce]', 'Events:          <none>'].join('\n'),
    );
  });

  it("counts only the pods the object controls, by phase (getPodStatusForController)", () => {
    expect(podPhaseCounts([owned('u1', 'Succeeded', 'a'), owned('u1', 'Failed', 'b'), owned('u1', 'Unknown', 'c'), owned('u2', 'Running', 'd')], 'u1')).toEqual({
      running: 0,
      waiting: 0,
      succeeded: 1,
      failed: 1,
    });
  });
});

describe('ReplicaSet', () => {
  it('names its controller, its replicas and conditions; says why pods could not be counted', () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5f7c9d8b6', namespace: 'shop', uid: 'r1', ownerReferences: [{ controller: true, kind: 'Deployment', name: 'web', uid: 'd1' }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5f7c9d8b6' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      status: { replicas: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }] },
    } as unknown as KubeObject;
    const text = describeObject({ object: rs, controllerPods: { error: 'pods is forbidden: User "viewer" cannot list resource "pods"' } }, NOW).join('\n');
    expect(text).toContain(
      [
        'Selector:       app=web,pod-template-hash=5f7c9d8b6',
        'Labels:         <none>',
        'Annotations:    <none>',
        'Controlled By:  Deployment/web',
        'Replicas:       1 current / 2 desired',
        'Pods Status:    error in fetching pods: pods is forbidden: User "viewer" cannot list resource "pods"',
      ].join('\n'),
    );
    // kubectl writes `%v \t` for the type: the space widens the column by one.
    expect(text).toContain(['Conditions:', '  Type             Status  Reason', '  ----             ------  ------', '  ReplicaFailure   True    FailedCreate'].join('\n'));
  });
});

describe('Service', () => {
  const slice = (ports: { name: string; port: number }[], addresses: { ip: string; ready?: boolean }[]) =>
    ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 's' },
      addressType: 'IPv4',
      ports,
      endpoints: addresses.map((a) => ({ addresses: [a.ip], conditions: a.ready === undefined ? {} : { ready: a.ready } })),
    }) as unknown as EndpointSlice;

  it("lists ready endpoints of the port's name, three at most then `+ N more...`, IPv6 in brackets", () => {
    const ips = ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4', '10.0.1.5'].map((ip) => ({ ip }));
    expect(formatEndpointSlices([slice([{ name: 'http', port: 8080 }], ips)], 'http')).toBe('10.0.1.1:8080,10.0.1.2:8080,10.0.1.3:8080 + 2 more...');
    expect(formatEndpointSlices([slice([{ name: 'http', port: 8080 }], [{ ip: '10.0.1.1', ready: false }, { ip: 'fd00::1' }])], 'http')).toBe('[fd00::1]:8080');
    expect(formatEndpointSlices([slice([{ name: 'metrics', port: 9090 }], ips)], 'http')).toBe('');
    expect(formatEndpointSlices([], 'http')).toBe('<none>');
  });

  it('prints type, IPs, each port with its target and endpoints, and the traffic policies', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web', tier: 'frontend' },
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        clusterIP: '10.96.12.7',
        clusterIPs: ['10.96.12.7'],
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 31080 }],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ hostname: 'a1b2.elb.amazonaws.com' }] } },
    } as unknown as KubeObject;
    const slices = [slice([{ name: 'http', port: 8080 }], [{ ip: '10.0.1.9' }])] as unknown as EndpointSlice[];
    expect(describeObject({ object: svc, events: [], endpointSlices: slices }, NOW)).toEqual([
      'Name:                     web',
      'Namespace:                shop',
      'Labels:                   app=web',
      'Annotations:              <none>',
      'Selector:                 app=web,tier=frontend',
      'Type:                     LoadBalancer',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.96.12.7',
      'IPs:                      10.96.12.7',
      'LoadBalancer Ingress:     a1b2.elb.amazonaws.com',
      'Port:                     http  80/TCP',
      'TargetPort:               http/TCP',
      'NodePort:                 http  31080/TCP',
      'Endpoints:                10.0.1.9:8080',
      'Session Affinity:         None',
      'External Traffic Policy:  Cluster',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    ]);
  });
});

describe('ConfigMap', () => {
  it('prints each value whole under its key, sorted, and binary data by size only', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app', namespace: 'shop' },
      data: { 'z.conf': 'a=1', 'app.properties': 'color=blue\nsize=3\n' },
      binaryData: { 'logo.png': Buffer.alloc(1234).toString('base64') },
    } as unknown as KubeObject;
    expect(describeObject({ object: cm, events: [] }, NOW)).toEqual([
      'Name:         app',
      'Namespace:    shop',
      'Labels:       <none>',
      'Annotations:  <none>',
      '',
      'Data',
      '====',
      'app.properties:',
      '----',
      'color=blue',
      'size=3',
      '',
      '',
      'z.conf:',
      '----',
      'a=1',
      '',
      '',
      'BinaryData',
      '====',
      'logo.png: 1234 bytes',
      '',
      'Events:  <none>',
    ]);
  });
});

/** The text with runs of spaces as one: the alignment of these two is checked against kubectl (test/integration/describe-kubectl.test.ts). */
const loose = (text: string) => text.replace(/ {2,}/g, ' ');

describe('Job and CronJob', () => {
  it('a finished indexed Job: start, completion, duration, pods with Ready, completed indexes capped at 50 characters', () => {
    const indexes = Array.from({ length: 40 }, (_, i) => String(i * 2)).join(',');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'render', namespace: 'batch', ownerReferences: [{ controller: true, kind: 'CronJob', name: 'nightly', uid: 'c1' }] },
      spec: {
        parallelism: 4,
        completions: 80,
        completionMode: 'Indexed',
        suspend: false,
        backoffLimit: 6,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j1' } },
        template: { spec: { containers: [{ name: 'render', image: 'busybox' }], restartPolicy: 'Never' } },
      },
      status: { startTime: '2026-12-05T10:00:00Z', completionTime: '2026-12-05T10:07:30Z', succeeded: 40, failed: 1, active: 0, ready: 0, completedIndexes: indexes },
    } as unknown as KubeObject;
    const text = loose(describeObject({ object: job, events: [] }, NOW).join('\n'));
    expect(text).toContain(
      [
        'Selector: batch.kubernetes.io/controller-uid=j1',
        'Labels: <none>',
        'Annotations: <none>',
        'Controlled By: CronJob/nightly',
        'Parallelism: 4',
        'Completions: 80',
        'Completion Mode: Indexed',
        'Suspend: false',
        'Backoff Limit: 6',
      ].join('\n'),
    );
    expect(text).toContain('\nDuration: 7m30s\nPods Statuses: 0 Active (0 Ready) / 40 Succeeded / 1 Failed\n');
    expect(text).toContain(`Completed Indexes: ${indexes.slice(0, indexes.indexOf(',', 50) + 1)}...`);
  });

  it('a CronJob: schedule, policies (<unset> where absent), the job template and its active jobs', () => {
    const cj = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'batch' },
      spec: {
        schedule: '0 2 * * *',
        timeZone: 'Europe/Paris',
        concurrencyPolicy: 'Forbid',
        suspend: true,
        successfulJobsHistoryLimit: 3,
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'report', image: 'busybox' }] } } } },
      },
      status: { active: [{ name: 'nightly-29411' }, { name: 'nightly-29412' }] },
    } as unknown as KubeObject;
    const text = loose(describeObject({ object: cj, events: [] }, NOW).join('\n'));
    expect(text).toContain(
      [
        'Schedule: 0 2 * * *',
        'Concurrency Policy: Forbid',
        'Suspend: True',
        'Time Zone: Europe/Paris',
        'Successful Job History Limit: 3',
        'Failed Job History Limit: <unset>',
        'Starting Deadline Seconds: <unset>',
        'Selector: <unset>',
        'Parallelism: <unset>',
        'Completions: <unset>',
        'Pod Template:',
      ].join('\n'),
    );
    expect(text).toContain('Last Schedule Time: <unset>\nActive Jobs: nightly-29411, nightly-29412');
  });
});

describe('PersistentVolumeClaim', () => {
  it('a bound claim: capacity and access modes from its status, the pods that use it (and the pod owning an ephemeral one), sorted', () => {
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-db-0', namespace: 'data', finalizers: ['kubernetes.io/pvc-protection'], ownerReferences: [{ kind: 'Pod', name: 'db-0', uid: 'p0' }] },
      spec: { storageClassName: 'gp3', volumeName: 'pvc-6f1d', volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '20Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteOnce'] },
    } as unknown as KubeObject;
    const pod = (name: string, uid: string, claim?: string) =>
      ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, uid }, spec: { volumes: claim ? [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] : [] } }) as unknown as KubeObject;
    const pods = [pod('reader', 'p2', 'data-db-0'), pod('db-0', 'p0'), pod('other', 'p3', 'logs')];
    expect(describeObject({ object: pvc, events: [], pods }, NOW)).toEqual([
      'Name:          data-db-0',
      'Namespace:     data',
      'StorageClass:  gp3',
      'Status:        Bound',
      'Volume:        pvc-6f1d',
      'Labels:        <none>',
      'Annotations:   <none>',
      'Finalizers:    [kubernetes.io/pvc-protection]',
      'Capacity:      20Gi',
      'Access Modes:  RWO,RWOP',
      'VolumeMode:    Filesystem',
      'Used By:       db-0',
      '               reader',
      'Events:        <none>',
    ]);
  });
});

describe('Ingress', () => {
  it('without rules: the default backend for every host and path; a resource backend by group, kind and name', () => {
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'static', namespace: 'web' },
      spec: { defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' } } },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.9' }] } },
    } as unknown as KubeObject;
    expect(describeObject({ object: ing, events: [] }, NOW)).toEqual([
      'Name:             static',
      'Labels:           <none>',
      'Namespace:        web',
      'Address:          203.0.113.9,lb.example.com',
      'Ingress Class:    <none>',
      'Default backend:  APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets',
      'Rules:',
      '  Host        Path  Backends',
      '  ----        ----  --------',
      '  *           *     APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets',
      'Annotations:  <none>',
      'Events:       <none>',
    ]);
  });
});

describe('which describer', () => {
  it("is kubectl's own for the built-in kind only: a custom resource named Service gets the generic describer and no EndpointSlice read", () => {
    const crd = { apiVersion: 'mesh.example.com/v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { mtls: 'strict' } } as unknown as KubeObject;
    const lines = describeObject({ object: crd, events: [] }, NOW);
    expect(lines).toContain('Spec:');
    expect(lines.some((l) => l.startsWith('Type:'))).toBe(false);
    expect(describeNeeds('Service', 'mesh.example.com/v1').endpointSlices).toBe(false);
    expect(describeNeeds('Service', 'v1').endpointSlices).toBe(true);
    expect(describeNeeds('Ingress', 'networking.k8s.io/v1').backendServices).toBe(true);
  });
});
