import { describe, expect, it } from 'vitest';
import { createControllers, settle } from '../../src/controllers/index.js';
import { ApiError } from '../../src/errors.js';
import { loadScenario } from '../../src/scenarios/index.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';
import { createAs, getAs, listAs } from '../helpers/kinds.js';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function newStore(): MemoryStore {
  const store = new MemoryStore();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  return store;
}

function pod(name: string, containers: Record<string, Resources>, init: Record<string, Resources> = {}): KubeObject {
  const list = (entries: Record<string, Resources>) => Object.entries(entries).map(([n, resources]) => ({ name: n, image: 'app:1', resources }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns' },
    spec: { containers: list(containers), ...(Object.keys(init).length > 0 ? { initContainers: list(init) } : {}) },
  };
}

function limitRange(limits: object[]): KubeObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } };
}

function quota(hard: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q1', namespace: 'ns' }, spec: { hard } };
}

/** The 403 a create is refused with. */
function refusal(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('the create was admitted');
}

const settleAll = (store: MemoryStore) => expect(settle(store, createControllers()).converged).toBe(true);

describe('LimitRanger admission', () => {
  const defaults = { type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } };

  it('fills missing requests and limits from the LimitRange, annotates the pod and sets the class from the result', () => {
    const store = newStore();
    store.create('limitranges', limitRange([defaults]));
    const created = createAs(store, 'pods', pod('bare', { app: {} }, { setup: { requests: { cpu: '50m' } } }));
    expect(created.spec!.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(created.spec!.initContainers![0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '50m', memory: '128Mi' } });
    expect(created.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for init container setup; cpu, memory limit for init container setup',
    );
    // Without the LimitRange it would be BestEffort.
    expect(created.status!.qosClass).toBe('Burstable');
  });

  it('runs after pod defaulting: a limit set alone is already the request, defaultRequest does not apply', () => {
    const store = newStore();
    store.create('limitranges', limitRange([defaults]));
    const created = createAs(store, 'pods', pod('capped', { app: { limits: { cpu: '250m' } } }));
    expect(created.spec!.containers[0].resources).toEqual({ limits: { cpu: '250m', memory: '512Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    expect(created.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: memory request for container app; memory limit for container app');
  });

  it('refuses what breaks min, max or maxLimitRequestRatio with 403 and the plugin message', () => {
    const store = newStore();
    store.create('limitranges', limitRange([{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, maxLimitRequestRatio: { cpu: '4' } }]));
    expect(refusal(() => store.create('pods', pod('big', { app: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '3' } } })))).toEqual({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "big" is forbidden: maximum cpu usage per Container is 2, but limit is 3',
    });
    expect(refusal(() => store.create('pods', pod('small', { app: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '1' } } }))).message).toBe(
      'pods "small" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000]',
    );
    expect(store.count('pods')).toBe(0);
    // The stored LimitRange defaults `default` from max and `defaultRequest` from min and
    // default (SetDefaults_LimitRangeItem), so a bare pod is admitted with those.
    const bare = createAs(store, 'pods', pod('bare', { app: {} }));
    expect(bare.spec!.containers[0].resources).toEqual({ limits: { cpu: '2' }, requests: { cpu: '2', memory: '64Mi' } });
    // Restored objects (fixtures) keep what they carry.
    expect(() => store.create('pods', pod('restored', { app: {} }), { restore: true })).not.toThrow();
  });
});

describe('ResourceQuota admission and the quota controller', () => {
  it('charges creates in status.used, refuses what exceeds the quota, and gives back what deleted pods held', () => {
    const store = newStore();
    store.create('resourcequotas', quota({ pods: '3', 'count/configmaps': '1' }));
    settleAll(store);
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')?.status).toEqual({ hard: { pods: '3', 'count/configmaps': '1' }, used: { pods: '0', 'count/configmaps': '0' } });
    for (const name of ['p1', 'p2', 'p3']) store.create('pods', pod(name, { app: {} }));
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used).toEqual({ pods: '3', 'count/configmaps': '0' });
    expect(refusal(() => store.create('pods', pod('p4', { app: {} })))).toEqual({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "p4" is forbidden: exceeded quota: q1, requested: pods=1, used: pods=3, limited: pods=3',
    });
    store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'ns' } });
    expect(refusal(() => store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'ns' } })).message).toBe(
      'configmaps "c2" is forbidden: exceeded quota: q1, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
    );
    // A dry run is checked but charges nothing.
    store.delete('pods', 'ns', 'p1', { gracePeriodSeconds: 0 });
    settleAll(store);
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used!.pods).toBe('2');
    store.create('pods', pod('dry', { app: {} }), { dryRun: true });
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used!.pods).toBe('2');
    store.create('pods', pod('p4', { app: {} }));
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used!.pods).toBe('3');
  });

  it('sums requests and limits (cpu and memory aliases included) and requires them of every container', () => {
    const store = newStore();
    store.create('resourcequotas', quota({ cpu: '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' }));
    settleAll(store);
    expect(refusal(() => store.create('pods', pod('loose', { app: { requests: { cpu: '100m' } }, side: { limits: { cpu: '1', memory: '1Gi' } } }))).message).toBe(
      'pods "loose" is forbidden: failed quota: q1: must specify limits.cpu for: app; limits.memory for: app; requests.memory for: app',
    );
    const full = { requests: { cpu: '600m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    store.create('pods', pod('a', { app: full }));
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used).toEqual({ cpu: '600m', 'requests.memory': '512Mi', 'limits.cpu': '1', 'limits.memory': '1Gi' });
    expect(refusal(() => store.create('pods', pod('b', { app: full }))).message).toBe(
      'pods "b" is forbidden: exceeded quota: q1, requested: cpu=600m, used: cpu=600m, limited: cpu=1',
    );
  });

  it('with a LimitRange, defaults first, so a pod without resources fits a quota that requires them', () => {
    const store = newStore();
    store.create('limitranges', limitRange([{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }]));
    store.create('resourcequotas', quota({ 'requests.cpu': '1', 'limits.memory': '1Gi' }));
    settleAll(store);
    store.create('pods', pod('bare', { app: {} }));
    expect(getAs(store, 'resourcequotas', 'ns', 'q1')!.status!.used).toEqual({ 'requests.cpu': '100m', 'limits.memory': '512Mi' });
  });
});

describe('node lifecycle controller (TaintNodesByCondition)', () => {
  const unschedulableTaint = expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });

  it('cordon adds the unschedulable taint, uncordon removes it and the node takes pods again', () => {
    const store = new MemoryStore();
    loadScenario('demo', store, { controllers: createControllers(), seed: 7 });
    const cordoned = listAs(store, 'nodes').find((n) => n.spec!.unschedulable)!;
    // kubectl uncordon only clears spec.unschedulable.
    const uncordon = structuredClone(cordoned);
    delete uncordon.spec!.unschedulable;
    store.update('nodes', uncordon, { fieldManager: 'kubectl-uncordon' });
    settleAll(store);
    const after = getAs(store, 'nodes', undefined, cordoned.metadata.name!)!;
    expect(after.spec!.taints ?? []).not.toContainEqual(unschedulableTaint);

    // kubectl cordon only sets it.
    const other = listAs(store, 'nodes').find((n) => n.metadata.name !== after.metadata.name)!;
    const cordon = structuredClone(other);
    cordon.spec!.unschedulable = true;
    store.update('nodes', cordon, { fieldManager: 'kubectl-cordon' });
    settleAll(store);
    expect(getAs(store, 'nodes', undefined, other.metadata.name!)!.spec!.taints).toContainEqual({ ...{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, timeAdded: expect.stringMatching(/Z$/) });

    // A pod that must run on the uncordoned node now schedules there.
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pinned', namespace: 'default' },
      spec: { nodeSelector: { 'kubernetes.io/hostname': after.metadata.labels!['kubernetes.io/hostname'] }, containers: [{ name: 'app', image: 'app:1' }] },
    });
    settleAll(store);
    expect(getAs(store, 'pods', 'default', 'pinned')!.spec!.nodeName).toBe(after.metadata.name);
  });
});

describe('controllers whose pods admission refuses', () => {
  it('write status anyway, with ReplicaFailure on the ReplicaSet and the Deployment and a FailedCreate event', () => {
    const store = newStore();
    store.create('resourcequotas', quota({ pods: '2' }));
    store.create('apps/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
      },
    });
    settle(store, createControllers());
    const [rs] = listAs(store, 'apps/replicasets');
    expect(rs.status).toMatchObject({ replicas: 2 });
    const failure = rs.status!.conditions!.find((c) => c.type === 'ReplicaFailure');
    expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringContaining('exceeded quota: q1, requested: pods=1, used: pods=2, limited: pods=2') });
    const deployment = getAs(store, 'apps/deployments', 'ns', 'web')!;
    expect(deployment.status!.conditions).toContainEqual(expect.objectContaining({ type: 'ReplicaFailure', reason: 'FailedCreate', message: failure!.message }));
    const events = listAs(store, 'events').filter((e) => e.reason === 'FailedCreate');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'ReplicaSet', name: rs.metadata.name }, message: expect.stringMatching(/^Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: q1, /) });

    // Room again: the third pod is created and the condition goes away on both.
    const q = structuredClone(getAs(store, 'resourcequotas', 'ns', 'q1')!);
    q.spec!.hard!.pods = '5';
    store.update('resourcequotas', q);
    settle(store, createControllers());
    expect(getAs(store, 'apps/replicasets', 'ns', rs.metadata.name!)!.status!.conditions).toBeUndefined();
    expect(getAs(store, 'apps/deployments', 'ns', 'web')!.status!.conditions!.map((c) => c.type)).not.toContain('ReplicaFailure');
    expect(listAs(store, 'pods')).toHaveLength(3);
  });

  it.each([
    ['apps/statefulsets', 'StatefulSet', { serviceName: 'db', podManagementPolicy: 'Parallel', replicas: 3 }],
    ['batch/jobs', 'Job', { parallelism: 3, completions: 3 }],
  ] as const)('%s: writes status for the pods it has and records FailedCreate', (gr, kind, spec) => {
    const store = newStore();
    store.create('resourcequotas', quota({ pods: '2' }));
    const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'app', image: 'app:1' }], restartPolicy: kind === 'Job' ? 'Never' : 'Always' } };
    store.create(gr, {
      apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
      kind,
      metadata: { name: 'w', namespace: 'ns' },
      spec: { ...spec, selector: kind === 'Job' ? undefined : { matchLabels: { app: 'w' } }, template },
    });
    settle(store, createControllers());
    expect(listAs(store, 'pods').filter((p) => p.metadata.ownerReferences?.[0]?.kind === kind).length).toBeGreaterThan(0);
    expect(store.get(gr, 'ns', 'w')!.status).not.toEqual({});
    const events = listAs(store, 'events').filter((e) => e.reason === 'FailedCreate' && e.involvedObject.kind === kind);
    expect(events).toHaveLength(1);
    expect(events[0].message).toContain('exceeded quota: q1');
  });
});

describe('the demo scenario through admission', () => {
  const store = new MemoryStore();
  loadScenario('demo', store, { controllers: createControllers(), seed: 7 });

  it('gives recommendations pods the shop LimitRange cpu limit; the Deployment template stays as written', () => {
    const recs = listAs(store, 'pods', { namespace: 'shop' }).filter((p) => p.metadata.labels?.app === 'recommendations');
    expect(recs.length).toBeGreaterThan(0);
    for (const p of recs) {
      expect(p.spec!.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '200m', memory: '256Mi' } });
      expect(p.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu limit for container recommendations');
      expect(p.status!.qosClass).toBe('Burstable');
    }
    expect(getAs(store, 'apps/deployments', 'shop', 'recommendations')!.spec!.template.spec!.containers[0].resources!.limits).toEqual({ memory: '512Mi' });
  });

  it('keeps a BestEffort pod where no LimitRange applies, and quotas that account for every pod', () => {
    const bestEffort = listAs(store, 'pods').filter((p) => p.status!.qosClass === 'BestEffort');
    expect(bestEffort.some((p) => p.metadata.namespace === 'default')).toBe(true);
    expect(listAs(store, 'limitranges', { namespace: 'default' })).toHaveLength(0);
    const shop = getAs(store, 'resourcequotas', 'shop', 'shop-quota')!;
    const shopPods = listAs(store, 'pods', { namespace: 'shop' }).filter((p) => !['Succeeded', 'Failed'].includes(p.status!.phase!));
    expect(shop.status!.used!.pods).toBe(String(shopPods.length));
  });
});
