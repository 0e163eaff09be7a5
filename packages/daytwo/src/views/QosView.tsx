import type { QosClass } from '@daytwo/k8s/qos.js';
import { Box } from 'ink';
import { type ReactElement, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { storeRef } from '../domain/object-ref.js';
import { QOS_POD_COLUMNS, type QosPodRow, rowsInNamespace, summarizeQosTallies } from '../domain/qos-summary.js';
import type { SortSpec } from '../domain/table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTable } from '../hooks/use-table.js';
import type { AppStore } from '../store/app-store.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import type { QosPodParams } from './QosPodView.js';
import { QosSummaryPanel, SUMMARY_CHROME_LINES, summaryPanelHeight } from './QosSummaryPanel.js';
import { qosIndexOf } from './qos-index.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the QoS view. */
export interface QosContext extends TableContext, ObjectKeyContext {
  openDetail(): void;
  /** All classes, then each class in eviction order, then all again. */
  cycleClass(): void;
  showAllClasses(): void;
  toggleMemoryGaps(): void;
  openLogs(): void;
}

/** Lines of the view's footer. */
const FOOTER_LINES = 1;

/** The class filter after `c`: all, Guaranteed, Burstable, BestEffort, all. */
const CLASS_CYCLE: readonly (QosClass | undefined)[] = [undefined, 'Guaranteed', 'Burstable', 'BestEffort'];

/** Keys of the QoS view: the table's, the class filters, the pod detail and the pod's logs. */
export const QOS_KEYMAP: Keymap<QosContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'qos.detail',
    keys: ['enter'],
    description: 'Pod detail: containers, QoS rules, eviction order (Esc comes back here)',
    category: 'View',
    action: (c) => c.openDetail(),
    hint: 'detail',
  },
  {
    id: 'qos.class',
    keys: ['c'],
    description: 'Filter by class: all, Guaranteed, Burstable, BestEffort in turn',
    category: 'View',
    action: (c) => c.cycleClass(),
    hint: 'class',
  },
  {
    id: 'qos.allClasses',
    keys: ['a'],
    description: 'Show every class and pod again (clear the class and memory-limit filters)',
    category: 'View',
    action: (c) => c.showAllClasses(),
  },
  {
    id: 'qos.memoryGaps',
    keys: ['m'],
    description: 'Only pods with a container that has no memory limit (again: all pods)',
    category: 'View',
    action: (c) => c.toggleMemoryGaps(),
    hint: 'no-mem-limit',
  },
  {
    id: 'qos.logs',
    keys: ['l'],
    description: 'Logs of the pod under the cursor',
    category: 'View',
    action: (c) => c.openLogs(),
    hint: 'logs',
  },
  ...objectKeyBindings<QosContext>('qos', { podActions: true, portForward: true }),
];

/** What the list keeps while the pod detail (or any other view) is shown, per console. */
interface QosListState {
  readonly classFilter?: QosClass;
  readonly memoryGaps: boolean;
  readonly sort?: SortSpec;
  readonly selectedKey?: string;
}

// The shell unmounts a view it leaves; Esc back from the detail should find the list as it was.
const savedLists = new WeakMap<AppStore, QosListState>();

const keyOfRow = (r: QosPodRow) => r.key;

function rowColor(r: QosPodRow): string | undefined {
  if (r.mismatch) return 'red';
  return r.qosClass === 'BestEffort' ? 'yellow' : undefined;
}

/**
 * Every pod's QoS class with the rule that made it, under a per-namespace summary of
 * classes, memory-limit and request gaps and LimitRange defaults. Follows the console's
 * namespace scope; `Enter` opens the pod's detail (the `qos-pod` view).
 */
export function QosView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const { pods, limitranges, scope, podsDenied, limitRangesDenied } = useAppStore(
    useShallow((s) => ({
      pods: s.objects.pods,
      limitranges: s.objects.limitranges,
      scope: s.scope,
      podsDenied: s.connection.pods.state === 'forbidden',
      limitRangesDenied: s.connection.limitranges.state === 'forbidden',
    })),
  );
  const [saved] = useState(() => savedLists.get(store));
  const [classFilter, setClassFilter] = useState<QosClass | undefined>(saved?.classFilter);
  const [memoryGaps, setMemoryGaps] = useState(saved?.memoryGaps ?? false);
  const indexOf = qosIndexOf(store);

  // Updated from the pods each flush changed (domain/qos-summary.ts createQosIndex), not rebuilt over every pod.
  const index = useMemo(() => indexOf(pods), [indexOf, pods]);
  const inScope = useMemo(() => rowsInNamespace(index.rows, scope), [index, scope]);
  const summaries = useMemo(() => summarizeQosTallies(index.tallies, limitranges.values(), scope), [index, limitranges, scope]);
  const rows = useMemo(
    () =>
      classFilter === undefined && !memoryGaps
        ? inScope
        : inScope.filter((r) => (classFilter === undefined || r.qosClass === classFilter) && (!memoryGaps || r.withoutMemoryLimit)),
    [inScope, classFilter, memoryGaps],
  );

  const bodyHeight = shell.height - FOOTER_LINES;
  // The summary gets up to a third of the screen; the pod list keeps the rest.
  const summaryRows = Math.max(2, Math.floor(bodyHeight / 3) - SUMMARY_CHROME_LINES);
  const summaryHeight = summaryPanelHeight(summaries.length, summaryRows);
  const table = useTable({
    rows,
    columns: QOS_POD_COLUMNS,
    keyOf: keyOfRow,
    filter: shell.filter,
    height: Math.max(1, bodyHeight - summaryHeight - TABLE_CHROME_LINES),
    width: shell.width,
    initialSort: saved?.sort ?? { column: 'namespace', descending: false },
    initialKey: saved?.selectedKey,
    // Rows come from the console's QoS index (qos-index.ts), are replaced when their pod changes, and have no age column.
    stableRows: true,
  });

  const latest = useRef<QosListState>({ memoryGaps });
  latest.current = { classFilter, memoryGaps, sort: table.sort, selectedKey: table.selected?.key };
  useEffect(() => () => void savedLists.set(store, latest.current), [store]);

  const objectActions = useObjectActions(() => {
    const row = table.selected;
    return row ? { ref: storeRef('pods', row.namespace, row.name) } : undefined;
  });
  const ctx: QosContext = {
    table,
    objectActions,
    openDetail: () => {
      const row = table.selected;
      if (row) shell.openView('qos-pod', { namespace: row.namespace, name: row.name } satisfies QosPodParams);
    },
    cycleClass: () => setClassFilter((c) => CLASS_CYCLE[(CLASS_CYCLE.indexOf(c) + 1) % CLASS_CYCLE.length]),
    showAllClasses: () => {
      setClassFilter(undefined);
      setMemoryGaps(false);
    },
    toggleMemoryGaps: () => setMemoryGaps((m) => !m),
    openLogs: () => {
      const row = table.selected;
      if (row) shell.openView('logs', { namespace: row.namespace, name: row.name });
    },
  };
  useKeymap(QOS_KEYMAP, ctx, { scope: 'view' });

  const filters = [classFilter ? `class ${classFilter}` : '', memoryGaps ? 'no memory limit' : ''].filter(Boolean);
  const title = `Pods by QoS${filters.length > 0 ? ` [${filters.join(', ')}]` : ''}${scope ? ` in ${scope}` : ''}`;
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <QosSummaryPanel
          summaries={summaries}
          rows={summaryRows}
          width={shell.width}
          columnScroll={table.columnScroll}
          limitRangesDenied={limitRangesDenied}
          podsDenied={podsDenied}
        />
        <Table
          table={table}
          title={title}
          width={shell.width}
          emptyText={podsDenied ? 'pods: not permitted (the server refuses to list them)' : inScope.length === 0 ? 'no pods (yet)' : 'no pods of this class'}
          notice={podsDenied ? 'pods: not permitted' : undefined}
          rowColor={rowColor}
        />
      </Box>
      <ViewFooter keymap={QOS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
