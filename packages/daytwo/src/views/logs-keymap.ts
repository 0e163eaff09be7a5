import { DEFAULT_TAIL_LINES } from '../domain/log-entry.js';
import { parseLogsCommand } from '../domain/log-target.js';
import type { LogScroll } from '../domain/log-view.js';
import type { Keymap } from '../hooks/keymap.js';

/** `since` choices, cycled with `[` and `]`: undefined starts from the tail. */
export const SINCE_STEPS: readonly (number | undefined)[] = [undefined, 60, 300, 900, 3600, 6 * 3600, 24 * 3600];
/** `tail` choices per container, cycled with `-` and `+`; -1 reads everything. */
export const TAIL_STEPS: readonly number[] = [10, DEFAULT_TAIL_LINES, 1000, 10_000, -1];

/** The key context of the Logs view. */
export interface LogsContext {
  scroll(delta: LogScroll): void;
  follow(): void;
  toggleWrap(): void;
  toggleTimestamps(): void;
  togglePrevious(): void;
  cycleContainer(): void;
  adjustSince(step: 1 | -1): void;
  adjustTail(step: 1 | -1): void;
  save(): void;
}

/** Keys of the Logs view. */
export const LOGS_KEYMAP: Keymap<LogsContext> = [
  { id: 'logs.up', keys: ['k', 'up'], description: 'Scroll up a line (pauses following)', category: 'Navigation', action: (c) => c.scroll(-1) },
  { id: 'logs.down', keys: ['j', 'down'], description: 'Scroll down a line (follows again at the newest)', category: 'Navigation', action: (c) => c.scroll(1) },
  { id: 'logs.pageUp', keys: ['pageup', 'ctrl+b'], description: 'Page up (pauses following)', category: 'Navigation', action: (c) => c.scroll('page-up') },
  { id: 'logs.pageDown', keys: ['pagedown', 'ctrl+f'], description: 'Page down', category: 'Navigation', action: (c) => c.scroll('page-down') },
  { id: 'logs.top', keys: ['g', 'home'], description: 'Oldest line in the buffer (pauses following)', category: 'Navigation', action: (c) => c.scroll('top') },
  { id: 'logs.follow', keys: ['f', 'G', 'end'], description: 'Follow: jump to the newest line and keep up', category: 'View', action: (c) => c.follow(), hint: 'follow' },
  { id: 'logs.wrap', keys: ['w'], description: 'Wrap long lines, or cut them at the edge', category: 'View', action: (c) => c.toggleWrap(), hint: 'wrap' },
  { id: 'logs.timestamps', keys: ['t'], description: "Show each line's timestamp", category: 'View', action: (c) => c.toggleTimestamps(), hint: 'time' },
  { id: 'logs.previous', keys: ['p'], description: 'Previous container instance (after a restart), or back to live', category: 'View', action: (c) => c.togglePrevious(), hint: 'previous' },
  { id: 'logs.container', keys: ['c'], description: 'Container: cycle through each one, then all', category: 'View', action: (c) => c.cycleContainer(), hint: 'container' },
  { id: 'logs.sinceLonger', keys: [']'], description: 'Start further back: since 1m, 5m, 15m, 1h, 6h, 24h (all lines since, unless a tail is set)', category: 'View', action: (c) => c.adjustSince(1), hint: 'since' },
  { id: 'logs.sinceShorter', keys: ['['], description: 'Start less far back (down to: the tail only)', category: 'View', action: (c) => c.adjustSince(-1) },
  { id: 'logs.tailMore', keys: ['+', '='], description: 'More lines per container to start with: 10, 100, 1000, 10000, all', category: 'View', action: (c) => c.adjustTail(1), hint: 'tail' },
  { id: 'logs.tailLess', keys: ['-'], description: 'Fewer lines per container to start with', category: 'View', action: (c) => c.adjustTail(-1) },
  { id: 'logs.save', keys: ['s'], description: 'Save the lines as shown (filtered or not) to a file', category: 'View', action: (c) => c.save(), hint: 'save' },
];

/** What `:logs <args>` opens: `TYPE/NAME` or a selector, with `-n NS` / `-A` (else the console's scope) and `-c CONTAINER`. */
export function logsCommandParams(args: string, namespace: string | undefined): { readonly params: unknown } | { readonly error: string } {
  try {
    return { params: parseLogsCommand(args, namespace) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
