/**
 * List, map and quantity semantics per field path (api-schema.ts), against objects shaped as
 * the API server returns them after `kubectl apply` (defaults filled in, quantities canonical).
 */
import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/domain/drift/compare.js';
import { formatPath } from '../../../src/domain/drift/field-path.js';
import { listSemantics } from '../../../src/domain/drift/normalize.js';
import { kindSchema } from '../../../src/domain/drift/api-schema.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';

const diffs = (git: object, live: object) => compareObject(git as KubeObject, live as KubeObject).map((d) => ({ path: formatPath(d.path), git: d.git, live: d.live }));
const meta = { name: 'x', namespace: 'shop' };

const netpol = (port: number) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: meta,
  spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port }], from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] },
});
// The API server defaults NetworkPolicyPort.protocol to TCP and policyTypes to [Ingress].
const netpolLive = (port: number) => {
  const o = netpol(port);
  return { ...o, spec: { ...o.spec, policyTypes: ['Ingress'], ingress: [{ ...o.spec.ingress[0], ports: [{ port, protocol: 'TCP' }] }] } };
};

describe('list semantics per field path', () => {
  it('reports a changed NetworkPolicy ingress port (an atomic list, compared by position)', () => {
    expect(diffs(netpol(5432), netpolLive(5432))).toEqual([]);
    expect(diffs(netpol(5432), netpolLive(6432))).toEqual([{ path: 'spec.ingress[0].ports[0].port', git: 5432, live: 6432 }]);
  });

  it('keys lists as upstream declares them', () => {
    const deploy = kindSchema('apps', 'Deployment');
    const pod = ['spec', 'template', 'spec'];
    expect(listSemantics(deploy, pod, 'containers')).toEqual({ keys: ['name'] });
    expect(listSemantics(deploy, [...pod, 'containers'], 'ports')).toEqual({ keys: ['containerPort', 'protocol'] });
    expect(listSemantics(deploy, [...pod, 'initContainers'], 'env')).toEqual({ keys: ['name'] });
    expect(listSemantics(deploy, [...pod, 'containers'], 'volumeMounts')).toEqual({ keys: ['mountPath'] });
    expect(listSemantics(deploy, pod, 'volumes')).toEqual({ keys: ['name'] });
    expect(listSemantics(deploy, pod, 'tolerations')).toBe('atomic');
    expect(listSemantics(deploy, [...pod, 'containers'], 'args')).toBe('atomic');
    expect(listSemantics(kindSchema('batch', 'CronJob'), ['spec', 'jobTemplate', 'spec', 'template', 'spec'], 'containers')).toEqual({ keys: ['name'] });
    expect(listSemantics(kindSchema('', 'Service'), ['spec'], 'ports')).toEqual({ keys: ['port', 'protocol'] });
    expect(listSemantics(kindSchema('networking.k8s.io', 'NetworkPolicy'), ['spec', 'ingress'], 'ports')).toBe('atomic');
    expect(listSemantics(kindSchema('', 'ConfigMap'), ['metadata'], 'finalizers')).toBe('set');
    // A custom resource: atomic (its CRD's list types are not read).
    expect(listSemantics(undefined, ['spec'], 'containers')).toBe('atomic');
  });

  it('matches container ports by containerPort and protocol', () => {
    const pod = (ports: object[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'dns', image: 'coredns', ports }] } });
    const git = pod([{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, name: 'dns-tcp' }]);
    const live = pod([{ containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }, { containerPort: 53, protocol: 'UDP', name: 'dns' }]);
    expect(diffs(git, live)).toEqual([]);
    const changed = pod([{ containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }, { containerPort: 53, protocol: 'UDP', name: 'renamed' }]);
    expect(diffs(git, changed)).toEqual([{ path: 'spec.containers[name=dns].ports[containerPort=53,protocol=UDP].name', git: 'dns', live: 'renamed' }]);
  });

  it('compares an item without its key by position instead of skipping it', () => {
    const pod = (env: object[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'app', image: 'a', env }] } });
    expect(diffs(pod([{ value: 'x' }]), pod([{ value: 'y' }]))).toEqual([{ path: 'spec.containers[name=app].env[0].value', git: 'x', live: 'y' }]);
  });

  it('treats a Service selector as a map applied whole, but not a ConfigMap data', () => {
    const svc = (selector: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector, ports: [{ port: 80 }] } });
    const liveSvc = (selector: object) => ({ ...svc(selector), spec: { ...svc(selector).spec, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } });
    expect(diffs(svc({ app: 'web' }), liveSvc({ app: 'web', debug: 'true' }))).toEqual([{ path: 'spec.selector.debug', git: undefined, live: 'true' }]);
    const cm = (data: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data });
    expect(diffs(cm({ a: '1' }), cm({ a: '1', b: '2' }))).toEqual([]);
  });
});

describe('quantities per field path', () => {
  const hpa = (target: object) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target } }],
    },
  });

  it('normalises HPA target.averageValue and target.value', () => {
    expect(diffs(hpa({ type: 'AverageValue', averageValue: '0.5' }), hpa({ type: 'AverageValue', averageValue: '500m' }))).toEqual([]);
    expect(diffs(hpa({ type: 'Value', value: '1Gi' }), hpa({ type: 'Value', value: '1024Mi' }))).toEqual([]);
    expect(diffs(hpa({ type: 'AverageValue', averageValue: '1' }), hpa({ type: 'AverageValue', averageValue: '500m' }))).toHaveLength(1);
  });

  it('normalises PVC storage, ephemeral-storage, emptyDir sizeLimit and LimitRange values', () => {
    const pvc = (storage: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec: { resources: { requests: { storage } } } });
    expect(diffs(pvc('1024Mi'), pvc('1Gi'))).toEqual([]);
    const pod = (q: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta,
      spec: { containers: [{ name: 'a', resources: { limits: { 'ephemeral-storage': q } } }], volumes: [{ name: 'tmp', emptyDir: { sizeLimit: q } }] },
    });
    expect(diffs(pod('2048Mi'), pod('2Gi'))).toEqual([]);
    const lr = (q: string) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: meta, spec: { limits: [{ type: 'Container', default: { cpu: q } }] } });
    expect(diffs(lr('0.5'), lr('500m'))).toEqual([]);
  });

  it('does not treat a field named `value` as a quantity outside HPA targets', () => {
    const pod = (value: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'a', env: [{ name: 'X', value }] }] } });
    expect(diffs(pod('0.5'), pod('500m'))).toHaveLength(1);
  });
});
