/**
 * Drains started from the console: each runs in the background with its own
 * AbortController, reports into `store.operations`, and ends with a status message.
 */
import type { DrainActionOptions } from '../../store/actions.js';
import { ActionCancelled, ActionRefused, type ActionEnv } from './guard.js';
import { drainNodes } from './drain.js';

/** Starts and cancels the console's drains. */
export interface DrainRunner {
  /** Starts a drain; returns its operation id at once. */
  start(nodes: readonly string[], options: DrainActionOptions): string;
  /** Cancels a running drain (its nodes stay cordoned); unknown ids are ignored. */
  cancel(id: string): void;
}

/** The drain runner of one session. */
export function createDrainRunner(env: ActionEnv): DrainRunner {
  const running = new Map<string, AbortController>();
  let sequence = 0;
  return {
    start(nodes, options) {
      const id = `drain-${Date.now()}-${++sequence}`;
      const abort = new AbortController();
      running.set(id, abort);
      const target = nodes.map((n) => `node/${n}`).join(',');
      const { pushMessage, putOperation } = env.store.getState();
      drainNodes(env, { nodes, flags: options, signal: abort.signal, operationId: id })
        .then((summary) => pushMessage('success', summary.message))
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (err instanceof ActionRefused) {
            // Refused before it started: no progress was recorded, so record the refusal.
            putOperation({ id, action: 'drain', target, state: 'refused', startedAt: Date.now(), finishedAt: Date.now(), message, items: [] });
          }
          pushMessage(err instanceof ActionCancelled ? 'warning' : 'error', message);
        })
        .finally(() => running.delete(id));
      return id;
    },
    cancel(id) {
      running.get(id)?.abort();
    },
  };
}
