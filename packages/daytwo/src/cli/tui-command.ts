import { parseArgs } from 'node:util';
import { createClusterActions } from '../kube/actions/index.js';
import { AuditLog } from '../kube/audit.js';
import type { DriftEngine } from '../kube/drift/engine.js';
import type { ClusterActions } from '../store/actions.js';
import type { AppStore } from '../store/app-store.js';
import { runningOperations } from '../store/operations.js';
import type { ViewSpec } from '../views/registry.js';
import { connect } from './connect.js';
import { CONNECTION_OPTIONS, connectionOptions, UsageError } from './connection-options.js';
import { DRIFT_OPTIONS, driftOptions } from './drift-options.js';
import { forgetCiForInteractiveTerminal } from './interactive-env.js';
import { joinNegativeOptionValues } from './negative-option-values.js';

/** How long quitting waits for cancelled operations to end and write their audit lines. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * After the console quit (the user confirmed cancelling what ran): cancel what still runs,
 * wait for each action to end and write its audit "end" line, and say on stderr how each
 * ended, since the console's screen is gone.
 */
async function settleOperations(store: AppStore, actions: ClusterActions): Promise<void> {
  const running = runningOperations(store.getState().operations).map((o) => o.id);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), SETTLE_TIMEOUT_MS);
  });
  const late = await Promise.race([(actions.cancelRunning?.() ?? Promise.resolve()).then(() => false), timedOut]);
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
  const conn = await connect(opts);
  let driftEngine: DriftEngine | undefined;
  let stopHelm: (() => void) | undefined;
  let closeHelm: (() => void) | undefined;
  try {
    conn.session.start();
    const { runTui, handOverTerminal } = await import('../tui.js');
    const { session } = conn;
    // kubectl runs while this process waits for it: the --demo cluster, served from this process, could not answer it (and serves no exec stream).
    const terminal = {
      handOver: <T,>(run: () => T) => handOverTerminal(run),
      ...(conn.demoUrl ? { unavailable: "a shell needs a real cluster: the demo's simulated cluster serves no exec stream" } : {}),
    };
    const env = { kc: session.kc, store: session.store, audit: new AuditLog(), terminal };
    const { createDriftEngine } = await import('../kube/drift/load.js');
    const { createDriftActions } = await import('../kube/drift/sync.js');
    // --demo brings its own Git source; a --git given wins.
    const source = drift ?? (conn.demoGit ? { location: conn.demoGit.location, namespace: conn.demoGit.namespace } : undefined);
    driftEngine = source ? createDriftEngine(session.kc, source, session.store) : undefined;
    driftEngine?.start();
    const actions = { ...createClusterActions(env), ...(driftEngine ? createDriftActions(env, driftEngine) : {}) };
    // Loaded here, as the console is, after the CI variables are cleared (see interactive-env).
    const { VIEWS } = await import('../views/registry.js');
    const helpNote = conn.demoGit ? demoHelpNote(VIEWS, conn.demoGit.namespace) : undefined;
    const { followHelmReleases } = await import('../kube/upgrade/helm-releases.js');
    const { createUpgradeSourcesStore } = await import('../store/upgrade.js');
    const { KubeHttp } = await import('../kube/http.js');
    const upgrade = createUpgradeSourcesStore();
    const helmHttp = new KubeHttp(session.kc);
    stopHelm = followHelmReleases(helmHttp, upgrade, session.store.getState().cluster.namespace);
    closeHelm = () => helmHttp.close();
    // `daytwo --git PATH` is asked for drift: the console opens on it.
    await runTui(session.store, { initialView: drift ? 'drift' : undefined, callbacks: { actions, logBufferLines, drift: driftEngine, upgrade, helpNote } });
    await settleOperations(session.store, actions);
    return 0;
  } finally {
    stopHelm?.();
    closeHelm?.();
    driftEngine?.stop();
    await conn.close();
  }
}

/** What the demo shows, for the top of the help: one line, so the key reference stays in view. */
function demoHelpNote(views: readonly ViewSpec[], gitNamespace: string): string[] {
  const drift = views.find((v) => v.id === 'drift')?.hotkey;
  const numbers = views.flatMap((v) => (v.hotkey ? [v.hotkey] : [])).join(' ');
  return [`Demo cluster: every view has content behind its number (${numbers}); ${drift ?? ':drift'} Drift compares the demo's own Git repository of ${gitNamespace}.`];
}
