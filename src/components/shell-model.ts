/**
 * Pure derivations for the shell's chrome: the header's connection health and object
 * counts, and which status message the status line shows.
 */

import type { KubeObject } from '../domain/kube-object.js';
import type { ClusterInfo, KindConnection, StatusMessage } from '../store/app-store.js';
import type { KindName } from '../store/kinds.js';

/** Severity of the connection health, for its colour. */
export type HealthLevel = 'ok' | 'warn' | 'error';

/** The header's connection health: one short text and its severity. */
export interface ConnectionHealth {
  readonly text: string;
  readonly level: HealthLevel;
}

/**
 * Summarises the per-kind watch states: `DISCONNECTED` when the API server cannot be
 * reached; otherwise the kinds reconnecting (with the first error) or forbidden, the number
 * still syncing, or `live` when every watched kind is.
 */
export function connectionHealth(
  connection: Readonly<Record<KindName, KindConnection>>,
  cluster: Pick<ClusterInfo, 'reachable'>,
): ConnectionHealth {
  if (!cluster.reachable) return { text: 'DISCONNECTED', level: 'error' };
  const entries = Object.entries(connection) as [KindName, KindConnection][];
  const inState = (state: KindConnection['state']) => entries.filter(([, c]) => c.state === state);
  const reconnecting = inState('reconnecting');
  const forbidden = inState('forbidden');
  const syncing = inState('syncing');
  const watched = entries.filter(([, c]) => c.state !== 'idle').length;
  const parts: string[] = [];
  if (reconnecting.length > 0) {
    const error = reconnecting.find(([, c]) => c.error)?.[1].error;
    parts.push(`reconnecting ${reconnecting.map(([k]) => k).join(',')}${error ? ` (${error})` : ''}`);
  }
  if (forbidden.length > 0) parts.push(`forbidden ${forbidden.map(([k]) => k).join(',')}`);
  if (syncing.length > 0) parts.push(`syncing ${syncing.length}/${watched}`);
  if (parts.length > 0) return { text: parts.join(' · '), level: reconnecting.length > 0 ? 'warn' : 'ok' };
  return watched === 0 ? { text: 'connecting', level: 'ok' } : { text: 'live', level: 'ok' };
}

const COUNTED: readonly [KindName, string][] = [
  ['namespaces', 'ns'],
  ['nodes', 'nodes'],
  ['pods', 'pods'],
  ['deployments', 'deploy'],
  ['statefulsets', 'sts'],
  ['daemonsets', 'ds'],
  ['jobs', 'jobs'],
];

/** `ns 12 · nodes 5 · pods 340 · …`: counts of the kinds an operator sizes a cluster by. */
export function objectCounts(objects: Readonly<Record<KindName, ReadonlyMap<string, KubeObject>>>): string {
  return COUNTED.map(([kind, label]) => `${label} ${objects[kind]?.size ?? 0}`).join(' · ');
}

/** How long info, success and warning messages stay on the status line. Errors stay until dismissed. */
export const MESSAGE_TTL_MS = 5_000;

/**
 * The message the status line shows: the newest error (errors stay until dismissed) or a
 * newer message still within its time to live.
 */
export function visibleMessage(
  messages: readonly StatusMessage[],
  now: number,
  ttlMs: number = MESSAGE_TTL_MS,
): StatusMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.level === 'error' || now - m.at < ttlMs) return m;
  }
  return undefined;
}
