/**
 * Pure derivations for the shell's chrome: the header's connection health and object
 * counts, and which status message the status line shows.
 */

import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { ClusterInfo, KindConnection } from '../store/app-store.js';
import type { KindName } from '../domain/kinds.js';

/** Severity of the connection health, for its colour. */
export type HealthLevel = 'ok' | 'warn' | 'error';

/** The header's connection health: one short text, its severity and the last error. */
export interface ConnectionHealth {
  readonly text: string;
  readonly level: HealthLevel;
  /** The newest error of a kind reconnecting (the reason when disconnected); shown in full on its own. */
  readonly detail?: string;
}

/** Kinds named one by one up to this many; more are counted, so the header keeps room for the error. */
const MAX_NAMED_KINDS = 3;

/** `pods,events`, or `(17 kinds)` when there are too many to name. */
function kindList(kinds: readonly KindName[]): string {
  return kinds.length <= MAX_NAMED_KINDS ? kinds.join(',') : `(${kinds.length} kinds)`;
}

/** kube/watch-kind.ts's UNAUTHORIZED_RECHECK_MS (components do not import kube/). */
const UNAUTHORIZED_RECHECK_S = 30;

/**
 * Summarises the per-kind watch states: `DISCONNECTED` when the API server cannot be
 * reached; otherwise the kinds reconnecting or forbidden (named, or counted when many), the
 * number still syncing, or `live` when every watched kind is. `detail` carries the newest
 * error of a failing kind, the reason behind DISCONNECTED or reconnecting.
 */
export function connectionHealth(
  connection: Readonly<Record<KindName, KindConnection>>,
  cluster: Pick<ClusterInfo, 'reachable'>,
): ConnectionHealth {
  const entries = Object.entries(connection) as [KindName, KindConnection][];
  const inState = (state: KindConnection['state']) => entries.filter(([, c]) => c.state === state);
  const reconnecting = inState('reconnecting');
  const newestError = reconnecting
    .filter(([, c]) => c.error)
    .reduce<KindConnection | undefined>((best, [, c]) => (!best || c.since > best.since ? c : best), undefined)?.error;
  const detail = newestError ? { detail: newestError } : {};
  const unauthorized = inState('unauthorized');
  if (unauthorized.length > 0) {
    // One line however many kinds share it: the credentials are the user's, not the kind's.
    return { text: `unauthorized (retried every ${UNAUTHORIZED_RECHECK_S} s)`, level: 'error', detail: unauthorized[0][1].error ?? 'Unauthorized' };
  }
  if (!cluster.reachable) return { text: 'DISCONNECTED', level: 'error', ...detail };
  const forbidden = inState('forbidden');
  const syncing = inState('syncing');
  const watched = entries.filter(([, c]) => c.state !== 'idle').length;
  const parts: string[] = [];
  if (reconnecting.length > 0) parts.push(`reconnecting ${kindList(reconnecting.map(([k]) => k))}`);
  if (forbidden.length > 0) parts.push(`forbidden ${kindList(forbidden.map(([k]) => k))}`);
  if (syncing.length > 0) parts.push(`syncing ${syncing.length}/${watched}`);
  if (parts.length > 0) return { text: parts.join(' · '), level: reconnecting.length > 0 ? 'warn' : 'ok', ...detail };
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

// The status line's choice lives with the store, whose `dismissMessage` must drop the same message.
export { MESSAGE_TTL_MS, visibleMessage } from '../store/messages.js';
