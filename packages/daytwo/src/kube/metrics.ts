/**
 * Reads pod usage from the resource metrics API (`metrics.k8s.io/v1beta1`, served by
 * metrics-server through an APIService). That API has no watch: it is a snapshot that
 * metrics-server itself only refreshes every `--metric-resolution` (15 s by default), so
 * callers poll it at that pace rather than watching it into the store.
 */

import { indexPodMetrics, type PodMetricsJson, type PodUsageState } from '../domain/pod-usage.js';
import { describeError, statusCodeOf } from './errors.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from './http.js';

const METRICS_API = '/apis/metrics.k8s.io/v1beta1';

/** Why usage is unavailable, in one line, from the error of the metrics request. */
function unavailableReason(err: unknown): string {
  switch (statusCodeOf(err)) {
    case 404:
      return 'the metrics API (metrics.k8s.io) is not served: is metrics-server installed?';
    case 403:
      return `not allowed to read pod metrics: ${describeError(err)}`;
    case 503:
      return `the metrics API is not available (metrics-server down?): ${describeError(err)}`;
    default:
      return `cannot read pod metrics: ${describeError(err)}`;
  }
}

/**
 * Lists PodMetrics in `namespace` (all namespaces when undefined) and indexes the usage by
 * `namespace/name`. Never rejects: a cluster without metrics-server (404 on the group), a
 * forbidden or failing request gives `{ status: 'unavailable', reason }`.
 */
export async function fetchPodMetrics(http: KubeHttp, namespace?: string): Promise<PodUsageState> {
  const path = namespace ? `${METRICS_API}/namespaces/${encodeURIComponent(namespace)}/pods` : `${METRICS_API}/pods`;
  try {
    const list = await http.requestJson<{ items?: PodMetricsJson[] }>(path);
    return { status: 'available', pods: indexPodMetrics(list.items ?? []) };
  } catch (err) {
    return { status: 'unavailable', reason: unavailableReason(err) };
  }
}

/** Pod usage in `namespace` (every namespace without one) over a connection of its own; never fails. */
export async function readPodMetrics(kc: KubeConfig, namespace?: string): Promise<PodUsageState> {
  const http = new KubeHttp(kc);
  try {
    return await fetchPodMetrics(http, namespace);
  } finally {
    http.close();
  }
}
