import type { CoreEvent } from '@daytwo/k8s/wire-types.js';
import { formatAge } from '../format.js';
import type { DescribeWriter } from './writer.js';

/** Events in kubectl's order: `event.SortableEvents`, oldest `lastTimestamp` first. */
export function sortEvents(events: readonly CoreEvent[]): CoreEvent[] {
  const at = (e: CoreEvent) => (e.lastTimestamp ? Date.parse(e.lastTimestamp) : Number.NEGATIVE_INFINITY);
  return [...events].sort((a, b) => at(a) - at(b));
}

/** One event as kubectl describe's Events table shows it: type, reason, age, from, message. */
export interface EventLine {
  readonly type: string;
  readonly reason: string;
  /** `5m`, `2m (x4 over 10m)`. */
  readonly age: string;
  readonly from: string;
  readonly message: string;
}

/** `DescribeEvents`' cells for one event. */
export function eventLine(e: CoreEvent, now: number): EventLine {
  const first = e.eventTime ? formatAge(e.eventTime, now) : formatAge(e.firstTimestamp, now);
  let age = first;
  if (e.series) age = `${formatAge(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  else if ((e.count ?? 0) > 1) age = `${formatAge(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  const message = String(e.message ?? '').trim();
  const fieldPath = e.involvedObject?.fieldPath;
  return {
    type: e.type ?? '',
    reason: e.reason ?? '',
    age,
    // core/v1 carries the reporting controller as `reportingComponent` (Go's ReportingController field).
    from: e.source?.component || e.reportingComponent || '',
    message: fieldPath ? `${fieldPath}: ${message}` : message,
  };
}

/** `DescribeEvents`: `Events:\t<none>`, or the table after a flush (the table's columns are its own). */
export function eventsBlock(w: DescribeWriter, events: readonly CoreEvent[] | undefined, now: number): void {
  if (events === undefined) return;
  if (events.length === 0) {
    w.line(0, 'Events:\t<none>');
    return;
  }
  w.line(0, 'Events:');
  w.line(0, '  Type\tReason\tAge\tFrom\tMessage');
  w.line(1, '----\t------\t----\t----\t-------');
  for (const e of sortEvents(events)) {
    const l = eventLine(e, now);
    w.line(1, `${l.type}\t${l.reason}\t${l.age}\t${l.from}\t${l.message}`);
  }
}
