/**
 * Two simulated clusters behind one kubeconfig file with two contexts, `alpha` (the demo
 * scenario, current) and `beta` (an empty cluster with a namespace and a service of its
 * own), for the context switch tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { KubeHttp } from '../../src/kube/http.js';

export interface TwoClusters {
  readonly alpha: TestSim;
  readonly beta: TestSim;
  /** The kubeconfig file with contexts `alpha` (current) and `beta`. */
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** Only beta has this namespace and service. */
export const BETA_NAMESPACE = 'beta-only';
export const BETA_SERVICE = 'beta-web';

interface Doc {
  clusters: { name: string; cluster: unknown }[];
  users: { name: string; user: unknown }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
}

/** The admin context of a sim's kubeconfig, renamed to `name`. */
function renamed(sim: TestSim, name: string): Doc {
  const doc = parse(sim.sim.kubeconfig('admin')) as Doc & { 'current-context': string };
  const context = doc.contexts.find((c) => c.name === doc['current-context'])!;
  return {
    clusters: doc.clusters.filter((c) => c.name === context.context.cluster).map((c) => ({ ...c, name })),
    users: doc.users.filter((u) => u.name === context.context.user).map((u) => ({ ...u, name: `${name}-admin` })),
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
  };
}

export async function startTwoClusters(): Promise<TwoClusters> {
  const alpha = await startTestSim({ scenario: 'demo', speed: 20 });
  const beta = await startTestSim({ scenario: 'empty', speed: 20 });
  const http = new KubeHttp(beta.kc);
  try {
    await http.requestJson('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BETA_NAMESPACE } } });
    await http.requestJson(`/api/v1/namespaces/${BETA_NAMESPACE}/services`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: BETA_SERVICE }, spec: { ports: [{ port: 8080 }], selector: { app: 'web' } } },
    });
  } finally {
    http.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'daytwo-two-clusters-'));
  const [a, b] = [renamed(alpha, 'alpha'), renamed(beta, 'beta')];
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [...a.clusters, ...b.clusters],
      users: [...a.users, ...b.users],
      contexts: [...a.contexts, ...b.contexts],
      'current-context': 'alpha',
    }),
    { mode: 0o600 },
  );
  return {
    alpha,
    beta,
    kubeconfig,
    async stop() {
      await Promise.all([alpha.stop(), beta.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
