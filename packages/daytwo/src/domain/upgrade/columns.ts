/** Columns of the Upgrade view's tables and of `daytwo report upgrade -o table`. */

import type { ColumnDef } from '../table.js';
import type { ApiFinding } from './api-findings.js';
import type { DrainBlocker, PoolCapacity, PoolSkew, UpgradeStep } from './readiness.js';

const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '-' : v);

export const API_COLUMNS: readonly ColumnDef<ApiFinding>[] = [
  { id: 'status', header: 'Status', value: (a) => (a.blocks ? 'REMOVED' : 'deprecated') },
  { id: 'kind', header: 'Kind', value: (a) => a.kind },
  { id: 'name', header: 'Name', value: (a) => (a.namespace ? `${a.namespace}/${a.name}` : a.name), flex: true },
  { id: 'apiVersion', header: 'ApiVersion', value: (a) => a.apiVersion },
  { id: 'deprecated', header: 'Deprecated', value: (a) => dash(a.deprecatedIn) },
  { id: 'removed', header: 'Removed', value: (a) => dash(a.removedIn) },
  { id: 'replacement', header: 'Replacement', value: (a) => (a.replacement ? `${a.replacement}${a.replacementAvailableIn ? ` (${a.replacementAvailableIn})` : ''}` : '-') },
  { id: 'source', header: 'Source', value: (a) => a.source, flex: true },
];

export const SKEW_COLUMNS: readonly ColumnDef<PoolSkew>[] = [
  { id: 'pool', header: 'Pool', value: (s) => s.pool },
  { id: 'nodes', header: 'Nodes', value: (s) => String(s.nodes), align: 'right' },
  { id: 'kubelets', header: 'Kubelets', value: (s) => s.kubeletVersions.join(',') },
  { id: 'behind', header: 'Behind', value: (s) => String(s.minorsBehind), align: 'right' },
  { id: 'skew', header: 'Skew', value: (s) => (s.supported ? 'ok' : 'UNSUPPORTED'), flex: true },
];

export const DRAIN_BLOCKER_COLUMNS: readonly ColumnDef<DrainBlocker>[] = [
  { id: 'severity', header: 'Severity', value: (b) => b.severity },
  { id: 'kind', header: 'Kind', value: (b) => b.kind },
  { id: 'name', header: 'Name', value: (b) => `${b.namespace}/${b.name}` },
  { id: 'pools', header: 'Pools', value: (b) => dash(b.pools.join(',')) },
  { id: 'message', header: 'Why', value: (b) => b.message, flex: true },
];

export const CAPACITY_COLUMNS: readonly ColumnDef<PoolCapacity>[] = [
  { id: 'pool', header: 'Pool', value: (c) => c.pool },
  { id: 'nodes', header: 'Nodes', value: (c) => String(c.nodes), align: 'right' },
  { id: 'fits', header: 'Room', value: (c) => (c.fits ? 'ok' : `NO ROOM for ${c.failures.length} pod(s)`) },
  { id: 'first', header: 'First failure', value: (c) => (c.failures[0] ? `${c.failures[0].pod} from ${c.failures[0].node}: ${c.failures[0].reason}` : '-'), flex: true },
];

export const SEQUENCE_COLUMNS: readonly ColumnDef<UpgradeStep>[] = [
  { id: 'step', header: 'Step', value: (s) => String(s.step), align: 'right' },
  { id: 'name', header: 'What', value: (s) => s.name },
  { id: 'action', header: 'Action', value: (s) => s.action },
  { id: 'blockers', header: 'Blockers', value: (s) => String(s.blockers.length), align: 'right' },
  { id: 'warnings', header: 'Warnings', value: (s) => String(s.warnings.length), align: 'right' },
];
