/** `daytwo rehearse migrate`'s output: a summary and a table, or one JSON/YAML document. */
import { type MigrationRehearsal, REHEARSAL_COLUMNS, rehearsalRows } from '../domain/migration-rehearsal.js';
import { humanDuration } from '../domain/format.js';
import { type OutputFormat, renderDocument, renderTable } from './format.js';

/** The rehearsal as `format`. */
export function renderRehearsal(r: MigrationRehearsal, format: OutputFormat): string {
  if (format !== 'table') return renderDocument({ kind: 'MigrationRehearsal', ...r, items: rehearsalRows(r) }, format);
  const targets = r.to.length > 0 ? r.to.join(',') : 'any other schedulable node';
  const still = r.pending.filter((p) => p.stillPending).length;
  const lines = [
    `Rehearsal of nodepool/${r.from} -> ${targets} on a simulated copy (${r.speed}x): ${r.result}`,
    `  ${r.message}`,
    `  evictions: ${r.evictions}; pods Pending: ${r.pending.length} (${still} still Pending at the end); PDB holds: ${r.pdbBlocks.length}`,
    `  simulated duration: ${humanDuration(r.simulatedSeconds)}; estimated at the live pace: ${humanDuration(r.estimatedSeconds)}${r.livePodStartupSeconds !== undefined ? ` (live pods take ${r.livePodStartupSeconds}s from creation to Ready, median)` : ''}`,
    ...r.preflightBlockers.map((b) => `  preflight blocker: ${b}`),
    '',
  ];
  return `${lines.join('\n')}${renderTable(REHEARSAL_COLUMNS, rehearsalRows(r))}`;
}

/** 0 when the rehearsed migration completed with nothing left Pending, 1 otherwise. */
export function rehearsalExitCode(r: MigrationRehearsal): number {
  return r.result === 'succeeded' && !r.pending.some((p) => p.stillPending) ? 0 : 1;
}
