/** Text of the object view: the events table, and the lines a `/` search finds. */
import type { CoreEvent } from '@daytwo/k8s/wire-types.js';
import { eventLine, sortEvents } from './describe/events.js';
import { tabwrite } from './describe/tabwriter.js';
import { compileFilter } from './table.js';

/** Events as a table, oldest first, with kubectl describe's columns: TYPE, REASON, AGE, FROM, MESSAGE. */
export function eventsTable(events: readonly CoreEvent[], now: number): string[] {
  if (events.length === 0) return ['No events found.'];
  const rows = sortEvents(events).map((e) => {
    const l = eventLine(e, now);
    return `${l.type}\t${l.reason}\t${l.age}\t${l.from}\t${l.message}`;
  });
  return tabwrite(['TYPE\tREASON\tAGE\tFROM\tMESSAGE', ...rows]);
}

/** Indexes of the lines a `/` query matches (substring or /regex/, case-insensitive); none for an empty or bad query. */
export function matchingLines(lines: readonly string[], query: string): number[] {
  const filter = compileFilter(query);
  if (!filter.ok || !filter.active) return [];
  const out: number[] = [];
  lines.forEach((line, i) => {
    if (filter.test(line)) out.push(i);
  });
  return out;
}

/** The match to show after `from` (`step` 1) or before it (`step` -1), wrapping around; undefined without matches. */
export function nextMatch(matches: readonly number[], from: number, step: 1 | -1): number | undefined {
  if (matches.length === 0) return undefined;
  if (step === 1) return matches.find((m) => m > from) ?? matches[0];
  return [...matches].reverse().find((m) => m < from) ?? matches[matches.length - 1];
}
