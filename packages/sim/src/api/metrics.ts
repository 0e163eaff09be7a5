/**
 * The resource metrics API (`metrics.k8s.io/v1beta1`) as metrics-server serves it through
 * its APIService: `pods` (PodMetrics, namespaced) and `nodes` (NodeMetrics), verbs get and
 * list only; no watch. Usage comes from `../metrics.ts`. Objects are computed per request,
 * never stored, as metrics-server computes them from its last scrape.
 */

import type { ServerResponse } from 'node:http';
import { requirementsMatch } from '@daytwo/k8s/label-selector.js';
import type { Node, Pod } from '@daytwo/k8s/wire-types.js';
import { notFound } from '../errors.js';
import { nodeUsage, podContainerUsage, usageJson } from '../metrics.js';
import { parseLabelSelector } from '../selectors.js';
import type { KubeObject, ObjectStore, ResourceType } from '../types.js';
import { sendJson } from './http.js';
import type { ResourcePath } from './paths.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;
/** The interval the usage was measured over (PodMetrics/NodeMetrics `window`). */
const WINDOW = '30s';

/** Discovery entries, as metrics-server registers them (singularName empty, get/list). */
export const METRICS_RESOURCE_TYPES: readonly ResourceType[] = [
  { group: METRICS_GROUP, version: METRICS_VERSION, resource: 'nodes', singularName: '', kind: 'NodeMetrics', listKind: 'NodeMetricsList', namespaced: false, verbs: ['get', 'list'] },
  { group: METRICS_GROUP, version: METRICS_VERSION, resource: 'pods', singularName: '', kind: 'PodMetrics', listKind: 'PodMetricsList', namespaced: true, verbs: ['get', 'list'] },
];

/** The metrics resource a path addresses, or undefined when it is not one. */
export function metricsResourceType(path: ResourcePath): ResourceType | undefined {
  if (path.group !== METRICS_GROUP || path.subresource) return undefined;
  return METRICS_RESOURCE_TYPES.find((t) => t.version === path.version && t.resource === path.resource);
}

function podMetrics(pod: Pod, now: string): Record<string, unknown> | undefined {
  const containers = podContainerUsage(pod);
  if (containers.length === 0) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: now,
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: now,
    window: WINDOW,
    containers: containers.map((c) => ({ name: c.name, usage: usageJson(c) })),
  };
}

function isReady(node: Node): boolean {
  const conditions = node.status?.conditions ?? [];
  return conditions.some((c) => c?.type === 'Ready' && c.status === 'True');
}

function nodeMetrics(node: Node, pods: readonly Pod[], now: string): Record<string, unknown> | undefined {
  // metrics-server has no fresh scrape of a kubelet that is not ready.
  if (!isReady(node)) return undefined;
  const onNode = pods.filter((p) => p.spec?.nodeName === node.metadata.name);
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: {
      name: node.metadata.name,
      creationTimestamp: now,
      ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
    },
    timestamp: now,
    window: WINDOW,
    usage: usageJson(nodeUsage(node, onNode)),
  };
}

/**
 * Answers a get or list of `pods` or `nodes` metrics (the caller has checked the verb and
 * RBAC). Throws NotFound (`podmetrics.metrics.k8s.io "x" not found`) for an object without
 * metrics: absent, or not running.
 */
export function serveMetrics(
  res: ServerResponse,
  store: ObjectStore,
  type: ResourceType,
  path: ResourcePath,
  query: URLSearchParams,
  now: Date,
): void {
  const timestamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const pods: Pod[] = store.list('pods');
  const build = (obj: KubeObject) => (type.resource === 'pods' ? podMetrics(obj, timestamp) : nodeMetrics(obj, pods, timestamp));
  const namespace = type.namespaced ? path.namespace : undefined;
  if (path.name) {
    const obj = store.get(type.resource, namespace, path.name);
    const item = obj && build(obj);
    if (!item) throw notFound(METRICS_GROUP, type.resource === 'pods' ? 'podmetrics' : 'nodemetrics', path.name);
    sendJson(res, 200, item);
    return;
  }
  const selector = parseLabelSelector(query.get('labelSelector') ?? '');
  const items: Record<string, unknown>[] = [];
  const source = type.resource === 'pods' ? pods : store.list('nodes');
  for (const obj of source) {
    if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
    if (!requirementsMatch(selector, obj.metadata.labels)) continue;
    const item = build(obj);
    if (item) items.push(item);
  }
  sendJson(res, 200, { kind: type.listKind, apiVersion: API_VERSION, metadata: {}, items });
}
