import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import { DRIFT_STATUSES, type DriftStatus } from '../domain/drift/types.js';
import type { Keymap } from '../hooks/keymap.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';

/** Which statuses the table shows: all, or one. */
export type StatusFilter = 'all' | DriftStatus;

/** `f` cycles through these. */
export const FILTERS: readonly StatusFilter[] = ['all', ...DRIFT_STATUSES];

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
