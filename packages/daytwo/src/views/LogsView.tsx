import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_LOG_BUFFER_LINES, DEFAULT_TAIL_LINES, formatSince, type LogStreamOptions, startingPoint } from '../domain/log-entry.js';
import { compileLogFilter } from '../domain/log-filter.js';
import {
  describeTarget,
  type LogTarget,
  LogTargetError,
  parseLogsCommand,
  parseLogTarget,
  podsOfTarget,
  withoutContainer,
} from '../domain/log-target.js';
import {
  displayLine,
  entryMatches,
  firstMatchingSeq,
  type LogRow,
  type LogWindow,
  logWindow,
  type PausedPin,
  pausedFrame,
  pinnedBeforeRing,
  stepSeq,
} from '../domain/log-view.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useLogStream } from '../hooks/use-log-stream.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

/** `since` choices, cycled with `[` and `]`: undefined starts from the tail. */
export const SINCE_STEPS: readonly (number | undefined)[] = [undefined, 60, 300, 900, 3600, 6 * 3600, 24 * 3600];
/** `tail` choices per container, cycled with `-` and `+`; -1 reads everything. */
export const TAIL_STEPS: readonly number[] = [10, DEFAULT_TAIL_LINES, 1000, 10_000, -1];

/** The key context of the Logs view. */
export interface LogsContext {
  scroll(delta: number | 'page-up' | 'page-down' | 'top'): void;
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

/** Rows of the view that are not log lines: the status line and the footer. */
const CHROME_ROWS = 2;

function parseTarget(params: unknown): { target?: LogTarget; error?: string } {
  try {
    return { target: parseLogTarget(params) };
  } catch (err) {
    if (err instanceof LogTargetError) return { error: err.message };
    throw err;
  }
}

function cycle<T>(steps: readonly T[], current: T, step: 1 | -1): T {
  const i = steps.indexOf(current);
  return steps[Math.min(steps.length - 1, Math.max(0, Math.max(i, 0) + step))];
}

/**
 * The merged logs of a pod, a workload or a selector (see `/work/notes/open-view.md` for
 * the params): every line prefixed `pod/container` in a stable colour, following new lines
 * until scrolled up, filtered and highlighted by `/`.
 */
export function LogsView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const { target, error } = useMemo(() => parseTarget(shell.params), [shell.params]);
  const [anchor, setAnchor] = useState<number | undefined>(undefined);
  const [wrap, setWrap] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [previous, setPrevious] = useState(false);
  const [container, setContainer] = useState<string | undefined>(target?.container);
  const [sinceSeconds, setSince] = useState<number | undefined>(undefined);
  /** The tail the user picked with `+`/`-`; undefined follows {@link startingPoint}'s default. */
  const [tailSet, setTail] = useState<number | undefined>(undefined);
  const { tailLines } = startingPoint({ tailLines: tailSet, sinceSeconds });
  const options: LogStreamOptions = useMemo(
    () => ({ follow: !previous, previous, container, tailLines, ...(sinceSeconds ? { sinceSeconds } : {}) }),
    [previous, container, sinceSeconds, tailLines],
  );
  // The container is the view's to pick (`c`), so the stream's target never narrows it.
  const streamTarget = useMemo(() => (target ? withoutContainer(target) : undefined), [target]);
  const capacity = shell.callbacks.logBufferLines ?? DEFAULT_LOG_BUFFER_LINES;
  const { buffer } = useLogStream(shell.callbacks.actions, streamTarget, options, capacity);

  const objects = useAppStore(
    useShallow((s) => ({
      pods: s.objects.pods,
      deployments: s.objects.deployments,
      statefulsets: s.objects.statefulsets,
      daemonsets: s.objects.daemonsets,
      jobs: s.objects.jobs,
    })),
  );
  const pods = useMemo(() => (target ? podsOfTarget(target, objects) : []), [target, objects]);
  const containers = useMemo(
    () => [...new Set(pods.flatMap((p) => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c: { name: string }) => c.name)))].sort(),
    [pods],
  );

  const filter = useMemo(() => compileLogFilter(shell.filter), [shell.filter]);
  const logRows = Math.max(1, shell.height - CHROME_ROWS);
  const settings = { filter, timestamps, wrap, width: shell.width, rows: logRows };
  // A paused screen stays put even when its lines leave the ring: the frame pins them.
  const pin = useRef<PausedPin | undefined>(undefined);
  let window: LogWindow;
  let dropped = 0;
  if (anchor === undefined) {
    window = logWindow(buffer, settings);
    pin.current = undefined;
  } else {
    const frame = pausedFrame(buffer, settings, anchor, pin.current);
    window = frame.window;
    dropped = frame.dropped;
    pin.current = frame.pin;
  }
  const following = anchor === undefined;
  const restart = () => setAnchor(undefined);

  const ctx: LogsContext = {
    scroll(delta) {
      if (window.bottomSeq < 0) return;
      const step = (from: number, count: number) => stepSeq(buffer, filter, timestamps, from, count);
      const atNewest = (seq: number) => step(seq, 1) === seq;
      const oldest = () => setAnchor(firstMatchingSeq(buffer, filter, timestamps));
      if (delta === 'top') return oldest();
      // The screen shows lines the ring no longer holds: nothing older is left, and newer starts at the oldest held.
      if (dropped > 0) return delta === -1 || delta === 'page-up' ? undefined : oldest();
      if (delta === -1 || delta === 'page-up') {
        // Nothing older than the top row: stay, but stop following.
        if (step(window.topSeq, -1) === window.topSeq) return setAnchor(window.bottomSeq);
        return setAnchor(delta === -1 ? step(window.bottomSeq, -1) : step(window.topSeq, -1));
      }
      const next = step(window.bottomSeq, delta === 'page-down' ? logRows : 1);
      // Scrolling down onto the newest line follows again.
      setAnchor(atNewest(next) ? undefined : next);
    },
    follow: () => setAnchor(undefined),
    toggleWrap: () => setWrap((w) => !w),
    toggleTimestamps: () => setTimestamps((t) => !t),
    togglePrevious() {
      setPrevious((p) => !p);
      restart();
    },
    cycleContainer() {
      const choices: (string | undefined)[] = [undefined, ...containers];
      setContainer(choices[(choices.indexOf(container) + 1) % choices.length]);
      restart();
    },
    adjustSince(step) {
      setSince((s) => cycle(SINCE_STEPS, s, step));
      restart();
    },
    adjustTail(step) {
      setTail(cycle(TAIL_STEPS, tailLines, step));
      restart();
    },
    save() {
      const actions = shell.callbacks.actions;
      if (!actions || !target) return;
      const lines: string[] = [];
      for (const entry of [...pinnedBeforeRing(buffer, pin.current), ...buffer.toArray()]) {
        if (entryMatches(entry, filter, timestamps)) lines.push(displayLine(entry, timestamps));
      }
      const what = filter.ok && filter.active ? `${lines.length} lines matching ${shell.filter}` : `${lines.length} lines`;
      actions.saveLogs(lines, describeTarget(target)).then(
        (file) => store.getState().pushMessage('success', `saved ${what} to ${file}`),
        (err) => store.getState().pushMessage('error', `could not save the logs: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
  };
  useKeymap(LOGS_KEYMAP, ctx, { scope: 'view' });

  const newer = following || window.bottomSeq < 0 ? 0 : buffer.lastSeq - window.bottomSeq;
  const count = (n: number) => n.toLocaleString('en-US');
  const paused = [
    'PAUSED',
    dropped > 0 ? `${count(dropped)} line${dropped === 1 ? '' : 's'} dropped from the buffer` : undefined,
    newer > 0 ? `+${count(newer)} newer` : undefined,
  ].filter(Boolean);
  const status = [
    target ? describeTarget(withoutContainer(target)) : 'no target',
    previous ? 'PREVIOUS instances' : following ? 'FOLLOWING' : `${paused.join(' · ')} (f follows)`,
    `${pods.length} pod${pods.length === 1 ? '' : 's'}`,
    container ? `container ${container}` : 'all containers',
    sinceSeconds ? `since ${formatSince(sinceSeconds)}` : undefined,
    `tail ${tailLines < 0 ? 'all' : tailLines}`,
    wrap ? 'wrap' : undefined,
    filter.ok ? undefined : `bad filter: ${filter.error}`,
    `${buffer.size}/${capacity} lines`,
  ].filter(Boolean);

  return (
    <Box flexDirection="column" height={shell.height}>
      <Text wrap="truncate" bold color="cyan">
        Logs {status.join(' · ')}
      </Text>
      <Box flexDirection="column" height={logRows}>
        {error ? (
          <Text color="red" wrap="truncate">
            {error}
          </Text>
        ) : window.rows.length === 0 ? (
          <Text dimColor wrap="truncate">
            {buffer.size === 0 ? 'waiting for log lines…' : 'no line matches the filter'}
          </Text>
        ) : (
          window.rows.map((row) => <LogLine key={row.key} row={row} />)
        )}
      </Box>
      <ViewFooter keymap={LOGS_KEYMAP} ctx={ctx} />
    </Box>
  );
}

/** One screen row: one `<Text>` with nested runs (one Text per row is the cheapest for Ink). */
function LogLine({ row }: { readonly row: LogRow }): ReactElement {
  return (
    <Text wrap="truncate">
      {row.segments.map((s, i) => {
        const key = `${i}`;
        switch (s.style) {
          case 'time':
            return (
              <Text key={key} dimColor>
                {s.text}
              </Text>
            );
          case 'prefix':
            return (
              <Text key={key} color={row.colour}>
                {s.text}
              </Text>
            );
          case 'match':
            return (
              <Text key={key} inverse color="yellow">
                {s.text}
              </Text>
            );
          case 'marker':
            return (
              <Text key={key} dimColor italic>
                {s.text}
              </Text>
            );
          default:
            return s.text;
        }
      })}
    </Text>
  );
}
