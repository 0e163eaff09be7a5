import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { QOS_NAMESPACE_COLUMNS, type QosNamespaceSummary } from '../domain/qos-summary.js';
import { fitColumns, formatLine, naturalWidths, prepareRows } from '../domain/table.js';
import { MARKER_WIDTH } from '../hooks/use-table.js';

/** Lines the panel uses besides its rows: the title and the header. */
export const SUMMARY_CHROME_LINES = 2;

/** Props of {@link QosSummaryPanel}. */
export interface QosSummaryPanelProps {
  readonly summaries: readonly QosNamespaceSummary[];
  /** Rows available for namespaces (one is used for "… more" when they do not all fit). */
  readonly rows: number;
  readonly width: number;
}

/** Lines {@link QosSummaryPanel} draws for `count` namespaces in at most `rows` rows. */
export function summaryPanelHeight(count: number, rows: number): number {
  return SUMMARY_CHROME_LINES + Math.max(1, Math.min(count, rows));
}

const keyOf = (s: QosNamespaceSummary) => s.namespace;

/** The per-namespace QoS summary above the pod list; columns line up with the table's. */
export function QosSummaryPanel({ summaries, rows, width }: QosSummaryPanelProps): ReactElement {
  const prepared = prepareRows(summaries, QOS_NAMESPACE_COLUMNS, keyOf);
  const widths = fitColumns(QOS_NAMESPACE_COLUMNS, naturalWidths(QOS_NAMESPACE_COLUMNS, prepared), width - MARKER_WIDTH);
  const aligns = QOS_NAMESPACE_COLUMNS.map((c) => c.align);
  const overflow = summaries.length > rows;
  const shown = overflow ? prepared.slice(0, Math.max(0, rows - 1)) : prepared;
  const pad = ' '.repeat(MARKER_WIDTH);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" bold>
        {`QoS by namespace(${summaries.length})`}
      </Text>
      <Text wrap="truncate" bold color="cyan">
        {pad + formatLine(QOS_NAMESPACE_COLUMNS.map((c) => c.header), widths, aligns)}
      </Text>
      {summaries.length === 0 ? (
        <Text wrap="truncate" dimColor>
          no pods (yet)
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
