import { parseArgs } from 'node:util';
import { runningOperations } from '../domain/operations.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from '../options/connection-options.js';
import { DRIFT_OPTIONS, driftOptions } from '../options/drift-options.js';
import type { ClusterActions } from '../store/actions.js';
import type { AppStore } from '../store/app-store.js';
import type { ViewSpec } from '../views/registry.js';
import { capHeapGrowthOnceSynced } from './heap-tuning.js';
import { forgetCiForInteractiveTerminal } from './interactive-env.js';
import { joinNegativeOptionValues } from './negative-option-values.js';

/** How long quitting waits for cancelled operations to end and write their audit lines. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * After the console quit (the user confirmed cancelling what ran): cancel what still runs,
 * wait for each action to end and write its audit "end" line, and say on stderr how each
 * ended, since the console's screen is gone.
 */
async function settleOperations(store: AppStore, actions: ClusterActions | undefined): Promise<void> {
  const running = runningOperations(store.getState().operations).map((o) => o.id);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), SETTLE_TIMEOUT_MS);
  });
  const late = await Promise.race([(actions?.cancelRunning?.() ?? Promise.resolve()).then(() => false), timedOut]);
  clearTimeout(timer);
  for (const id of running) {
    const op = store.getState().operations.get(id);
    if (op) process.stderr.write(`daytwo: ${op.action} ${op.target}: ${op.message ?? op.state}\n`);
  }
  if (late) process.stderr.write(`daytwo: operations still ending after ${SETTLE_TIMEOUT_MS / 1000}s; their audit "end" lines may be missing\n`);
}

/** `daytwo [connection options]`: the interactive console. */
export async function runTuiCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: joinNegativeOptionValues(argv, ['--log-buffer']),
    options: { ...CONNECTION_OPTIONS, ...DRIFT_OPTIONS, 'log-buffer': { type: 'string' } },
    allowPositionals: false,
  });
  const opts = connectionOptions(values);
  const drift = driftOptions(values);
  const logBufferLines = values['log-buffer'] === undefined ? undefined : Number(values['log-buffer']);
  if (logBufferLines !== undefined && (!Number.isInteger(logBufferLines) || logBufferLines < 1)) {
    throw new UsageError(`--log-buffer must be a positive number of lines, got "${values['log-buffer']}"`);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the console needs a terminal (TTY); for non-interactive output use `daytwo report <view>`');
  }
  forgetCiForInteractiveTerminal();
  const { ConsoleConnection } = await import('./console-connection.js');
  const { handOverTerminal } = await import('../tui.js');
  const terminal = { handOver: <T,>(run: () => T) => handOverTerminal(run) };
  const consoleConn = await ConsoleConnection.open({ connection: opts, drift, base: { logBufferLines }, terminal });
  const uncapped = capHeapGrowthOnceSynced(consoleConn.store);
  try {
    const { runTui } = await import('../tui.js');
    // Loaded here, as the console is, after the CI variables are cleared (see interactive-env).
    const { VIEWS } = await import('../views/registry.js');
    const demoGit = consoleConn.demoGit;
    const helpNote = demoGit ? demoHelpNote(VIEWS, demoGit.namespace) : undefined;
    const callbacks = { ...consoleConn.callbacks(), helpNote };
    // `daytwo --git PATH` is asked for drift: the console opens on it.
    await runTui(consoleConn.store, { initialView: drift ? 'drift' : undefined, callbacks });
    await settleOperations(consoleConn.store, consoleConn.callbacks().actions);
    return 0;
  } finally {
    uncapped();
    await consoleConn.close();
  }
}

/** What the demo shows, for the top of the help: one line, so the key reference stays in view. */
function demoHelpNote(views: readonly ViewSpec[], gitNamespace: string): string[] {
  const drift = views.find((v) => v.id === 'drift')?.hotkey;
  const numbers = views.flatMap((v) => (v.hotkey ? [v.hotkey] : [])).join(' ');
  return [`Demo cluster: every view has content behind its number (${numbers}); ${drift ?? ':drift'} Drift compares the demo's own Git repository of ${gitNamespace}.`];
}
