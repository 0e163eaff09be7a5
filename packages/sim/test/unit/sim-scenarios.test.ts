import { labelSelectorMatches } from '@daytwo/k8s/label-selector.js';
import { describe, expect, it } from 'vitest';
import { createControllers, settle } from '../../src/controllers/index.js';
import { loadScenario, SCENARIOS, type ScenarioName } from '../../src/scenarios/index.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';
import { condition, getAs, listAs } from '../helpers/kinds.js';

const controllerKind = (obj: KubeObject) => obj.metadata.ownerReferences?.find((r) => r.controller)?.kind;

describe('demo scenario', () => {
  const store = new MemoryStore();
  loadScenario('demo', store, { controllers: createControllers(), seed: 7 });
  const nodes = listAs(store, 'nodes');
  const pods = listAs(store, 'pods');
  const pool = (n: KubeObject) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'];

  it('has two EKS node groups on adjacent kubelet versions, one old node cordoned, one old node silent, and a tainted one-node group on v1.27', () => {
    expect(nodes).toHaveLength(8);
    const reporting = nodes.filter((n) => pool(n) === 'ng-r5');
    expect(reporting.map((n) => [n.status!.nodeInfo!.kubeletVersion, n.spec!.taints])).toEqual([['v1.27.9-eks-5e0fdde', [{ key: 'dedicated', value: 'reporting', effect: 'NoSchedule' }]]]);
    const old = nodes.filter((n) => pool(n) === 'ng-old');
    const fresh = nodes.filter((n) => pool(n) === 'ng-new');
    expect(old).toHaveLength(4);
    expect(fresh).toHaveLength(3);
    expect(old.every((n) => /^v1\.29\.\d+-eks-/.test(n.status!.nodeInfo!.kubeletVersion))).toBe(true);
    expect(fresh.every((n) => /^v1\.30\.\d+-eks-/.test(n.status!.nodeInfo!.kubeletVersion))).toBe(true);
    for (const n of nodes) {
      expect(Object.keys(n.metadata.labels ?? {})).toEqual(
        expect.arrayContaining(['node.kubernetes.io/instance-type', 'topology.kubernetes.io/zone', 'kubernetes.io/os', 'kubernetes.io/hostname']),
      );
      expect(n.status!.allocatable).toMatchObject({ cpu: expect.any(String), memory: expect.any(String), pods: expect.any(String) });
      expect(condition(n, 'Ready')?.status).toBe(n.metadata.annotations?.['sim.daytwo.dev/kubelet'] === 'stopped' ? 'Unknown' : 'True');
    }
    const silent = nodes.filter((n) => condition(n, 'Ready')?.status !== 'True');
    expect(silent.map(pool)).toEqual(['ng-old']);
    expect(silent[0].spec!.taints!.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const cordoned = nodes.filter((n) => n.spec!.unschedulable);
    expect(cordoned).toHaveLength(1);
    expect(pool(cordoned[0])).toBe('ng-old');
    expect(cordoned[0].spec!.taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
  });

  it('runs about forty pods of every QoS class, some of them (not only daemons) on the old pool', () => {
    expect(pods.length).toBeGreaterThanOrEqual(30);
    expect(pods.length).toBeLessThanOrEqual(50);
    expect(new Set(pods.map((p) => p.status!.qosClass))).toEqual(new Set(['Guaranteed', 'Burstable', 'BestEffort']));
    const oldNodes = new Set(nodes.filter((n) => pool(n) === 'ng-old').map((n) => n.metadata.name));
    const movable = pods.filter((p) => oldNodes.has(p.spec!.nodeName) && controllerKind(p) !== 'DaemonSet' && p.status!.phase === 'Running');
    expect(movable.length).toBeGreaterThan(3);
    // All scheduled but the Deployment that cannot get capacity.
    expect(pods.filter((p) => !p.spec!.nodeName).map((p) => p.metadata.name)).toEqual([expect.stringMatching(/^thanos-compactor-/)]);
  });

  it('has a PodDisruptionBudget that blocks draining the cordoned node right now', () => {
    const cordoned = nodes.find((n) => n.spec!.unschedulable)!;
    const onNode = pods.filter((p) => p.spec!.nodeName === cordoned.metadata.name);
    const blocking = listAs(store, 'policy/poddisruptionbudgets')
      .filter((b) => b.status?.disruptionsAllowed === 0)
      .filter((b) => onNode.some((p) => p.metadata.namespace === b.metadata.namespace && labelSelectorMatches(b.spec!.selector, p.metadata.labels)));
    expect(blocking.length).toBeGreaterThan(0);
    expect(condition(blocking[0], 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    expect(blocking[0].status!.currentHealthy).toBe(blocking[0].status!.desiredHealthy);
  });

  it('has a Deployment with three real revisions and change-causes', () => {
    const withHistory = listAs(store, 'apps/deployments').find((d) => d.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3')!;
    expect(withHistory).toBeDefined();
    const rss = listAs(store, 'apps/replicasets', { namespace: withHistory.metadata.namespace })
      .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === withHistory.metadata.uid));
    const byRevision = rss.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
    expect(byRevision.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['1', '2', '3']);
    expect(new Set(byRevision.map((rs) => rs.metadata.annotations?.['kubernetes.io/change-cause'])).size).toBe(3);
    expect(new Set(byRevision.map((rs) => rs.spec!.template!.spec!.containers[0].image)).size).toBe(3);
    expect(byRevision.map((rs) => rs.spec!.replicas)).toEqual([0, 0, withHistory.spec!.replicas]);
    expect(condition(withHistory, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('has a crash-looping pod, a failed Job and a nearly full volume', () => {
    const crashing = pods.filter((p) => p.status!.containerStatuses?.some((s) => s.state!.waiting?.reason === 'CrashLoopBackOff'));
    expect(crashing).toHaveLength(1);
    const failed = listAs(store, 'batch/jobs').filter((j) => condition(j, 'Failed')?.status === 'True');
    expect(failed).toHaveLength(1);
    expect(condition(failed[0], 'Failed')?.reason).toBe('BackoffLimitExceeded');

    const full = listAs(store, 'persistentvolumeclaims').filter((c) => {
      const used = Number(c.metadata.annotations?.['sim.daytwo.dev/used-bytes']);
      return c.status?.phase === 'Bound' && used / (50 * 1024 ** 3) > 0.9;
    });
    expect(full).toHaveLength(1);
    const pv = getAs(store, 'persistentvolumes', undefined, full[0].spec!.volumeName!)!;
    expect(pv.spec!.claimRef).toMatchObject({ name: full[0].metadata.name, namespace: full[0].metadata.namespace, uid: full[0].metadata.uid });
  });

  it('has DaemonSets on every node, a StatefulSet with claims, and Services with Endpoints', () => {
    for (const ds of listAs(store, 'apps/daemonsets')) {
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 6, numberReady: 6 });
    }
    expect(listAs(store, 'apps/daemonsets', { namespace: 'kube-system' }).length).toBeGreaterThan(0);
    const sts = listAs(store, 'apps/statefulsets').find((s) => s.spec!.volumeClaimTemplates?.length)!;
    expect(sts.status!.readyReplicas).toBe(sts.spec!.replicas);
    expect(listAs(store, 'apps/controllerrevisions', { namespace: sts.metadata.namespace }).length).toBeGreaterThan(0);
    const withSelector = listAs(store, 'services').filter((s) => s.spec!.selector);
    expect(withSelector.length).toBeGreaterThanOrEqual(2);
    for (const svc of withSelector) {
      const ep = getAs(store, 'endpoints', svc.metadata.namespace, svc.metadata.name!)!;
      expect(ep.subsets?.[0]?.addresses?.length).toBeGreaterThan(0);
    }
  });

  it('has quotas (one near its limit) and container defaults', () => {
    expect(listAs(store, 'limitranges', { namespace: 'shop' })).toHaveLength(1);
    expect(listAs(store, 'resourcequotas', { namespace: 'shop' })).toHaveLength(1);
    expect(listAs(store, 'limitranges', { namespace: 'batch' })).toHaveLength(0);
    const [payments] = listAs(store, 'resourcequotas', { namespace: 'payments' });
    const milli = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
    // Three quarters: room for exactly one replacement pod while another terminates.
    expect(milli(payments.status!.used!['requests.cpu']) / milli(payments.status!.hard!['requests.cpu'])).toBe(0.75);
    expect(payments.status!.used).toEqual({ pods: '3', 'requests.cpu': '1500m', 'requests.memory': '1536Mi', 'limits.cpu': '1500m', 'limits.memory': '1536Mi' });
    for (const ns of ['kube-system', 'default', 'shop', 'payments', 'monitoring', 'batch']) {
      expect(getAs(store, 'namespaces', undefined, ns)).toBeDefined();
    }
  });

  it('is converged: settling again changes nothing', () => {
    const rv = store.resourceVersion;
    const result = settle(store, createControllers());
    expect(result).toEqual({ rounds: 1, converged: true });
    expect(store.resourceVersion).toBe(rv);
  });
});

describe('large scenario', () => {
  it('creates the requested nodes and pods over five pools and ~50 namespaces, all running', () => {
    const store = new MemoryStore({ managedFields: false });
    loadScenario('large', store, { controllers: createControllers(), nodes: 100, pods: 3000, seed: 3 });
    const nodes = listAs(store, 'nodes');
    const pods = listAs(store, 'pods');
    expect(nodes).toHaveLength(100);
    expect(pods).toHaveLength(3000);
    expect(new Set(nodes.map((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'])).size).toBe(5);
    const namespaces = new Set(pods.map((p) => p.metadata.namespace));
    expect(namespaces.size).toBeGreaterThanOrEqual(45);
    expect(pods.every((p) => p.status!.phase === 'Running' && condition(p, 'Ready')?.status === 'True')).toBe(true);
    const nodeNames = new Set(nodes.map((n) => n.metadata.name));
    expect(pods.every((p) => nodeNames.has(p.spec!.nodeName))).toBe(true);
    const podIPs = pods.filter((p) => !p.spec!.hostNetwork).map((p) => p.status!.podIP);
    expect(new Set(podIPs).size).toBe(podIPs.length);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    for (const n of nodes) expect(perNode.get(n.metadata.name!) ?? 0).toBeLessThanOrEqual(Number(n.status!.allocatable!.pods));
    const byKind = new Map<string, number>();
    for (const p of pods) byKind.set(controllerKind(p) ?? '', (byKind.get(controllerKind(p) ?? '') ?? 0) + 1);
    expect(byKind.get('ReplicaSet')).toBeGreaterThan(2000);
    expect(byKind.get('DaemonSet')).toBe(200);
    for (const d of listAs(store, 'apps/deployments')) {
      expect(d.status!.availableReplicas).toBe(d.spec!.replicas);
    }
    expect(settle(store, createControllers())).toEqual({ rounds: 1, converged: true });
  });
});

describe('empty scenario and the registry', () => {
  it('holds only the default namespaces and service accounts', () => {
    const store = new MemoryStore();
    loadScenario('empty', store, { controllers: [] });
    expect(listAs(store, 'namespaces').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(listAs(store, 'serviceaccounts').map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual([
      'default/default',
      'kube-node-lease/default',
      'kube-public/default',
      'kube-system/default',
    ]);
    expect(store.count('nodes')).toBe(0);
    expect(store.count('pods')).toBe(0);
  });

  it('lists every scenario and refuses unknown ones naming the valid ones', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['demo', 'large', 'xlarge', 'empty']);
    expect(SCENARIOS.every((s) => s.description.length > 0)).toBe(true);
    expect(() => loadScenario('huge' as ScenarioName, new MemoryStore(), { controllers: [] })).toThrow(
      'unknown scenario "huge": valid scenarios are demo, large, xlarge, empty',
    );
  });
});
