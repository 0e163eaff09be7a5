import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { Diff, maxDiffOffset } from '../components/Diff.js';
import { Table, TABLE_CHROME_LINES } from '../components/Table.js';
import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import { countByStatus } from '../domain/drift/compare.js';
import { driftDiffLines } from '../domain/drift/diff-lines.js';
import { describeSource } from '../domain/drift/header.js';
import { DRIFT_COLUMNS, driftRowKey } from '../domain/drift/rows.js';
import { isSyncable, syncAccessQueries } from '../domain/drift/sync-access.js';
import { DRIFT_STATUSES, type DriftItem, type DriftStatus } from '../domain/drift/types.js';
import type { CursorMove } from '../domain/table.js';
import { truncate } from '../domain/table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useAccess } from '../hooks/use-access.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { createDriftStore } from '../store/drift.js';
import { useEscape, useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { useObjectActions } from './use-object-actions.js';

/** Which statuses the table shows: all, or one. */
export type StatusFilter = 'all' | DriftStatus;

/** `f` cycles through these. */
const FILTERS: readonly StatusFilter[] = ['all', ...DRIFT_STATUSES];

/** The key context of the Drift view. */
export interface DriftContext extends TableContext, ObjectKeyContext {
  readonly hasSelection: boolean;
  readonly showingDiff: boolean;
  readonly hasErrors: boolean;
  /** The selected object can be synced and RBAC allows it. */
  readonly canSync: boolean;
  /** Why `a` does nothing right now (access denied or not yet known), for the status line. */
  readonly syncUnavailable?: string;
  toggleDiff(): void;
  sync(): void;
  refresh(): void;
  cycleFilter(): void;
  toggleErrors(): void;
}

/** Keys of the Drift view. `r` compares again (reversing the sort moves to `R`, as in the workload views). */
export const DRIFT_KEYMAP: Keymap<DriftContext> = [
  ...tableKeysWithoutR<DriftContext>('compares again'),
  {
    id: 'drift.diff',
    keys: ['enter'],
    description: 'Show the diff of the selected object: Git versus live, by field path (Enter or Esc closes it)',
    category: 'View',
    action: (c) => c.toggleDiff(),
    visible: (c) => c.hasSelection,
    hint: 'diff',
  },
  {
    id: 'drift.sync',
    keys: ['a'],
    description: 'Apply Git: sync the selected object back to Git (server-side apply, field manager daytwo; asks first, with the diff)',
    category: 'View',
    action: (c) => c.sync(),
    visible: (c) => c.canSync,
    unavailable: (c) => c.syncUnavailable,
    dangerous: true,
    hint: 'sync',
  },
  { id: 'drift.refresh', keys: ['r'], description: 'Compare again now (read Git and the cluster)', category: 'View', action: (c) => c.refresh(), hint: 'refresh' },
  {
    id: 'drift.filter',
    keys: ['f'],
    description: 'Filter by status: all, Synced, OutOfSync, Missing, Extra',
    category: 'View',
    action: (c) => c.cycleFilter(),
    hint: 'status',
  },
  {
    id: 'drift.errors',
    keys: ['E'],
    description: 'Show or hide the manifests that could not be read',
    category: 'View',
    action: (c) => c.toggleErrors(),
    visible: (c) => c.hasErrors,
    hint: 'errors',
  },
  ...objectKeyBindings<DriftContext>('drift'),
];

const STATUS_COLORS: Record<DriftStatus, string> = { Synced: 'green', OutOfSync: 'yellow', Missing: 'red', Extra: 'magenta' };
const FOOTER_LINES = 1;
/** Source line, counts line, notice line. */
const HEADER_LINES = 3;
const ERRORS_PANE_LINES = 6;
const DIALOG_DIFF_LINES = 8;
const NO_SOURCE = createDriftStore();

/**
 * Drift against Git: every object Git declares (and Extra ones) with its status, counts
 * per status on top (of everything compared), `f` to filter by status, Enter for the
 * coloured diff and `a` to apply Git (sync) the object back to Git after a confirmation. Follows the
 * console's namespace scope: a scoped console lists that namespace's objects only.
 */
export function DriftView(): ReactElement {
  const shell = useShell();
  const feed = shell.callbacks.drift;
  const actions = shell.callbacks.actions;
  const state = useStore(feed?.store ?? NO_SOURCE);
  const now = useNow(10_000);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [diffKey, setDiffKey] = useState<string | undefined>();
  const [diffOffset, setDiffOffset] = useState(0);
  const [errorsOpen, setErrorsOpen] = useState(false);

  const scope = useAppStore((s) => s.scope);
  const rows = useMemo(
    () => state.items.filter((i) => (filter === 'all' || i.status === filter) && (scope === undefined || i.namespace === scope)),
    [state.items, filter, scope],
  );
  const counts = useMemo(() => countByStatus(state.items), [state.items]);
  const errorLines = useMemo(
    () => [...state.manifestErrors.map((e) => `${e.file}:${e.line}: ${e.reason}`), ...state.liveErrors],
    [state.manifestErrors, state.liveErrors],
  );
  const bodyHeight = shell.height - FOOTER_LINES - HEADER_LINES;
  const paneHeight = errorsOpen && errorLines.length > 0 ? Math.min(ERRORS_PANE_LINES, errorLines.length + 1) : 0;
  const table = useTable({
    rows,
    columns: DRIFT_COLUMNS,
    keyOf: driftRowKey,
    filter: shell.filter,
    height: Math.max(1, bodyHeight - paneHeight - TABLE_CHROME_LINES),
    width: shell.width,
    initialSort: { column: 'status', descending: false },
  });
  const selected = table.selected;
  const diffItem = diffKey === undefined ? undefined : state.items.find((i) => driftRowKey(i) === diffKey);
  const diffLines = useMemo(() => (diffItem ? driftDiffLines(diffItem, feed?.manifestOf?.(driftRowKey(diffItem))) : []), [diffItem, feed]);

  const current = diffItem ?? selected;
  const queries = useMemo(() => (current && isSyncable(current) ? syncAccessQueries(current) : []), [current]);
  const access = useAccess(actions, queries);
  const denied = access.state === 'denied' ? access : undefined;
  const allowed = access.state === 'allowed';
  const deniedText = denied && `sync not allowed: ${denied.reason ?? 'RBAC denies it'}`;

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

  const sync = (item: DriftItem) => {
    if (!actions?.syncDrift) return;
    const lines = driftDiffLines(item, feed?.manifestOf?.(driftRowKey(item))).map((l) => l.text);
    const managers = [...new Set(item.diffs.flatMap((d) => (d.manager && d.manager !== 'daytwo' ? [d.manager] : [])))];
    const what = `${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
    const syncDrift = actions.syncDrift.bind(actions);
    shell.confirm({
      title: `Sync ${what} back to Git?`,
      body: [
        item.status === 'Missing' ? 'Creates it from Git by server-side apply (field manager daytwo).' : 'Applies Git by server-side apply (field manager daytwo, force).',
        ...(managers.length > 0 ? [`Takes over the fields changed by: ${managers.join(', ')}.`] : []),
        ...lines.slice(0, DIALOG_DIFF_LINES),
        ...(lines.length > DIALOG_DIFF_LINES ? [`… ${lines.length - DIALOG_DIFF_LINES} more lines (Enter shows the whole diff)`] : []),
      ],
      confirmLabel: 'Sync',
      dangerous: true,
      onConfirm: () => void syncDrift(driftRowKey(item)),
    });
  };

  const diffTable: DriftContext['table'] = { ...table, move: scrollDiff };
  // A Missing object is only in Git: there is nothing in the cluster to read or delete.
  const live = current && current.status !== 'Missing' ? current : undefined;
  const objectActions = useObjectActions(
    live ? { apiVersion: live.apiVersion, kind: live.kind, ...(live.namespace ? { namespace: live.namespace } : {}), name: live.name } : undefined,
  );
  const ctx: DriftContext = {
    objectActions,
    table: diffItem ? diffTable : table,
    hasSelection: diffItem !== undefined || selected !== undefined,
    showingDiff: diffItem !== undefined,
    hasErrors: errorLines.length > 0,
    canSync: allowed && actions?.syncDrift !== undefined && current !== undefined && isSyncable(current),
    syncUnavailable:
      !current || !actions?.syncDrift || !isSyncable(current)
        ? undefined
        : (deniedText ?? `sync of ${current.name}: still checking access (SelfSubjectAccessReview), try again in a moment`),
    toggleDiff: () => {
      if (diffItem) closeDiff();
      else if (selected) setDiffKey(driftRowKey(selected));
    },
    sync: () => {
      if (current) sync(current);
    },
    refresh: () => feed?.refresh(),
    cycleFilter: () => setFilter((f) => FILTERS[(FILTERS.indexOf(f) + 1) % FILTERS.length]),
    toggleErrors: () => setErrorsOpen((o) => !o),
  };
  useKeymap(DRIFT_KEYMAP, ctx, { scope: 'view' });

  if (!feed) {
    return (
      <Box flexDirection="column" height={shell.height}>
        <Box flexGrow={1}>
          <Text color="yellow">No Git source: start daytwo with --git PATH (a directory of manifests or a Git URL) to compare it with the cluster.</Text>
        </Box>
        <ViewFooter keymap={DRIFT_KEYMAP} ctx={ctx} />
      </Box>
    );
  }

  const sourceLine =
    state.phase === 'error'
      ? `Git: ${state.error ?? 'cannot read the source'}`
      : state.source
        ? `Git: ${describeSource(state.source, now)}`
        : 'Git: reading…';
  const notice =
    deniedText ??
    (errorLines.length > 0
      ? `${errorLines.length} manifest${errorLines.length === 1 ? '' : 's'} not compared: ${errorLines[0]}${errorLines.length > 1 ? ' (E: all)' : ''}`
      : '');
  return (
    <Box flexDirection="column" height={shell.height}>
      <Text wrap="truncate" color={state.phase === 'error' ? 'red' : state.source?.dirty ? 'yellow' : undefined}>
        {truncate(`${sourceLine}${state.refreshing ? '  (comparing…)' : ''}`, shell.width)}
      </Text>
      <Box gap={2}>
        {DRIFT_STATUSES.map((s) => (
          <Text key={s} color={STATUS_COLORS[s]} inverse={filter === s} bold={counts[s] > 0 && s !== 'Synced'}>
            {`${s} ${counts[s]}`}
          </Text>
        ))}
        <Text dimColor>{`showing: ${filter}`}</Text>
      </Box>
      <Text wrap="truncate" color={denied || errorLines.length > 0 ? 'red' : undefined}>
        {truncate(notice, shell.width)}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        {diffItem ? (
          <Diff
            lines={diffLines}
            title={`${diffItem.kind} ${diffItem.namespace ? `${diffItem.namespace}/` : ''}${diffItem.name} (${diffItem.status}): Git (+) versus live (-)`}
            height={bodyHeight}
            width={shell.width}
            offset={diffOffset}
          />
        ) : (
          <>
            <Table
              table={table}
              title={`Drift${filter === 'all' ? '' : ` (${filter})`}${scope ? ` in ${scope}` : ''}`}
              width={shell.width}
              emptyText={
                state.phase === 'loading'
                  ? 'comparing Git with the cluster…'
                  : state.items.length === 0
                    ? 'nothing declared in Git'
                    : `no ${filter === 'all' ? '' : `${filter} `}objects${scope ? ` in ${scope}` : ''}`
              }
              rowColor={(r: DriftItem) => (r.status === 'Synced' ? undefined : STATUS_COLORS[r.status])}
            />
            {paneHeight > 0 ? (
              <Box flexDirection="column">
                <Text bold>Not compared:</Text>
                {errorLines.slice(0, paneHeight - 1).map((l) => (
                  <Text key={l} color="red" wrap="truncate">
                    {truncate(`  ${l}`, shell.width)}
                  </Text>
                ))}
              </Box>
            ) : null}
          </>
        )}
      </Box>
      <ViewFooter keymap={DRIFT_KEYMAP} ctx={ctx} />
    </Box>
  );
}
