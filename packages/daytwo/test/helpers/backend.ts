/**
 * The clusters the backend suite runs on: the simulated cluster always, and the real
 * control plane of test/real-cluster (`npm run test:real` starts it) when
 * DAYTWO_REAL_KUBECONFIG names its kubeconfig. Both have the same three nodes in two
 * pools and the same two users: admin, and viewer (reads everything, changes nothing).
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { vi } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { KubeHttp } from '../../src/kube/http.js';
import { startTestSim } from '../../../sim/test/helpers/sim.js';

export type BackendName = 'sim' | 'real';

export interface Backend {
  readonly name: BackendName;
  /** Kubeconfig files, as a user passes them with --kubeconfig. */
  readonly kubeconfig: string;
  readonly viewerKubeconfig: string;
  /** The admin's client, for arranging and checking. */
  readonly api: KubeHttp;
  readonly nodes: readonly string[];
  stop(): Promise<void>;
}

const REAL_KUBECONFIG = process.env.DAYTWO_REAL_KUBECONFIG;

/** The backends of this run; says once why the real control plane is left out. */
export function backendNames(): BackendName[] {
  if (REAL_KUBECONFIG) return ['sim', 'real'];
  console.log('backend suite: the real control plane is skipped (DAYTWO_REAL_KUBECONFIG is not set; `npm run test:real` builds, starts and uses it)');
  return ['sim'];
}

const NODES_FILE = fileURLToPath(new URL('../../../../test/real-cluster/nodes.yaml', import.meta.url));
const SIM_VERSION = 'v1.36.3';

/** The nodes both backends have (test/real-cluster/nodes.yaml), with their pools. */
export const NODES = [
  { name: 'real-node-a', pool: 'pool-a', zone: 'zone-0' },
  { name: 'real-node-b', pool: 'pool-a', zone: 'zone-1' },
  { name: 'real-node-c', pool: 'pool-b', zone: 'zone-0' },
] as const;

export async function startBackend(name: BackendName): Promise<Backend> {
  if (name === 'real') {
    if (!REAL_KUBECONFIG) throw new Error('DAYTWO_REAL_KUBECONFIG is not set');
    const api = httpFor(REAL_KUBECONFIG);
    return { name, kubeconfig: REAL_KUBECONFIG, viewerKubeconfig: join(dirname(REAL_KUBECONFIG), 'viewer.kubeconfig'), api, nodes: NODES.map((n) => n.name), stop: async () => api.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'daytwo-backend-'));
  // The real cluster's nodes (test/real-cluster/nodes.yaml), at the sim's version.
  const nodes = join(dir, 'nodes.yaml');
  writeFileSync(nodes, readFileSync(NODES_FILE, 'utf8').replaceAll('KUBELET_VERSION', SIM_VERSION));
  const t = await startTestSim({ scenario: 'empty', speed: 20, serverVersion: SIM_VERSION, fixtures: [nodes] });
  const kubeconfig = join(dir, 'kubeconfig');
  const viewerKubeconfig = join(dir, 'viewer.kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
  writeFileSync(viewerKubeconfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  const api = httpFor(kubeconfig);
  return { name, kubeconfig, viewerKubeconfig, api, nodes: NODES.map((n) => n.name), stop: async () => { api.close(); await t.stop(); } };
}

/** An API client for a kubeconfig file. */
export function httpFor(file: string): KubeHttp {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return new KubeHttp(kc);
}

/** A fresh namespace for one test; deleted (without waiting) by the returned function. */
export async function tempNamespace(backend: Backend, prefix: string): Promise<{ name: string; remove(): Promise<void> }> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
  await backend.api.requestJson('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  // The service account controller makes `default`, which the API server requires of pods.
  await vi.waitFor(() => backend.api.requestJson(`/api/v1/namespaces/${name}/serviceaccounts/default`), { timeout: 30_000, interval: 200 });
  return { name, remove: async () => void (await backend.api.requestJson(`/api/v1/namespaces/${name}`, { method: 'DELETE' }).catch(() => undefined)) };
}

/** GET a path as the admin. */
export function get<T = KubeObject>(backend: Backend, path: string): Promise<T> {
  return backend.api.requestJson<T>(path);
}
