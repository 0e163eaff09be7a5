import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { SelectorParseError } from '@daytwo/k8s/label-selector.js';
import type { LabelSelectorJson, PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { pdbRefusal, pdbsForPod, planDrain } from '../../src/domain/drain-plan.js';

const NODE = 'ip-10-0-1-10.eu-west-1.compute.internal';
const NOW = Date.parse('2026-11-21T12:00:00Z');

type Owner = { kind: string; name: string; apiVersion?: string; controller?: boolean };

interface PodOptions {
  namespace?: string;
  node?: string;
  owner?: Owner;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  emptyDir?: boolean;
  phase?: string;
  ready?: boolean;
  deletionTimestamp?: string;
}

/** A Pod as the API server returns it (trimmed to the fields read). */
function pod(name: string, o: PodOptions = {}): KubeObject {
  const volumes: Record<string, unknown>[] = [
    { name: 'kube-api-access-x2k9p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } },
  ];
  if (o.emptyDir) volumes.push({ name: 'cache', emptyDir: {} });
  const phase = o.phase ?? 'Running';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '4711',
      creationTimestamp: '2026-11-20T08:00:00Z',
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp, deletionGracePeriodSeconds: 30 } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.owner
        ? {
            ownerReferences: [
              {
                apiVersion: o.owner.apiVersion ?? 'apps/v1',
                kind: o.owner.kind,
                name: o.owner.name,
                uid: `uid-${o.owner.name}`,
                controller: o.owner.controller ?? true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      nodeName: o.node ?? NODE,
      containers: [{ name: 'main', image: 'nginx:1.27', resources: {} }],
      volumes,
      terminationGracePeriodSeconds: 30,
    },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: o.ready === false || phase !== 'Running' ? 'False' : 'True' }],
    },
  };
}

const rsPod = (name: string, o: PodOptions = {}) => pod(name, { owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f5' }, ...o });

function daemonSet(name: string, namespace = 'kube-system'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace, uid: `uid-${name}` }, spec: {} };
}

function pdb(name: string, selector: LabelSelectorJson | undefined, status: Record<string, number>, extra: Record<string, unknown> = {}): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: 1 },
    spec: { minAvailable: 2, ...(selector === undefined ? {} : { selector }), ...extra },
    status: { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0, ...status },
  };
}

const verdicts = (plan: ReturnType<typeof planDrain>) => plan.items.map((i) => [i.name, i.verdict]);

describe('planDrain: pod selection', () => {
  it('only considers pods bound to the node', () => {
    const plan = planDrain(NODE, [rsPod('here'), rsPod('elsewhere', { node: 'other' })]);
    expect(verdicts(plan)).toEqual([['here', 'evict']]);
    expect(plan).toMatchObject({ node: NODE, blocked: false, errors: [], warnings: [], gracePeriodSeconds: -1, timeoutSeconds: 0 });
  });

  it('accepts the Node object itself', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } };
    expect(planDrain(node, [rsPod('a')]).items).toHaveLength(1);
  });

  it('applies --pod-selector', () => {
    const pods = [rsPod('a', { labels: { app: 'web', tier: 'fe' } }), rsPod('b', { labels: { app: 'db' } }), rsPod('c')];
    expect(verdicts(planDrain(NODE, pods, { podSelector: 'app in (web,api),tier' }))).toEqual([['a', 'evict']]);
    expect(verdicts(planDrain(NODE, pods, { podSelector: 'app!=web' }))).toEqual([
      ['b', 'evict'],
      ['c', 'evict'],
    ]);
    expect(() => planDrain(NODE, pods, { podSelector: 'app in web' })).toThrow(SelectorParseError);
  });

  it('echoes grace period and timeout', () => {
    expect(planDrain(NODE, [], { gracePeriodSeconds: 10, timeoutSeconds: 300 })).toMatchObject({ gracePeriodSeconds: 10, timeoutSeconds: 300 });
  });
});

describe('planDrain: daemonSetFilter', () => {
  const dsPod = (name: string, o: PodOptions = {}) => pod(name, { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'kube-proxy' }, ...o });

  it('skips DaemonSet pods with a warning by default (--ignore-daemonsets)', () => {
    const plan = planDrain(NODE, [dsPod('kube-proxy-ht2sb'), dsPod('kube-proxy-x')], { daemonSets: [daemonSet('kube-proxy')] });
    expect(plan.items[0]).toMatchObject({ verdict: 'skip', warning: 'ignoring DaemonSet-managed Pods' });
    expect(plan.warnings).toEqual(['ignoring DaemonSet-managed Pods: kube-system/kube-proxy-ht2sb, kube-system/kube-proxy-x']);
    expect(plan.blocked).toBe(false);
  });

  it('blocks them without --ignore-daemonsets, with kubectl error text', () => {
    const plan = planDrain(NODE, [dsPod('kube-proxy-ht2sb')], { ignoreDaemonSets: false });
    expect(plan.items[0].verdict).toBe('blocked');
    expect(plan.blocked).toBe(true);
    expect(plan.errors).toEqual(['cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-ht2sb']);
  });

  it('blocks a pod whose DaemonSet is gone, even with --ignore-daemonsets', () => {
    const plan = planDrain(NODE, [dsPod('kube-proxy-old')], { daemonSets: [] });
    expect(plan.items[0].verdict).toBe('blocked');
    expect(plan.errors).toEqual(['cannot delete daemonsets.apps "kube-proxy" not found: kube-system/kube-proxy-old']);
  });

  it('evicts a pod whose DaemonSet is gone with --force; the warning is dropped by later filters as in kubectl', () => {
    const plan = planDrain(NODE, [dsPod('kube-proxy-old')], { daemonSets: [daemonSet('other')], force: true });
    expect(plan.items[0]).toMatchObject({ verdict: 'evict', reason: 'orphaned DaemonSet pod (--force)' });
    expect(plan.items[0].warning).toBeUndefined();
    expect(plan.warnings).toEqual([]);
    expect(plan.errors).toEqual([]);
  });

  it('looks the DaemonSet up in the pod namespace', () => {
    const plan = planDrain(NODE, [dsPod('kube-proxy-ht2sb')], { daemonSets: [daemonSet('kube-proxy', 'default')] });
    expect(plan.items[0].verdict).toBe('blocked');
  });

  it('lets finished DaemonSet pods go', () => {
    const plan = planDrain(NODE, [dsPod('done', { phase: 'Succeeded' })], { ignoreDaemonSets: false });
    expect(plan.items[0].verdict).toBe('evict');
  });
});

describe('planDrain: mirrorPodFilter', () => {
  it('skips mirror pods without a warning', () => {
    const mirror = pod('kube-apiserver-node1', {
      namespace: 'kube-system',
      owner: { kind: 'Node', name: NODE, apiVersion: 'v1' },
      annotations: { 'kubernetes.io/config.mirror': '5f1c7b0c3a', 'kubernetes.io/config.source': 'file' },
    });
    const plan = planDrain(NODE, [mirror]);
    expect(plan.items[0]).toMatchObject({ verdict: 'skip', reason: 'mirror pod (static pod)' });
    expect(plan.items[0].warning).toBeUndefined();
    expect(plan.warnings).toEqual([]);
    expect(plan.errors).toEqual([]);
  });
});

describe('planDrain: localStorageFilter', () => {
  it('blocks emptyDir pods without --delete-emptydir-data', () => {
    const plan = planDrain(NODE, [rsPod('cache-1', { emptyDir: true })]);
    expect(plan.items[0].verdict).toBe('blocked');
    expect(plan.errors).toEqual(['cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1']);
  });

  it('evicts them with the flag (the local-storage warning is overwritten by the next filter, as upstream)', () => {
    const plan = planDrain(NODE, [rsPod('cache-1', { emptyDir: true })], { deleteEmptyDirData: true });
    expect(plan.items[0]).toMatchObject({ verdict: 'evict', reason: 'emptyDir data will be lost' });
    expect(plan.warnings).toEqual([]);
  });

  it('lets finished pods with emptyDir go', () => {
    expect(planDrain(NODE, [rsPod('done', { emptyDir: true, phase: 'Failed' })]).items[0].verdict).toBe('evict');
  });
});

describe('planDrain: unreplicatedFilter', () => {
  it('blocks pods without a controller', () => {
    const plan = planDrain(NODE, [pod('debug'), pod('tmp', { namespace: 'ops' })]);
    expect(verdicts(plan)).toEqual([
      ['debug', 'blocked'],
      ['tmp', 'blocked'],
    ]);
    expect(plan.errors).toEqual(['cannot delete cannot delete Pods that declare no controller (use --force to override): default/debug, ops/tmp']);
  });

  it('treats a non-controller owner reference as no controller', () => {
    const plan = planDrain(NODE, [pod('owned', { owner: { kind: 'ConfigMap', name: 'x', apiVersion: 'v1', controller: false } })]);
    expect(plan.items[0].verdict).toBe('blocked');
  });

  it('deletes them with --force and warns', () => {
    const plan = planDrain(NODE, [pod('debug')], { force: true });
    expect(plan.items[0]).toMatchObject({ verdict: 'evict', warning: 'deleting Pods that declare no controller' });
    expect(plan.warnings).toEqual(['deleting Pods that declare no controller: default/debug']);
  });

  it('lets finished unreplicated pods go', () => {
    const plan = planDrain(NODE, [pod('job-x', { phase: 'Succeeded' }), pod('job-y', { phase: 'Failed' })]);
    expect(verdicts(plan)).toEqual([
      ['job-x', 'evict'],
      ['job-y', 'evict'],
    ]);
  });

  it('reports the first blocking filter only (local storage before no controller)', () => {
    const plan = planDrain(NODE, [pod('bare-cache', { emptyDir: true })]);
    expect(plan.errors).toEqual(['cannot delete Pods with local storage (use --delete-emptydir-data to override): default/bare-cache']);
    const forced = planDrain(NODE, [pod('bare-cache', { emptyDir: true })], { deleteEmptyDirData: true });
    expect(forced.errors).toEqual(['cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare-cache']);
  });
});

describe('planDrain: skipDeletedFilter', () => {
  const terminating = rsPod('old', { deletionTimestamp: '2026-11-21T11:58:00Z' });

  it('keeps terminating pods in the plan by default', () => {
    expect(planDrain(NODE, [terminating], { now: NOW }).items[0].verdict).toBe('evict');
  });

  it('skips pods deleted longer ago than --skip-wait-for-delete-timeout', () => {
    expect(planDrain(NODE, [terminating], { now: NOW, skipWaitForDeleteTimeoutSeconds: 60 }).items[0].verdict).toBe('skip');
    expect(planDrain(NODE, [terminating], { now: NOW, skipWaitForDeleteTimeoutSeconds: 120 }).items[0].verdict).toBe('evict');
  });

  it('skips a terminating bare pod before the controller check can block it', () => {
    const bare = pod('bare', { deletionTimestamp: '2026-11-21T11:00:00Z' });
    const plan = planDrain(NODE, [bare], { now: NOW, skipWaitForDeleteTimeoutSeconds: 30 });
    expect(plan.items[0].verdict).toBe('skip');
    expect(plan.blocked).toBe(false);
  });
});

describe('planDrain: PodDisruptionBudgets', () => {
  const web = rsPod('web-7d4b9c8f5-abcde', { labels: { app: 'web' } });

  it('flags an eviction a budget with 0 disruptions allowed would refuse', () => {
    const plan = planDrain(NODE, [web], { pdbs: [pdb('web-pdb', { matchLabels: { app: 'web' } }, { disruptionsAllowed: 0 })] });
    expect(plan.items[0].verdict).toBe('evict');
    expect(plan.items[0].pdb).toEqual({
      name: 'web-pdb',
      disruptionsAllowed: 0,
      message:
        "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
    });
    expect(plan.pdbRefusals).toBe(1);
    expect(plan.blocked).toBe(false);
  });

  it('passes when disruptions are allowed or the selector does not match', () => {
    expect(pdbRefusal(web, [pdb('ok', { matchLabels: { app: 'web' } }, { disruptionsAllowed: 1 })])).toBeUndefined();
    expect(pdbRefusal(web, [pdb('db', { matchLabels: { app: 'db' } }, {})])).toBeUndefined();
  });

  it('matches an empty selector to every pod of the namespace and a missing one to none', () => {
    expect(pdbsForPod(web, [pdb('all', {}, {})]).map((p) => p.metadata.name)).toEqual(['all']);
    expect(pdbsForPod(web, [pdb('none', undefined, {})])).toEqual([]);
    const other = { ...pdb('all', {}, {}), metadata: { name: 'all', namespace: 'other' } };
    expect(pdbsForPod(web, [other])).toEqual([]);
  });

  it('uses matchExpressions', () => {
    const budget = pdb('expr', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, {});
    expect(pdbRefusal(web, [budget])?.name).toBe('expr');
  });

  it('ignores budgets for pods the eviction API deletes directly', () => {
    const budget = pdb('web-pdb', { matchLabels: { app: 'web' } }, {});
    for (const p of [
      rsPod('pending', { labels: { app: 'web' }, phase: 'Pending' }),
      rsPod('done', { labels: { app: 'web' }, phase: 'Succeeded' }),
      rsPod('going', { labels: { app: 'web' }, deletionTimestamp: '2026-11-21T11:59:00Z' }),
    ]) {
      expect(pdbRefusal(p, [budget])).toBeUndefined();
    }
  });

  it('lets an unready pod go when the budget is healthy or AlwaysAllow', () => {
    const unready = rsPod('unready', { labels: { app: 'web' }, ready: false });
    expect(pdbRefusal(unready, [pdb('healthy', { matchLabels: { app: 'web' } }, { currentHealthy: 2, desiredHealthy: 2 })])).toBeUndefined();
    const unhealthy = pdb('short', { matchLabels: { app: 'web' } }, { currentHealthy: 1, desiredHealthy: 2 });
    expect(pdbRefusal(unready, [unhealthy])?.name).toBe('short');
    const always = pdb('short', { matchLabels: { app: 'web' } }, { currentHealthy: 1, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(pdbRefusal(unready, [always])).toBeUndefined();
  });

  it('refuses while the budget is not observed yet, and with two budgets', () => {
    const stale = pdb('stale', { matchLabels: { app: 'web' } }, { disruptionsAllowed: 3, observedGeneration: 0 });
    expect(pdbRefusal(web, [stale])?.message).toBe('The disruption budget stale is still being processed by the server.');
    const two = pdbRefusal(web, [pdb('a', {}, { disruptionsAllowed: 1 }), pdb('b', { matchLabels: { app: 'web' } }, { disruptionsAllowed: 1 })]);
    expect(two?.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  });

  it('refuses while too many evictions are unconfirmed', () => {
    const disruptedPods = Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`web-${i}`, '2026-11-21T11:59:00Z']));
    const busy = { ...pdb('busy', { matchLabels: { app: 'web' } }, { disruptionsAllowed: 5 }) };
    busy.status!.disruptedPods = disruptedPods;
    expect(pdbRefusal(web, [busy])?.message).toBe('DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  });

  it('does not attach budgets to skipped or blocked pods', () => {
    const budget = pdb('all', {}, {});
    const plan = planDrain(NODE, [pod('bare', { labels: { app: 'web' } })], { pdbs: [budget] });
    expect(plan.items[0].pdb).toBeUndefined();
  });
});

describe('planDrain: a realistic node', () => {
  it('combines verdicts, errors and warnings', () => {
    const pods = [
      pod('kube-proxy-ht2sb', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'kube-proxy' } }),
      pod('aws-node-7x2lq', { namespace: 'kube-system', owner: { kind: 'DaemonSet', name: 'aws-node' } }),
      rsPod('web-7d4b9c8f5-abcde'),
      pod('db-0', { owner: { kind: 'StatefulSet', name: 'db' } }),
      pod('nginx'),
      rsPod('cache-5d8f-zz', { emptyDir: true }),
    ];
    const plan = planDrain(NODE, pods, { daemonSets: [daemonSet('kube-proxy'), daemonSet('aws-node')] });
    expect(verdicts(plan)).toEqual([
      ['kube-proxy-ht2sb', 'skip'],
      ['aws-node-7x2lq', 'skip'],
      ['web-7d4b9c8f5-abcde', 'evict'],
      ['db-0', 'evict'],
      ['nginx', 'blocked'],
      ['cache-5d8f-zz', 'blocked'],
    ]);
    expect(plan.errors).toEqual([
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/nginx',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5d8f-zz',
    ]);
    expect(plan.warnings).toEqual(['ignoring DaemonSet-managed Pods: kube-system/kube-proxy-ht2sb, kube-system/aws-node-7x2lq']);
    expect(plan.blocked).toBe(true);
  });
});
