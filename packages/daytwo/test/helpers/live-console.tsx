import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TestSim } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { App } from '../../src/views/App.js';
import { type Rendered, renderElement } from './render.js';

/** A console on a simulated cluster, as the CLI runs it: real watches, real actions, an audit log. */
export interface LiveConsole {
  readonly app: Rendered;
  readonly audit: AuditLog;
  readonly session: KubeSession;
}

export interface LiveConsoleOptions {
  /** Where the audit log is written. */
  readonly dir: string;
  readonly initialView: string;
  readonly user?: 'admin' | 'viewer';
  readonly readonly?: boolean;
  readonly columns: number;
  readonly rows: number;
}

/** Opens a session as `user`, waits for its watches to sync, and renders `<App>` on it with the cluster actions. */
export async function openLiveConsole(t: TestSim, opts: LiveConsoleOptions): Promise<LiveConsole> {
  const user = opts.user ?? 'admin';
  const session = await openSession({ kubeConfigObject: t.kubeConfigFor(user), readonly: opts.readonly });
  session.start();
  await session.waitForSync(undefined, 20_000);
  const audit = new AuditLog(path.join(opts.dir, `${user}-${Date.now()}.log`));
  const actions = createClusterActions({ kc: session.kc, store: session.store, audit });
  const app = await renderElement(<App store={session.store} initialView={opts.initialView} callbacks={{ actions }} />, session.store, {
    columns: opts.columns,
    rows: opts.rows,
  });
  return { app, audit, session };
}

/** What a test file that opens consoles on one simulated cluster needs; see `liveConsoleHooks`. */
export interface LiveConsoleHooks {
  /** The simulated cluster, started before the file's tests. */
  readonly sim: TestSim;
  /** A temporary directory for audit logs and state, removed after the file's tests. */
  readonly dir: string;
  /** The session of the console opened last (throws when none is open). */
  readonly session: KubeSession;
  /** Opens a console on the sim (audit log in `dir`); it is closed after the test. */
  open(opts: Omit<LiveConsoleOptions, 'dir'>): Promise<LiveConsole>;
  /** Closes, after the test, an app or session the test made itself. */
  closeAfterTest(c: { readonly app?: Rendered; readonly session?: KubeSession }): void;
  /** Closes every console opened so far in this test now. */
  close(): Promise<void>;
}

/**
 * Registers the file's hooks: before all tests, makes a temporary directory (`prefix`) and
 * starts the sim with `start(dir)`; after each test, unmounts the apps and stops the sessions
 * it opened; after all, stops the sim and removes the directory.
 */
export function liveConsoleHooks(prefix: string, start: (dir: string) => Promise<TestSim>): LiveConsoleHooks {
  let sim: TestSim | undefined;
  let dir: string | undefined;
  let apps: Rendered[] = [];
  let sessions: KubeSession[] = [];
  const started = <T,>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before beforeAll has run`);
    return value;
  };
  const hooks: LiveConsoleHooks = {
    get sim() {
      return started(sim, 'the sim');
    },
    get dir() {
      return started(dir, 'the directory');
    },
    get session() {
      return started(sessions.at(-1), 'the session of a console');
    },
    async open(opts) {
      const live = await openLiveConsole(hooks.sim, { ...opts, dir: hooks.dir });
      hooks.closeAfterTest(live);
      return live;
    },
    closeAfterTest(c) {
      if (c.app) apps.push(c.app);
      if (c.session) sessions.push(c.session);
    },
    async close() {
      const [opened, running] = [apps, sessions];
      apps = [];
      sessions = [];
      for (const app of opened) app.unmount();
      for (const session of running) await session.stop();
    },
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    sim = await start(dir);
  });
  afterEach(() => hooks.close());
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return hooks;
}
