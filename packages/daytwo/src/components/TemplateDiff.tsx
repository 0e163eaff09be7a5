import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { TemplateChange } from '../domain/rollback.js';
import { truncate } from '../domain/table.js';

/** Props of {@link TemplateDiff}. */
export interface TemplateDiffProps {
  /** The changed fields, as `templateDiff(current, target)` lists them. */
  readonly changes: readonly TemplateChange[];
  /** Rows available, including the title line. */
  readonly height: number;
  readonly width: number;
  readonly title: string;
}

/** One line per side of a change: `- path: old` (red) and `+ path: new` (green). */
export function diffLines(changes: readonly TemplateChange[]): { text: string; sign: '-' | '+' }[] {
  const lines: { text: string; sign: '-' | '+' }[] = [];
  for (const c of changes) {
    if (c.from !== undefined) lines.push({ sign: '-', text: `- ${c.path}: ${c.from}` });
    if (c.to !== undefined) lines.push({ sign: '+', text: `+ ${c.path}: ${c.to}` });
  }
  return lines;
}

/**
 * The pod template diff between the current revision and a target, clipped to `height`
 * rows (the last line says how many more there are).
 */
export function TemplateDiff({ changes, height, width, title }: TemplateDiffProps): ReactElement {
  const lines = diffLines(changes);
  const room = Math.max(0, height - 1);
  const shown = lines.length > room ? lines.slice(0, Math.max(0, room - 1)) : lines;
  const hidden = lines.length - shown.length;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      {lines.length === 0 ? <Text dimColor>{truncate('  no change to the pod template', width)}</Text> : null}
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff, redrawn together
        <Text key={i} color={l.sign === '-' ? 'red' : 'green'} wrap="truncate">
          {truncate(l.text, width)}
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor>{truncate(`  … ${hidden} more lines`, width)}</Text> : null}
    </Box>
  );
}
