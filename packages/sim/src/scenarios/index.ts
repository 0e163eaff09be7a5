/**
 * Scenarios: the states the simulated cluster can start from. Each one is loaded through
 * the store and then settled by the controllers, so it starts converged.
 */
import { createControllers, settle } from '../controllers/index.js';
import { GR } from '../controllers/objects.js';
import type { Controller, ObjectStore } from '../types.js';
import { ensure, namespace, seededRandom, serviceAccount } from './builders.js';
import { loadDemo } from './demo.js';
import { loadLarge } from './large.js';

export type ScenarioName = 'demo' | 'large' | 'xlarge' | 'empty';

/** Scenario names with a one-line description, for `--help` and error messages. */
export const SCENARIOS: readonly { name: ScenarioName; description: string }[] = [
  { name: 'demo', description: 'a small EKS cluster mid-upgrade: 7 nodes in three node groups (one on kubelet 1.27), one cordoned, ~40 pods, a PDB blocking a drain' },
  { name: 'large', description: 'a big cluster for load: 1,000 nodes in 5 node groups and 30,000 pods over 50 namespaces (--nodes, --pods)' },
  {
    name: 'xlarge',
    description: "the large cluster at Kubernetes' scalability thresholds: 5,000 nodes and 150,000 pods (about 2,800 per namespace; --nodes, --pods)",
  },
  { name: 'empty', description: 'no nodes and no workloads: only the default namespaces and service accounts' },
];

export interface ScenarioOptions {
  /** `large` and `xlarge` only: node count (default 1000; 5000). */
  nodes?: number;
  /** `large` and `xlarge` only: pod count (default 30000; 150000). */
  pods?: number;
  /** Seed of every random choice (names, IPs, IDs); default 1. */
  seed?: number;
  /**
   * The controllers that settle the scenario. Pass them even when they will not run
   * afterwards (`--controllers none`): the scenario is settled either way. An empty
   * list settles with a fresh set.
   */
  controllers: readonly Controller[];
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Loads scenario `name` into `store` and settles it. Throws on an unknown name, listing the valid ones. */
export function loadScenario(name: ScenarioName, store: ObjectStore, opts: ScenarioOptions): void {
  if (!isSizedScenario(name) && (opts.nodes !== undefined || opts.pods !== undefined)) {
    throw new Error(`nodes and pods apply only to the large and xlarge scenarios, not ${name}`);
  }
  const controllers = opts.controllers.length > 0 ? opts.controllers : createControllers();
  const seed = opts.seed ?? 1;
  switch (name) {
    case 'demo':
      loadDemo(store, controllers, seed);
      return;
    case 'large':
      loadLarge(store, controllers, { nodes: opts.nodes ?? 1000, pods: opts.pods ?? 30_000, seed });
      return;
    case 'xlarge':
      loadLarge(store, controllers, { nodes: opts.nodes ?? XLARGE.nodes, pods: opts.pods ?? XLARGE.pods, seed });
      return;
    case 'empty':
      for (const ns of SYSTEM_NAMESPACES) ensure(store, GR.namespaces, namespace(ns));
      for (const ns of SYSTEM_NAMESPACES) ensure(store, 'serviceaccounts', serviceAccount(ns));
      settle(store, controllers, { random: seededRandom(seed) });
      return;
    default:
      throw new Error(`unknown scenario "${String(name)}": valid scenarios are ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
}

/**
 * The upstream scalability thresholds for a cluster (kubernetes/community,
 * sig-scalability/configs-and-limits/thresholds.md): 5,000 nodes and 150,000 pods, at most
 * 3,000 pods per namespace and min(110, 10 x cores) per node. Laid out like `large`, the
 * 140,000 pods of Deployments spread over its 50 namespaces (about 2,800 each, 28 per node);
 * the two system DaemonSets add a pod per node each to kube-system, as on a real cluster.
 */
export const XLARGE = { nodes: 5000, pods: 150_000 } as const;

/** Whether `--nodes` and `--pods` size the scenario. */
export function isSizedScenario(name: ScenarioName | undefined): boolean {
  return name === 'large' || name === 'xlarge';
}

/** Whether `name` is a scenario. */
export function isScenarioName(name: string): name is ScenarioName {
  return SCENARIOS.some((s) => s.name === name);
}
