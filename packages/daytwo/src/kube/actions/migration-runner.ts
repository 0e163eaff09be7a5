/**
 * Migrations started from the console: one at a time, in the background, reporting into
 * `store.operations`; pause, resume and abort by operation id. The runner belongs to the
 * session, so a migration outlives the view that started it.
 */
import type { MigrationStart, UnfinishedMigration } from '../../store/actions.js';
import { drainConflict } from '../../domain/operations.js';
import { unfinishedMigrations } from '../migration-journal.js';
import type { ActionEnv } from './guard.js';
import { type MigrationControl, startMigration } from './migrate.js';

export interface MigrationRunner {
  start(request: MigrationStart): string;
  control(id: string, command: 'pause' | 'resume' | 'abort'): void;
  unfinished(): UnfinishedMigration[];
  /** Aborts every running migration (their journals say where they stopped) and waits for them. */
  abortAll(): Promise<void>;
}

/** The migration runner of one session. */
export function createMigrationRunner(env: ActionEnv): MigrationRunner {
  const running = new Map<string, { readonly control: MigrationControl; readonly done: Promise<unknown> }>();
  return {
    start(request) {
      const { pushMessage, putOperation, operations } = env.store.getState();
      const target = `nodepool/${request.from}`;
      const busy = running.size > 0 ? 'a migration is already running: the console runs one at a time' : drainConflict([], operations);
      if (busy) {
        const id = `migrate-${request.from}-${Date.now()}`;
        const message = `migration refused: ${busy}`;
        putOperation({ id, action: 'migrate', target, state: 'refused', startedAt: Date.now(), finishedAt: Date.now(), message, items: [] });
        pushMessage('error', message);
        return id;
      }
      const handle = startMigration(env, { ...request, drain: {} });
      const done = handle.done
        .then((summary) => pushMessage(summary.state === 'succeeded' ? 'success' : summary.state === 'aborted' ? 'warning' : 'error', summary.message))
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          const op = env.store.getState().operations.get(handle.id);
          if (!op || op.state === 'running') {
            putOperation({ id: handle.id, action: 'migrate', target, state: 'failed', startedAt: op?.startedAt ?? Date.now(), finishedAt: Date.now(), message, items: op?.items ?? [] });
          }
          pushMessage('error', message);
        })
        .finally(() => running.delete(handle.id));
      running.set(handle.id, { control: handle.control, done });
      return handle.id;
    },
    control(id, command) {
      const m = running.get(id);
      if (!m) return;
      if (command === 'pause') m.control.pause();
      else if (command === 'resume') m.control.resume();
      else m.control.abort();
    },
    unfinished() {
      return unfinishedMigrations(env.store.getState().cluster.context).map((j) => ({
        from: j.from,
        to: j.to,
        state: j.state,
        nodes: j.nodes.length,
        nodesDone: j.nodes.filter((n) => n.state === 'done').length,
        moved: j.evicted.filter((e) => e.accepted).length,
        updatedAt: j.updatedAt,
      }));
    },
    async abortAll() {
      const all = [...running.values()];
      for (const m of all) m.control.abort();
      await Promise.all(all.map((m) => m.done));
    },
  };
}
