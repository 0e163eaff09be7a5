/**
 * The audit log's JSON lines as rows of the console's audit view, newest first.
 */
import type { ColumnDef } from './table.js';

/** One audit line. */
export interface AuditRow {
  /** Position in the file (0 = oldest read): keys rows and breaks ties between equal times. */
  readonly index: number;
  readonly time: string;
  readonly context: string;
  readonly user: string;
  readonly action: string;
  readonly target: string;
  readonly phase: string;
  readonly result: string;
  readonly options: string;
  readonly message: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** Parses the lines (oldest first, as in the file); a line that is not JSON shows as such rather than vanishing. */
export function parseAuditLines(lines: readonly string[]): AuditRow[] {
  return lines
    .map((line, index) => {
      let entry: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(line);
        entry = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
      } catch {
        return { index, time: '', context: '', user: '', action: '', target: '', phase: '', result: 'unreadable', options: '', message: line };
      }
      return {
        index,
        time: text(entry.time),
        context: text(entry.context),
        user: text(entry.user),
        action: text(entry.action),
        target: text(entry.target),
        phase: text(entry.phase),
        result: text(entry.result),
        options: entry.options ? text(entry.options) : '',
        message: text(entry.message),
      };
    })
    .reverse();
}

/** Columns of the audit view: the file's order reversed is the default (newest first). */
export const AUDIT_COLUMNS: readonly ColumnDef<AuditRow>[] = [
  { id: 'time', header: 'TIME', value: (r) => r.time, sortValue: (r) => -r.index },
  { id: 'action', header: 'ACTION', value: (r) => r.action },
  // Targets (node/<fqdn>) keep their width; the message and options give way on a narrow terminal.
  { id: 'target', header: 'TARGET', value: (r) => r.target, minWidth: 48 },
  { id: 'phase', header: 'PHASE', value: (r) => r.phase },
  { id: 'result', header: 'RESULT', value: (r) => r.result },
  { id: 'user', header: 'USER', value: (r) => r.user, flex: true },
  { id: 'context', header: 'CONTEXT', value: (r) => r.context, flex: true },
  { id: 'message', header: 'MESSAGE', value: (r) => r.message, flex: true },
  { id: 'options', header: 'OPTIONS', value: (r) => r.options, flex: true },
];
