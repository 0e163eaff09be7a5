/** The Drift view's and `daytwo report drift`'s rows: one per compared object. */
import type { ColumnDef } from '../table.js';
import { DRIFT_STATUSES, type DriftItem, driftKey } from './types.js';

/** Sorts drifted objects first: OutOfSync, Missing, Extra, then Synced. */
const STATUS_ORDER: Record<string, number> = { OutOfSync: 0, Missing: 1, Extra: 2, Synced: 3 };

/** The table key of an item (group/kind/namespace/name). */
export const driftRowKey = (item: DriftItem): string => driftKey(item);

export const DRIFT_COLUMNS: readonly ColumnDef<DriftItem>[] = [
  { id: 'status', header: 'STATUS', value: (r) => r.status, sortValue: (r) => STATUS_ORDER[r.status] ?? 9 },
  { id: 'kind', header: 'KIND', value: (r) => (r.group ? `${r.kind}.${r.group}` : r.kind), pinned: true },
  { id: 'namespace', header: 'NAMESPACE', value: (r) => r.namespace ?? '', pinned: true },
  { id: 'name', header: 'NAME', value: (r) => r.name, flex: true, minWidth: 8, pinned: true },
  { id: 'diffs', header: 'DIFFS', value: (r) => String(r.diffs.length), sortValue: (r) => r.diffs.length, align: 'right' },
  { id: 'liveOnly', header: 'LIVE-ONLY', value: (r) => String(r.liveOnly.length), sortValue: (r) => r.liveOnly.length, align: 'right' },
  { id: 'source', header: 'SOURCE', value: (r) => (r.source ? `${r.source.file}:${r.source.line}` : ''), flex: true, minWidth: 6 },
];

/** `Synced 3  OutOfSync 1  Missing 0  Extra 2` */
export function formatStatusCounts(counts: Readonly<Record<string, number>>): string {
  return DRIFT_STATUSES.map((s) => `${s} ${counts[s] ?? 0}`).join('  ');
}

/** Stable order for reports: drifted first, then by kind, namespace, name. */
export function sortDriftItems(items: readonly DriftItem[]): DriftItem[] {
  return [...items].sort(
    (a, b) =>
      (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) ||
      a.kind.localeCompare(b.kind) ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.name.localeCompare(b.name),
  );
}
