/**
 * Volume usage from the kubelets' Summary API, read through the API server's node proxy
 * (`/api/v1/nodes/NODE/proxy/stats/summary`, which needs `get nodes/proxy`). There is no
 * watch: the kubelet itself recomputes volume usage once a minute (`volumeStatsAggPeriod`),
 * so it is read at that pace, only from nodes running pods that mount a claim.
 */

import type { KubeConfig } from '@kubernetes/client-node';
import type { VolumeUsage } from '../domain/alerts.js';
import { claimUsageFromSummary, nodesWithClaims, type StatsSummaryJson, type VolumeStatsState } from '../domain/volume-usage.js';
import type { AppStore } from '../store/app-store.js';
import { describeError, statusCodeOf } from './errors.js';
import { KubeHttp } from './http.js';

/** The kubelet's `volumeStatsAggPeriod`: reading more often returns the same figures. */
export const VOLUME_STATS_INTERVAL_MS = 60_000;
/** Kubelets asked at once: a 1,000-node cluster is read in batches, not in one burst. */
const CONCURRENCY = 8;
/** How long after the pods are listed volume usage is first read. */
const FIRST_READ_DELAY_MS = 250;

/**
 * Reads the Summary of each of `nodes` and merges their claims' usage. Never rejects: a
 * forbidden proxy (403) makes the whole reading unavailable, with the reason; a kubelet that
 * cannot be reached (a node down) is listed in `failed` and the others still count.
 */
export async function readVolumeUsage(http: KubeHttp, nodes: readonly string[]): Promise<VolumeStatsState> {
  const usage = new Map<string, VolumeUsage>();
  const failed: string[] = [];
  let forbidden: unknown;
  let next = 0;
  const worker = async () => {
    while (next < nodes.length && forbidden === undefined) {
      const node = nodes[next++]!;
      try {
        const summary = await http.requestJson<StatsSummaryJson>(`/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`);
        for (const [key, u] of claimUsageFromSummary(summary)) usage.set(key, u);
      } catch (err) {
        if (statusCodeOf(err) === 403) forbidden = err;
        else failed.push(`${node}: ${describeError(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, nodes.length) }, worker));
  if (forbidden !== undefined) return { status: 'unavailable', reason: `volume stats not permitted (get nodes/proxy): ${describeError(forbidden)}` };
  return { status: 'available', usage, at: Date.now(), failed };
}

/** Volume usage of the pods on `nodes`, once, over a connection of its own (`daytwo report health`). */
export async function readVolumeUsageOnce(kc: KubeConfig, nodes: readonly string[]): Promise<VolumeStatsState> {
  const http = new KubeHttp(kc);
  try {
    return await readVolumeUsage(http, nodes);
  } finally {
    http.close();
  }
}

/**
 * Reads volume usage now and every `intervalMs` into `store` (`volumeStats`), from the nodes
 * the store's pods say mount claims; answers a stop function. After a 403 it keeps the reason
 * and asks again only at the next interval (RBAC may change).
 */
export function followVolumeStats(http: KubeHttp, store: AppStore, intervalMs = VOLUME_STATS_INTERVAL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const read = async () => {
    const { objects, connection } = store.getState();
    const state: VolumeStatsState =
      connection.pods.state === 'forbidden'
        ? { status: 'unavailable', reason: 'volume stats: the pods are not permitted, so the nodes to ask are unknown' }
        : await readVolumeUsage(http, nodesWithClaims(objects.pods.values()));
    if (stopped) return;
    store.getState().setVolumeStats(state);
    timer = setTimeout(() => void read(), intervalMs);
    timer.unref();
  };
  // The pods must be listed first, or there is no node to ask; the first read waits a moment,
  // so the frame that shows the pods listed is drawn before their nodes' claims are gathered.
  const listed = (s: ReturnType<AppStore['getState']>) => s.connection.pods.state === 'live' || s.connection.pods.state === 'forbidden';
  const readSoon = () => {
    unsubscribe();
    timer = setTimeout(() => void read(), FIRST_READ_DELAY_MS);
    timer.unref();
  };
  const unsubscribe = store.subscribe((s) => {
    if (listed(s)) readSoon();
  });
  if (listed(store.getState())) readSoon();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(timer);
  };
}
