/** `daytwo rehearse migrate|drain`'s output: a summary and a table, or one JSON/YAML document. */
import { type DrainRehearsal, drainRehearsalRows, drainRehearsalSummary } from '../domain/drain-rehearsal.js';
import { type MigrationRehearsal, REHEARSAL_COLUMNS, rehearsalRows, rehearsalSummary } from '../domain/migration-rehearsal.js';
import { type OutputFormat, renderDocument, renderTable } from './format.js';

/** The rehearsal as `format`. */
export function renderRehearsal(r: MigrationRehearsal, format: OutputFormat): string {
  if (format !== 'table') return renderDocument({ kind: 'MigrationRehearsal', ...r, items: rehearsalRows(r) }, format);
  const lines = [...rehearsalSummary(r), ''];
  return `${lines.join('\n')}${renderTable(REHEARSAL_COLUMNS, rehearsalRows(r))}`;
}

/** 0 when the rehearsed migration completed and left no pod Pending (besides those Pending before it), 1 otherwise. */
export function rehearsalExitCode(r: MigrationRehearsal): number {
  return r.result === 'succeeded' && !r.pending.some((p) => p.stillPending && !p.beforeMigration) ? 0 : 1;
}

/** The drain rehearsal as `format`. */
export function renderDrainRehearsal(r: DrainRehearsal, format: OutputFormat): string {
  if (format !== 'table') return renderDocument({ kind: 'DrainRehearsal', ...r, items: drainRehearsalRows(r) }, format);
  return `${[...drainRehearsalSummary(r), ''].join('\n')}${renderTable(REHEARSAL_COLUMNS, drainRehearsalRows(r))}`;
}

export { drainRehearsalExitCode } from '../domain/drain-rehearsal.js';
