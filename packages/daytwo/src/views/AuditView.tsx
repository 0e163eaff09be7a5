import { Box, Text } from 'ink';
import { type ReactElement, useEffect, useMemo, useState } from 'react';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { AUDIT_COLUMNS, type AuditRow, parseAuditLines } from '../domain/audit-entries.js';
import { truncate } from '../domain/table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTable } from '../hooks/use-table.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

/** Keys of the audit view: the table's. */
export const AUDIT_KEYMAP: Keymap<TableContext> = [...TABLE_KEYMAP];

/** The audit view shows at most this many of the log's last lines. */
const MAX_LINES = 1000;

/** Lines of the view besides the table: the path line and the footer. */
const VIEW_CHROME_LINES = 2;

const RESULT_COLOR: Readonly<Record<string, string>> = { failed: 'red', refused: 'red', unreadable: 'red', cancelled: 'yellow', succeeded: 'green' };

/**
 * The audit log, newest first: every action daytwo started, refused or finished, as the
 * JSON lines of the audit file. Read again whenever an action reports something.
 */
export function AuditView(): ReactElement {
  const shell = useShell();
  const actions = shell.callbacks.actions;
  // Every action ends with a status message (and drains with an operation): re-read then.
  const messages = useAppStore((s) => s.messages);
  const operations = useAppStore((s) => s.operations);
  const [lines, setLines] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: messages and operations are the re-read triggers
  useEffect(() => {
    if (!actions) return;
    let current = true;
    actions
      .readAuditLog(MAX_LINES)
      .then((read) => {
        if (!current) return;
        setLines(read);
        setError(undefined);
      })
      .catch((err: unknown) => current && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      current = false;
    };
  }, [actions, messages, operations]);
  const rows = useMemo(() => parseAuditLines(lines), [lines]);
  const table = useTable({
    rows,
    columns: AUDIT_COLUMNS,
    keyOf: (r: AuditRow) => String(r.index),
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - VIEW_CHROME_LINES,
    width: shell.width,
    initialSort: { column: 'time', descending: false },
  });
  const ctx: TableContext = { table };
  useKeymap(AUDIT_KEYMAP, ctx, { scope: 'view' });
  const where = actions ? `audit log: ${actions.auditLogPath}` : 'no audit log: the console has no cluster session';
  return (
    <Box flexDirection="column" height={shell.height}>
      <Text dimColor={!error} color={error ? 'red' : undefined} wrap="truncate">
        {truncate(error ? `cannot read ${actions?.auditLogPath}: ${error}` : where, shell.width)}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        <Table table={table} title="Audit log" width={shell.width} emptyText="no actions recorded yet" rowColor={(r) => RESULT_COLOR[r.result]} />
      </Box>
      <ViewFooter keymap={AUDIT_KEYMAP} ctx={ctx} />
    </Box>
  );
}
