import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { QOS_NAMESPACE_COLUMNS, type QosNamespaceSummary } from '../domain/qos-summary.js';
import {
  columnWindow,
  columnWindowText,
  fitColumns,
  formatLine,
  maxColumnScroll,
  naturalWidths,
  prepareRows,
  unknownColumns,
} from '../domain/table.js';
import { MARKER_WIDTH } from '../hooks/use-table.js';

/** Lines the panel uses besides its rows: the title and the header. */
export const SUMMARY_CHROME_LINES = 2;

/** Props of {@link QosSummaryPanel}. */
export interface QosSummaryPanelProps {
  readonly summaries: readonly QosNamespaceSummary[];
  /** Rows available for namespaces (one is used for "… more" when they do not all fit). */
  readonly rows: number;
  readonly width: number;
  /** The pod table's horizontal scroll position: the panel scrolls along (as far as its own columns go). */
  readonly columnScroll?: number;
  /** Set when LimitRanges cannot be read: their column shows `?`, and the title says why. */
  readonly limitRangesDenied?: boolean;
  /** Set when pods cannot be read: there is nothing to summarise, and "no pods" would be false. */
  readonly podsDenied?: boolean;
}

/** Lines {@link QosSummaryPanel} draws for `count` namespaces in at most `rows` rows. */
export function summaryPanelHeight(count: number, rows: number): number {
  return SUMMARY_CHROME_LINES + Math.max(1, Math.min(count, rows));
}

const keyOf = (s: QosNamespaceSummary) => s.namespace;

/** The summary's columns when LimitRanges cannot be read: their defaults are unknown (`?`), not "none". */
const DENIED_LIMITRANGE_COLUMNS = unknownColumns(QOS_NAMESPACE_COLUMNS, ['limitRange']);

/** The per-namespace QoS summary above the pod list; columns line up with the table's. */
export function QosSummaryPanel({ summaries, rows, width, columnScroll = 1, limitRangesDenied = false, podsDenied = false }: QosSummaryPanelProps): ReactElement {
  const columns = limitRangesDenied ? DENIED_LIMITRANGE_COLUMNS : QOS_NAMESPACE_COLUMNS;
  const prepared = prepareRows(summaries, columns, keyOf);
  const natural = naturalWidths(columns, prepared);
  const available = width - MARKER_WIDTH;
  const widths = fitColumns(columns, natural, available, 2, Math.min(columnScroll, maxColumnScroll(columns, natural, available)));
  const shownColumns = columnWindowText(columnWindow(widths));
  const aligns = columns.map((c) => c.align);
  const overflow = summaries.length > rows;
  const shown = overflow ? prepared.slice(0, Math.max(0, rows - 1)) : prepared;
  const pad = ' '.repeat(MARKER_WIDTH);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold>
        {`QoS by namespace(${summaries.length})`}
        {limitRangesDenied ? <Text color="yellow">{'  limitranges: not permitted'}</Text> : null}
        {shownColumns ? `  ${shownColumns}` : ''}
      </Text>
      <Text wrap="truncate" bold color="cyan">
        {pad + formatLine(columns.map((c) => c.header), widths, aligns)}
      </Text>
      {summaries.length === 0 ? (
        <Text wrap="truncate" dimColor>
          {podsDenied ? 'pods: not permitted' : 'no pods (yet)'}
        </Text>
      ) : null}
      {shown.map((r) => (
        <Text key={r.key} wrap="truncate" color={r.row.withoutMemoryLimit > 0 ? 'yellow' : undefined}>
          {pad + formatLine(r.cells, widths, aligns)}
        </Text>
      ))}
      {overflow ? (
        <Text wrap="truncate" dimColor>
          {`${pad}… ${summaries.length - shown.length} more namespaces (:ns NAME scopes to one)`}
        </Text>
      ) : null}
    </Box>
  );
}
