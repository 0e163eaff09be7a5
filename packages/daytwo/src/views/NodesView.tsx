import { Box } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import { selectParam } from '../domain/health.js';
import { storeRef } from '../domain/object-ref.js';
import { NODE_COLUMNS, type NodeRow } from '../domain/pools.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { type TableController, useTable } from '../hooks/use-table.js';
import { DrainProgress, drainProgressHeight } from './DrainProgress.js';
import { deniedText, NodeAccessLine } from './NodeAccessLine.js';
import { drainEscape, type NodeKeyContext, nodeKeyBindings } from './node-keys.js';
import { nodePoolsOf } from './node-pools-of.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { useEscape, useShell } from './shell.js';
import { type NodeActions, useNodeActions } from './use-node-actions.js';
import { useObjectActions } from './use-object-actions.js';
import { useSourceNotice } from './use-source-notice.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Nodes view. */
export interface NodesContext extends TableContext, NodeKeyContext, ObjectKeyContext {}

/** Keys of the Nodes view: the table's, plus cordon, uncordon and drain (Esc cancels a running drain: see `useEscape`). */
export const NODES_KEYMAP: Keymap<NodesContext> = [
  ...tableKeysWithoutR<NodesContext>('drains'),
  ...nodeKeyBindings<NodesContext>('nodes'),
  ...objectKeyBindings<NodesContext>('nodes'),
];

/** How often ages are redrawn when nothing else changes. */
export const AGE_REFRESH_MS = 10_000;

/** A node row's colour: not ready red, unsupported kubelet skew or pressure yellow, cordoned dim blue. */
export function nodeRowColor(r: NodeRow): string | undefined {
  if (r.readiness !== 'Ready') return 'red';
  if ((r.skew && !r.skew.supported) || r.pressure.length > 0) return 'yellow';
  if (r.cordoned) return 'blue';
  return undefined;
}

/** The nodes an action applies to: the marked rows, else the row under the cursor. */
export function targetNodes(table: TableController<NodeRow>): string[] {
  if (table.markedRows.length > 0) return table.markedRows.map((r) => r.name);
  return table.selected ? [table.selected.name] : [];
}

/** What node tables are computed from, and the node columns computed from pods. */
export const NODE_SOURCE_KINDS = ['nodes', 'pods'] as const;
export const NODE_POD_COLUMNS = ['pods', 'cpu', 'memory'];

/** The rows left for a table after the drain panel, the denied line and the footer. */
export function tableHeight(totalHeight: number, actions: NodeActions, readonly: boolean): { table: number; panel: number } {
  const denied = !readonly && deniedText(actions) ? 1 : 0;
  const available = totalHeight - 1 - denied;
  const panel = drainProgressHeight(actions.drainOperation, Math.floor(available / 2));
  return { table: Math.max(1, available - panel - TABLE_CHROME_LINES), panel };
}

/**
 * Every node: status, roles, kubelet version and its skew against the API server, age, pods,
 * request shares and pressure; `c`/`u`/`r` act on the selected or marked nodes.
 */
export function NodesView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const inputs = useAppStore(useShallow((s) => ({ nodes: s.objects.nodes, pods: s.objects.pods, version: s.cluster.version })));
  const readonly = useAppStore((s) => s.cluster.readonly);
  const now = useNow(AGE_REFRESH_MS);
  // `now` is a dependency so that the AGE cells follow the clock.
  const rows = useMemo(
    () => nodePoolsOf(store).nodeRows(inputs.nodes, inputs.pods, { apiServerVersion: inputs.version, now }),
    [store, inputs, now],
  );
  const nodeActions = useNodeActions();
  const heights = tableHeight(shell.height, nodeActions, readonly);
  const source = useSourceNotice(NODE_COLUMNS, NODE_SOURCE_KINDS, { pods: NODE_POD_COLUMNS });
  const table = useTable({
    rows,
    columns: source.columns,
    keyOf: (r) => r.name,
    filter: shell.filter,
    height: heights.table,
    width: shell.width,
    initialSort: { column: 'name', descending: false },
    // Opened on one row (Enter on an alert in the Health view).
    initialKey: selectParam(shell.params),
  });
  const objectActions = useObjectActions(() => {
    const row = table.selected;
    return row ? { ref: storeRef('nodes', undefined, row.name) } : undefined;
  });
  const ctx: NodesContext = { table, nodeActions, objectActions, targetNodes: () => targetNodes(table) };
  useKeymap(NODES_KEYMAP, ctx, { scope: 'view' });
  useEscape(drainEscape(nodeActions));
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title="Nodes"
          width={shell.width}
          emptyText={source.denied.includes('nodes') ? 'nodes: not permitted' : 'no nodes (yet)'}
          rowColor={nodeRowColor}
          notice={source.notice}
        />
      </Box>
      {nodeActions.drainOperation ? <DrainProgress op={nodeActions.drainOperation} width={shell.width} height={heights.panel} /> : null}
      {readonly ? null : <NodeAccessLine actions={nodeActions} width={shell.width} />}
      <ViewFooter keymap={NODES_KEYMAP} ctx={ctx} />
    </Box>
  );
}
