import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import { selectParam } from '../domain/health.js';
import { workloadObjectRef } from '../domain/object-ref.js';
import { truncate } from '../domain/table.js';
import {
  createWorkloadRowCache,
  rollbackAccess,
  WORKLOAD_COLUMNS,
  type WorkloadRef,
  type WorkloadRow,
  workloadRows,
} from '../domain/workloads.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { accessNotice } from '../store/access-verdict.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import type { RollbackViewParams } from './rollback-params.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { useSourceNotice } from './use-source-notice.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Workloads view. */
export interface WorkloadsContext extends TableContext, ObjectKeyContext {
  /** Whether RBAC allows rolling back the workload under the cursor (asked with SelfSubjectAccessReview). */
  readonly canRollback: boolean;
  /** Why Ctrl-L cannot run for the workload under the cursor, while it cannot. */
  readonly rollbackUnavailable?: string;
  readonly hasSelection: boolean;
  openHistory(): void;
  openRollback(): void;
  openLogs(): void;
}

/** How often ages are redrawn when nothing else changes. */
const AGE_REFRESH_MS = 10_000;
const FOOTER_LINES = 1;
/** A line under the table says why Ctrl-L is not offered when RBAC denies it; reserved so rows do not jump. */
const NOTE_LINES = 1;

/** Keys of the Workloads view. */
export const WORKLOADS_KEYMAP: Keymap<WorkloadsContext> = [
  ...tableKeysWithoutR<WorkloadsContext>('restarts'),
  {
    id: 'workloads.history',
    keys: ['enter'],
    description: 'Revision history of the workload, with the template diff of each revision',
    category: 'View',
    action: (c) => c.openHistory(),
    visible: (c) => c.hasSelection,
    hint: 'history',
  },
  {
    id: 'workloads.rollback',
    keys: ['ctrl+l'],
    description: "Roll back: pick a revision (the previous one is preselected), see the diff, confirm (k9s's rollback key)",
    category: 'View',
    action: (c) => c.openRollback(),
    visible: (c) => c.hasSelection && c.canRollback,
    unavailable: (c) => c.rollbackUnavailable,
    dangerous: true,
    hint: 'rollback',
  },
  {
    id: 'workloads.logs',
    keys: ['l'],
    description: 'Logs of every pod of the workload',
    category: 'View',
    action: (c) => c.openLogs(),
    visible: (c) => c.hasSelection,
    hint: 'logs',
  },
  ...objectKeyBindings<WorkloadsContext>('workloads', { workloadActions: true, portForward: true }),
];

const keyOfRow = (r: WorkloadRow) => r.key;

function rowColor(r: WorkloadRow): string | undefined {
  switch (r.status.state) {
    case 'stalled':
      return 'red';
    case 'progressing':
    case 'paused':
      return 'yellow';
    default:
      return undefined;
  }
}

const refOf = (r: WorkloadRow): WorkloadRef => ({ kind: r.kind, namespace: r.namespace, name: r.name });

/** What the Workloads table is computed from. */
const WORKLOAD_SOURCE_KINDS = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'controllerrevisions'] as const;

/**
 * Deployments, StatefulSets and DaemonSets with their counts, current revision, images and
 * rollout status; follows the console's namespace scope. `Enter` shows the revision
 * history, Ctrl-L rolls back, `l` opens the logs; `r` restarts and `s` scales, as in k9s.
 */
export function WorkloadsView(): ReactElement {
  const shell = useShell();
  const { deployments, statefulsets, daemonsets, replicasets, controllerrevisions, scope } = useAppStore(
    useShallow((s) => ({
      deployments: s.objects.deployments,
      statefulsets: s.objects.statefulsets,
      daemonsets: s.objects.daemonsets,
      replicasets: s.objects.replicasets,
      controllerrevisions: s.objects.controllerrevisions,
      scope: s.scope,
    })),
  );
  const now = useNow(AGE_REFRESH_MS);
  const [cache] = useState(createWorkloadRowCache);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` redraws the AGE cells
  const rows = useMemo(
    () => workloadRows({ deployments, statefulsets, daemonsets, replicasets, controllerrevisions }, scope, cache),
    [deployments, statefulsets, daemonsets, replicasets, controllerrevisions, scope, cache, now],
  );
  // REV comes from ReplicaSets and ControllerRevisions: `?` when those cannot be listed.
  const source = useSourceNotice(WORKLOAD_COLUMNS, WORKLOAD_SOURCE_KINDS, { replicasets: ['revision'], controllerrevisions: ['revision'] });
  const table = useTable({
    rows,
    columns: source.columns,
    keyOf: keyOfRow,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES - NOTE_LINES,
    width: shell.width,
    initialSort: { column: 'namespace', descending: false },
    // Opened on one row (Enter on an alert in the Health view).
    initialKey: selectParam(shell.params),
  });
  const selected = table.selected;
  const actions = shell.callbacks.actions;
  // Keyed on the row's identity, not the row object (rebuilt on every store flush).
  const [kind, namespace, name] = selected ? [selected.kind, selected.namespace, selected.name] : [];
  const queries = useMemo(() => (kind && namespace && name ? rollbackAccess({ kind, namespace, name }) : []), [kind, namespace, name]);
  const access = useAccess(actions, queries);
  const refusal = accessNotice(access, 'rollback', selected?.name ?? 'this workload');

  // Read when the key arrives: a key typed right after a cursor move acts on the row it selected.
  const open = (mode: RollbackViewParams['mode']) => {
    const row = table.selected;
    if (row) shell.openView('rollback', { ...refOf(row), mode } satisfies RollbackViewParams);
  };
  const objectActions = useObjectActions(() => {
    const row = table.selected;
    return row ? { ref: workloadObjectRef(row), replicas: row.desired } : undefined;
  });
  const ctx: WorkloadsContext = {
    table,
    objectActions,
    hasSelection: selected !== undefined,
    canRollback: actions !== undefined && access.state === 'allowed',
    rollbackUnavailable: !selected || !actions
      ? undefined
      : (refusal ?? `rollback of ${selected.name}: still checking access (SelfSubjectAccessReview), try again in a moment`),
    openHistory: () => open('history'),
    openRollback: () => open('rollback'),
    openLogs: () => {
      const row = table.selected;
      if (row) shell.openView('logs', refOf(row));
    },
  };
  useKeymap(WORKLOADS_KEYMAP, ctx, { scope: 'view' });
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title={`Workloads${scope ? ` in ${scope}` : ''}`}
          width={shell.width}
          emptyText={
            source.denied.length > 0 ? `${source.denied.join(', ')}: not permitted` : 'no deployments, statefulsets or daemonsets (yet)'
          }
          rowColor={rowColor}
          notice={source.notice}
        />
      </Box>
      {refusal ? (
        <Text wrap="truncate" dimColor>
          {truncate(`Ctrl-L: ${refusal}`, shell.width)}
        </Text>
      ) : null}
      <ViewFooter keymap={WORKLOADS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
