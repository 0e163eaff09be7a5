import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { Operation, OperationItem } from '../domain/operations.js';
import { truncate } from '../domain/table.js';

const STATE_COLOR: Readonly<Record<string, string>> = {
  cordoned: 'yellow',
  draining: 'cyan',
  gating: 'cyan',
  done: 'green',
  failed: 'red',
  evicting: 'cyan',
  'waiting-for-pdb': 'yellow',
  evicted: 'green',
};

/** Nodes first (in pool order), then pods, newest first: what is moving now stays in sight. */
function rows(op: Operation): OperationItem[] {
  const nodes = op.items.filter((i) => i.key.startsWith('node/'));
  const pods = op.items.filter((i) => !i.key.startsWith('node/')).reverse();
  return [...nodes, ...pods];
}

/** Rows the panel needs, at most `max`: the status line and one per node and pod. */
export function migrationProgressHeight(op: Operation | undefined, max: number): number {
  return op ? Math.min(max, 1 + op.items.length) : 0;
}

function statusLine(op: Operation): string {
  const nodes = op.items.filter((i) => i.key.startsWith('node/'));
  const done = nodes.filter((i) => i.state === 'done').length;
  if (op.state !== 'running') return `${op.message ?? `migration ${op.state}`}  (Esc closes)`;
  // A pause takes effect before the next node: until then the current node's drain and gate go on.
  const current = nodes.find((i) => i.state === 'draining' || i.state === 'gating');
  const verb = !op.paused ? 'Migrating' : current ? 'Pausing' : 'Paused';
  const head = `${verb} ${op.target}${op.paused && current ? ` after ${current.key}` : ''}: ${done}/${nodes.length} nodes done`;
  const message = op.message && !op.paused ? `; ${op.message}` : '';
  return `${head}${message}  (p ${op.paused ? 'resumes' : 'pauses'}, Esc aborts)`;
}

/** The live progress of a node pool migration: a status line, each node's step and each pod's eviction. */
export function MigrationProgress({ op, width, height }: { readonly op: Operation; readonly width: number; readonly height: number }): ReactElement {
  const shown = rows(op).slice(0, Math.max(0, height - 1));
  const color = op.state === 'running' ? (op.paused ? 'yellow' : 'cyan') : op.state === 'succeeded' ? 'green' : op.state === 'cancelled' ? 'yellow' : 'red';
  const keyWidth = Math.min(48, Math.max(...shown.map((i) => i.key.length), 10));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color={color} wrap="truncate">
        {truncate(statusLine(op), width)}
      </Text>
      {shown.map((item) => (
        <Text key={item.key} color={STATE_COLOR[item.state]} wrap="truncate">
          {truncate(`  ${item.key.padEnd(keyWidth)}  ${item.state.padEnd(16)} ${item.message ?? ''}`, width)}
        </Text>
      ))}
    </Box>
  );
}
