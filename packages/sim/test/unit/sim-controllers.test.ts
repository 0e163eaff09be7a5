import type { DaemonSet, Deployment, DeploymentSpec, Job, Node, Pod, PodDisruptionBudget, PodSpec, PodTemplateSpec, Service, StatefulSet, Taint } from '@daytwo/k8s/wire-types.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from '../../src/clock.js';
import { EndpointSliceController } from '../../src/controllers/endpoint-slices.js';
import { EndpointsController, serviceSelector } from '../../src/controllers/endpoints.js';
import { computeHash, safeEncodeString } from '../../src/controllers/hash.js';
import { templatePatch } from '../../src/controllers/history.js';
import { createControllers, settle } from '../../src/controllers/index.js';
import { keysSelectingPod } from '../../src/controllers/pod-selectors.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject, StoreEvent } from '../../src/types.js';
import { condition, getAs, type KindOf, listAs } from '../helpers/kinds.js';

// ---------------------------------------------------------------------------------------
// Builders

function seededRandom(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

function newStore(namespaces: string[] = ['default']): MemoryStore {
  const store = new MemoryStore();
  for (const name of namespaces) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return store;
}

function node(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; unschedulable?: boolean; taints?: Taint[]; podCIDR?: string } = {}): Node {
  const allocatable = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '16Gi', pods: opts.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: {
      podCIDR: opts.podCIDR ?? '10.244.0.0/24',
      ...(opts.unschedulable ? { unschedulable: true } : {}),
      ...(opts.taints ? { taints: opts.taints } : {}),
    },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: `192.168.0.${name.length}` }],
    },
  };
}

function cordoned(name: string, podCIDR?: string): Node {
  return node(name, {
    unschedulable: true,
    taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' }],
    podCIDR,
  });
}

function podTemplate(app: string, image: string, extra: { requests?: Record<string, string>; annotations?: Record<string, string>; spec?: object } = {}): PodTemplateSpec {
  return {
    metadata: { labels: { app }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      containers: [{ name: app, image, ...(extra.requests ? { resources: { requests: extra.requests } } : {}) }],
      ...(extra.spec ?? {}),
    },
  };
}

function deployment(name: string, replicas: number, image: string, extra: { annotations?: Record<string, string>; strategy?: DeploymentSpec['strategy']; requests?: Record<string, string> } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, image, { requests: extra.requests }),
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
    },
  };
}

function ownedBy<R extends string>(store: MemoryStore, gr: R, owner: KubeObject): KindOf<R>[] {
  return listAs(store, gr, { namespace: owner.metadata.namespace }).filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.controller));
}

function update<R extends string>(store: MemoryStore, gr: R, ns: string | undefined, name: string, mutate: (o: KindOf<R>) => void): KindOf<R> {
  const copy = structuredClone(getAs(store, gr, ns, name)!);
  mutate(copy);
  return store.update(gr, copy) as KindOf<R>;
}

function converge(store: MemoryStore, controllers = createControllers()) {
  const result = settle(store, controllers, { random: seededRandom() });
  expect(result.converged).toBe(true);
  return controllers;
}

const get = <R extends string>(store: MemoryStore, gr: R, name: string, ns: string | undefined = 'default') => getAs(store, gr, ns, name)!;

// ---------------------------------------------------------------------------------------

describe('clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scales delays by 1/speed and cancels every pending timer on stop()', () => {
    vi.useFakeTimers();
    const clock = createClock(4);
    const fired: string[] = [];
    clock.after(1000, () => fired.push('after'));
    clock.every(2000, () => fired.push('tick'));
    const cancel = clock.after(100, () => fired.push('cancelled'));
    cancel();
    vi.advanceTimersByTime(249);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['after']);
    vi.advanceTimersByTime(250);
    expect(fired).toEqual(['after', 'tick']);
    clock.stop();
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual(['after', 'tick']);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => createClock(0)).toThrow(RangeError);
  });
});

describe('hash', () => {
  it('renders FNV sums with SafeEncodeString', () => {
    // SafeEncodeString maps each byte to "bcdfghjklmnpqrstvwxz2456789"[b % 27]: '0' is 48 -> 48 % 27 = 21 -> '4'.
    expect(safeEncodeString('0')).toBe('4');
    expect(safeEncodeString('10')).toBe('54');
    const a = computeHash({ spec: { containers: [{ name: 'a', image: 'x:1' }] } });
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash({ spec: { containers: [{ image: 'x:1', name: 'a' }] } })).toBe(a);
    expect(computeHash({ spec: { containers: [{ name: 'a', image: 'x:2' }] } })).not.toBe(a);
    expect(computeHash({ spec: { containers: [{ name: 'a', image: 'x:1' }] } }, 1)).not.toBe(a);
  });
});

describe('deployment controller', () => {
  it('creates a ReplicaSet named after the template hash, with running pods and status', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('web', 3, 'nginx:1.25', { annotations: { 'kubernetes.io/change-cause': 'initial' } }));
    converge(store);

    const d = get(store, 'apps/deployments', 'web');
    const [rs] = ownedBy(store, 'apps/replicasets', d);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(hash).toBe(computeHash(d.spec!.template));
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec!.selector.matchLabels!['pod-template-hash']).toBe(hash);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'initial',
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });

    const pods = ownedBy(store, 'pods', rs);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.labels?.['pod-template-hash']).toBe(hash);
      expect(pod.spec!.nodeName).toBe('node-a');
      expect(pod.status!.phase).toBe('Running');
      expect(condition(pod, 'Ready')?.status).toBe('True');
      expect(pod.status!.podIP).toMatch(/^10\.244\.0\.\d+$/);
    }
    expect(new Set(pods.map((p) => p.status!.podIP)).size).toBe(3);

    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status!.observedGeneration).toBe(d.metadata.generation);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status!.unavailableReplicas ?? 0).toBe(0);
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  });

  it('rolls a template change out within maxSurge/maxUnavailable and records a new revision', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('web', 4, 'nginx:1.25'));
    converge(store);
    const oldRS = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'web'))[0];

    update(store, 'apps/deployments', 'default', 'web', (d) => {
      d.spec!.template.spec!.containers[0].image = 'nginx:1.26';
    });
    // One pass of the deployment controller alone: surge 25% of 4 rounds up to 1.
    const [, deploymentController] = createControllers();
    settle(store, [deploymentController], { maxRounds: 1 });
    const rss = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'web'));
    const newRS = rss.find((rs) => rs.metadata.name !== oldRS.metadata.name)!;
    expect(newRS.spec!.replicas).toBe(1);
    expect(newRS.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    // maxUnavailable 25% of 4 rounds down to 1: old may only drop to 3 (5 total - 1 unavailable new - 3 min available = 1).
    expect(get(store, 'apps/replicasets', oldRS.metadata.name!).spec!.replicas).toBe(3);
    // The new ReplicaSet has no pods yet, so no progress is seen in this pass.
    expect(condition(get(store, 'apps/deployments', 'web'), 'Progressing')).toMatchObject({
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${newRS.metadata.name}"`,
    });

    converge(store);
    const d = get(store, 'apps/deployments', 'web');
    expect(get(store, 'apps/replicasets', newRS.metadata.name!).spec!.replicas).toBe(4);
    expect(get(store, 'apps/replicasets', oldRS.metadata.name!).spec!.replicas).toBe(0);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: d.metadata.generation });
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    const pods = listAs(store, 'pods', { namespace: 'default' });
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.spec!.containers[0].image === 'nginx:1.26')).toBe(true);
  });

  it('a rollback re-uses the old ReplicaSet with a new, highest revision', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('web', 2, 'nginx:1.25', { annotations: { 'kubernetes.io/change-cause': 'v1' } }));
    converge(store);
    const first = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'web'))[0];
    const setImage = (image: string, cause: string) =>
      update(store, 'apps/deployments', 'default', 'web', (d) => {
        d.spec!.template.spec!.containers[0].image = image;
        d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': cause };
      });
    setImage('nginx:1.26', 'v2');
    converge(store);
    setImage('nginx:1.25', 'rollback to v1');
    converge(store);

    const rss = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'web'));
    expect(rss).toHaveLength(2);
    const reused = get(store, 'apps/replicasets', first.metadata.name!);
    expect(reused.metadata.uid).toBe(first.metadata.uid);
    expect(reused.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
      'kubernetes.io/change-cause': 'rollback to v1',
    });
    expect(reused.spec!.replicas).toBe(2);
    const other = rss.find((rs) => rs.metadata.uid !== first.metadata.uid)!;
    expect(other.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(other.metadata.annotations?.['kubernetes.io/change-cause']).toBe('v2');
    expect(other.spec!.replicas).toBe(0);
    expect(get(store, 'apps/deployments', 'web').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('db', 2, 'postgres:15', { strategy: { type: 'Recreate' } }));
    converge(store);
    update(store, 'apps/deployments', 'default', 'db', (d) => {
      d.spec!.template.spec!.containers[0].image = 'postgres:16';
    });
    const [, deploymentController] = createControllers();
    settle(store, [deploymentController], { maxRounds: 1 });
    const rss = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'db'));
    expect(rss).toHaveLength(1);
    expect(rss[0].spec!.replicas).toBe(0);
    converge(store);
    const after = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'db'));
    expect(after).toHaveLength(2);
    expect(after.map((rs) => rs.spec!.replicas).sort()).toEqual([0, 2]);
  });

  it('does not roll a paused deployment, and cleans up beyond revisionHistoryLimit', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const d = deployment('api', 1, 'api:1');
    d.spec!.revisionHistoryLimit = 1;
    store.create('apps/deployments', d);
    converge(store);
    for (const v of ['2', '3']) {
      update(store, 'apps/deployments', 'default', 'api', (x) => {
        x.spec!.template.spec!.containers[0].image = `api:${v}`;
      });
      converge(store);
    }
    // Three templates, history limit 1: the idle revision-1 ReplicaSet is gone.
    const revisions = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'api'))
      .map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'])
      .sort();
    expect(revisions).toEqual(['2', '3']);

    update(store, 'apps/deployments', 'default', 'api', (x) => {
      x.spec!.paused = true;
      x.spec!.template.spec!.containers[0].image = 'api:4';
    });
    converge(store);
    const paused = get(store, 'apps/deployments', 'api');
    // No ReplicaSet for api:4; cleanup still runs while paused and removes the idle revision 2.
    const remaining = ownedBy(store, 'apps/replicasets', paused);
    expect(remaining.map((rs) => rs.spec!.template!.spec!.containers[0].image)).toEqual(['api:3']);
    expect(remaining[0].spec!.replicas).toBe(1);
    expect(condition(paused, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
  });
});

describe('statefulset controller', () => {
  /** Claims are provisioned only for a class that exists, as a cluster's CSI provisioner does. */
  function defaultStorageClass(): KubeObject {
    return {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'example.com/csi',
      volumeBindingMode: 'WaitForFirstConsumer',
    } as KubeObject;
  }

  function statefulSet(image: string): StatefulSet {
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: podTemplate('db', image),
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    };
  }

  it('creates ordinal pods one at a time (OrderedReady), PVCs and a ControllerRevision', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('storage.k8s.io/storageclasses', defaultStorageClass());
    store.create('apps/statefulsets', statefulSet('postgres:15'));
    const controllers = createControllers();
    const sts = controllers.find((c) => c.name === 'statefulset')!;
    settle(store, [sts], { maxRounds: 1 });
    // The first pod is not Ready yet, so OrderedReady stops at ordinal 0.
    expect(listAs(store, 'pods', { namespace: 'default' }).map((p) => p.metadata.name)).toEqual(['db-0']);
    converge(store, controllers);

    const set = get(store, 'apps/statefulsets', 'db');
    const [rev] = ownedBy(store, 'apps/controllerrevisions', set);
    expect(rev.metadata.name).toMatch(/^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rev.revision).toBe(1);
    expect(rev.data.spec.template.$patch).toBe('replace');
    expect(rev.data.spec.template.spec.containers[0].image).toBe('postgres:15');
    expect(rev.metadata.labels?.['controller.kubernetes.io/hash']).toBe(rev.metadata.name!.slice(3));

    const pods = listAs(store, 'pods', { namespace: 'default' });
    expect(pods.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    for (const [i, pod] of pods.entries()) {
      expect(pod.metadata.labels).toMatchObject({
        'controller-revision-hash': rev.metadata.name,
        'statefulset.kubernetes.io/pod-name': `db-${i}`,
        'apps.kubernetes.io/pod-index': String(i),
      });
      expect(pod.spec!.hostname).toBe(`db-${i}`);
      expect(pod.spec!.subdomain).toBe('db');
      expect(pod.spec!.volumes!.find((v) => v.name === 'data')!.persistentVolumeClaim!.claimName).toBe(`data-db-${i}`);
    }
    expect(listAs(store, 'persistentvolumeclaims', { namespace: 'default' }).map((p) => p.metadata.name)).toEqual([
      'data-db-0',
      'data-db-1',
      'data-db-2',
    ]);
    expect(set.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentRevision: rev.metadata.name, updateRevision: rev.metadata.name });
  });

  it('rolls an update out in reverse ordinal order with a new revision', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('storage.k8s.io/storageclasses', defaultStorageClass());
    store.create('apps/statefulsets', statefulSet('postgres:15'));
    const controllers = converge(store);
    const firstRev = get(store, 'apps/statefulsets', 'db').status!.currentRevision;
    update(store, 'apps/statefulsets', 'default', 'db', (s) => {
      s.spec!.template.spec!.containers[0].image = 'postgres:16';
    });
    const sts = controllers.find((c) => c.name === 'statefulset')!;
    settle(store, [sts], { maxRounds: 1 });
    // Only the highest ordinal is replaced first.
    const deleting = listAs(store, 'pods', { namespace: 'default' }).filter((p) => p.metadata.deletionTimestamp || !p.status?.phase);
    expect(deleting.map((p) => p.metadata.name)).toEqual(['db-2']);

    converge(store, controllers);
    const set = get(store, 'apps/statefulsets', 'db');
    const revisions = ownedBy(store, 'apps/controllerrevisions', set).sort((a, b) => a.revision - b.revision);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[0].metadata.name).toBe(firstRev);
    expect(set.status!.updateRevision).toBe(revisions[1].metadata.name);
    expect(set.status!.currentRevision).toBe(revisions[1].metadata.name);
    expect(listAs(store, 'pods', { namespace: 'default' }).every((p) => p.metadata.labels?.['controller-revision-hash'] === revisions[1].metadata.name)).toBe(true);
  });
});

describe('daemonset controller', () => {
  it('runs one pod per eligible node, cordoned nodes included, pinned by node affinity', () => {
    const store = newStore(['kube-system']);
    store.create('nodes', node('node-a', { podCIDR: '10.244.1.0/24' }));
    store.create('nodes', cordoned('node-b', '10.244.2.0/24'));
    store.create('nodes', node('node-c', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], podCIDR: '10.244.3.0/24' }));
    store.create('nodes', node('node-d', { labels: { 'kubernetes.io/os': 'windows' }, podCIDR: '10.244.4.0/24' }));
    store.create('apps/daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { app: 'node-exporter' } },
        template: podTemplate('node-exporter', 'prom/node-exporter:v1.8.0', { spec: { nodeSelector: { 'kubernetes.io/hostname': undefined } } }),
      },
    });
    update(store, 'apps/daemonsets', 'kube-system', 'node-exporter', (ds) => {
      ds.spec!.template.spec = { containers: ds.spec!.template.spec!.containers, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] }] } } } };
    });
    converge(store);

    const ds = get(store, 'apps/daemonsets', 'node-exporter', 'kube-system');
    const pods = ownedBy(store, 'pods', ds);
    expect(pods.map((p) => p.spec!.nodeName).sort()).toEqual(['node-a', 'node-b']);
    const [rev] = ownedBy(store, 'apps/controllerrevisions', ds);
    const hash = rev.metadata.labels?.['controller-revision-hash'];
    expect(rev.metadata.name).toBe(`node-exporter-${hash}`);
    expect(rev.data.spec.template.$patch).toBe('replace');
    for (const pod of pods) {
      expect(pod.metadata.labels?.['controller-revision-hash']).toBe(hash);
      expect(pod.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec!.nodeName] }] },
      ]);
      expect(pod.spec!.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    }
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      numberMisscheduled: 0,
      observedGeneration: 2,
    });
  });
});

describe('scheduler', () => {
  it('respects unschedulable, taints, node selectors and resources, least allocated first', () => {
    const store = newStore();
    store.create('nodes', cordoned('node-a'));
    store.create('nodes', node('node-b', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    store.create('nodes', node('node-c', { cpu: '2', labels: { pool: 'general' } }));
    store.create('nodes', node('node-d', { cpu: '2', labels: { pool: 'general' } }));
    const pod = (name: string, spec: Partial<PodSpec>): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1500m' } } }], ...spec },
    });
    store.create('pods', pod('p1', {}));
    store.create('pods', pod('p2', {}));
    store.create('pods', pod('gpu', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'node-b' } }));
    store.create('pods', pod('too-big', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
    converge(store);

    const nodeOf = (name: string) => get(store, 'pods', name).spec!.nodeName;
    // Equal scores on node-c and node-d: name order breaks the tie, then the next pod goes to the emptier node.
    expect([nodeOf('p1'), nodeOf('p2')]).toEqual(['node-c', 'node-d']);
    expect(nodeOf('gpu')).toBe('node-b');
    const stuck = get(store, 'pods', 'too-big');
    expect(stuck.spec!.nodeName).toBeUndefined();
    expect(condition(stuck, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    });
    const events = listAs(store, 'events', { namespace: 'default' }).filter((e) => e.reason === 'FailedScheduling');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Pod', name: 'too-big' }, source: { component: 'default-scheduler' } });
  });

  it('counts init containers by the max rule and the node pod limit', () => {
    const store = newStore();
    store.create('nodes', node('node-a', { cpu: '8', pods: '1' }));
    store.create('nodes', node('node-b', { cpu: '3' }));
    const pod = (name: string, spec: PodSpec): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec });
    store.create('pods', pod('first', { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] }));
    // Requests max(init 3, containers 100m) = 3 cpu: fits node-b exactly (a sum would need 3.1).
    store.create('pods', pod('init-heavy', {
      initContainers: [{ name: 'migrate', image: 'busybox', resources: { requests: { cpu: '3' } } }],
      containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }],
    }));
    converge(store);
    expect(get(store, 'pods', 'init-heavy').spec!.nodeName).toBe('node-b');
    expect(get(store, 'pods', 'init-heavy').status!.initContainerStatuses![0].state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });

    store.create('pods', pod('late', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] }));
    converge(store);
    expect(condition(get(store, 'pods', 'late'), 'PodScheduled')?.message).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
  });

  it('a pod deleted from a cordoned node is recreated by its ReplicaSet on another node', () => {
    const store = newStore();
    store.create('nodes', node('node-old', { podCIDR: '10.244.1.0/24' }));
    store.create('apps/deployments', deployment('web', 2, 'nginx:1.25'));
    const controllers = converge(store);
    store.create('nodes', node('node-new', { podCIDR: '10.244.2.0/24' }));
    update(store, 'nodes', undefined, 'node-old', (n) => {
      n.spec!.unschedulable = true;
      n.spec!.taints = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }];
    });
    const victim = listAs(store, 'pods', { namespace: 'default' })[0];
    store.delete('pods', 'default', victim.metadata.name!);
    expect(get(store, 'pods', victim.metadata.name!).metadata.deletionTimestamp).toBeDefined();
    converge(store, controllers);

    const pods = listAs(store, 'pods', { namespace: 'default' });
    expect(pods).toHaveLength(2);
    expect(pods.some((p) => p.metadata.name === victim.metadata.name)).toBe(false);
    const replacement = pods.find((p) => p.spec!.nodeName === 'node-new');
    expect(replacement!.status!.phase).toBe('Running');
    expect(replacement!.status!.podIP).toMatch(/^10\.244\.2\./);
  });
});

describe('kubelet (live, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-21T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function startLive(store: MemoryStore, speed = 1) {
    const clock = createClock(speed);
    const controllers = createControllers();
    for (const c of controllers) c.start({ store, clock, random: seededRandom() });
    return {
      stop: () => {
        for (const c of controllers) c.stop();
        clock.stop();
      },
    };
  }

  it('starts a bound pod after a delay and makes it ready after the readiness probe delay', async () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const live = startLive(store);
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 } }] },
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(get(store, 'pods', 'web').spec!.nodeName).toBe('node-a');
    expect(get(store, 'pods', 'web').status!.phase).toBe('Pending');
    await vi.advanceTimersByTimeAsync(1000);
    const running = get(store, 'pods', 'web');
    expect(running.status!.phase).toBe('Running');
    expect(running.status!.containerStatuses![0]).toMatchObject({ name: 'web', ready: false, restartCount: 0, image: 'nginx:1.25' });
    expect(running.status!.containerStatuses![0].imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(running.status!.containerStatuses![0].containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(condition(running, 'Ready')?.status).toBe('False');
    await vi.advanceTimersByTimeAsync(5000);
    expect(condition(get(store, 'pods', 'web'), 'Ready')?.status).toBe('True');
    live.stop();
  });

  it('crash-loops an annotated pod with kubelet back-off', async () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const live = startLive(store, 10);
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crashy', namespace: 'default', annotations: { 'sim.daytwo.dev/crash': 'true' } },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    // Speed 10: 1 s start + 3 s run = 400 ms real.
    await vi.advanceTimersByTimeAsync(450);
    let status = get(store, 'pods', 'crashy').status!.containerStatuses![0];
    expect(status.state!.waiting!.reason).toBe('CrashLoopBackOff');
    expect(status.state!.waiting!.message).toMatch(/^back-off 10s restarting failed container=app pod=crashy_default\(/);
    expect(status.lastState!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(status.restartCount).toBe(0);
    // 10 s back-off = 1 s real, then it runs 300 ms and crashes again with a 20 s back-off.
    await vi.advanceTimersByTimeAsync(1000);
    expect(get(store, 'pods', 'crashy').status!.containerStatuses![0].restartCount).toBe(1);
    await vi.advanceTimersByTimeAsync(350);
    status = get(store, 'pods', 'crashy').status!.containerStatuses![0];
    expect(status.state!.waiting!.message).toMatch(/^back-off 20s /);
    await vi.advanceTimersByTimeAsync(2000);
    expect(get(store, 'pods', 'crashy').status!.containerStatuses![0].restartCount).toBe(2);
    // One aggregated BackOff event per container, counting the crashes so far.
    const backOff = listAs(store, 'events', { namespace: 'default' }).filter((e) => e.reason === 'BackOff');
    expect(backOff).toHaveLength(1);
    expect(backOff[0]).toMatchObject({ type: 'Warning', count: 2, involvedObject: { name: 'crashy', fieldPath: 'spec.containers{app}' } });
    live.stop();
  });

  it('marks a rollout that makes no progress ProgressDeadlineExceeded', async () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const live = startLive(store);
    const d = deployment('stuck', 1, 'app:1');
    d.spec!.progressDeadlineSeconds = 5;
    d.spec!.template.metadata!.annotations = { 'sim.daytwo.dev/crash': 'true' };
    store.create('apps/deployments', d);
    await vi.advanceTimersByTimeAsync(2000);
    expect(condition(get(store, 'apps/deployments', 'stuck'), 'Progressing')?.status).toBe('True');
    await vi.advanceTimersByTimeAsync(5000);
    const rs = ownedBy(store, 'apps/replicasets', get(store, 'apps/deployments', 'stuck'))[0];
    expect(condition(get(store, 'apps/deployments', 'stuck'), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
    });
    expect(condition(get(store, 'apps/deployments', 'stuck'), 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    live.stop();
  });

  it('restarts OnFailure job containers in place and fails the Job on its restart budget', async () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const live = startLive(store, 10);
    store.create('batch/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'flaky', namespace: 'default' },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { annotations: { 'sim.daytwo.dev/exit-code': '3', 'sim.daytwo.dev/run-seconds': '1' } },
          spec: { restartPolicy: 'OnFailure', containers: [{ name: 'task', image: 'busybox' }] },
        },
      },
    });
    // Start 1 s, run 1 s, back-off 10 s, run 1 s, back-off 20 s, run...: at speed 10 about 3.5 s real.
    await vi.advanceTimersByTimeAsync(2500);
    const [pod] = listAs(store, 'pods', { namespace: 'default' });
    expect(pod.status!.containerStatuses![0].restartCount).toBe(1);
    expect(pod.status!.containerStatuses![0].lastState!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    await vi.advanceTimersByTimeAsync(1500);
    const job = get(store, 'batch/jobs', 'flaky');
    expect(condition(job, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(listAs(store, 'pods', { namespace: 'default' }).filter((p) => !p.metadata.deletionTimestamp)).toEqual([]);
    live.stop();
  });

  it('removes a gracefully deleted pod after its (short) termination', async () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const live = startLive(store);
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    });
    await vi.advanceTimersByTimeAsync(1100);
    store.delete('pods', 'default', 'web');
    await vi.advanceTimersByTimeAsync(10);
    const terminating = get(store, 'pods', 'web');
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(condition(terminating, 'Ready')?.status).toBe('False');
    await vi.advanceTimersByTimeAsync(2100);
    expect(getAs(store, 'pods', 'default', 'web')).toBeUndefined();
    live.stop();
  });
});

describe('job controller', () => {
  function job(name: string, annotations: Record<string, string>, backoffLimit: number): Job {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'default' },
      spec: {
        backoffLimit,
        template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'busybox' }] } },
      },
    };
  }

  it('fails after backoffLimit+1 failed pods with BackoffLimitExceeded', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('batch/jobs', job('migrate', { 'sim.daytwo.dev/exit-code': '1' }, 2));
    converge(store);
    const j = get(store, 'batch/jobs', 'migrate');
    expect(j.status!.failed).toBe(3);
    expect(j.status!.active ?? 0).toBe(0);
    expect(condition(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    const pods = ownedBy(store, 'pods', j);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.status!.phase).toBe('Failed');
      expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
      expect(pod.metadata.labels).toMatchObject({
        'batch.kubernetes.io/job-name': 'migrate',
        'job-name': 'migrate',
        'controller-uid': j.metadata.uid,
        'batch.kubernetes.io/controller-uid': j.metadata.uid,
      });
    }
  });

  it('completes when its pods succeed', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const j = job('report', {}, 6);
    j.spec!.completions = 3;
    j.spec!.parallelism = 2;
    store.create('batch/jobs', j);
    converge(store);
    const done = get(store, 'batch/jobs', 'report');
    expect(done.status).toMatchObject({ succeeded: 3 });
    expect(done.status!.startTime).toBeDefined();
    expect(done.status!.completionTime).toBeDefined();
    expect(condition(done, 'Complete')?.status).toBe('True');
  });
});

describe('disruption controller', () => {
  function pdb(name: string, spec: PodDisruptionBudget['spec']): PodDisruptionBudget {
    return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } };
  }

  it('computes expected, healthy, desired and allowed disruptions', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('web', 5, 'nginx'));
    store.create('policy/poddisruptionbudgets', pdb('min-all', { minAvailable: 5 }));
    store.create('policy/poddisruptionbudgets', pdb('min-pct', { minAvailable: '50%' }));
    store.create('policy/poddisruptionbudgets', pdb('max-pct', { maxUnavailable: '30%' }));
    store.create('policy/poddisruptionbudgets', pdb('none', { minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } }));
    converge(store);

    const status = (name: string) => get(store, 'policy/poddisruptionbudgets', name).status;
    expect(status('min-all')).toMatchObject({ expectedPods: 5, currentHealthy: 5, desiredHealthy: 5, disruptionsAllowed: 0, observedGeneration: 1 });
    expect(condition(get(store, 'policy/poddisruptionbudgets', 'min-all'), 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    // 50% of 5 rounds up to 3.
    expect(status('min-pct')).toMatchObject({ expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 2 });
    expect(condition(get(store, 'policy/poddisruptionbudgets', 'min-pct'), 'DisruptionAllowed')).toMatchObject({ status: 'True', reason: 'SufficientPods' });
    // maxUnavailable 30% of 5 rounds up to 2: desired 3.
    expect(status('max-pct')).toMatchObject({ expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 2 });
    expect(status('none')).toMatchObject({ expectedPods: 0, currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });

    // A pod going away lowers currentHealthy at once (deletionTimestamp) for the budget.
    const victim = listAs(store, 'pods', { namespace: 'default' })[0];
    store.delete('pods', 'default', victim.metadata.name!);
    const disruption = createControllers().find((c) => c.name === 'disruption')!;
    settle(store, [disruption]);
    expect(status('min-pct')).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 1 });
  });
});

describe('garbage collector', () => {
  it('deletes dependents in the background, or orphans them on request', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    store.create('apps/deployments', deployment('web', 2, 'nginx'));
    store.create('apps/deployments', deployment('api', 1, 'api:1'));
    const controllers = converge(store);

    store.delete('apps/deployments', 'default', 'web');
    converge(store, controllers);
    expect(listAs(store, 'apps/replicasets', { namespace: 'default' }).filter((rs) => rs.metadata.name?.startsWith('web-'))).toEqual([]);
    expect(listAs(store, 'pods', { namespace: 'default' }).filter((p) => p.metadata.name?.startsWith('web-'))).toEqual([]);

    const apiRS = listAs(store, 'apps/replicasets', { namespace: 'default' }).find((rs) => rs.metadata.name?.startsWith('api-'))!;
    store.delete('apps/deployments', 'default', 'api', { propagationPolicy: 'Orphan' });
    converge(store, controllers);
    const orphan = get(store, 'apps/replicasets', apiRS.metadata.name!);
    expect(orphan.metadata.ownerReferences).toBeUndefined();
    expect(ownedBy(store, 'pods', orphan)).toHaveLength(1);
  });
});

describe('endpoints controller', () => {
  it('lists ready pods as addresses and resolves named target ports', () => {
    const store = newStore();
    store.create('nodes', node('node-a'));
    const d = deployment('web', 2, 'nginx');
    d.spec!.template.spec!.containers[0].ports = [{ name: 'http', containerPort: 8080 }];
    store.create('apps/deployments', d);
    store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    converge(store);
    const ep = get(store, 'endpoints', 'web');
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const pods = listAs(store, 'pods', { namespace: 'default' });
    expect(ep.subsets![0].addresses!.map((a) => a.ip).sort()).toEqual(pods.map((p) => p.status!.podIP).sort());
    expect(ep.subsets![0].addresses![0]).toMatchObject({ nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default' } });
  });

  it('follows a pod relabelled from one Service to another, syncing only the Services it belonged to or belongs to', () => {
    vi.useFakeTimers();
    try {
      const store = newStore();
      store.create('nodes', node('node-a'));
      const service = (name: string, app: string): Service => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'default' },
        spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      store.create('services', service('blue', 'blue'));
      store.create('services', service('green', 'green'));
      store.create('services', service('other', 'other'));
      store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default', labels: { app: 'blue' } },
        spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx' }] },
        status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
      });
      const controller = new EndpointsController();
      controller.start({ store, clock: createClock(1), random: seededRandom() });
      vi.advanceTimersByTime(1);
      const ips = (name: string) => (get(store, 'endpoints', name).subsets ?? []).flatMap((s) => s.addresses!.map((a) => a.ip));
      expect(ips('blue')).toEqual(['10.244.0.9']);
      expect(ips('green')).toEqual([]);
      const otherVersion = get(store, 'endpoints', 'other').metadata.resourceVersion;

      relabelPod(store, 'p', 'green');
      // The old membership (blue) is synced too, though the pod's labels no longer match it.
      expect(ips('blue')).toEqual([]);
      expect(ips('green')).toEqual(['10.244.0.9']);
      expect(get(store, 'endpoints', 'other').metadata.resourceVersion).toBe(otherVersion);

      store.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 });
      vi.advanceTimersByTime(1);
      expect(ips('green')).toEqual([]);
      controller.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('which Services a pod change concerns', () => {
  const service = (name: string, app: string): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const runningPod = (app: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
  });

  it('are those selecting the pod after the change or before it, from the events the store emits', () => {
    const store = newStore();
    const services = ['blue', 'green', 'other'].map((name) => store.create('services', service(name, name)) as Service);
    const events: StoreEvent[] = [];
    store.subscribe((ev) => {
      if (ev.gr === 'pods') events.push(ev);
    });
    store.create('pods', runningPod('blue'));
    const relabelled = structuredClone(get(store, 'pods', 'p'));
    relabelled.metadata.labels = { app: 'green' };
    store.update('pods', relabelled);
    store.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 });
    expect(events.map((ev) => keysSelectingPod(ev, services, serviceSelector))).toEqual([
      ['default/blue'],
      ['default/blue', 'default/green'],
      ['default/green'],
    ]);
    // An update whose previous state is unknown concerns every candidate.
    const { previous: _, ...withoutPrevious } = events[1];
    expect(keysSelectingPod(withoutPrevious, services, serviceSelector)).toEqual(['default/blue', 'default/green', 'default/other']);
  });

  it('leaves the EndpointSlices of other Services alone when a pod moves from one Service to another', () => {
    vi.useFakeTimers();
    try {
      const store = newStore();
      store.create('nodes', node('node-a'));
      for (const name of ['blue', 'green', 'other']) store.create('services', service(name, name));
      store.create('pods', runningPod('blue'));
      const controller = new EndpointSliceController();
      controller.start({ store, clock: createClock(1), random: seededRandom() });
      vi.advanceTimersByTime(1);
      const slices = (svc: string) =>
        listAs(store, 'discovery.k8s.io/endpointslices', { namespace: 'default' }).filter(
          (s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc,
        );
      const ips = (svc: string) => slices(svc).flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses));
      expect(ips('blue')).toEqual(['10.244.0.9']);
      // A slice deleted by hand comes back only when its Service is synced: the pod change below must not sync 'other'.
      store.delete('discovery.k8s.io/endpointslices', 'default', slices('other')[0].metadata.name ?? '');
      relabelPod(store, 'p', 'green');
      expect(ips('blue')).toEqual([]);
      expect(ips('green')).toEqual(['10.244.0.9']);
      expect(slices('other')).toEqual([]);
      controller.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ControllerRevision data (getPatch)', () => {
  it('is written byte for byte as the controllers marshal it: keys sorted, null creationTimestamp, resources {}', () => {
    const owner: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'] }],
            containers: [{ name: 'agent', image: 'agent:1', resources: { limits: { memory: '64Mi' } }, imagePullPolicy: 'IfNotPresent' }],
            restartPolicy: 'Always',
          },
        },
      },
    };
    const { raw, data } = templatePatch(owner);
    // What `json.Marshal` of the typed DaemonSet, read back into a map and marshalled again, gives.
    expect(raw).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"agent"}},' +
        '"spec":{"containers":[{"image":"agent:1","imagePullPolicy":"IfNotPresent","name":"agent","resources":{"limits":{"memory":"64Mi"}}}],' +
        '"initContainers":[{"command":["true"],"image":"busybox:1.36","name":"init","resources":{}}],"restartPolicy":"Always"}}}}',
    );
    // The API server serves `data` as stored, so the stored object must serialize to the same bytes.
    expect(JSON.stringify(data)).toBe(raw);
    // The owner is left alone.
    expect(owner.spec!.template.metadata).toEqual({ labels: { app: 'agent' } });
  });
});

/** Moves pod `name` to another `app` label and lets the controllers run. */
function relabelPod(store: MemoryStore, name: string, app: string): void {
  const pod = structuredClone(get(store, 'pods', name));
  pod.metadata.labels = { app };
  store.update('pods', pod);
  vi.advanceTimersByTime(1);
}
