import path from 'node:path';
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
