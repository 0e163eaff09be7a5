/**
 * `startSim`: the simulated cluster in one call — store, scenario, fixtures, controllers,
 * synthetic logs and the HTTP API server on loopback — and a handle to stop it cleanly.
 */

import { versionInfo } from './api/discovery.js';
import { generateTokens, type SimTokens, type SimUser } from './auth.js';
import { createClock } from './clock.js';
import { createControllers } from './controllers/index.js';
import { RootCaPublisher } from './controllers/service-account.js';
import { Faults, parseFaults } from './faults.js';
import { loadFixtureFiles } from './fixtures.js';
import { simKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { SyntheticLogs } from './logs.js';
import { seededRandom } from './random.js';
import { loadScenario, type ScenarioName } from './scenarios/index.js';
import { SimServer } from './server.js';
import { MemoryStore } from './store.js';

export type { ScenarioName } from './scenarios/index.js';

export interface SimOptions {
  scenario?: ScenarioName;
  nodes?: number;
  pods?: number;
  /** YAML/JSON files whose objects are loaded after the scenario. */
  fixtures?: string[];
  /** gitVersion served by `/version` (default v1.30.x for demo, v1.31.0 otherwise). */
  serverVersion?: string;
  controllers?: 'all' | 'none';
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Writes a kubeconfig for the sim to this path (mode 0600). */
  kubeconfigOut?: string;
  /** The user of the written kubeconfig's current context. */
  user?: SimUser;
  /** Controller speed factor (2 = twice as fast). */
  speed?: number;
  /** `--fault` specs, e.g. `latency=200ms`. */
  faults?: string[];
  seed?: number;
  /** How often watches that allow bookmarks receive one (default 5 s). */
  bookmarkIntervalMs?: number;
  /** Serve the metrics API (`metrics.k8s.io`) as metrics-server would (default true). */
  metricsServer?: boolean;
  /** kube-apiserver's `--etcd-compaction-interval` in ms (default 5 minutes; 0 never compacts): how long resourceVersions stay readable. */
  compactionIntervalMs?: number;
}

export interface SimHandle {
  /** `http://127.0.0.1:<port>` (plain HTTP; the same port also speaks HTTPS). */
  url: string;
  /** `https://127.0.0.1:<port>`, what the kubeconfigs point at (kubectl sends tokens only over TLS). */
  httpsUrl: string;
  /** PEM of the sim's self-signed serving certificate (the kubeconfigs' certificate authority). */
  certificate: string;
  port: number;
  store: MemoryStore;
  /** Live fault knobs: change fields to inject faults while running. */
  faults: Faults;
  tokens: SimTokens;
  /** A kubeconfig (YAML) for the sim, current context for `user` (default admin). */
  kubeconfig(user?: SimUser): string;
  /** Watch streams open right now (a client that stopped watching has none left). */
  readonly openWatches: number;
  /** Stops controllers, ends every watch and log stream, closes the server. */
  stop(): Promise<void>;
}

/** The server version a scenario reports by default. */
export function defaultServerVersion(scenario: ScenarioName): string {
  return scenario === 'demo' ? 'v1.30.4' : 'v1.31.0';
}

/**
 * Starts a simulated cluster: loads and settles the scenario, loads fixtures, starts the
 * controllers (unless `controllers: 'none'`) and serves the API. Throws on bad options
 * (fault specs, server version, fixtures) before anything runs.
 */
export async function startSim(options: SimOptions = {}): Promise<SimHandle> {
  const scenario = options.scenario ?? 'demo';
  const seed = options.seed ?? 1;
  const serverVersion = options.serverVersion ?? defaultServerVersion(scenario);
  versionInfo(serverVersion);
  const faults = new Faults(parseFaults(options.faults ?? []), seed);
  const tokens = generateTokens();
  const store = new MemoryStore({ compactionIntervalMs: options.compactionIntervalMs });
  const controllers = createControllers();
  // The scenario is settled by the controllers even when they do not run afterwards.
  loadScenario(scenario, store, { nodes: options.nodes, pods: options.pods, seed, controllers });
  if (options.fixtures?.length) loadFixtureFiles(store, options.fixtures);

  const server = await SimServer.start(
    {
      store,
      faults,
      tokens,
      serverVersion,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      metricsServer: options.metricsServer,
      logs: new SyntheticLogs({
        speed: options.speed ?? 1,
        slowLineDelayMs: () => faults.slowLogsMs,
        dropAfterMs: () => faults.dropLogsMs,
      }),
    },
    { port: options.port ?? 0, host: options.host },
  );
  const running = options.controllers === 'none' ? [] : [...controllers, new RootCaPublisher(server.certificate)];
  const clock = createClock(options.speed ?? 1);
  const random = seededRandom(seed);
  for (const c of running) c.start({ store, clock, random });

  const kubeconfig = (user: SimUser = options.user ?? 'admin') =>
    simKubeconfig({ server: server.httpsUrl, certificateAuthority: server.certificate, users: tokens, user });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    if (!stopped) {
      for (const c of running) c.stop();
      clock.stop();
      stopped = server.close();
    }
    return stopped;
  };
  if (options.kubeconfigOut) {
    try {
      writeKubeconfig(options.kubeconfigOut, kubeconfig());
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return {
    url: server.url,
    httpsUrl: server.httpsUrl,
    certificate: server.certificate,
    port: server.port,
    store,
    faults,
    tokens,
    kubeconfig,
    get openWatches() {
      return server.openWatches;
    },
    stop,
  };
}
