import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { columnWindowText, formatLine, textWidth, truncate } from '../domain/table.js';
import { MARKER_WIDTH, type TableController } from '../hooks/use-table.js';

/** Props of {@link Table}. */
export interface TableProps<R> {
  readonly table: TableController<R>;
  /** Shown on the title line, e.g. `Namespaces`. */
  readonly title: string;
  /** Terminal cells available. */
  readonly width: number;
  /** Optional colour of a row (e.g. red for a failing object). */
  readonly rowColor?: (row: R) => string | undefined;
  /** Text in place of rows when there are none at all (before filtering). */
  readonly emptyText?: string;
  /** A warning on the title line, e.g. `pods: not permitted` when a kind the table derives from cannot be read. */
  readonly notice?: string;
}

/** Lines the table uses around its rows: the title and the column header. */
export const TABLE_CHROME_LINES = 2;

/**
 * A windowed table: renders the title, the header with the sort indicator and only the rows
 * inside the window (one `<Text>` per row, the cheapest for Ink). The cursor row is shown
 * inverse and with a `>`; marked rows carry a `*`.
 */
export function Table<R>({ table, title, width, rowColor, emptyText, notice }: TableProps<R>): ReactElement {
  const { columns, rows, widths, offset, height, cursor, marked, sort } = table;
  const aligns = columns.map((c) => c.align);
  const headers = columns.map((c) => (sort?.column === c.id ? `${c.header}${sort.descending ? '↓' : '↑'}` : c.header));
  const visible = rows.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold>
        {titleLine(title, table, width, notice)}
      </Text>
      <Text wrap="truncate" bold color="cyan">
        {`${' '.repeat(MARKER_WIDTH)}${formatLine(headers, widths, aligns)}`}
      </Text>
      {visible.length === 0 ? (
        <Text wrap="truncate" dimColor>
          {table.total === 0 ? (emptyText ?? 'no objects') : 'no rows match the filter'}
        </Text>
      ) : (
        visible.map((r, i) => {
          const isCursor = offset + i === cursor;
          // The cursor also gets a glyph: inverse video disappears under NO_COLOR and on dumb terminals.
          const line = `${isCursor ? '>' : ' '}${marked.has(r.key) ? '*' : ' '} ${formatLine(r.cells, widths, aligns)}`;
          return (
            <Text key={r.key} wrap="truncate" inverse={isCursor} color={rowColor?.(r.row)}>
              {isCursor ? line.padEnd(width - 1) : line}
            </Text>
          );
        })
      )}
    </Box>
  );
}

/**
 * `Namespaces(12) [/web/]  2 marked  pods: not permitted   cols 1-9/12 →  3/12`, or the
 * filter's error. The column window and the position stay at the right; the rest is cut first.
 */
function titleLine<R>(title: string, table: TableController<R>, width: number, notice?: string): string {
  const count = table.total === table.rows.length ? `(${table.total})` : `(${table.rows.length}/${table.total})`;
  const parts = [`${title}${count}`];
  if (table.query) parts.push(`[${table.query}]`);
  if (!table.filter.ok) parts.push(`bad filter: ${table.filter.error}`);
  if (table.markedRows.length > 0) parts.push(`${table.markedRows.length} marked`);
  if (notice) parts.push(notice);
  const cursorAt = table.rows.length > 0 ? `${table.cursor + 1}/${table.rows.length}` : '';
  const position = [columnWindowText(table.columnWindow), cursorAt].filter(Boolean).join('  ');
  const left = truncate(parts.join('  '), Math.max(1, width - textWidth(position) - 2));
  return `${left}${' '.repeat(Math.max(1, width - 1 - textWidth(left) - textWidth(position)))}${position}`;
}
