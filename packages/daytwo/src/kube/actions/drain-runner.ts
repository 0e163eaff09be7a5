/**
 * Drains started from the console: each runs in the background with its own
 * AbortController, reports into `store.operations`, and ends with a status message. The
 * runner belongs to the session, not to a view, so a drain outlives the view that started it.
 */
import type { DrainActionOptions } from '../../store/actions.js';
import { drainConflict } from '../../domain/operations.js';
import { ActionCancelled, ActionRefused, type ActionEnv } from './guard.js';
import { drainNodes } from './drain.js';

/** Starts and cancels the console's drains. */
export interface DrainRunner {
  /**
   * Starts a drain; returns its operation id at once. A node that a running drain holds
   * (or any node while another drain runs) is refused: the refusal is the operation's message.
   */
  start(nodes: readonly string[], options: DrainActionOptions): string;
  /** Cancels a running drain (its nodes stay cordoned); unknown ids are ignored. */
  cancel(id: string): void;
  /** Cancels every running drain; resolves when each has ended (its audit "end" line written). */
  cancelAll(): Promise<void>;
}

/** The drain runner of one session. */
export function createDrainRunner(env: ActionEnv): DrainRunner {
  const running = new Map<string, { readonly abort: AbortController; readonly done: Promise<void> }>();
  let sequence = 0;
  return {
    start(nodes, options) {
      const id = `drain-${Date.now()}-${++sequence}`;
      const target = nodes.map((n) => `node/${n}`).join(',');
      const { pushMessage, putOperation, operations } = env.store.getState();
      const refuse = (message: string) => {
        putOperation({ id, action: 'drain', target, state: 'refused', startedAt: Date.now(), finishedAt: Date.now(), message, items: [] });
        pushMessage('error', message);
      };
      const conflict = drainConflict(nodes, operations);
      if (conflict) {
        refuse(`drain refused: ${conflict}`);
        return id;
      }
      // Running from now on, before the access checks answer, so that a second `d` sees it.
      const startedAt = Date.now();
      putOperation({ id, action: 'drain', target, state: 'running', startedAt, items: nodes.map((n) => ({ key: `node/${n}`, state: 'pending' })) });
      const abort = new AbortController();
      const done = drainNodes(env, { nodes, flags: options, signal: abort.signal, operationId: id })
        .then((summary) => {
          pushMessage('success', summary.message);
        })
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          // Refused before it started: no progress was recorded, so record the refusal.
          if (err instanceof ActionRefused) return refuse(message);
          if (env.store.getState().operations.get(id)?.state === 'running') {
            putOperation({ id, action: 'drain', target, state: 'failed', startedAt, finishedAt: Date.now(), message, items: [] });
          }
          pushMessage(err instanceof ActionCancelled ? 'warning' : 'error', message);
        })
        .finally(() => running.delete(id));
      running.set(id, { abort, done });
      return id;
    },
    cancel(id) {
      running.get(id)?.abort.abort();
    },
    async cancelAll() {
      const drains = [...running.values()];
      for (const d of drains) d.abort.abort();
      await Promise.all(drains.map((d) => d.done));
    },
  };
}
