import { Box, Text } from 'ink';
import { type ReactElement, useEffect, useMemo, useState } from 'react';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TemplateDiff } from '../components/TemplateDiff.js';
import { planRollback, RollbackError, type TemplateChange, templateDiff } from '../domain/rollback.js';
import type { HistorySources, RolloutWorkload } from '../domain/rollout-history.js';
import { truncate } from '../domain/table.js';
import { HISTORY_COLUMNS, type HistoryRow, historyRows, previousRevision, rollbackAccess, type WorkloadRef } from '../domain/workloads.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { accessNotice } from '../store/access-verdict.js';
import { PROGRESS_LINES, RollbackProgress } from './RollbackProgress.js';
import { ROLLBACK_KEYMAP, type RollbackContext } from './rollback-keymap.js';
import { parseRollbackParams, type RollbackViewParams } from './rollback-params.js';
import { useShell } from './shell.js';
import { type RollbackRun, useRollbackRun } from './use-rollback-run.js';
import { useWorkloadHistory } from './use-workload-history.js';
import { ViewFooter } from './ViewFooter.js';

export { ROLLBACK_KEYMAP, type RollbackContext } from './rollback-keymap.js';

const SINGULAR = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset' } as const;
const FOOTER_LINES = 1;
/** Lines of the diff pane that are not diff lines: a blank separator. */
const PANE_GAP = 1;
const keyOfRow = (r: HistoryRow) => String(r.revision);

/**
 * kubectl's refusal of `rollout undo` (the previous revision) for this workload, e.g.
 * `no rollout history found for deployment "cart"` when it has a single revision.
 */
function undoRefusal(workload: RolloutWorkload | undefined, sources: HistorySources): string | undefined {
  if (!workload) return undefined;
  try {
    planRollback(workload, sources, 0);
    return undefined;
  } catch (err) {
    return err instanceof RollbackError ? err.message : undefined;
  }
}

/** The view's top lines when the params name no workload. */
function NoWorkload({ message }: { readonly message: string }): ReactElement {
  const shell = useShell();
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexGrow={1}>
        <Text color="yellow">{message}</Text>
      </Box>
      <ViewFooter keymap={[]} ctx={{}} />
    </Box>
  );
}

/**
 * The revision history of one workload (revision, change-cause, images, age, and the
 * ReplicaSet's ready pods for a Deployment) with the pod template diff between the current
 * revision and the one under the cursor; `r` rolls back to it after a confirmation, then
 * the rollout's progress is shown live from the store until it completes or stalls.
 */
export function RollbackView(): ReactElement {
  const shell = useShell();
  const [params] = useState(() => parseRollbackParams(shell.params));
  if (!params) return <NoWorkload message="No workload: open a revision history from the Workloads view (Enter or Ctrl-L), or :history KIND/NAME." />;
  return <WorkloadHistory params={params} />;
}

function WorkloadHistory({ params }: { readonly params: RollbackViewParams }): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const ref: WorkloadRef = useMemo(() => ({ kind: params.kind, namespace: params.namespace, name: params.name }), [params]);
  const resource = `${SINGULAR[ref.kind]}.apps/${ref.name}`;
  const { workload, historySources, history } = useWorkloadHistory(ref);
  const now = useNow(1000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` redraws the AGE cells
  const rows = useMemo(() => historyRows(history), [history, now]);
  const [initialKey] = useState(() => {
    const revision = params.mode === 'rollback' ? previousRevision(history) : history.find((h) => h.current)?.revision;
    return revision === undefined ? undefined : String(revision);
  });
  // `r` in the Workloads view asks for kubectl's `rollout undo`: say at once when kubectl would refuse it.
  const [openingRefusal] = useState(() => (params.mode === 'rollback' ? undoRefusal(workload, historySources) : undefined));
  useEffect(() => {
    if (openingRefusal) store.getState().pushMessage('error', openingRefusal);
  }, [openingRefusal, store]);
  const bodyHeight = shell.height - FOOTER_LINES;
  const tableHeight = Math.max(3, Math.min(rows.length + TABLE_CHROME_LINES, Math.floor(bodyHeight / 2)));
  const table = useTable({ rows, columns: HISTORY_COLUMNS, keyOf: keyOfRow, filter: shell.filter, height: tableHeight - TABLE_CHROME_LINES, width: shell.width, initialSort: { column: 'revision', descending: true }, initialKey });
  const selected = table.selected;
  const changes = useMemo(() => (workload && selected ? templateDiff(workload.spec?.template, selected.entry.template) : []), [workload, selected]);
  const actions = shell.callbacks.actions;
  const access = useAccess(actions, useMemo(() => rollbackAccess(ref), [ref]));
  const run = useRollbackRun(ref, resource, workload, historySources);
  const ctx: RollbackContext = {
    table,
    hasSelection: selected !== undefined,
    canRollback: actions !== undefined && access.state === 'allowed' && selected !== undefined && run.phase.state !== 'sending',
    rollbackToSelected: () => {
      const row = table.selected;
      if (row) run.rollbackTo(row);
    },
    openLogs: () => shell.openView('logs', ref),
  };
  useKeymap(ROLLBACK_KEYMAP, ctx, { scope: 'view' });
  if (!workload) return <NoWorkload message={`${resource} in ${ref.namespace}: not found (yet).`} />;
  const title = `${params.mode === 'rollback' ? 'Roll back' : 'History of'} ${resource} in ${ref.namespace}`;
  const notice = accessNotice(access, 'rollback') ?? (!actions ? 'read from the store only: no cluster session' : '');
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table table={table} title={title} width={shell.width} emptyText="No rollout history found." rowColor={(r: HistoryRow) => (r.current ? 'green' : undefined)} />
        <Text wrap="truncate" dimColor>
          {truncate(notice, shell.width)}
        </Text>
        <RollbackPane run={run} resource={resource} changes={changes} selected={selected} now={now} height={Math.max(1, bodyHeight - tableHeight - PANE_GAP - 1)} width={shell.width} />
      </Box>
      <ViewFooter keymap={ROLLBACK_KEYMAP} ctx={ctx} />
    </Box>
  );
}

interface RollbackPaneProps {
  readonly run: RollbackRun;
  readonly resource: string;
  readonly changes: readonly TemplateChange[];
  readonly selected: HistoryRow | undefined;
  readonly now: number;
  readonly height: number;
  readonly width: number;
}

/** Below the history: the rollout's progress after a rollback, else the pod template diff of the selected revision. */
function RollbackPane({ run, resource, changes, selected, now, height, width }: RollbackPaneProps): ReactElement {
  const { phase } = run;
  if (phase.state === 'progress' && height >= PROGRESS_LINES - 1) {
    const elapsedMs = (phase.settledAt ?? (run.settled ? Date.now() : now)) - phase.startedAt;
    return <RollbackProgress what={`${resource} to revision ${phase.revision}`} status={run.progress} elapsedSeconds={Math.max(0, elapsedMs) / 1000} width={width} />;
  }
  if (phase.state === 'sending') return <Text color="yellow">{truncate(`Rolling back ${resource} to revision ${phase.revision}...`, width)}</Text>;
  const title = selected ? `Pod template: current → revision ${selected.revision}${selected.current ? ' (current)' : ''}` : 'Pod template';
  return <TemplateDiff changes={changes} height={height} width={width} title={title} />;
}
