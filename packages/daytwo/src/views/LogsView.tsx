import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_LOG_BUFFER_LINES, type LogStreamOptions, startingPoint } from '../domain/log-entry.js';
import { compileLogFilter } from '../domain/log-filter.js';
import { describeTarget, type LogTarget, LogTargetError, parseLogTarget, podsOfTarget, withoutContainer } from '../domain/log-target.js';
import { displayLine, entryMatches, logFrame, type PausedPin, pinnedBeforeRing, scrollAnchor } from '../domain/log-view.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useLiveState } from '../hooks/use-live-state.js';
import { useLogStream } from '../hooks/use-log-stream.js';
import { LogLine } from './LogLine.js';
import { LOGS_KEYMAP, type LogsContext, SINCE_STEPS, TAIL_STEPS } from './logs-keymap.js';
import { logsStatusLine } from './logs-status.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

export { LOGS_KEYMAP, type LogsContext, logsCommandParams, SINCE_STEPS, TAIL_STEPS } from './logs-keymap.js';

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
 * until scrolled up, filtered and highlighted by `/`. Keys read the latest settings (`useLiveState`).
 */
export function LogsView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const { target, error } = useMemo(() => parseTarget(shell.params), [shell.params]);
  const [anchor, setAnchor, latestAnchor] = useLiveState<number | undefined>(undefined);
  const [wrap, setWrap] = useLiveState(false);
  const [timestamps, setTimestamps, latestTimestamps] = useLiveState(false);
  const [previous, setPrevious] = useLiveState(false);
  const [container, setContainer] = useLiveState<string | undefined>(target?.container);
  const [sinceSeconds, setSince] = useLiveState<number | undefined>(undefined);
  /** The tail the user picked with `+`/`-`; undefined follows {@link startingPoint}'s default. */
  const [tailSet, setTail] = useLiveState<number | undefined>(undefined);
  const { tailLines } = startingPoint({ tailLines: tailSet, sinceSeconds });
  const options: LogStreamOptions = useMemo(
    () => ({ follow: !previous, previous, container, tailLines, ...(sinceSeconds ? { sinceSeconds } : {}) }),
    [previous, container, sinceSeconds, tailLines],
  );
  // The container is the view's to pick (`c`), so the stream's target never narrows it.
  const streamTarget = useMemo(() => (target ? withoutContainer(target) : undefined), [target]);
  const capacity = shell.callbacks.logBufferLines ?? DEFAULT_LOG_BUFFER_LINES;
  const { buffer } = useLogStream(shell.callbacks.actions, streamTarget, options, capacity);
  const objects = useAppStore(useShallow((s) => ({ pods: s.objects.pods, deployments: s.objects.deployments, statefulsets: s.objects.statefulsets, daemonsets: s.objects.daemonsets, jobs: s.objects.jobs })));
  const pods = useMemo(() => (target ? podsOfTarget(target, objects) : []), [target, objects]);
  const containers = useMemo(() => [...new Set(pods.flatMap((p) => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c: { name: string }) => c.name)))].sort(), [pods]);
  const filter = useMemo(() => compileLogFilter(shell.filter), [shell.filter]);
  const logRows = Math.max(1, shell.height - CHROME_ROWS);
  const settings = { filter, timestamps, wrap, width: shell.width, rows: logRows };
  // A paused screen stays put even when its lines leave the ring: the frame pins them.
  const pin = useRef<PausedPin | undefined>(undefined);
  const frame = logFrame(buffer, settings, anchor, pin.current);
  pin.current = frame.pin;
  const restart = () => setAnchor(undefined);
  /** A change of what is streamed starts from the newest lines again. */
  const andRestart = (change: () => void) => {
    change();
    restart();
  };
  const ctx: LogsContext = {
    scroll(delta) {
      // The frame the key acts on: the one the key before it left, drawn or not.
      const shown = { ...settings, timestamps: latestTimestamps() };
      const next = scrollAnchor(buffer, shown, logFrame(buffer, shown, latestAnchor(), pin.current), delta, logRows);
      if (next) setAnchor(next.anchor);
    },
    follow: restart,
    toggleWrap: () => setWrap((w) => !w),
    toggleTimestamps: () => setTimestamps((t) => !t),
    togglePrevious: () => andRestart(() => setPrevious((p) => !p)),
    cycleContainer: () => {
      const choices = [undefined, ...containers];
      andRestart(() => setContainer((c) => choices[(choices.indexOf(c) + 1) % choices.length]));
    },
    adjustSince: (step) => andRestart(() => setSince((s) => cycle(SINCE_STEPS, s, step))),
    adjustTail: (step) => andRestart(() => setTail((t) => cycle(TAIL_STEPS, startingPoint({ tailLines: t, sinceSeconds }).tailLines, step))),
    save() {
      const actions = shell.callbacks.actions;
      if (!actions || !target) return;
      const entries = [...pinnedBeforeRing(buffer, pin.current), ...buffer.toArray()].filter((e) => entryMatches(e, filter, timestamps));
      const lines = entries.map((e) => displayLine(e, timestamps));
      const what = filter.ok && filter.active ? `${lines.length} lines matching ${shell.filter}` : `${lines.length} lines`;
      actions.saveLogs(lines, describeTarget(target)).then(
        (file) => store.getState().pushMessage('success', `saved ${what} to ${file}`),
        (err) => store.getState().pushMessage('error', `could not save the logs: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
  };
  useKeymap(LOGS_KEYMAP, ctx, { scope: 'view' });
  const following = anchor === undefined;
  const newer = following || frame.window.bottomSeq < 0 ? 0 : buffer.lastSeq - frame.window.bottomSeq;
  const status = logsStatusLine({ target, previous, following, dropped: frame.dropped, newer, pods: pods.length, container, sinceSeconds, tailLines, wrap, filter, size: buffer.size, capacity });
  return (
    <Box flexDirection="column" height={shell.height}>
      <Text wrap="truncate" bold color="cyan">
        Logs {status}
      </Text>
      <Box flexDirection="column" height={logRows}>
        {error ? (
          <Text color="red" wrap="truncate">
            {error}
          </Text>
        ) : frame.window.rows.length === 0 ? (
          <Text dimColor wrap="truncate">
            {buffer.size === 0 ? 'waiting for log lines…' : 'no line matches the filter'}
          </Text>
        ) : (
          frame.window.rows.map((row) => <LogLine key={row.key} row={row} />)
        )}
      </Box>
      <ViewFooter keymap={LOGS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
