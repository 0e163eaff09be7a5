import { formatSince } from '../domain/log-entry.js';
import type { LogFilter } from '../domain/log-filter.js';
import { describeTarget, type LogTarget, withoutContainer } from '../domain/log-target.js';

/** What the Logs view's top line says. */
export interface LogsStatus {
  readonly target: LogTarget | undefined;
  readonly previous: boolean;
  readonly following: boolean;
  /** Lines of the paused screen the ring no longer holds. */
  readonly dropped: number;
  /** Lines newer than the paused screen. */
  readonly newer: number;
  readonly pods: number;
  readonly container: string | undefined;
  readonly sinceSeconds: number | undefined;
  readonly tailLines: number;
  readonly wrap: boolean;
  readonly filter: LogFilter;
  readonly size: number;
  readonly capacity: number;
}

/** The top line: target, following or paused, pods, container, since, tail, wrap, filter error, buffer use. */
export function logsStatusLine(s: LogsStatus): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const paused = [
    'PAUSED',
    s.dropped > 0 ? `${count(s.dropped)} line${s.dropped === 1 ? '' : 's'} dropped from the buffer` : undefined,
    s.newer > 0 ? `+${count(s.newer)} newer` : undefined,
  ].filter(Boolean);
  return [
    s.target ? describeTarget(withoutContainer(s.target)) : 'no target',
    s.previous ? 'PREVIOUS instances' : s.following ? 'FOLLOWING' : `${paused.join(' · ')} (f follows)`,
    `${s.pods} pod${s.pods === 1 ? '' : 's'}`,
    s.container ? `container ${s.container}` : 'all containers',
    s.sinceSeconds ? `since ${formatSince(s.sinceSeconds)}` : undefined,
    `tail ${s.tailLines < 0 ? 'all' : s.tailLines}`,
    s.wrap ? 'wrap' : undefined,
    s.filter.ok ? undefined : `bad filter: ${s.filter.error}`,
    `${s.size}/${s.capacity} lines`,
  ]
    .filter(Boolean)
    .join(' · ');
}
