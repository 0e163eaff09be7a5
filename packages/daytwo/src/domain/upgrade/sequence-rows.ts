/** The upgrade sequence as table rows: each step, then one row per blocker and warning. */

import type { ColumnDef } from '../table.js';
import type { UpgradeStep } from './readiness.js';

export interface SequenceRow {
  readonly key: string;
  readonly step: string;
  readonly what: string;
  readonly detail: string;
  readonly level: 'step' | 'blocker' | 'warning';
}

export function sequenceRows(steps: readonly UpgradeStep[]): SequenceRow[] {
  return steps.flatMap((s) => [
    { key: `${s.step}`, step: String(s.step), what: s.name, detail: s.action, level: 'step' as const },
    ...s.blockers.map((b, i) => ({ key: `${s.step}/b${i}`, step: '', what: 'BLOCKER', detail: b, level: 'blocker' as const })),
    ...s.warnings.map((w, i) => ({ key: `${s.step}/w${i}`, step: '', what: 'warning', detail: w, level: 'warning' as const })),
  ]);
}

export const SEQUENCE_ROW_COLUMNS: readonly ColumnDef<SequenceRow>[] = [
  { id: 'step', header: 'Step', value: (r) => r.step, align: 'right' },
  { id: 'what', header: 'What', value: (r) => r.what },
  { id: 'detail', header: 'Detail', value: (r) => r.detail, flex: true },
];
