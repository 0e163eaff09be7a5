import { stringify } from 'yaml';
import type { ColumnDef } from '../domain/table.js';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

/** The document every `daytwo report <view> -o json|yaml` prints. */
export interface ReportDocument {
  readonly kind: string;
  readonly items: readonly unknown[];
  readonly [extra: string]: unknown;
}

/** Plain-text table in kubectl's style: upper-case headers, columns three spaces apart. */
export function renderTable<Row>(columns: readonly ColumnDef<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

export function renderDocument(doc: ReportDocument, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
}
