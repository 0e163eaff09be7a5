import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { humanDuration } from '../domain/format.js';
import type { RolloutStatus } from '../domain/rollout-status.js';
import { truncate } from '../domain/table.js';

/** Props of {@link RollbackProgress}. */
export interface RollbackProgressProps {
  /** e.g. `deployment.apps/web to revision 2`. */
  readonly what: string;
  /** Undefined until the controller has seen the rolled-back spec. */
  readonly status: RolloutStatus | undefined;
  readonly elapsedSeconds: number;
  readonly width: number;
}

/** Lines the progress panel uses. */
export const PROGRESS_LINES = 6;

const BAR_WIDTH = 20;

function bar(value: number, total: number): string {
  const filled = total <= 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.round((value / total) * BAR_WIDTH));
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

const STATE_COLOR: Record<string, string | undefined> = { complete: 'green', stalled: 'red', progressing: 'yellow', paused: 'yellow' };

/** The live rollout after a rollback: updated, ready and available against desired, until it completes or stalls. */
export function RollbackProgress({ what, status, elapsedSeconds, width }: RollbackProgressProps): ReactElement {
  const line = (label: string, value: number, total: number) =>
    truncate(`  ${label.padEnd(10)} ${`${value}/${total}`.padStart(7)}  ${bar(value, total)}`, width);
  const state = status?.state ?? 'progressing';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {truncate(`Rollout of ${what}: `, width)}
        <Text color={STATE_COLOR[state]}>{state}</Text>
        <Text dimColor>{` (${humanDuration(elapsedSeconds)})`}</Text>
      </Text>
      {status ? (
        <>
          <Text wrap="truncate">{line('updated', status.updated, status.desired)}</Text>
          <Text wrap="truncate">{line('ready', status.ready, status.desired)}</Text>
          <Text wrap="truncate">{line('available', status.available, status.desired)}</Text>
          <Text wrap="truncate" color={STATE_COLOR[state]}>
            {truncate(`  ${status.message}`, width)}
          </Text>
        </>
      ) : (
        <Text dimColor wrap="truncate">
          {truncate('  waiting for the controller to observe the rolled-back template...', width)}
        </Text>
      )}
    </Box>
  );
}
