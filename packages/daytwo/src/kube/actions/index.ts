import { describeObject } from '../../domain/describe/index.js';
import { maskSecretValues } from '../../domain/object-yaml.js';
import type { ClusterActions } from '../../store/actions.js';
import { readAuditTail } from '../audit-read.js';
import { refreshDiscovery } from '../discovery.js';
import { KubeHttp } from '../http.js';
import { findKubectl } from '../kubectl.js';
import { followLogs } from '../logs/log-follower.js';
import { saveLogLines } from '../logs/save-logs.js';
import { readPodMetrics } from '../metrics.js';
import { describeInputs, getObject, listEvents } from '../objects.js';
import { readLiveSnapshot } from '../rehearsal/live-snapshot.js';
import { rehearseDrain } from '../rehearsal/rehearse-drain.js';
import { rehearseMigration } from '../rehearsal/rehearse-migration.js';
import { watchResourceTable } from '../table-watch.js';
import { cordonNodes } from './cordon.js';
import { createDrainRunner } from './drain-runner.js';
import { type ActionEnv, checkAccess } from './guard.js';
import { createMigrationRunner } from './migration-runner.js';
import { deleteObject, restartObject, scaleObject } from './object-actions.js';
import { createPortForwards } from './port-forward.js';
import { outcomeLine, rollbackWorkload } from './rollback.js';
import { shellInto, shellUnavailable } from './shell.js';

/** The actions of one session, for the console and the CLI. */
export function createClusterActions(env: ActionEnv): ClusterActions {
  const drains = createDrainRunner(env);
  const kubectl = findKubectl();
  const migrations = createMigrationRunner(env);
  const portForwards = createPortForwards(env, kubectl);
  /** Guarded actions in flight, so that quitting waits for their audit "end" lines. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(action: Promise<T>): Promise<T> => {
    inFlight.add(action);
    action.then(
      () => inFlight.delete(action),
      () => inFlight.delete(action),
    );
    return action;
  };
  /** A read with a client of its own, closed after. */
  const read = async <T>(run: (http: KubeHttp) => Promise<T>): Promise<T> => {
    const http = new KubeHttp(env.kc);
    try {
      return await run(http);
    } finally {
      http.close();
    }
  };
  return {
    async checkAccess(queries) {
      await checkAccess(env, queries);
    },
    async rollback(ref, toRevision) {
      return outcomeLine(await track(rollbackWorkload(env, { ...ref, toRevision })));
    },
    async cordon(nodes) {
      await track(cordonNodes(env, nodes, true));
    },
    async uncordon(nodes) {
      await track(cordonNodes(env, nodes, false));
    },
    drain(nodes, options) {
      return drains.start(nodes, options);
    },
    cancelOperation(id) {
      drains.cancel(id);
      migrations.control(id, 'abort');
    },
    migrate(request) {
      return migrations.start(request);
    },
    controlMigration(id, command) {
      migrations.control(id, command);
    },
    unfinishedMigrations() {
      return migrations.unfinished();
    },
    async rehearseMigration(request) {
      const snapshot = await read(readLiveSnapshot);
      return rehearseMigration(snapshot, { from: request.from, to: request.to, gateTimeoutSeconds: request.gateTimeoutSeconds });
    },
    async rehearseDrain(nodes, options) {
      return rehearseDrain(await read(readLiveSnapshot), { nodes, flags: options });
    },
    async cancelRunning() {
      await Promise.all([drains.cancelAll(), migrations.abortAll(), portForwards.stopAll(), ...[...inFlight].map((p) => p.catch(() => undefined))]);
    },
    auditLogPath: env.audit.path,
    readAuditLog(maxLines) {
      return readAuditTail(env.audit.path, maxLines);
    },
    streamLogs(target, options, onEntries) {
      return followLogs({ http: new KubeHttp(env.kc), store: env.store }, target, options, onEntries);
    },
    saveLogs(lines, label) {
      return saveLogLines(lines, label);
    },
    getObject(ref, options) {
      return read(async (http) => {
        const obj = await getObject(http, ref);
        return options?.reveal ? obj : maskSecretValues(obj);
      });
    },
    describe(ref) {
      return read(async (http) => describeObject(await describeInputs(http, ref)));
    },
    objectEvents(ref) {
      return read(async (http) => {
        const obj = await getObject(http, ref);
        return listEvents(http, ref, obj.metadata?.uid);
      });
    },
    deleteObject(ref, choice) {
      return track(deleteObject(env, ref, choice));
    },
    scale(ref, replicas) {
      return track(scaleObject(env, ref, replicas));
    },
    restart(ref) {
      return track(restartObject(env, ref));
    },
    shell(pod, container) {
      return track(shellInto(env, pod, container, kubectl));
    },
    shellUnavailable: shellUnavailable(env, kubectl),
    portForwards,
    watchResourceTable(resource, namespace) {
      const http = new KubeHttp(env.kc);
      const handle = watchResourceTable({ http, resource, namespace });
      return {
        store: handle.store,
        stop() {
          handle.stop();
          http.close();
        },
      };
    },
    async refreshResources() {
      const http = new KubeHttp(env.kc);
      try {
        await refreshDiscovery(http, env.store);
      } finally {
        http.close();
      }
    },
    podMetrics(namespace) {
      return readPodMetrics(env.kc, namespace);
    },
  };
}
