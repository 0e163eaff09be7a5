import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { liveApiFindings, manifestApiFindings, usedApiVersions } from '../../../src/domain/upgrade/api-findings.js';
import { decodeHelmReleaseSecret, encodeHelmReleaseData, latestReleases } from '../../../src/domain/upgrade/helm-release.js';
import { buildUpgradeReadiness, nextMinor, parseTarget, poolSkews, type ReadinessInput } from '../../../src/domain/upgrade/readiness.js';
import { parseKubeVersion } from '../../../src/domain/version.js';

const v = (s: string) => {
  const p = parseKubeVersion(s);
  if (!p) throw new Error(s);
  return p;
};

function node(name: string, pool: string, kubelet: string, o: { cpu?: string; taints?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'karpenter.sh/nodepool': pool } },
    spec: o.taints ? { taints: o.taints } : {},
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeletVersion: kubelet },
    },
  };
}

function pod(name: string, nodeName: string, o: { labels?: Record<string, string>; cpu?: string; owner?: string; emptyDir?: boolean; nodeSelector?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: name },
      ...(o.owner === undefined ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-rs`, uid: 'rs', controller: true }] } : {}),
    },
    spec: {
      nodeName,
      containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: o.cpu ?? '100m' } } }],
      ...(o.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pdb(name: string, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'shop', generation: 1 }, spec, status: { observedGeneration: 1, ...status } };
}

const base = (o: Partial<ReadinessInput>): ReadinessInput => ({
  target: v('1.31'),
  apiServer: v('1.30'),
  apis: [],
  nodes: [],
  pods: [],
  pdbs: [],
  daemonSets: [],
  workloads: [],
  ...o,
});

describe('target', () => {
  it('defaults to the minor after the API server', () => {
    expect(nextMinor(v('v1.30.4-eks-1')).raw).toBe('1.31');
    expect(parseTarget('v1.33.2')?.raw).toBe('1.33');
    expect(parseTarget('next')).toBeUndefined();
  });
});

describe('skew after the control plane upgrade', () => {
  it('allows n-2 before 1.28: a 1.24 kubelet is out when the control plane goes to 1.27', () => {
    const [s] = poolSkews([node('a', 'old', 'v1.24.17')], v('1.27'));
    expect(s).toMatchObject({ pool: 'old', minorsBehind: 3, supported: false });
    expect(poolSkews([node('a', 'old', 'v1.25.16')], v('1.27'))[0]).toMatchObject({ minorsBehind: 2, supported: true });
  });

  it('allows n-3 from 1.28: a 1.25 kubelet stays supported with the control plane at 1.28, not at 1.29', () => {
    expect(poolSkews([node('a', 'p', 'v1.25.16')], v('1.28'))[0]).toMatchObject({ minorsBehind: 3, supported: true });
    expect(poolSkews([node('a', 'p', 'v1.25.16')], v('1.29'))[0]).toMatchObject({ minorsBehind: 4, supported: false });
  });

  it('judges a pool by its oldest kubelet and lists the oldest pools first', () => {
    const skews = poolSkews([node('a', 'new', 'v1.32.1'), node('b', 'mixed', 'v1.32.1'), node('c', 'mixed', 'v1.29.3')], v('1.33'));
    expect(skews.map((s) => [s.pool, s.oldest, s.supported])).toEqual([
      ['mixed', '1.29', false],
      ['new', '1.32', true],
    ]);
  });
});

describe('API findings', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler"}' },
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'autoscaling/v2beta2', fieldsType: 'FieldsV1', fieldsV1: {} }],
    },
  };

  it('reads the last-applied and managedFields apiVersions', () => {
    expect(usedApiVersions(hpa)).toEqual([
      { apiVersion: 'autoscaling/v2beta2', via: 'last-applied' },
      { apiVersion: 'autoscaling/v2beta2', via: 'managedFields: kubectl-client-side-apply' },
    ]);
  });

  it('blocks when removed at or before the target, warns when only deprecated', () => {
    expect(liveApiFindings([hpa], v('1.26'))).toEqual([
      {
        kind: 'HorizontalPodAutoscaler',
        namespace: 'shop',
        name: 'web',
        apiVersion: 'autoscaling/v2beta2',
        source: 'live (last-applied)',
        deprecatedIn: '1.23',
        removedIn: '1.26',
        replacement: 'autoscaling/v2',
        replacementAvailableIn: '1.23',
        blocks: true,
      },
    ]);
    expect(liveApiFindings([hpa], v('1.25'))[0].blocks).toBe(false);
    expect(liveApiFindings([hpa], v('1.22'))).toEqual([]);
  });

  it('judges manifests by their own apiVersion', () => {
    const f = manifestApiFindings([{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', name: 'db', namespace: 'shop', source: 'file: pdb.yaml:1' }], v('1.31'));
    expect(f.map((x) => [x.kind, x.removedIn, x.blocks])).toEqual([['PodDisruptionBudget', '1.25', true]]);
  });
});

describe('Helm release Secrets', () => {
  it('decode base64 of base64 of gzip of JSON and keep the newest revision', () => {
    const secret = (revision: number, manifest: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: { name: `sh.helm.release.v1.shop.v${revision}`, namespace: 'shop', labels: { owner: 'helm', name: 'shop', version: String(revision) } },
      data: { release: encodeHelmReleaseData({ name: 'shop', namespace: 'shop', version: revision, info: { status: 'deployed' }, chart: { metadata: { name: 'shop', version: '1.2.0' } }, manifest }) },
    });
    const r = decodeHelmReleaseSecret(secret(2, '---\napiVersion: batch/v1beta1\nkind: CronJob\n'));
    expect(r).toMatchObject({ name: 'shop', namespace: 'shop', revision: 2, status: 'deployed', chart: 'shop-1.2.0' });
    expect(r.manifest).toContain('batch/v1beta1');
    expect(latestReleases([decodeHelmReleaseSecret(secret(1, 'a')), r]).map((x) => x.revision)).toEqual([2]);
  });

  it('refuses a Secret of another type', () => {
    expect(() => decodeHelmReleaseSecret({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'x' } })).toThrow('not helm.sh/release.v1');
  });
});

describe('drain blockers', () => {
  const nodes = [node('a1', 'a', 'v1.30.2'), node('a2', 'a', 'v1.30.2'), node('b1', 'b', 'v1.30.2')];

  it('reports a PDB with no disruption allowed now, and one that never allows any', () => {
    const pods = [pod('web-1', 'a1', { labels: { app: 'web' } }), pod('web-2', 'a2', { labels: { app: 'web' } }), pod('db-1', 'b1', { labels: { app: 'db' } })];
    const pdbs = [
      pdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 }),
      pdb('db', { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 }),
    ];
    const r = buildUpgradeReadiness(base({ nodes, pods, pdbs }));
    const pdbBlockers = r.drainBlockers.filter((b) => b.kind === 'PodDisruptionBudget');
    expect(pdbBlockers.map((b) => [b.name, b.type, b.pools])).toEqual([
      ['web', 'pdb-no-disruptions', ['a']],
      ['db', 'pdb-never-disrupts', ['b']],
    ]);
    expect(r.verdict).toMatch(/^blocked: /);
  });

  it('reports minAvailable equal to the replica count as never allowing a disruption', () => {
    const pods = [pod('w-1', 'a1', { labels: { app: 'w' } }), pod('w-2', 'a2', { labels: { app: 'w' } })];
    const r = buildUpgradeReadiness(base({ nodes, pods, pdbs: [pdb('w', { minAvailable: '100%', selector: { matchLabels: { app: 'w' } } }, { disruptionsAllowed: 0, expectedPods: 2 })] }));
    expect(r.drainBlockers[0]).toMatchObject({ type: 'pdb-never-disrupts', message: 'minAvailable 100% with 2 expected pods: no pod may ever be evicted' });
  });

  it('reports pods a default drain refuses and single-replica workloads without a PDB', () => {
    const pods = [pod('bare', 'a1', { owner: '' }), pod('cache', 'a2', { emptyDir: true }), pod('api-1', 'b1', { labels: { app: 'api' } })];
    const workloads: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } } } } },
    ];
    const r = buildUpgradeReadiness(base({ nodes, pods, workloads }));
    expect(r.drainBlockers.map((b) => [b.type, b.severity, b.name])).toEqual([
      ['drain-refuses', 'blocker', 'bare'],
      ['drain-refuses', 'blocker', 'cache'],
      ['single-replica', 'warning', 'api'],
    ]);
  });

  it('reports pods that fit only the pool being replaced (a blocker when the pool has one node)', () => {
    const pods = [pod('gpu-job', 'b1', { nodeSelector: { 'karpenter.sh/nodepool': 'b' } })];
    const r = buildUpgradeReadiness(base({ nodes, pods }));
    const only = r.drainBlockers.find((b) => b.type === 'fits-only-pool');
    expect(only).toMatchObject({ severity: 'blocker', kind: 'ReplicaSet', name: 'gpu-job-rs', pools: ['b'] });
    expect(r.capacity.find((c) => c.pool === 'b')?.fits).toBe(false);
  });
});

describe('capacity, verdict and sequence', () => {
  it('finds a pool whose pods have no room elsewhere, one node at a time', () => {
    const nodes = [node('a1', 'a', 'v1.30.2', { cpu: '4' }), node('b1', 'b', 'v1.30.2', { cpu: '2' })];
    const pods = [pod('big', 'a1', { cpu: '1500m' }), pod('other', 'b1', { cpu: '600m' })];
    const r = buildUpgradeReadiness(base({ nodes, pods }));
    expect(r.capacity).toEqual([
      { pool: 'a', nodes: 1, fits: false, failures: [{ node: 'a1', pod: 'shop/big', reason: 'insufficient cpu' }] },
      { pool: 'b', nodes: 1, fits: true, failures: [] },
    ]);
    expect(r.sequence.map((s) => [s.name, s.blockers.length])).toEqual([
      ['control plane', 0],
      ['pool a', 1],
      ['pool b', 0],
    ]);
    expect(r.verdict).toBe('blocked: 1');
  });

  it('is ready when nothing blocks or warns, ready with warnings when something only warns', () => {
    const nodes = [node('a1', 'a', 'v1.30.2'), node('a2', 'a', 'v1.30.2')];
    expect(buildUpgradeReadiness(base({ nodes })).verdict).toBe('ready');
    const apis = manifestApiFindings([{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', name: 'x', source: 'file: f.yaml:1' }], v('1.32'));
    expect(apis[0].blocks).toBe(true);
    const warn = manifestApiFindings([{ apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceClaim', name: 'x', namespace: 'shop', source: 'file: f.yaml:1' }], v('1.35'));
    const r = buildUpgradeReadiness(base({ target: v('1.35'), apiServer: v('1.34'), nodes: [node('a1', 'a', 'v1.34.1'), node('a2', 'a', 'v1.34.1')], apis: warn }));
    expect(r.verdict).toBe('ready with warnings');
  });

  it('puts unsupported kubelets before the control plane', () => {
    const r = buildUpgradeReadiness(base({ target: v('1.33'), apiServer: v('1.32'), nodes: [node('o1', 'old', 'v1.29.4'), node('o2', 'old', 'v1.29.4'), node('n1', 'new', 'v1.32.0'), node('n2', 'new', 'v1.32.0')] }));
    expect(r.sequence[0].blockers).toEqual(['pool old: kubelet 1.29 is 4 minor versions older than kube-apiserver 1.33 (at most 3 supported); upgrade its kubelets first']);
    expect(r.sequence.slice(1).map((s) => s.name)).toEqual(['pool old', 'pool new']);
  });
});
