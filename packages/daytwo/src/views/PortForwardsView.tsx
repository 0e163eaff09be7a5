import { Box } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useStore } from 'zustand';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { forwardTarget, type PortForwardEntry, portForwardColumns } from '../domain/port-forward.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStoreApi } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { createPortForwardsStore } from '../store/port-forwards.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of `:pf`. */
export interface PortForwardsContext extends TableContext {
  readonly selected: PortForwardEntry | undefined;
  /** Asks, then stops the port-forward under the cursor. */
  stopSelected(): void;
}

/** Keys of `:pf`: the table's, and Ctrl-D to stop one (k9s's key). */
export const PORT_FORWARDS_KEYMAP: Keymap<PortForwardsContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'portforwards.stop',
    keys: ['ctrl+d'],
    description: 'Stop the port-forward (its kubectl port-forward ends)',
    category: 'View',
    action: (c) => c.stopSelected(),
    visible: (c) => c.selected !== undefined,
    hint: 'stop',
  },
];

const FOOTER_LINES = 1;
const AGE_REFRESH_MS = 10_000;
const STATE_COLOR: Readonly<Record<string, string>> = { forwarding: 'green', starting: 'yellow', ended: 'red' };
const keyOf = (e: PortForwardEntry) => e.id;
/** What the view reads before (or without) a session. */
const NO_FORWARDS = createPortForwardsStore();

/** The session's port-forwards (Shift-F starts one): target, ports, state, age and kubectl's last error line. */
export function PortForwardsView(): ReactElement {
  const shell = useShell();
  const store = useAppStoreApi();
  const forwards = shell.callbacks.actions?.portForwards;
  const entries = useStore(forwards?.store ?? NO_FORWARDS, (s) => s.entries);
  const now = useNow(AGE_REFRESH_MS);
  const columns = useMemo(() => portForwardColumns(now), [now]);
  const rows = useMemo(() => [...entries.values()], [entries]);
  const table = useTable({
    rows,
    columns,
    keyOf,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES,
    width: shell.width,
    initialSort: { column: 'age', descending: false },
  });
  const ctx: PortForwardsContext = {
    table,
    selected: table.selected,
    stopSelected() {
      const entry = table.selected;
      if (!entry || !forwards) return;
      const what = `${forwardTarget(entry.ref)} ${entry.localPort ?? ''}:${entry.remotePort}`;
      shell.confirm({
        title: `Stop port-forward ${what}?`,
        body: [`In ${entry.ref.namespace}; listening on ${entry.listening.join(', ') || entry.address}.`],
        confirmLabel: 'Stop',
        onConfirm: () =>
          void forwards.stop(entry.id).then(
            (line) => store.getState().pushMessage('success', line),
            (err: unknown) => store.getState().pushMessage('error', `stop ${what}: ${err instanceof Error ? err.message : String(err)}`),
          ),
      });
    },
  };
  useKeymap(PORT_FORWARDS_KEYMAP, ctx, { scope: 'view' });
  const empty = forwards?.unavailable ?? (forwards ? 'no port-forwards: Shift-F on a pod, service or workload starts one' : 'no cluster connection');
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table table={table} title="Port-forwards" width={shell.width} emptyText={empty} rowColor={(e) => STATE_COLOR[e.state]} />
      </Box>
      <ViewFooter keymap={PORT_FORWARDS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
