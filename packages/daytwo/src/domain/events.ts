/**
 * Events as an SRE reads them: one row per distinct occurrence (the same object, type, reason
 * and message), its count summed over the Event objects that repeat it, Warning first, then the
 * most recent first. Counts and times follow `kubectl events`: an Event written as a series
 * (events.k8s.io/v1) counts `series.count` and was last seen at `series.lastObservedTime`;
 * otherwise `count` and `lastTimestamp` (or `eventTime`). Pure.
 */
import type { PodRecord } from '@daytwo/k8s/compact.js';
import type { CoreEvent, EventsV1Event, Job, ReplicaSet } from '@daytwo/k8s/wire-types.js';
import { ago } from './alerts.js';
import type { ColumnDef } from './table.js';

/** One deduplicated event. */
export interface EventRow {
  /** Stable identity of the occurrence: namespace, object, type, reason, message. */
  readonly key: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly namespace: string;
  /** The involved object. */
  readonly kind: string;
  readonly name: string;
  /** Occurrences, summed over the Event objects merged into this row. */
  readonly count: number;
  /** Epoch ms, undefined when the events carry no time. */
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  /** `reportingComponent`, else `source.component`. */
  readonly source: string;
}

/** The object an event is about, as an alert or a table row names it. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

const time = (ts: unknown): number | undefined => {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
};

/** A core/v1 Event as the store holds it; `regarding` and `note` are the events.k8s.io/v1 names, read where the core ones are missing. */
export type EventObject = CoreEvent & Partial<Pick<EventsV1Event, 'regarding' | 'note'>>;

/** How many times one Event object says it happened. */
export function eventCount(e: EventObject): number {
  const series = e.series?.count;
  if (typeof series === 'number' && series > 0) return series;
  return typeof e.count === 'number' && e.count > 0 ? e.count : 1;
}

/** When one Event object last happened (epoch ms). */
export function eventLastSeen(e: EventObject): number | undefined {
  return time(e.series?.lastObservedTime) ?? time(e.lastTimestamp) ?? time(e.eventTime) ?? time(e.metadata?.creationTimestamp);
}

function eventFirstSeen(e: EventObject): number | undefined {
  return time(e.firstTimestamp) ?? time(e.eventTime) ?? time(e.metadata?.creationTimestamp);
}

const min = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const max = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/**
 * Deduplicated rows of `events` (in namespace `scope` when given), Warning first, then the
 * most recently seen first.
 */
export function eventRows(events: Iterable<EventObject>, scope?: string): EventRow[] {
  const rows = new Map<string, EventRow>();
  for (const e of events) {
    const namespace = e.metadata?.namespace ?? '';
    if (scope && namespace !== scope) continue;
    const io = e.involvedObject ?? e.regarding ?? {};
    const type = e.type ?? 'Normal';
    const reason = e.reason ?? '';
    const message = (e.message ?? e.note ?? '').trim();
    const kind = io.kind ?? '';
    const name = io.name ?? '';
    const key = [namespace, kind, name, type, reason, message].join('\u0000');
    const seen = rows.get(key);
    const row: EventRow = {
      key,
      type,
      reason,
      message,
      namespace,
      kind,
      name,
      count: (seen?.count ?? 0) + eventCount(e),
      firstSeen: min(seen?.firstSeen, eventFirstSeen(e)),
      lastSeen: max(seen?.lastSeen, eventLastSeen(e)),
      source: seen?.source || e.reportingComponent || e.source?.component || '',
    };
    rows.set(key, row);
  }
  return sortEvents([...rows.values()]);
}

/** Warning before anything else, then the most recent first, then by key for a stable order. */
export function sortEvents(rows: readonly EventRow[]): EventRow[] {
  const rank = (r: EventRow) => (r.type === 'Warning' ? 0 : 1);
  return [...rows].sort((a, b) => rank(a) - rank(b) || (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.key.localeCompare(b.key));
}

/**
 * The objects whose events tell about `target`: itself and what it owns, through
 * ownerReferences (a Deployment's ReplicaSets and their pods, a StatefulSet's, DaemonSet's or
 * Job's pods, a CronJob's Jobs and their pods), as `Kind/namespace/name`.
 */
export function relatedObjects(
  target: ObjectRef,
  owned: { readonly replicasets?: Iterable<ReplicaSet>; readonly pods?: Iterable<PodRecord>; readonly jobs?: Iterable<Job> },
): Set<string> {
  const refKey = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
  const related = new Set([refKey(target.kind, target.namespace, target.name)]);
  const owners = new Set([`${target.kind}/${target.name}`]);
  const adopt = (objects: Iterable<ReplicaSet | PodRecord | Job> | undefined, kind: string) => {
    for (const o of objects ?? []) {
      if (o.metadata.namespace !== target.namespace) continue;
      if (!(o.metadata.ownerReferences ?? []).some((r) => owners.has(`${r.kind}/${r.name}`))) continue;
      related.add(refKey(kind, o.metadata.namespace, o.metadata.name ?? ''));
      owners.add(`${kind}/${o.metadata.name}`);
    }
  };
  if (target.kind === 'Deployment') adopt(owned.replicasets, 'ReplicaSet');
  if (target.kind === 'CronJob') adopt(owned.jobs, 'Job');
  if (target.kind !== 'Pod' && target.kind !== 'Node' && target.namespace) adopt(owned.pods, 'Pod');
  return related;
}

/** The rows about any of `objects` (keys from {@link relatedObjects}). */
export function eventsAbout(rows: readonly EventRow[], objects: ReadonlySet<string>): EventRow[] {
  return rows.filter((r) => objects.has(`${r.kind}/${r.namespace}/${r.name}`) || (r.kind === 'Node' && objects.has(`Node//${r.name}`)));
}

/** A row with its age at `now`, as the tables show it. */
export type EventRowAt = EventRow & { readonly lastSeenAgo: string };

export function withAges(rows: readonly EventRow[], now: number): EventRowAt[] {
  return rows.map((r) => ({ ...r, lastSeenAgo: r.lastSeen === undefined ? '-' : ago(now - r.lastSeen) }));
}

/** Columns of the Events view (and of the Health view's event pane). */
export const EVENT_COLUMNS: readonly ColumnDef<EventRowAt>[] = [
  { id: 'type', header: 'TYPE', value: (r) => r.type, sortValue: (r) => (r.type === 'Warning' ? 0 : 1) },
  { id: 'lastSeen', header: 'LAST SEEN', value: (r) => r.lastSeenAgo, align: 'right', sortValue: (r) => -(r.lastSeen ?? 0) },
  { id: 'namespace', header: 'NAMESPACE', value: (r) => r.namespace },
  { id: 'object', header: 'OBJECT', value: (r) => `${r.kind.toLowerCase()}/${r.name}`, flex: true },
  { id: 'reason', header: 'REASON', value: (r) => r.reason },
  { id: 'count', header: 'COUNT', value: (r) => String(r.count), align: 'right', sortValue: (r) => -r.count },
  { id: 'message', header: 'MESSAGE', value: (r) => r.message, flex: true },
];
