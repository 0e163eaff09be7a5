import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { Diff } from '../components/Diff.js';
import { Table } from '../components/Table.js';
import type { DiffLine } from '../domain/drift/diff-lines.js';
import { describeSource } from '../domain/drift/header.js';
import { DRIFT_STATUSES, type DriftItem, type DriftStatus } from '../domain/drift/types.js';
import { truncate } from '../domain/table.js';
import type { TableController } from '../hooks/use-table.js';
import type { DriftState } from '../store/drift.js';
import type { StatusFilter } from './drift-keymap.js';
import { driftObjectName } from './drift-sync.js';

export const STATUS_COLORS: Record<DriftStatus, string> = { Synced: 'green', OutOfSync: 'yellow', Missing: 'red', Extra: 'magenta' };

/** Rows of {@link DriftHeader}: the source line, the counts line, the notice line. */
export const DRIFT_HEADER_LINES = 3;

interface DriftHeaderProps {
  readonly state: DriftState;
  readonly counts: Readonly<Record<DriftStatus, number>>;
  readonly filter: StatusFilter;
  /** What is wrong (access denied, manifests not compared); empty when nothing is. */
  readonly notice: string;
  readonly now: number;
  readonly width: number;
}

/** Where Git was read from and when, the counts per status, and what went wrong. */
export function DriftHeader({ state, counts, filter, notice, now, width }: DriftHeaderProps): ReactElement {
  const source =
    state.phase === 'error'
      ? `Git: ${state.error ?? 'cannot read the source'}`
      : state.source
        ? `Git: ${describeSource(state.source, now)}`
        : 'Git: reading…';
  return (
    <>
      <Text wrap="truncate" color={state.phase === 'error' ? 'red' : state.source?.dirty ? 'yellow' : undefined}>
        {truncate(`${source}${state.refreshing ? '  (comparing…)' : ''}`, width)}
      </Text>
      <Box gap={2}>
        {DRIFT_STATUSES.map((s) => (
          <Text key={s} color={STATUS_COLORS[s]} inverse={filter === s} bold={counts[s] > 0 && s !== 'Synced'}>
            {`${s} ${counts[s]}`}
          </Text>
        ))}
        <Text dimColor>{`showing: ${filter}`}</Text>
      </Box>
      <Text wrap="truncate" color={notice ? 'red' : undefined}>
        {truncate(notice, width)}
      </Text>
    </>
  );
}

interface DriftBodyProps {
  readonly state: DriftState;
  readonly table: TableController<DriftItem>;
  readonly filter: StatusFilter;
  readonly scope: string | undefined;
  readonly diff: { readonly item: DriftItem; readonly lines: readonly DiffLine[]; readonly offset: number } | undefined;
  readonly errorLines: readonly string[];
  readonly paneHeight: number;
  readonly height: number;
  readonly width: number;
}

/** The open diff, or the table with the pane of manifests not compared. */
export function DriftBody({ state, table, filter, scope, diff, errorLines, paneHeight, height, width }: DriftBodyProps): ReactElement {
  if (diff) {
    const title = `${driftObjectName(diff.item)} (${diff.item.status}): Git (+) versus live (-)`;
    return <Diff lines={diff.lines} title={title} height={height} width={width} offset={diff.offset} />;
  }
  const empty =
    state.phase === 'loading'
      ? 'comparing Git with the cluster…'
      : state.items.length === 0
        ? 'nothing declared in Git'
        : `no ${filter === 'all' ? '' : `${filter} `}objects${scope ? ` in ${scope}` : ''}`;
  return (
    <>
      <Table
        table={table}
        title={`Drift${filter === 'all' ? '' : ` (${filter})`}${scope ? ` in ${scope}` : ''}`}
        width={width}
        emptyText={empty}
        rowColor={(r: DriftItem) => (r.status === 'Synced' ? undefined : STATUS_COLORS[r.status])}
      />
      {paneHeight > 0 ? (
        <Box flexDirection="column">
          <Text bold>Not compared:</Text>
          {errorLines.slice(0, paneHeight - 1).map((l) => (
            <Text key={l} color="red" wrap="truncate">
              {truncate(`  ${l}`, width)}
            </Text>
          ))}
        </Box>
      ) : null}
    </>
  );
}
