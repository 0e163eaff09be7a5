import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useRef, useState } from 'react';
import { describeObjectError } from '../domain/object-errors.js';
import { refTitle } from '../domain/object-ref.js';
import { matchingLines, nextMatch } from '../domain/object-text.js';
import { holdsSecretValues } from '../domain/object-yaml.js';
import { truncate } from '../domain/table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { isObjectViewParams, type ObjectViewMode } from './object-view-params.js';
import { useShell } from './shell.js';
import { useObjectText } from './use-object-text.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the object view. */
export interface ObjectViewContext {
  readonly mode: ObjectViewMode;
  readonly secret: boolean;
  readonly revealed: boolean;
  readonly searching: boolean;
  scroll(lines: number): void;
  page(pages: number): void;
  show(mode: ObjectViewMode): void;
  toggleReveal(): void;
  jump(step: 1 | -1): void;
  reload(): void;
}

const TITLE_LINES = 1;
const FOOTER_LINES = 1;

/** Keys of the object view; Esc (global) clears the search, then goes back. */
export const OBJECT_KEYMAP: Keymap<ObjectViewContext> = [
  { id: 'object.down', keys: ['j', 'down'], description: 'Scroll the text down a line', category: 'Navigation', action: (c) => c.scroll(1) },
  { id: 'object.up', keys: ['k', 'up'], description: 'Scroll the text up a line', category: 'Navigation', action: (c) => c.scroll(-1) },
  { id: 'object.pageDown', keys: ['pagedown', 'ctrl+f', 'space'], description: 'Page down through the text', category: 'Navigation', action: (c) => c.page(1) },
  { id: 'object.pageUp', keys: ['pageup', 'ctrl+b'], description: 'Page up through the text', category: 'Navigation', action: (c) => c.page(-1) },
  { id: 'object.top', keys: ['g', 'home'], description: 'First line', category: 'Navigation', action: (c) => c.scroll(Number.NEGATIVE_INFINITY) },
  { id: 'object.bottom', keys: ['G', 'end'], description: 'Last line', category: 'Navigation', action: (c) => c.scroll(Number.POSITIVE_INFINITY) },
  { id: 'object.yaml', keys: ['y'], description: 'Show the YAML', category: 'View', action: (c) => c.show('yaml'), visible: (c) => c.mode !== 'yaml', hint: 'yaml' },
  {
    id: 'object.describe',
    keys: ['d'],
    description: 'Show the describe',
    category: 'View',
    action: (c) => c.show('describe'),
    visible: (c) => c.mode !== 'describe',
    hint: 'describe',
  },
  { id: 'object.events', keys: ['e'], description: 'Show the events', category: 'View', action: (c) => c.show('events'), visible: (c) => c.mode !== 'events', hint: 'events' },
  {
    id: 'object.reveal',
    keys: ['X'],
    description: "Reveal the Secret's values in the YAML (again: mask them); they are never logged",
    category: 'View',
    action: (c) => c.toggleReveal(),
    visible: (c) => c.secret && c.mode === 'yaml',
    hint: 'reveal',
  },
  { id: 'object.nextMatch', keys: ['n'], description: 'Next line the / search matches', category: 'View', action: (c) => c.jump(1), visible: (c) => c.searching, hint: 'next' },
  { id: 'object.prevMatch', keys: ['N'], description: 'Previous line the / search matches', category: 'View', action: (c) => c.jump(-1), visible: (c) => c.searching },
  { id: 'object.reload', keys: ['ctrl+r'], description: 'Read the object again', category: 'View', action: (c) => c.reload(), hint: 'reload' },
];

const MODE_TITLES: Record<ObjectViewMode, string> = { yaml: 'YAML', describe: 'Describe', events: 'Events' };

/**
 * One object read whole from the API server: its YAML (a Secret's values masked until `X`),
 * its `kubectl describe`, or its events. Scrolls; `/` searches and highlights, `n`/`N` jump.
 */
export function ObjectView(): ReactElement {
  const shell = useShell();
  const params = isObjectViewParams(shell.params) ? shell.params : undefined;
  const [mode, setMode] = useState<ObjectViewMode>(params?.mode ?? 'yaml');
  const [revealed, setRevealed] = useState(false);
  const [top, setTop] = useState(0);
  const text = useObjectText(shell.callbacks.actions, params?.ref, mode, revealed);
  const height = Math.max(1, shell.height - TITLE_LINES - FOOTER_LINES);
  const lines = text.lines;
  const maxTop = Math.max(0, lines.length - height);
  const first = Math.min(top, maxTop);
  const matches = useMemo(() => matchingLines(lines, shell.filter), [lines, shell.filter]);
  const matched = useMemo(() => new Set(matches), [matches]);
  // A new search shows its first match from where the view is.
  const searched = useRef(shell.filter);
  if (searched.current !== shell.filter) {
    searched.current = shell.filter;
    const at = nextMatch(matches, first - 1, 1);
    if (at !== undefined && at !== top) setTop(Math.min(at, maxTop));
  }
  const scrollTo = (line: number) => setTop(Math.max(0, Math.min(maxTop, line)));
  // Relative to the latest position, so keys typed in one read add up.
  const scrollBy = (n: number) => setTop((t) => Math.max(0, Math.min(maxTop, Math.min(t, maxTop) + n)));

  const ctx: ObjectViewContext = {
    mode,
    secret: params !== undefined && holdsSecretValues(params.ref),
    revealed,
    searching: matches.length > 0,
    scroll: scrollBy,
    page: (n) => scrollBy(n * Math.max(1, height - 1)),
    show: (m) => {
      setMode(m);
      setTop(0);
    },
    toggleReveal: () => setRevealed((r) => !r),
    jump: (step) => {
      const at = nextMatch(matches, first, step);
      if (at !== undefined) scrollTo(at);
    },
    reload: text.reload,
  };
  useKeymap(OBJECT_KEYMAP, ctx, { scope: 'view' });

  const where = lines.length > height ? `lines ${first + 1}-${Math.min(lines.length, first + height)}/${lines.length}` : '';
  const search = shell.filter ? `[${shell.filter}] ${matches.length} match${matches.length === 1 ? '' : 'es'}` : '';
  const masked = ctx.secret && mode === 'yaml' ? (revealed ? 'values REVEALED (X masks)' : 'values masked (X reveals)') : '';
  const title = params ? `${MODE_TITLES[mode]} of ${refTitle(params.ref)}` : 'No object';
  return (
    <Box flexDirection="column" height={shell.height}>
      <Text bold wrap="truncate">
        {truncate([title, masked, search, where].filter(Boolean).join('  '), shell.width)}
      </Text>
      <Box flexDirection="column" height={height}>
        {!params ? (
          <Text color="yellow">no object to show: press y, d or e on a row</Text>
        ) : text.error ? (
          <Text color="red" wrap="wrap">
            {describeObjectError(params.ref, text.error)}
          </Text>
        ) : text.loading && lines.length === 0 ? (
          <Text dimColor>reading {refTitle(params.ref)}…</Text>
        ) : (
          lines.slice(first, first + height).map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a window that scrolls
            <Text key={first + i} wrap="truncate" color={matched.has(first + i) ? 'yellow' : undefined} inverse={matched.has(first + i)}>
              {line === '' ? ' ' : line}
            </Text>
          ))
        )}
      </Box>
      <ViewFooter keymap={OBJECT_KEYMAP} ctx={ctx} />
    </Box>
  );
}
