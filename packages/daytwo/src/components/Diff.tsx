import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { DiffLine } from '../domain/drift/diff-lines.js';
import { truncate } from '../domain/table.js';

export type { DiffLine } from '../domain/drift/diff-lines.js';

/** Props of {@link Diff}. */
export interface DiffProps {
  readonly lines: readonly DiffLine[];
  readonly title: string;
  /** Rows available, including the title line. */
  readonly height: number;
  readonly width: number;
  /** First line shown (scroll position); clamped to the lines there are. */
  readonly offset?: number;
}

const COLORS: Record<DiffLine['kind'], string | undefined> = { header: 'cyan', add: 'green', remove: 'red', context: undefined };

/** The first line a diff can start at without leaving rows empty. */
export function maxDiffOffset(lineCount: number, height: number): number {
  return Math.max(0, lineCount - Math.max(1, height - 1));
}

/**
 * A coloured diff: field paths in cyan, what is added (Git's side) in green, what goes (the
 * live side) in red; windowed to `height` rows from `offset`, with a position note on the
 * title line when it does not all fit.
 */
export function Diff({ lines, title, height, width, offset = 0 }: DiffProps): ReactElement {
  const room = Math.max(1, height - 1);
  const start = Math.min(Math.max(0, offset), maxDiffOffset(lines.length, height));
  const shown = lines.slice(start, start + room);
  const position = lines.length > room ? `  [${start + 1}-${start + shown.length} of ${lines.length}]` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {truncate(`${title}${position}`, width)}
      </Text>
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff window, redrawn together
        <Text key={start + i} color={COLORS[l.kind]} bold={l.kind === 'header'} wrap="truncate">
          {truncate(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}
