/**
 * The console's connection to one kubeconfig context at a time, switchable without
 * restarting (`:ctx`): a switch stops every watch of the old context (the session's kind
 * watches, drift, Helm releases), clears what the store read from the old cluster, and
 * starts the same on the new one; the views get new actions, so their own streams (logs,
 * resource tables) restart on the new cluster. `--context` picks the first one.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { runningOperations } from '../domain/operations.js';
import type { TerminalHandover } from '../kube/actions/guard.js';
import { createClusterActions } from '../kube/actions/index.js';
import { AuditLog } from '../kube/audit.js';
import type { DriftEngine } from '../kube/drift/engine.js';
import { createDriftEngine, type DriftSourceOptions } from '../kube/drift/load.js';
import { createDriftActions } from '../kube/drift/sync.js';
import { KubeHttp } from '../kube/http.js';
import { loadKubeconfig, selectContext } from '../kube/kubeconfig.js';
import { type KubeSession, openSession } from '../kube/session.js';
import { followHelmReleases } from '../kube/upgrade/helm-releases.js';
import { followVolumeStats } from '../kube/volume-stats.js';
import type { ConnectionOptions } from '../options/connection-options.js';
import type { ClusterActions } from '../store/actions.js';
import { trackAlerts } from '../store/alert-tracker.js';
import type { AppStore } from '../store/app-store.js';
import { createUpgradeSourcesStore } from '../store/upgrade.js';
import type { AppCallbacks } from '../views/shell.js';
import { type Connection, connect } from './connect.js';

/** What the console is started with besides the connection. */
export interface ConsoleOptions {
  readonly connection: ConnectionOptions;
  /** `--git`: a drift source; with `--demo` its own repository is used when none is given. */
  readonly drift?: DriftSourceOptions;
  /** Callbacks that do not depend on the cluster (log buffer size, help note). */
  readonly base?: Omit<AppCallbacks, 'actions' | 'drift' | 'upgrade' | 'switchContext'>;
  /** Environment and home directory for finding the kubeconfig (tests). */
  readonly env?: Record<string, string | undefined>;
  readonly homeDir?: string;
  /** Hands the terminal to kubectl (a shell in a container); absent in tests without a terminal. */
  readonly terminal?: TerminalHandover;
}

/** What runs for one context. */
interface ContextParts {
  readonly session: KubeSession;
  readonly actions: ClusterActions;
  readonly drift?: DriftEngine;
  readonly upgrade: ReturnType<typeof createUpgradeSourcesStore>;
  stop(): Promise<void>;
}

export class ConsoleConnection {
  private switching = false;

  private constructor(
    private readonly opts: ConsoleOptions,
    private readonly first: Connection,
    private parts: ContextParts,
  ) {}

  /** Connects (`--context` or the current context) and starts every watch. */
  static async open(opts: ConsoleOptions): Promise<ConsoleConnection> {
    const first = await connect(opts.connection);
    const drift = opts.drift ?? (first.demoGit ? { location: first.demoGit.location, namespace: first.demoGit.namespace } : undefined);
    const parts = startParts(first.session, drift, shellTerminal(opts));
    return new ConsoleConnection({ ...opts, drift }, first, parts);
  }

  /** With `--demo`: the demo's own Git repository, which the live cluster drifts from. */
  get demoGit(): Connection['demoGit'] {
    return this.first.demoGit;
  }

  get session(): KubeSession {
    return this.parts.session;
  }

  get store(): AppStore {
    return this.parts.session.store;
  }

  /** What the console gets for the current context. */
  callbacks(): AppCallbacks {
    const { actions, drift, upgrade } = this.parts;
    return { ...this.opts.base, actions, drift, upgrade, switchContext: (name) => this.switchContext(name) };
  }

  /**
   * Moves the console to context `name`: checks it first (a broken context leaves the
   * current one running and rejects with the kubeconfig's message), refuses while an action
   * runs, then stops the old watches, clears the store and starts the new session.
   */
  async switchContext(name: string): Promise<AppCallbacks> {
    if (this.switching) throw new Error('another context switch is still under way');
    this.switching = true;
    try {
      return await this.switchTo(name);
    } finally {
      this.switching = false;
    }
  }

  private async switchTo(name: string): Promise<AppCallbacks> {
    const store = this.store;
    const running = runningOperations(store.getState().operations);
    if (running.length > 0) throw new Error(`${running[0].action} ${running[0].target} is still running; switch when it ends or cancel it`);
    const c = this.opts.connection;
    const demoKc: KubeConfig | undefined = c.demo ? this.first.session.kc : undefined;
    // Validate before touching anything: a bad context throws here with the kubeconfig's message.
    if (demoKc) selectContext(demoKc, name);
    else loadKubeconfig({ explicitPath: c.kubeconfig, context: name, env: this.opts.env, homeDir: this.opts.homeDir });
    await this.parts.stop();
    const cluster = store.getState().cluster;
    store.getState().resetCluster({ context: name, server: '', readonly: cluster.readonly, reachable: true, namespace: cluster.namespace });
    const session = await openSession({
      kubeconfig: c.kubeconfig,
      context: name,
      namespace: c.namespace,
      readonly: c.readonly,
      kubeConfigObject: demoKc,
      store,
      env: this.opts.env,
      homeDir: this.opts.homeDir,
    });
    this.parts = startParts(session, this.opts.drift, shellTerminal(this.opts));
    return this.callbacks();
  }

  /** Stops the current context's watches, and the demo cluster with `--demo`. */
  async close(): Promise<void> {
    await this.parts.stop();
    await this.first.close();
  }
}

/**
 * The terminal handover for shells. kubectl runs while this process waits for it, so the
 * --demo cluster, served from this process, could not answer it (nor does it serve exec).
 */
function shellTerminal(opts: ConsoleOptions): TerminalHandover | undefined {
  if (!opts.terminal) return undefined;
  return opts.connection.demo ? { ...opts.terminal, unavailable: "a shell needs a real cluster: the demo's simulated cluster serves no exec stream" } : opts.terminal;
}

/** Starts a context's watches, actions, drift comparison, Helm release and volume stats polling, and the alerts. */
function startParts(session: KubeSession, drift: ConsoleOptions['drift'], terminal: TerminalHandover | undefined): ContextParts {
  session.start();
  const env = { kc: session.kc, store: session.store, audit: new AuditLog(), ...(terminal ? { terminal } : {}) };
  const engine = drift ? createDriftEngine(session.kc, drift, session.store) : undefined;
  engine?.start();
  const actions = { ...createClusterActions(env), ...(engine ? createDriftActions(env, engine) : {}) };
  // A migration whose console or SSH session died: offered again, never resumed by itself.
  for (const u of actions.unfinishedMigrations?.() ?? []) {
    session.store
      .getState()
      .pushMessage('warning', `unfinished migration of node pool ${u.from} (${u.state}, ${u.nodesDone}/${u.nodes} nodes done): press m on it in Node pools (3) to resume`);
  }
  const upgrade = createUpgradeSourcesStore();
  // One connection pool for the sources read by polling (Helm releases, volume stats).
  const pollHttp = new KubeHttp(session.kc);
  const stopHelm = followHelmReleases(pollHttp, upgrade, session.store.getState().cluster.namespace);
  const stopVolumes = followVolumeStats(pollHttp, session.store);
  const stopAlerts = trackAlerts(session.store);
  return {
    session,
    actions,
    drift: engine,
    upgrade,
    async stop() {
      // Forwards run with this context's kubeconfig: they end with it.
      await actions.portForwards?.stopAll();
      stopAlerts();
      stopVolumes();
      stopHelm();
      pollHttp.close();
      engine?.stop();
      await session.stop();
    },
  };
}
