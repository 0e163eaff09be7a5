import { Box } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Table } from '../components/Table.js';
import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import { storeRef } from '../domain/object-ref.js';
import { NODE_COLUMNS, type NodePool, POOL_COLUMNS } from '../domain/pools.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { useViewMode } from '../hooks/use-ui-store.js';
import { DrainProgress } from './DrainProgress.js';
import { MigrationProgress, migrationProgressHeight } from './MigrationProgress.js';
import { type MigrationKeyContext, migrationEscape, migrationKeyBindings } from './migration-keys.js';
import { NodeAccessLine } from './NodeAccessLine.js';
import { AGE_REFRESH_MS, NODE_POD_COLUMNS, NODE_SOURCE_KINDS, nodeRowColor, tableHeight, targetNodes } from './NodesView.js';
import { drainEscape, type NodeKeyContext, nodeKeyBindings } from './node-keys.js';
import { nodePoolsOf } from './node-pools-of.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { useEscape, useShell } from './shell.js';
import { useMigration } from './use-migration.js';
import { useNodeActions } from './use-node-actions.js';
import { useObjectActions } from './use-object-actions.js';
import { useSourceNotice } from './use-source-notice.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Node pools view. */
export interface NodePoolsContext extends TableContext, NodeKeyContext, ObjectKeyContext, MigrationKeyContext {
  /** True while one pool's nodes are listed. */
  readonly poolOpen: boolean;
  openPool(): void;
}

/** Keys of the Node pools view: the table's, Enter to list a pool's nodes, and the node keys. */
export const NODE_POOLS_KEYMAP: Keymap<NodePoolsContext> = [
  ...tableKeysWithoutR<NodePoolsContext>('drains'),
  {
    id: 'nodepools.open',
    keys: ['enter'],
    description: "List the pool's nodes (Esc: back to the pools)",
    category: 'View',
    action: (c) => c.openPool(),
    visible: (c) => !c.poolOpen,
    hint: 'nodes',
  },
  ...nodeKeyBindings<NodePoolsContext>('nodepools'),
  ...objectKeyBindings<NodePoolsContext>('nodepools'),
  ...migrationKeyBindings<NodePoolsContext>('nodepools'),
];

const poolKey = (p: Pick<NodePool, 'name' | 'label'>) => `${p.label ?? ''}\u0000${p.name}`;

/** A pool's colour: NotReady nodes red, unsupported skew or mixed kubelets yellow. */
function poolColor(p: NodePool): string | undefined {
  if (p.notReady > 0) return 'red';
  if ((p.worstSkew && !p.worstSkew.supported) || p.mixedVersions) return 'yellow';
  return undefined;
}

/** The pool columns computed from pods. */
const POOL_POD_COLUMNS = ['pods', 'cpu', 'cpu%', 'memory', 'memory%'];

/**
 * Nodes grouped into pools by their provisioner's label, with health, kubelet versions and
 * skew, capacity and requests; Enter lists a pool's nodes. `c`/`u`/`r` on a pool act on all
 * its nodes (a pool drains one node at a time), in the node list on the selected or marked nodes;
 * `m` migrates a pool (see use-migration.ts).
 */
export function NodePoolsView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const inputs = useAppStore(useShallow((s) => ({ nodes: s.objects.nodes, pods: s.objects.pods, version: s.cluster.version })));
  const readonly = useAppStore((s) => s.cluster.readonly);
  // Under -n the pod watch holds one namespace, and a refused list reads as empty: the tables say so.
  const pools_ = useSourceNotice(POOL_COLUMNS, NODE_SOURCE_KINDS, { pods: POOL_POD_COLUMNS });
  const nodes_ = useSourceNotice(NODE_COLUMNS, NODE_SOURCE_KINDS, { pods: NODE_POD_COLUMNS });
  const noNodes = pools_.denied.includes('nodes') ? 'nodes: not permitted' : 'no nodes (yet)';
  const now = useNow(AGE_REFRESH_MS);
  // `now` is a dependency so that the AGE cells follow the clock.
  const pools = useMemo(
    () => nodePoolsOf(store).pools(inputs.nodes, inputs.pods, { apiServerVersion: inputs.version, now }),
    [store, inputs, now],
  );
  const [openKey, setOpenKey] = useViewMode<string | undefined>('pool', undefined);
  const open = openKey === undefined ? undefined : pools.find((p) => poolKey(p) === openKey);
  const nodeActions = useNodeActions();
  const migration = useMigration(nodeActions);
  const migrationPanel = migrationProgressHeight(migration.operation, Math.floor(shell.height / 2));
  const heights = tableHeight(shell.height - migrationPanel, nodeActions, readonly);
  const common = { filter: shell.filter, height: heights.table, width: shell.width };
  const poolTable = useTable({ ...common, rows: pools, columns: pools_.columns, keyOf: poolKey, initialSort: { column: 'pool', descending: false } });
  const nodeTable = useTable({
    ...common,
    rows: open?.nodes ?? [],
    columns: nodes_.columns,
    keyOf: (r) => r.name,
    initialSort: { column: 'name', descending: false },
  });
  const poolOpen = open !== undefined;
  // A pool is not an object; a node of an open pool is.
  const objectActions = useObjectActions(() => {
    const row = poolOpen ? nodeTable.selected : undefined;
    return row ? { ref: storeRef('nodes', undefined, row.name) } : undefined;
  });
  const ctx: NodePoolsContext = {
    objectActions,
    table: poolOpen ? nodeTable : poolTable,
    poolOpen,
    nodeActions,
    migration,
    selectedPool: () => (poolTable.selected ? { name: poolTable.selected.name, pools: pools.map((p) => p.name) } : undefined),
    openPool: () => {
      if (poolTable.selected) setOpenKey(poolKey(poolTable.selected));
    },
    targetNodes: () => {
      if (poolOpen) return targetNodes(nodeTable);
      const chosen = poolTable.markedRows.length > 0 ? poolTable.markedRows : poolTable.selected ? [poolTable.selected] : [];
      return chosen.flatMap((p) => p.nodes.map((n) => n.name));
    },
  };
  useKeymap(NODE_POOLS_KEYMAP, ctx, { scope: 'view' });
  useEscape(drainEscape(nodeActions) ?? migrationEscape(migration) ?? (poolOpen ? () => setOpenKey(undefined) : undefined));
  const label = open?.label ? `${open.label}=${open.name}` : open ? `${open.name} (no pool label)` : '';
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        {poolOpen ? (
          <Table table={nodeTable} title={`Nodes of pool ${label}`} width={shell.width} emptyText="no nodes in this pool" rowColor={nodeRowColor} notice={nodes_.notice} />
        ) : (
          <Table table={poolTable} title="Node pools" width={shell.width} emptyText={noNodes} rowColor={poolColor} notice={pools_.notice} />
        )}
      </Box>
      {migration.operation ? <MigrationProgress op={migration.operation} width={shell.width} height={migrationPanel} /> : null}
      {nodeActions.drainOperation ? <DrainProgress op={nodeActions.drainOperation} width={shell.width} height={heights.panel} /> : null}
      {readonly ? null : <NodeAccessLine actions={nodeActions} width={shell.width} />}
      <ViewFooter keymap={NODE_POOLS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
