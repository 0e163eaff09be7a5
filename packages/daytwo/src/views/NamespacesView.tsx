import { Box } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import {
  createNamespaceSummarizer,
  NAMESPACE_COLUMNS,
  type NamespaceRow,
  namespaceColumnsFrom,
  namespaceRowKey,
  WORKLOAD_KINDS,
} from '../domain/namespaces.js';
import { storeRef } from '../domain/object-ref.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import type { KindName } from '../domain/kinds.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { perStore } from './per-store.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { useSourceNotice } from './use-source-notice.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Namespaces view. */
export interface NamespacesContext extends TableContext, ObjectKeyContext {
  /** Scopes the console to the namespace under the cursor. */
  scopeToSelected(): void;
}

/** How often ages are redrawn when nothing else changes; kubectl ages have minute resolution past 10 minutes. */
const AGE_REFRESH_MS = 10_000;

/** Lines of the view's footer. */
const FOOTER_LINES = 1;

/** The kinds the view's columns are computed from. */
const SOURCE_KINDS: readonly KindName[] = ['pods', ...WORKLOAD_KINDS, 'limitranges', 'resourcequotas'];
/** The columns computed from each source kind. */
const DERIVED_COLUMNS = Object.fromEntries(SOURCE_KINDS.map((k) => [k, namespaceColumnsFrom([k])]));

/** Pod tallies and workload counts updated from what each flush changed, per console. */
const summarizerOf = perStore(createNamespaceSummarizer);

/** Keys of the Namespaces view: the table's, plus Enter to scope. */
export const NAMESPACES_KEYMAP: Keymap<NamespacesContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'namespaces.scope',
    keys: ['enter'],
    description: 'Scope the other views to this namespace',
    category: 'View',
    action: (c) => c.scopeToSelected(),
    hint: 'scope',
  },
  ...objectKeyBindings<NamespacesContext>('namespaces'),
];

/**
 * Every namespace with its pods by phase, restarts, workloads, QoS mix, LimitRange and
 * fullest quota. The scoped namespace is highlighted.
 */
export function NamespacesView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const scope = useAppStore((s) => s.scope);
  const inputs = useAppStore(
    useShallow((s) => ({
      namespaces: s.objects.namespaces,
      pods: s.objects.pods,
      deployments: s.objects.deployments,
      statefulsets: s.objects.statefulsets,
      daemonsets: s.objects.daemonsets,
      jobs: s.objects.jobs,
      cronjobs: s.objects.cronjobs,
      limitranges: s.objects.limitranges,
      resourcequotas: s.objects.resourcequotas,
    })),
  );
  const only = useAppStore((s) => s.cluster.namespace);
  // Kinds the server refuses to list: their columns show `?` instead of counting nothing as 0.
  const { columns, notice } = useSourceNotice(NAMESPACE_COLUMNS, SOURCE_KINDS, DERIVED_COLUMNS, false);
  const now = useNow(AGE_REFRESH_MS);
  // The AGE cells read the clock: rebuilding the rows as time passes keeps them current.
  const summarize = summarizerOf(store);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` is the refresh trigger
  const rows = useMemo(() => summarize(inputs, only), [summarize, inputs, only, now]);
  const table = useTable({
    rows,
    columns,
    keyOf: namespaceRowKey,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES,
    width: shell.width,
    initialSort: { column: 'name', descending: false },
  });
  const objectActions = useObjectActions(() => {
    const row = table.selected;
    return row ? { ref: storeRef('namespaces', undefined, row.name) } : undefined;
  });
  const ctx: NamespacesContext = {
    table,
    objectActions,
    scopeToSelected: () => {
      const row = table.selected;
      if (!row) return;
      store.getState().setScope(row.name);
      store.getState().pushMessage('info', `scope: namespace ${row.name} (0 or :ns all shows all namespaces)`);
    },
  };
  useKeymap(NAMESPACES_KEYMAP, ctx, { scope: 'view' });
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title="Namespaces"
          width={shell.width}
          emptyText="no namespaces (yet)"
          notice={notice}
          rowColor={(r: NamespaceRow) => (r.phase === 'Terminating' ? 'yellow' : r.name === scope ? 'green' : undefined)}
        />
      </Box>
      <ViewFooter keymap={NAMESPACES_KEYMAP} ctx={ctx} />
    </Box>
  );
}
