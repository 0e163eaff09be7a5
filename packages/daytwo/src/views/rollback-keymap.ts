import { type TableContext, tableKeysWithoutR } from '../components/table-keymap.js';
import type { Keymap } from '../hooks/keymap.js';

/** The key context of the rollback view. */
export interface RollbackContext extends TableContext {
  readonly hasSelection: boolean;
  /**
   * RBAC allows it and no rollback is being sent. The current revision may be chosen too:
   * kubectl then says it skipped the rollback, and so does the status line.
   */
  readonly canRollback: boolean;
  rollbackToSelected(): void;
  openLogs(): void;
}

/** Keys of the revision history and rollback view. */
export const ROLLBACK_KEYMAP: Keymap<RollbackContext> = [
  ...tableKeysWithoutR<RollbackContext>('rolls back'),
  {
    id: 'rollback.confirm',
    keys: ['r', 'enter', 'ctrl+l'],
    description: "Roll back to the selected revision (asks first, with the template diff); Ctrl-L is k9s's rollback key",
    category: 'View',
    action: (c) => c.rollbackToSelected(),
    visible: (c) => c.hasSelection && c.canRollback,
    dangerous: true,
    hint: 'roll back',
  },
  {
    id: 'rollback.logs',
    keys: ['l'],
    description: 'Logs of every pod of the workload',
    category: 'View',
    action: (c) => c.openLogs(),
    hint: 'logs',
  },
];
