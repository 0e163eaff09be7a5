import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { maxDiffOffset } from '../components/Diff.js';
import { TABLE_CHROME_LINES } from '../components/Table.js';
import { countByStatus } from '../domain/drift/compare.js';
import { driftDiffLines } from '../domain/drift/diff-lines.js';
import { driftObjectRef } from '../domain/drift/object-ref.js';
import { DRIFT_COLUMNS, driftRowKey } from '../domain/drift/rows.js';
import { isSyncable, syncAccessQueries } from '../domain/drift/sync-access.js';
import type { CursorMove } from '../domain/table.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { useViewMode } from '../hooks/use-ui-store.js';
import { accessNotice } from '../store/access-verdict.js';
import { createDriftStore } from '../store/drift.js';
import { DRIFT_HEADER_LINES, DriftBody, DriftHeader } from './DriftPanels.js';
import { DRIFT_KEYMAP, type DriftContext, FILTERS, type StatusFilter } from './drift-keymap.js';
import { syncDialog } from './drift-sync.js';
import { useEscape, useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { ViewFooter } from './ViewFooter.js';

export { DRIFT_KEYMAP, type DriftContext, type StatusFilter } from './drift-keymap.js';

const FOOTER_LINES = 1;
const ERRORS_PANE_LINES = 6;
const NO_SOURCE = createDriftStore();

/**
 * Drift against Git: every object Git declares (and Extra ones) with its status, counts
 * per status on top (of everything compared), `f` to filter by status, Enter for the
 * coloured diff and `s` to sync the object back to Git after a confirmation. Follows the
 * console's namespace scope: a scoped console lists that namespace's objects only.
 */
export function DriftView(): ReactElement {
  const shell = useShell();
  const { drift: feed, actions } = shell.callbacks;
  const state = useStore(feed?.store ?? NO_SOURCE);
  const scope = useAppStore((s) => s.scope);
  const now = useNow(10_000);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [diffKey, setDiffKey] = useViewMode<string | undefined>('diff', undefined);
  const [diffOffset, setDiffOffset] = useState(0);
  const [errorsOpen, setErrorsOpen] = useViewMode<boolean>('errors', false);
  const rows = useMemo(
    () => state.items.filter((i) => (filter === 'all' || i.status === filter) && (scope === undefined || i.namespace === scope)),
    [state.items, filter, scope],
  );
  const errorLines = useMemo(() => [...state.manifestErrors.map((e) => `${e.file}:${e.line}: ${e.reason}`), ...state.liveErrors], [state]);
  const bodyHeight = shell.height - FOOTER_LINES - DRIFT_HEADER_LINES;
  const paneHeight = errorsOpen && errorLines.length > 0 ? Math.min(ERRORS_PANE_LINES, errorLines.length + 1) : 0;
  const height = Math.max(1, bodyHeight - paneHeight - TABLE_CHROME_LINES);
  const table = useTable({ rows, columns: DRIFT_COLUMNS, keyOf: driftRowKey, filter: shell.filter, height, width: shell.width, initialSort: { column: 'status', descending: false } });
  const diffItem = diffKey === undefined ? undefined : state.items.find((i) => driftRowKey(i) === diffKey);
  const diffLines = useMemo(() => (diffItem ? driftDiffLines(diffItem, feed?.manifestOf?.(driftRowKey(diffItem))) : []), [diffItem, feed]);
  const current = diffItem ?? table.selected;
  const access = useAccess(actions, useMemo(() => (current && isSyncable(current) ? syncAccessQueries(current) : []), [current]));
  const deniedText = accessNotice(access, 'sync');
  const closeDiff = () => {
    setDiffKey(undefined);
    setDiffOffset(0);
  };
  useEscape(diffKey === undefined ? undefined : closeDiff);
  const scrollDiff = (move: CursorMove) => {
    const page = Math.max(1, bodyHeight - 2);
    const max = maxDiffOffset(diffLines.length, bodyHeight);
    const delta = { up: -1, down: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity }[move];
    setDiffOffset((o) => Math.min(max, Math.max(0, Math.min(o, max) + delta)));
  };
  // Actions read the row when the key arrives (`table.selected`): a key right after a cursor move acts on the row it selected.
  const target = () => diffItem ?? table.selected;
  const syncable = current !== undefined && actions?.syncDrift !== undefined && isSyncable(current);
  // A Missing object is only in Git: nothing in the cluster to read or delete.
  const objectActions = useObjectActions(() => {
    const item = target();
    return item && item.status !== 'Missing' ? { ref: driftObjectRef(item) } : undefined;
  });
  const ctx: DriftContext = {
    objectActions,
    table: diffItem ? { ...table, move: scrollDiff } : table,
    hasSelection: current !== undefined,
    showingDiff: diffItem !== undefined,
    hasErrors: errorLines.length > 0,
    canSync: syncable && access.state === 'allowed',
    syncUnavailable: syncable ? (deniedText ?? `sync of ${current.name}: still checking access (SelfSubjectAccessReview), try again in a moment`) : undefined,
    toggleDiff: () => {
      const row = table.selected;
      if (diffItem) closeDiff();
      else if (row) setDiffKey(driftRowKey(row));
    },
    sync: () => {
      const item = target();
      if (item && actions?.syncDrift) shell.confirm(syncDialog(item, feed?.manifestOf?.(driftRowKey(item)), actions.syncDrift.bind(actions)));
    },
    refresh: () => feed?.refresh(),
    cycleFilter: () => setFilter((f) => FILTERS[(FILTERS.indexOf(f) + 1) % FILTERS.length]),
    toggleErrors: () => setErrorsOpen((o) => !o),
  };
  useKeymap(DRIFT_KEYMAP, ctx, { scope: 'view' });
  const notMissing = errorLines.length > 0 ? `${errorLines.length} manifest${errorLines.length === 1 ? '' : 's'} not compared: ${errorLines[0]}${errorLines.length > 1 ? ' (E: all)' : ''}` : '';
  return (
    <Box flexDirection="column" height={shell.height}>
      {feed ? (
        <>
          <DriftHeader state={state} counts={countByStatus(state.items)} filter={filter} notice={deniedText ?? notMissing} now={now} width={shell.width} />
          <Box flexDirection="column" flexGrow={1}>
            <DriftBody state={state} table={table} filter={filter} scope={scope} diff={diffItem && { item: diffItem, lines: diffLines, offset: diffOffset }} errorLines={errorLines} paneHeight={paneHeight} height={bodyHeight} width={shell.width} />
          </Box>
        </>
      ) : (
        <Box flexGrow={1}>
          <Text color="yellow">No Git source: start daytwo with --git PATH (a directory of manifests or a Git URL) to compare it with the cluster.</Text>
        </Box>
      )}
      <ViewFooter keymap={DRIFT_KEYMAP} ctx={ctx} />
    </Box>
  );
}
