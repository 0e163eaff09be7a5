/**
 * A small cluster for node pool migration tests, built in a running simulated cluster: the
 * `blue` pool (3 nodes) runs a Deployment `web` (4 replicas, PDB maxUnavailable 1) and a
 * StatefulSet `db` (2 replicas); the `green` pool (3 nodes) is added once they run there.
 * Pods take 10 simulated seconds to turn Ready, so the gate has something to wait for.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { seededRandom } from '@daytwo/sim/random.js';
import { deployment, eksNode, namespace, pdb, statefulSet, ZONES } from '@daytwo/sim/scenarios/builders.js';
import { DEMO_POOLS } from '@daytwo/sim/scenarios/demo.js';
import type { TestSim } from '../../../sim/test/helpers/sim.js';

export const MIGRATION_NS = 'shop';
export const BLUE = { ...DEMO_POOLS.old, name: 'blue' };
export const GREEN = { ...DEMO_POOLS.new, name: 'green' };

const readiness = { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 10 };
const app = (name: string, cpu: string) => ({ name, image: `ghcr.io/acme/${name}:1.0.0`, requests: { cpu, memory: '256Mi' }, readinessProbe: readiness });

export const isReady = (p: Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
export const simPods = (t: TestSim) => (t.sim.store.list('pods') as Pod[]).filter((p) => p.metadata.namespace === MIGRATION_NS);
export const simNodes = (t: TestSim) => t.sim.store.list('nodes') as Node[];
export const poolNodes = (t: TestSim, pool: string) =>
  simNodes(t)
    .filter((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === pool)
    .map((n) => n.metadata.name as string)
    .sort();

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function addPool(t: TestSim, pool: typeof BLUE, first: number, random: () => number): void {
  for (let i = 0; i < 3; i++) {
    t.sim.store.create('nodes', eksNode({ pool, index: first + i, zone: ZONES[i % ZONES.length], random, createdAt: new Date() }));
  }
}

/**
 * Builds the cluster in a sim started with `scenario: 'empty'` and waits until every pod is
 * Ready on the blue pool and the green pool exists. `extra` objects are created with the workloads.
 */
export async function buildMigrationCluster(t: TestSim, extra: { gr: string; obj: KubeObject }[] = []): Promise<void> {
  const random = seededRandom(7);
  addPool(t, BLUE, 0, random);
  t.sim.store.create('namespaces', namespace(MIGRATION_NS));
  t.sim.store.create('apps/deployments', deployment({ name: 'web', namespace: MIGRATION_NS, replicas: 4, containers: [app('web', '250m')] }));
  t.sim.store.create('policy/poddisruptionbudgets', pdb('web', MIGRATION_NS, { app: 'web' }, { maxUnavailable: 1 }));
  t.sim.store.create('apps/statefulsets', statefulSet({ name: 'db', namespace: MIGRATION_NS, replicas: 2, serviceName: 'db', claims: [], containers: [app('db', '500m')] }));
  for (const { gr, obj } of extra) t.sim.store.create(gr, obj);
  await until('web and db Ready on the blue pool', () => {
    const ready = simPods(t).filter((p) => isReady(p) && ['web', 'db'].includes(p.metadata.labels?.app ?? ''));
    return ready.length === 6;
  });
  addPool(t, GREEN, 3, random);
}
