import { Box, Text } from 'ink';
import { type ReactElement, useEffect, useMemo, useReducer, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Table, TABLE_CHROME_LINES } from '../components/Table.js';
import type { TableContext } from '../components/table-keymap.js';
import { diffLines, TemplateDiff } from '../components/TemplateDiff.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { planRollback, RollbackError, templateDiff } from '../domain/rollback.js';
import { ROLLBACK_IDLE, rollbackPhase } from '../domain/rollback-phase.js';
import { type HistorySources, rolloutHistory } from '../domain/rollout-history.js';
import { rolloutSettled, rolloutStatus } from '../domain/rollout-status.js';
import { truncate } from '../domain/table.js';
import {
  HISTORY_COLUMNS,
  type HistoryRow,
  historyRows,
  previousRevision,
  rollbackAccess,
  type WorkloadRef,
} from '../domain/workloads.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useAccess } from '../hooks/use-access.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { PROGRESS_LINES, RollbackProgress } from './RollbackProgress.js';
import { useShell } from './shell.js';
import { tableKeysWithoutR } from '../components/table-keymap.js';
import { ViewFooter } from './ViewFooter.js';
import { parseRollbackParams, type RollbackViewParams } from './rollback-params.js';

/** The key context of the rollback view. */
export interface RollbackContext extends TableContext {
  readonly hasSelection: boolean;
  /**
   * RBAC allows it and no rollback is being sent. The current revision may be chosen too:
   * kubectl then says it skipped the rollback, and so does the status line.
   */
  readonly canRollback: boolean;
  rollbackToSelected(): void;
  openLogs(): void;
}

/** Keys of the revision history and rollback view. */
export const ROLLBACK_KEYMAP: Keymap<RollbackContext> = [
  ...tableKeysWithoutR<RollbackContext>('rolls back'),
  {
    id: 'rollback.confirm',
    keys: ['r', 'enter', 'ctrl+l'],
    description: "Roll back to the selected revision (asks first, with the template diff); Ctrl-L is k9s's rollback key",
    category: 'View',
    action: (c) => c.rollbackToSelected(),
    visible: (c) => c.hasSelection && c.canRollback,
    dangerous: true,
    hint: 'roll back',
  },
  {
    id: 'rollback.logs',
    keys: ['l'],
    description: 'Logs of every pod of the workload',
    category: 'View',
    action: (c) => c.openLogs(),
    hint: 'logs',
  },
];

const STORE_KIND = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' } as const;
const SINGULAR = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset' } as const;
const FOOTER_LINES = 1;
/** Lines of the diff pane that are not diff lines: a blank separator. */
const PANE_GAP = 1;
const keyOfRow = (r: HistoryRow) => String(r.revision);
/** Diff lines repeated in the confirmation dialog; the full diff stays in the pane behind it. */
const MAX_DIALOG_LINES = 8;

/**
 * kubectl's refusal of `rollout undo` (the previous revision) for this workload, e.g.
 * `no rollout history found for deployment "cart"` when it has a single revision.
 */
function undoRefusal(workload: KubeObject | undefined, sources: HistorySources): string | undefined {
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
  const { stored, sources } = useAppStore(
    useShallow((s) => ({
      stored: s.objects[STORE_KIND[ref.kind]].get(`${ref.namespace}/${ref.name}`),
      sources: ref.kind === 'Deployment' ? s.objects.replicasets : s.objects.controllerrevisions,
    })),
  );
  const workload: KubeObject | undefined = useMemo(() => (stored ? { ...stored, kind: ref.kind } : undefined), [stored, ref.kind]);
  const historySources = useMemo(
    () => (ref.kind === 'Deployment' ? { replicaSets: [...sources.values()] } : { controllerRevisions: [...sources.values()] }),
    [sources, ref.kind],
  );
  const history = useMemo(() => (workload ? rolloutHistory(workload, historySources) : []), [workload, historySources]);
  const now = useNow(1000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` redraws the AGE cells
  const rows = useMemo(() => historyRows(history), [history, now]);
  const [initialKey] = useState(() => {
    const revision = params.mode === 'rollback' ? previousRevision(history) : history.find((h) => h.current)?.revision;
    return revision === undefined ? undefined : String(revision);
  });
  const [phase, dispatchPhase] = useReducer(rollbackPhase, ROLLBACK_IDLE);
  // `r` in the Workloads view asks for kubectl's `rollout undo`: say at once when kubectl would refuse it.
  const [openingRefusal] = useState(() => (params.mode === 'rollback' ? undoRefusal(workload, historySources) : undefined));
  useEffect(() => {
    if (openingRefusal) store.getState().pushMessage('error', openingRefusal);
  }, [openingRefusal, store]);

  const bodyHeight = shell.height - FOOTER_LINES;
  const tableHeight = Math.max(3, Math.min(rows.length + TABLE_CHROME_LINES, Math.floor(bodyHeight / 2)));
  const table = useTable({
    rows,
    columns: HISTORY_COLUMNS,
    keyOf: keyOfRow,
    filter: shell.filter,
    height: tableHeight - TABLE_CHROME_LINES,
    width: shell.width,
    initialSort: { column: 'revision', descending: true },
    initialKey,
  });
  const selected = table.selected;
  const changes = useMemo(
    () => (workload && selected ? templateDiff(workload.spec?.template, selected.entry.template) : []),
    [workload, selected],
  );

  const actions = shell.callbacks.actions;
  const queries = useMemo(() => rollbackAccess(ref), [ref]);
  const access = useAccess(actions, queries);
  const denied = access.state === 'denied' ? access : undefined;
  const allowed = actions !== undefined && access.state === 'allowed';

  const rollbackToSelected = () => {
    if (!workload || !selected || !actions || phase.state === 'sending') return;
    const revision = selected.revision;
    let plan: ReturnType<typeof planRollback>;
    try {
      plan = planRollback(workload, historySources, revision);
    } catch (err) {
      store.getState().pushMessage('error', err instanceof RollbackError ? err.message : String(err));
      return;
    }
    if (plan.noop) {
      store.getState().pushMessage('info', `${resource} ${plan.noop}`);
      return;
    }
    const lines = diffLines(changes).map((l) => l.text);
    shell.confirm({
      title: `Roll back ${resource} to revision ${revision}?`,
      body: [
        `${plan.summary} in namespace ${ref.namespace}`,
        ...lines.slice(0, MAX_DIALOG_LINES),
        ...(lines.length > MAX_DIALOG_LINES ? [`… ${lines.length - MAX_DIALOG_LINES} more lines (see the diff behind)`] : []),
      ],
      confirmLabel: 'Roll back',
      dangerous: true,
      onConfirm: () => {
        dispatchPhase({ type: 'send', revision, generationBefore: Number(workload.metadata.generation ?? 0) });
        actions.rollback(ref, revision).then(
          (line) => {
            store.getState().pushMessage('info', line);
            dispatchPhase({ type: 'answered', skipped: line.includes('skipped rollback'), at: Date.now() });
          },
          (err: unknown) => {
            store.getState().pushMessage('error', err instanceof Error ? err.message : String(err));
            dispatchPhase({ type: 'failed' });
          },
        );
      },
    });
  };

  const ctx: RollbackContext = {
    table,
    hasSelection: selected !== undefined,
    canRollback: allowed && selected !== undefined && phase.state !== 'sending',
    rollbackToSelected,
    openLogs: () => shell.openView('logs', ref),
  };
  useKeymap(ROLLBACK_KEYMAP, ctx, { scope: 'view' });

  const progressStatus =
    workload && phase.state === 'progress' && Number(workload.metadata.generation ?? 0) > phase.generationBefore
      ? rolloutStatus(workload)
      : undefined;
  const settledNow = progressStatus !== undefined && rolloutSettled(progressStatus);
  useEffect(() => {
    if (settledNow) dispatchPhase({ type: 'settled', at: Date.now() });
  }, [settledNow]);

  if (!workload) {
    return <NoWorkload message={`${resource} in ${ref.namespace}: not found (yet).`} />;
  }
  const paneHeight = Math.max(1, bodyHeight - tableHeight - PANE_GAP - 1);
  const elapsedMs = phase.state === 'progress' ? (phase.settledAt ?? (settledNow ? Date.now() : now)) - phase.startedAt : 0;
  const title = `${params.mode === 'rollback' ? 'Roll back' : 'History of'} ${resource} in ${ref.namespace}`;
  const notice = denied
    ? `rollback not allowed: ${denied.reason ?? 'RBAC denies it'}`
    : !actions
      ? 'read from the store only: no cluster session'
      : undefined;
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table table={table} title={title} width={shell.width} emptyText="No rollout history found." rowColor={(r: HistoryRow) => (r.current ? 'green' : undefined)} />
        <Text wrap="truncate" dimColor>
          {truncate(notice ?? '', shell.width)}
        </Text>
        {phase.state === 'progress' && paneHeight >= PROGRESS_LINES - 1 ? (
          <RollbackProgress
            what={`${resource} to revision ${phase.revision}`}
            status={progressStatus}
            elapsedSeconds={Math.max(0, elapsedMs) / 1000}
            width={shell.width}
          />
        ) : phase.state === 'sending' ? (
          <Text color="yellow">{truncate(`Rolling back ${resource} to revision ${phase.revision}...`, shell.width)}</Text>
        ) : (
          <TemplateDiff
            changes={changes}
            height={paneHeight}
            width={shell.width}
            title={selected ? `Pod template: current → revision ${selected.revision}${selected.current ? ' (current)' : ''}` : 'Pod template'}
          />
        )}
      </Box>
      <ViewFooter keymap={ROLLBACK_KEYMAP} ctx={ctx} />
    </Box>
  );
}
