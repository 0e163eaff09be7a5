import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { drainProgressCounts, drainProgressItems } from '../domain/drain-text.js';
import { truncate } from '../domain/table.js';
import type { Operation } from '../domain/operations.js';

const STATE_COLOR: Readonly<Record<string, string>> = {
  'waiting-for-pdb': 'yellow',
  evicting: 'cyan',
  terminating: 'cyan',
  terminated: 'green',
  'running-elsewhere': 'green',
  drained: 'green',
  failed: 'red',
  blocked: 'red',
  'not-evicted': 'red',
  unknown: 'yellow',
};

/** Rows the panel needs for an operation, at most `max`: the status line and one per item. */
export function drainProgressHeight(op: Operation | undefined, max: number): number {
  if (!op) return 0;
  return Math.min(max, 1 + drainProgressItems(op).length);
}

/** The live progress of a drain: a status line, then each node and pod with its state. */
export function DrainProgress({ op, width, height }: { readonly op: Operation; readonly width: number; readonly height: number }): ReactElement {
  const counts = drainProgressCounts(op);
  const items = drainProgressItems(op);
  const shown = items.slice(0, Math.max(0, height - 1));
  const status =
    op.state === 'running'
      ? `Draining ${op.target}: ${counts.moved} moved, ${counts.waiting} waiting for a PDB, ${counts.inFlight} in progress  (Esc cancels; the node stays cordoned)`
      : `${op.message ?? `drain ${op.state}`}  (Esc closes)`;
  const color = op.state === 'running' ? 'cyan' : op.state === 'succeeded' ? 'green' : op.state === 'cancelled' ? 'yellow' : 'red';
  const keyWidth = Math.min(48, Math.max(...shown.map((i) => i.key.length), 10));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color={color} wrap="truncate">
        {truncate(status, width)}
      </Text>
      {shown.map((item) => (
        <Text key={item.key} color={STATE_COLOR[item.state]} wrap="truncate">
          {truncate(`  ${item.key.padEnd(keyWidth)}  ${item.state.padEnd(17)} ${item.message ?? ''}`, width)}
        </Text>
      ))}
    </Box>
  );
}
