import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import {
  NAMESPACE_COLUMNS,
  type NamespaceInputs,
  podRestarts,
  quotaUsage,
  summarizeNamespaces,
} from '../../src/domain/namespaces.js';
import { limitRange, namespace, namespaced, pod, resourceQuota } from '../helpers/render.js';

function inputs(objects: Partial<Record<keyof NamespaceInputs, KubeObject[]>>): NamespaceInputs {
  const byKey = (list: KubeObject[] = []) =>
    new Map(list.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!, o]));
  return {
    namespaces: byKey(objects.namespaces),
    pods: byKey(objects.pods),
    deployments: byKey(objects.deployments),
    statefulsets: byKey(objects.statefulsets),
    daemonsets: byKey(objects.daemonsets),
    jobs: byKey(objects.jobs),
    cronjobs: byKey(objects.cronjobs),
    limitranges: byKey(objects.limitranges),
    resourcequotas: byKey(objects.resourcequotas),
  };
}

describe('summarizeNamespaces', () => {
  const rows = summarizeNamespaces(
    inputs({
      namespaces: [namespace('shop'), namespace('old', { phase: 'Terminating' }), namespace('empty')],
      pods: [
        pod('shop', 'web-1', { qosClass: 'Guaranteed', restarts: [2, 1] }),
        pod('shop', 'web-2', { qosClass: 'Burstable', restarts: [0], initRestarts: [3] }),
        pod('shop', 'migrate', { phase: 'Failed', qosClass: 'BestEffort', restarts: [4] }),
        pod('shop', 'new', { phase: 'Pending', qosClass: 'Burstable', restarts: [] }),
        pod('shop', 'done', { phase: 'Succeeded' }),
        pod('old', 'leftover', { phase: 'Running', qosClass: 'BestEffort' }),
        pod('gone', 'orphan', { restarts: [9] }),
      ],
      deployments: [namespaced('apps/v1', 'Deployment', 'shop', 'web')],
      statefulsets: [namespaced('apps/v1', 'StatefulSet', 'shop', 'db')],
      daemonsets: [namespaced('apps/v1', 'DaemonSet', 'old', 'agent')],
      jobs: [namespaced('batch/v1', 'Job', 'shop', 'migrate')],
      cronjobs: [namespaced('batch/v1', 'CronJob', 'shop', 'nightly')],
      limitranges: [limitRange('shop', 'defaults')],
      resourcequotas: [
        resourceQuota('shop', 'compute', { 'requests.cpu': '4', 'requests.memory': '8Gi' }, { 'requests.cpu': '1500m', 'requests.memory': '7Gi' }),
        resourceQuota('shop', 'objects', { pods: '10', 'count/jobs.batch': '0' }, { pods: '5', 'count/jobs.batch': '0' }),
      ],
    }),
  );
  const shop = rows.find((r) => r.name === 'shop')!;

  it('lists every namespace in name order, ignoring objects of unlisted namespaces', () => {
    expect(rows.map((r) => r.name)).toEqual(['empty', 'old', 'shop']);
    expect(rows.find((r) => r.name === 'old')!.phase).toBe('Terminating');
  });

  it('counts pods by phase', () => {
    expect(shop.pods).toEqual({ running: 2, pending: 1, failed: 1, succeeded: 1, unknown: 0, total: 5 });
  });

  it('sums the restarts of every container, init containers included', () => {
    expect(shop.restarts).toBe(2 + 1 + 3 + 4);
  });

  it('counts deployments, statefulsets, daemonsets, jobs and cronjobs as workloads', () => {
    expect(shop.workloads).toBe(4);
    expect(rows.find((r) => r.name === 'old')!.workloads).toBe(1);
  });

  it('counts the QoS mix from status.qosClass', () => {
    expect(shop.qos).toEqual({ guaranteed: 1, burstable: 2, bestEffort: 2 });
  });

  it('computes the QoS class of a pod whose status does not record it yet', () => {
    const fresh = pod('x', 'fresh');
    fresh.status = { phase: 'Pending' };
    fresh.spec!.containers = [{ name: 'c', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }];
    const [x] = summarizeNamespaces(inputs({ namespaces: [namespace('x')], pods: [fresh] }));
    // Requests default to the limits, so requests == limits: Guaranteed (qos.go ComputePodQOS).
    expect(x.qos).toEqual({ guaranteed: 1, burstable: 0, bestEffort: 0 });
  });

  it('tells whether a LimitRange exists', () => {
    expect(shop.hasLimitRange).toBe(true);
    expect(rows.find((r) => r.name === 'empty')!.hasLimitRange).toBe(false);
  });

  it('reports the fullest resource across all quotas of the namespace', () => {
    // requests.memory 7Gi / 8Gi = 87.5% beats requests.cpu 1.5/4 and pods 5/10.
    expect(shop.quota).toEqual({ ratio: 0.875, quota: 'compute', resource: 'requests.memory' });
    expect(rows.find((r) => r.name === 'empty')!.quota).toBeUndefined();
  });

  it('prints the columns shared with daytwo report', () => {
    const cells = Object.fromEntries(NAMESPACE_COLUMNS.map((c) => [c.id, c.value(shop)]));
    expect(cells).toMatchObject({
      name: 'shop',
      status: 'Active',
      age: '60m',
      pods: '2/1/1',
      restarts: '10',
      workloads: '4',
      qos: '1/2/2',
      limitrange: 'yes',
      quota: '87% requests.memory',
    });
    expect(NAMESPACE_COLUMNS.find((c) => c.id === 'quota')!.value(rows[0])).toBe('-');
  });
});

describe('quotaUsage', () => {
  it('compares quantities in any unit exactly', () => {
    const q = resourceQuota('a', 'q', { 'limits.memory': '1Gi', 'limits.cpu': '2' }, { 'limits.memory': '512Mi', 'limits.cpu': '1900m' });
    expect(quotaUsage(q)).toEqual({ ratio: 0.95, quota: 'q', resource: 'limits.cpu' });
  });

  it('reports usage over 100% when a quota was lowered below what is used', () => {
    const q = resourceQuota('a', 'q', { pods: '4' }, { pods: '6' });
    expect(quotaUsage(q)?.ratio).toBe(1.5);
  });

  it('skips hard limits of zero, unreported usage and unparsable quantities', () => {
    const q = resourceQuota('a', 'q', { pods: '0', services: '5', secrets: 'lots' }, { pods: '0', secrets: '1' });
    expect(quotaUsage(q)).toBeUndefined();
  });
});

describe('podRestarts', () => {
  it('is zero for a pod without container statuses yet', () => {
    expect(podRestarts({ metadata: { name: 'p' }, status: { phase: 'Pending' } })).toBe(0);
  });
});
