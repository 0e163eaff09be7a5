import { KubeConfig } from '@kubernetes/client-node';
import { type KubeSession, openSession } from '../kube/session.js';
import type { ConnectionOptions } from '../options/connection-options.js';

export interface Connection {
  readonly session: KubeSession;
  /** The simulated cluster's URL when started with --demo. */
  readonly demoUrl?: string;
  /** With --demo: the demo's own Git repository of the `shop` namespace, which the live cluster drifts from. */
  readonly demoGit?: { readonly location: string; readonly namespace: string };
  close(): Promise<void>;
}

/**
 * Opens a session on the cluster the options name. With --demo the simulated cluster
 * starts in-process on an ephemeral loopback port and is reached over HTTP like any other,
 * with a Git repository of its own that the cluster drifts from.
 */
export async function connect(opts: ConnectionOptions): Promise<Connection> {
  if (!opts.demo) {
    const session = await openSession({ ...opts });
    return { session, close: () => session.stop() };
  }
  const { startSim } = await import('@daytwo/sim/index.js');
  const { createDemoGitRepo, DEMO_GIT_NAMESPACE } = await import('@daytwo/sim/scenarios/demo-git.js');
  const sim = await startSim({ scenario: 'demo', port: 0 });
  const repo = createDemoGitRepo(sim.store);
  try {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const session = await openSession({ ...opts, kubeConfigObject: kc });
    return {
      session,
      demoUrl: sim.url,
      demoGit: { location: repo.dir, namespace: DEMO_GIT_NAMESPACE },
      async close() {
        await session.stop();
        await sim.stop();
        repo.remove();
      },
    };
  } catch (err) {
    await sim.stop();
    repo.remove();
    throw err;
  }
}
