/**
 * Upgrade readiness: can the cluster go to the target minor, and in what order. Pure: the
 * TUI's Upgrade view and `daytwo report upgrade` both build it from the same inputs.
 */

import type { NodeRecord, PodRecord } from '@daytwo/k8s/compact.js';
import { labelSelectorMatches } from '@daytwo/k8s/label-selector.js';
import { matchesNodeSelectorAndAffinity } from '@daytwo/k8s/node-affinity.js';
import { isTerminated } from '@daytwo/k8s/pod-requests.js';
import { firstUntoleratedTaint } from '@daytwo/k8s/taints.js';
import type { DaemonSet, Deployment, PodDisruptionBudget, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { boundRequestsByNode, podsToReschedule, simulateCapacity } from '../capacity.js';
import { controllerOf, planDrain } from '../drain-plan.js';
import { podsByNode, poolOf } from '../pools.js';
import { kubeletSkew } from '../skew.js';
import { formatMinor, type KubeVersion, parseKubeVersion } from '../version.js';
import { type ApiFinding, sortApiFindings } from './api-findings.js';

/** The default target: the minor after the API server's. */
export function nextMinor(apiServer: KubeVersion): KubeVersion {
  return { major: apiServer.major, minor: apiServer.minor + 1, patch: 0, raw: `${apiServer.major}.${apiServer.minor + 1}` };
}

/** Parses `--to 1.33` (`v1.33` and `1.33.2` too); undefined when it is not a version. */
export function parseTarget(text: string): KubeVersion | undefined {
  const v = parseKubeVersion(text);
  return v ? { major: v.major, minor: v.minor, patch: 0, raw: `${v.major}.${v.minor}` } : undefined;
}

/** One pool's kubelets judged against the target control plane. */
export interface PoolSkew {
  readonly pool: string;
  readonly nodes: number;
  readonly kubeletVersions: readonly string[];
  /** The oldest kubelet's minor, e.g. `1.29`. */
  readonly oldest: string;
  /** Target minor minus the oldest kubelet's minor. */
  readonly minorsBehind: number;
  readonly supported: boolean;
  readonly reason: string | null;
}

export type Severity = 'blocker' | 'warning';

/** Something that stops or hurts the node drains of a rolling upgrade. */
export interface DrainBlocker {
  readonly type: 'pdb-no-disruptions' | 'pdb-never-disrupts' | 'single-replica' | 'drain-refuses' | 'fits-only-pool';
  readonly severity: Severity;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Pools whose drains it affects. */
  readonly pools: readonly string[];
  readonly message: string;
}

/** Whether the rest of the cluster absorbs a pool's pods, one node drained at a time. */
export interface PoolCapacity {
  readonly pool: string;
  readonly nodes: number;
  readonly fits: boolean;
  /** Pods with no room when their node is drained: `node: ns/pod (reason)`. */
  readonly failures: readonly { readonly node: string; readonly pod: string; readonly reason: string }[];
}

/** One step of the upgrade. */
export interface UpgradeStep {
  readonly step: number;
  /** `control plane` or `pool <name>`. */
  readonly name: string;
  readonly action: string;
  readonly blockers: readonly string[];
  readonly warnings: readonly string[];
}

export type Verdict = 'ready' | 'ready with warnings' | `blocked: ${number}`;

export interface UpgradeReadiness {
  readonly target: string;
  readonly apiServer: string | null;
  readonly verdict: Verdict;
  readonly blockers: number;
  readonly warnings: number;
  readonly apis: readonly ApiFinding[];
  readonly skew: readonly PoolSkew[];
  readonly drainBlockers: readonly DrainBlocker[];
  readonly capacity: readonly PoolCapacity[];
  readonly sequence: readonly UpgradeStep[];
}

export interface ReadinessInput {
  readonly target: KubeVersion;
  readonly apiServer?: KubeVersion;
  readonly apis: readonly ApiFinding[];
  readonly nodes: readonly NodeRecord[];
  readonly pods: readonly PodRecord[];
  readonly pdbs: readonly PodDisruptionBudget[];
  readonly daemonSets: readonly DaemonSet[];
  /** Deployments and StatefulSets, for single-replica workloads. */
  readonly workloads: readonly (Deployment | StatefulSet)[];
}

const minorOf = (v: string) => {
  const p = parseKubeVersion(v);
  return p ? formatMinor(p) : v;
};

/** Per pool: the kubelets once the control plane is at `target` (kubeletSkew, version-skew-policy). */
export function poolSkews(nodes: readonly NodeRecord[], target: KubeVersion): PoolSkew[] {
  const byPool = new Map<string, NodeRecord[]>();
  for (const n of nodes) {
    const pool = poolOf(n).name;
    const list = byPool.get(pool);
    if (list) list.push(n);
    else byPool.set(pool, [n]);
  }
  const out: PoolSkew[] = [];
  for (const [pool, members] of byPool) {
    const versions = [...new Set(members.map((n) => String(n.status?.nodeInfo?.kubeletVersion ?? '')))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    let worst = { minorsBehind: -Infinity, supported: true, reason: null as string | null, version: versions[0] ?? '' };
    for (const v of versions) {
      const s = kubeletSkew(target, v);
      if (s.minorsBehind > worst.minorsBehind || (!s.supported && worst.supported)) worst = { minorsBehind: s.minorsBehind, supported: s.supported && worst.supported, reason: s.reason ?? worst.reason, version: v };
    }
    out.push({ pool, nodes: members.length, kubeletVersions: versions, oldest: minorOf(worst.version), minorsBehind: worst.minorsBehind, supported: worst.supported, reason: worst.reason });
  }
  return out.sort((a, b) => b.minorsBehind - a.minorsBehind || a.pool.localeCompare(b.pool));
}

function intOrPercent(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v);
  if (m) return roundUp ? Math.ceil((Number(m[1]) * total) / 100) : Math.floor((Number(m[1]) * total) / 100);
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

const podKey = (p: PodRecord) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;

/**
 * PDB blockers. Now: `status.disruptionsAllowed` 0 while it covers running pods. Never:
 * `maxUnavailable` 0, or `minAvailable` at least the expected pod count (the disruption
 * controller rounds minAvailable percentages up and maxUnavailable ones down).
 */
function pdbBlockers(pdbs: readonly PodDisruptionBudget[], pods: readonly PodRecord[], poolOfNode: ReadonlyMap<string, string>): DrainBlocker[] {
  const out: DrainBlocker[] = [];
  const byNamespace = new Map<string, PodRecord[]>();
  for (const p of pods) {
    if (isTerminated(p)) continue;
    const ns = p.metadata.namespace ?? '';
    const list = byNamespace.get(ns);
    if (list) list.push(p);
    else byNamespace.set(ns, [p]);
  }
  for (const pdb of pdbs) {
    const ns = pdb.metadata.namespace ?? '';
    const covered = (byNamespace.get(ns) ?? []).filter((p) => labelSelectorMatches(pdb.spec?.selector, p.metadata.labels));
    if (covered.length === 0) continue;
    const pools = [...new Set(covered.map((p) => poolOfNode.get(p.spec?.nodeName ?? '')).filter((x): x is string => !!x))].sort();
    const expected = pdb.status?.expectedPods ?? covered.length;
    const base = { severity: 'blocker' as const, kind: 'PodDisruptionBudget', namespace: ns, name: pdb.metadata.name ?? '', pools };
    const maxUnavailable = intOrPercent(pdb.spec?.maxUnavailable, expected, false);
    const minAvailable = intOrPercent(pdb.spec?.minAvailable, expected, true);
    if (maxUnavailable === 0) {
      out.push({ ...base, type: 'pdb-never-disrupts', message: `maxUnavailable ${pdb.spec?.maxUnavailable}: no pod may ever be evicted` });
    } else if (minAvailable !== undefined && minAvailable >= expected) {
      out.push({ ...base, type: 'pdb-never-disrupts', message: `minAvailable ${pdb.spec?.minAvailable} with ${expected} expected pods: no pod may ever be evicted` });
    } else if ((pdb.status?.disruptionsAllowed ?? 0) === 0) {
      out.push({
        ...base,
        type: 'pdb-no-disruptions',
        message: `disruptionsAllowed 0 now (${pdb.status?.currentHealthy ?? 0} healthy, ${pdb.status?.desiredHealthy ?? 0} needed)`,
      });
    }
  }
  return out;
}

/** Deployments and StatefulSets with one replica and no PDB: each drain takes them down. */
function singleReplicaBlockers(workloads: readonly (Deployment | StatefulSet)[], pdbs: readonly PodDisruptionBudget[], pods: readonly PodRecord[], poolOfNode: ReadonlyMap<string, string>): DrainBlocker[] {
  const out: DrainBlocker[] = [];
  for (const w of workloads) {
    if ((w.spec?.replicas ?? 1) !== 1) continue;
    const ns = w.metadata.namespace ?? '';
    const labels = w.spec?.template?.metadata?.labels;
    if (pdbs.some((p) => p.metadata.namespace === ns && labelSelectorMatches(p.spec?.selector, labels))) continue;
    const selector = w.spec?.selector;
    const mine = pods.filter((p) => p.metadata.namespace === ns && !isTerminated(p) && labelSelectorMatches(selector, p.metadata.labels));
    const pools = [...new Set(mine.map((p) => poolOfNode.get(p.spec?.nodeName ?? '')).filter((x): x is string => !!x))].sort();
    out.push({ type: 'single-replica', severity: 'warning', kind: w.kind ?? 'Deployment', namespace: ns, name: w.metadata.name ?? '', pools, message: 'one replica and no PodDisruptionBudget: down while its node drains' });
  }
  return out;
}

/** Whether a node outside `pool` could ever take the pod (selector, affinity, taints). */
function fitsOutsidePool(pod: PodRecord, pool: string, nodes: readonly NodeRecord[]): boolean {
  const tolerations = pod.spec?.tolerations ?? [];
  return nodes.some(
    (n) => poolOf(n).name !== pool && !firstUntoleratedTaint(n.spec?.taints, tolerations) && matchesNodeSelectorAndAffinity(pod, n),
  );
}

/**
 * Per-pool drain checks: pods a default `kubectl drain --ignore-daemonsets` refuses (no
 * controller, emptyDir data), pods that fit only their own pool, and the room the other
 * nodes have for each node's pods, one node at a time (simulateCapacity).
 */
function poolDrainChecks(input: ReadinessInput, poolNames: readonly string[]): { blockers: DrainBlocker[]; capacity: PoolCapacity[] } {
  const blockers: DrainBlocker[] = [];
  const capacity: PoolCapacity[] = [];
  const onlyPool = new Map<string, { pool: string; pods: string[] }>();
  // Each drain plan reads only its node's pods: planning every node against every pod is quadratic.
  const byNode = podsByNode(input.pods);
  const boundRequests = boundRequestsByNode(input.pods);
  for (const pool of poolNames) {
    const members = input.nodes.filter((n) => poolOf(n).name === pool);
    const failures: { node: string; pod: string; reason: string }[] = [];
    for (const node of members) {
      const own = byNode.get(node.metadata.name ?? '') ?? [];
      const plan = planDrain(node, own, { ignoreDaemonSets: true, daemonSets: input.daemonSets, pdbs: input.pdbs });
      for (const item of plan.items) {
        if (item.verdict !== 'blocked') continue;
        blockers.push({ type: 'drain-refuses', severity: 'blocker', kind: 'Pod', namespace: item.namespace, name: item.name, pools: [pool], message: `kubectl drain refuses: ${item.reason}` });
      }
      const moving = podsToReschedule(plan, own);
      for (const pod of moving) {
        if (fitsOutsidePool(pod, pool, input.nodes)) continue;
        const ref = controllerOf(pod);
        const id = `${pod.metadata.namespace ?? ''}/${ref ? `${ref.kind}/${ref.name}` : pod.metadata.name}`;
        const entry = onlyPool.get(id) ?? { pool, pods: [] };
        entry.pods.push(podKey(pod));
        onlyPool.set(id, entry);
      }
      const result = simulateCapacity({ pods: moving, nodes: input.nodes, boundPods: [], boundRequests, excludeNodes: [node.metadata.name ?? ''] });
      for (const p of result.pods) if (!p.fits) failures.push({ node: node.metadata.name ?? '', pod: `${p.namespace}/${p.name}`, reason: p.reason ?? '' });
    }
    capacity.push({ pool, nodes: members.length, fits: failures.length === 0, failures });
  }
  for (const [id, { pool, pods }] of onlyPool) {
    const [namespace, name] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
    const single = input.nodes.filter((n) => poolOf(n).name === pool).length <= 1;
    blockers.push({
      type: 'fits-only-pool',
      severity: single ? 'blocker' : 'warning',
      kind: name.includes('/') ? name.slice(0, name.indexOf('/')) : 'Pod',
      namespace,
      name: name.includes('/') ? name.slice(name.indexOf('/') + 1) : name,
      pools: [pool],
      message: `${pods.length} pod(s) fit only pool ${pool} (node selector, affinity or tolerations)${single ? ', which has one node' : ': they move within the pool while it rolls'}`,
    });
  }
  return { blockers, capacity };
}

/** Builds the whole readiness answer. */
export function buildUpgradeReadiness(input: ReadinessInput): UpgradeReadiness {
  const poolOfNode = new Map(input.nodes.map((n) => [n.metadata.name ?? '', poolOf(n).name]));
  const skew = poolSkews(input.nodes, input.target);
  const poolNames = skew.map((s) => s.pool);
  const apis = sortApiFindings(input.apis);
  const checks = poolDrainChecks(input, poolNames);
  const drainBlockers = [
    ...pdbBlockers(input.pdbs, input.pods, poolOfNode),
    ...checks.blockers,
    ...singleReplicaBlockers(input.workloads, input.pdbs, input.pods, poolOfNode),
  ];
  const capacity = checks.capacity;
  const target = formatMinor(input.target);

  const cpBlockers = [
    ...apis.filter((a) => a.blocks).map((a) => `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}: ${a.apiVersion} removed in ${a.removedIn} (${a.source})`),
    ...skew.filter((s) => !s.supported).map((s) => `pool ${s.pool}: ${s.reason ?? 'kubelets outside the skew policy'}; upgrade its kubelets first`),
  ];
  if (input.apiServer && input.target.minor - input.apiServer.minor > 1) cpBlockers.push(`the control plane moves one minor at a time: ${formatMinor(input.apiServer)} -> ${target} takes ${input.target.minor - input.apiServer.minor} upgrades`);
  const cpWarnings = apis.filter((a) => !a.blocks).map((a) => `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}: ${a.apiVersion} deprecated in ${a.deprecatedIn}`);
  const sequence: UpgradeStep[] = [{ step: 1, name: 'control plane', action: `upgrade to ${target}`, blockers: cpBlockers, warnings: cpWarnings }];
  // Oldest kubelets first: they are the closest to leaving the skew window.
  for (const s of skew) {
    const own = drainBlockers.filter((b) => b.pools.includes(s.pool));
    const cap = capacity.find((c) => c.pool === s.pool);
    const blockers = [
      ...own.filter((b) => b.severity === 'blocker').map((b) => `${b.kind} ${b.namespace}/${b.name}: ${b.message}`),
      ...(cap?.failures ?? []).map((f) => `no room for ${f.pod} when ${f.node} drains: ${f.reason}`),
    ];
    const warnings = own.filter((b) => b.severity === 'warning').map((b) => `${b.kind} ${b.namespace}/${b.name}: ${b.message}`);
    sequence.push({ step: sequence.length + 1, name: `pool ${s.pool}`, action: `replace ${s.nodes} node(s) one at a time (kubelet ${s.kubeletVersions.join(', ')} -> ${target})`, blockers, warnings });
  }
  const blockers = sequence.reduce((n, s) => n + s.blockers.length, 0);
  const warnings = sequence.reduce((n, s) => n + s.warnings.length, 0);
  const verdict: Verdict = blockers > 0 ? `blocked: ${blockers}` : warnings > 0 ? 'ready with warnings' : 'ready';
  return { target, apiServer: input.apiServer ? formatMinor(input.apiServer) : null, verdict, blockers, warnings, apis, skew, drainBlockers, capacity, sequence };
}
