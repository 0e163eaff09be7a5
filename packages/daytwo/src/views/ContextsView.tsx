import { Box } from 'ink';
import { type ReactElement, useEffect, useMemo } from 'react';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { CONTEXT_COLUMNS, type ContextRow, type ContextsParams, contextRows } from '../domain/contexts.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTable } from '../hooks/use-table.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Contexts view. */
export interface ContextsContext extends TableContext {
  /** Moves the console to the context under the cursor. */
  switchToSelected(): void;
}

/** Keys of the Contexts view: the table's, and Enter to switch (k9s's key). */
export const CONTEXTS_KEYMAP: Keymap<ContextsContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'contexts.switch',
    keys: ['enter'],
    description: 'Switch the console to this context (every view and watch moves to its cluster)',
    category: 'View',
    action: (c) => c.switchToSelected(),
    hint: 'switch',
  },
];

const FOOTER_LINES = 1;
const keyOf = (r: ContextRow) => r.name;

/** The kubeconfig's contexts, the current one marked `(*)`; Enter switches to another without restarting. */
export function ContextsView(): ReactElement {
  const shell = useShell();
  const contexts = useAppStore((s) => s.contexts);
  const current = useAppStore((s) => s.cluster.context);
  const rows = useMemo(() => contextRows(contexts, current), [contexts, current]);
  const table = useTable({
    rows,
    columns: CONTEXT_COLUMNS,
    keyOf,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES,
    width: shell.width,
    initialKey: current,
  });
  const switchTo = (shell.params as ContextsParams | undefined)?.switchTo;
  // `:ctx NAME` switches as the view opens (once per opening: the view is remounted for new params).
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per opening
  useEffect(() => {
    if (switchTo) shell.switchContext(switchTo);
  }, []);
  const ctx: ContextsContext = {
    table,
    switchToSelected: () => {
      const row = table.selected;
      if (row) shell.switchContext(row.name);
    },
  };
  useKeymap(CONTEXTS_KEYMAP, ctx, { scope: 'view' });
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table table={table} title="Contexts" width={shell.width} emptyText="no contexts in the kubeconfig" rowColor={(r) => (r.current ? 'green' : undefined)} />
      </Box>
      <ViewFooter keymap={CONTEXTS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
