import type { KeyBinding } from '../hooks/keymap.js';
import type { MigrationActions } from './use-migration.js';

/** What the migration keys need from the Node pools view. */
export interface MigrationKeyContext {
  readonly migration: MigrationActions;
  /** True while one pool's nodes are listed (m acts on a pool row). */
  readonly poolOpen: boolean;
  /** The pool under the cursor, and every pool's name (the targets offered). */
  selectedPool(): { readonly name: string; readonly pools: readonly string[] } | undefined;
}

const running = (c: MigrationKeyContext) => c.migration.operation?.state === 'running';

/**
 * `m` migrates the pool under the cursor (k9s binds no `m` in its node view; `M` sorts by
 * memory there), `p` pauses or resumes a running migration. Both change the cluster, so
 * they vanish under --readonly. Esc (aborting) is the view's, like a drain's cancel.
 */
export function migrationKeyBindings<C extends MigrationKeyContext>(prefix: string): KeyBinding<C>[] {
  return [
    {
      id: `${prefix}.migrate`,
      keys: ['m'],
      description: 'Migrate the pool: preflight, then cordon it and drain one node at a time behind the availability gate (resumes an unfinished one)',
      category: 'View',
      action: (c) => {
        const pool = c.selectedPool();
        if (pool) c.migration.start(pool.name, pool.pools);
      },
      visible: (c) => !c.poolOpen && !running(c),
      dangerous: true,
      hint: 'migrate',
    },
    {
      id: `${prefix}.pauseMigration`,
      keys: ['p'],
      description: 'Pause the running migration before its next node, or resume it',
      category: 'View',
      action: (c) => c.migration.togglePause(),
      visible: running,
      dangerous: true,
      hint: 'pause/resume',
    },
  ];
}

/** What Esc does for the migration panel: abort the running migration (asked first), else close the finished one. */
export function migrationEscape(migration: MigrationActions): (() => void) | undefined {
  const op = migration.operation;
  if (op?.state === 'running') return () => migration.abort();
  if (op) return () => migration.dismiss();
  return undefined;
}
