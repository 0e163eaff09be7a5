/**
 * Starts the simulated cluster on an ephemeral port for integration tests, with a
 * client-node KubeConfig already pointing at it.
 */

import { KubeConfig } from '@kubernetes/client-node';
import type { SimUser } from '../../src/auth.js';
import { type SimHandle, type SimOptions, startSim } from '../../src/index.js';

export interface TestSimOptions extends Omit<SimOptions, 'port' | 'host' | 'user'> {
  /** Whose credentials `kc` uses (default admin). */
  user?: SimUser;
}

export interface TestSim {
  sim: SimHandle;
  /** client-node config for `user`. */
  kc: KubeConfig;
  url: string;
  /** A KubeConfig for another sim user. */
  kubeConfigFor(user: SimUser): KubeConfig;
  stop(): Promise<void>;
}

/** Starts a sim (default scenario `demo`, seed 1) on 127.0.0.1:0. Call `stop()` in `afterAll`. */
export async function startTestSim(opts: TestSimOptions = {}): Promise<TestSim> {
  const { user = 'admin', ...simOptions } = opts;
  const sim = await startSim({ seed: 1, ...simOptions, port: 0, host: '127.0.0.1' });
  const kubeConfigFor = (who: SimUser) => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig(who));
    return kc;
  };
  return { sim, kc: kubeConfigFor(user), url: sim.url, kubeConfigFor, stop: () => sim.stop() };
}
