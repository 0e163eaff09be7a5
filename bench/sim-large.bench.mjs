/**
 * Issue 2: the `large` scenario (1,000 nodes, 30,000 pods) of `daytwo sim` in a child
 * process: its startup time and RSS, the time to LIST every pod with the client (plain
 * JSON through KubeHttp, paged and in one request, and client-node's typed API for
 * comparison), and LIST+WATCH: a list, then a watch from its resourceVersion that receives
 * the events of a few pods deleted through the API and recreated by their ReplicaSets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { KubeHttp } from '../packages/daytwo/dist/kube/http.js';
import { listAll } from '../packages/daytwo/dist/kube/list.js';
import { log, writeBenchResult } from './lib/output.mjs';
import { median, metric, percentile } from './lib/report.mjs';
import { startSimProcess } from './lib/sim-process.mjs';

const NAME = 'sim-large';
const EXPECTED_PODS = 30_000;
const LIST_RUNS = 3;
const TYPED_LIST_RUNS = 2;
/** Pods deleted during the watch, one every DELETE_EVERY_MS. */
const DELETED_PODS = 10;
const DELETE_EVERY_MS = 200;
/** How long the watch waits for the replacements to run. */
const WATCH_BUDGET_MS = 60_000;

const TARGET = { startupMs: 10_000, rssMiB: 1536, listMs: 2_000 };

const notes = [`Load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores are shared).`];
const metrics = {};
const dir = mkdtempSync(join(tmpdir(), 'daytwo-bench-'));
const sim = await startSimProcess({ args: ['--scenario', 'large'], kubeconfigOut: join(dir, 'kubeconfig') });
try {
  log(`sim ${sim.url} up in ${sim.startupMs.toFixed(0)} ms (pid ${sim.pid})`);
  metrics.startupMs = metric(sim.startupMs, 'ms', TARGET.startupMs);
  metrics.startupCpuMs = metric(sim.cpuMs(), 'ms');
  const afterStart = sim.memory();
  metrics.simRssAfterStartupMiB = metric(afterStart.rssMiB, 'MiB', TARGET.rssMiB);

  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const http = new KubeHttp(kc);

  const paged = await timeRuns('plain JSON, paged (limit 500, as the console lists)', LIST_RUNS, async () =>
    (await listAll(http, '/api/v1/pods', { limit: 500 })).items.length,
  );
  metrics.listPagedMs = metric(median(paged), 'ms', TARGET.listMs);
  metrics.listPagedClientCpuMs = metric(median(paged.cpu.client), 'ms');
  metrics.listPagedSimCpuMs = metric(median(paged.cpu.sim), 'ms');
  const single = await timeRuns('plain JSON, one request', LIST_RUNS, async () =>
    (await http.requestJson('/api/v1/pods')).items.length,
  );
  metrics.listOneRequestMs = metric(median(single), 'ms', TARGET.listMs);
  metrics.listOneRequestClientCpuMs = metric(median(single.cpu.client), 'ms');
  metrics.listOneRequestSimCpuMs = metric(median(single.cpu.sim), 'ms');
  const core = kc.makeApiClient(CoreV1Api);
  const typed = await timeRuns('client-node CoreV1Api.listPodForAllNamespaces', TYPED_LIST_RUNS, async () =>
    (await core.listPodForAllNamespaces()).items.length,
  );
  metrics.listTypedClientMs = metric(median(typed), 'ms');
  metrics.listTypedClientCpuMs = metric(median(typed.cpu.client), 'ms');
  notes.push(
    `LIST figures are medians: paged ${fmt(paged)} ms, one request ${fmt(single)} ms, typed ${fmt(typed)} ms.`,
  );

  const afterLists = sim.memory();
  metrics.simRssAfterListsMiB = metric(afterLists.rssMiB, 'MiB', TARGET.rssMiB);
  metrics.simPeakRssMiB = metric(afterLists.peakMiB, 'MiB', TARGET.rssMiB);

  await listAndWatch(kc, http);
  const afterWatch = sim.memory();
  metrics.simRssAfterWatchMiB = metric(afterWatch.rssMiB, 'MiB', TARGET.rssMiB);
  if (afterStart.rssMiB === undefined) notes.push('RSS not measured: /proc is not available on this system.');
} finally {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}
const file = writeBenchResult(NAME, metrics, notes);
log(`wrote ${file}`);

/** Runs `fn` `runs` times; returns the durations in ms. `fn` answers the number of pods listed. */
async function timeRuns(label, runs, fn) {
  const durations = [];
  const cpu = { client: [], sim: [] };
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const clientCpu = process.cpuUsage();
    const simCpu = sim.cpuMs();
    const count = await fn();
    const ms = performance.now() - start;
    const used = process.cpuUsage(clientCpu);
    cpu.client.push((used.user + used.system) / 1000);
    cpu.sim.push(sim.cpuMs() - simCpu);
    durations.push(ms);
    log(`LIST ${label}: ${count} pods in ${ms.toFixed(0)} ms (CPU: client ${cpu.client.at(-1).toFixed(0)} ms, sim ${cpu.sim.at(-1).toFixed(0)} ms)`);
    if (count !== EXPECTED_PODS) notes.push(`${label}: listed ${count} pods, expected ${EXPECTED_PODS}.`);
  }
  return Object.assign(durations, { cpu });
}

/**
 * Lists the pods, watches from the list's resourceVersion, deletes `DELETED_PODS` pods owned
 * by ReplicaSets and follows the events until every replacement is Running.
 */
async function listAndWatch(kc, http) {
  const start = performance.now();
  const list = await listAll(http, '/api/v1/pods', { limit: 500 });
  const listedAt = performance.now();
  const deleteSentAt = new Map();
  const firstEventLatency = [];
  const replacementsRunning = new Set();
  const counts = { ADDED: 0, MODIFIED: 0, DELETED: 0, BOOKMARK: 0 };
  const victims = pickVictims(list.items);
  const listedUids = new Set(list.items.map((p) => p.metadata.uid));
  const victimOwners = new Set(victims.map((p) => `${p.metadata.namespace}/${ownerName(p)}`));
  let allRunning;
  const done = new Promise((resolve) => {
    allRunning = resolve;
  });
  let watchError;
  let stopping = false;
  const watch = await new Watch(kc).watch(
    '/api/v1/pods',
    { resourceVersion: list.resourceVersion, allowWatchBookmarks: true },
    (type, obj) => {
      counts[type] = (counts[type] ?? 0) + 1;
      const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
      const sent = deleteSentAt.get(key);
      if (sent !== undefined) {
        firstEventLatency.push(performance.now() - sent);
        deleteSentAt.delete(key);
      }
      const owner = `${obj.metadata?.namespace}/${ownerName(obj)}`;
      const isNew = !listedUids.has(obj.metadata?.uid);
      if (type !== 'DELETED' && isNew && victimOwners.has(owner) && obj.status?.phase === 'Running') {
        replacementsRunning.add(key);
        if (replacementsRunning.size >= victims.length) allRunning();
      }
    },
    (err) => {
      if (stopping) return;
      watchError = err;
      allRunning();
    },
  );
  const watchingAt = performance.now();
  log(`LIST+WATCH: ${list.items.length} pods listed in ${(listedAt - start).toFixed(0)} ms, watching from rv ${list.resourceVersion} after ${(watchingAt - start).toFixed(0)} ms`);
  metrics.listWatchMs = metric(watchingAt - start, 'ms');

  const churnStart = performance.now();
  for (const pod of victims) {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    deleteSentAt.set(key, performance.now());
    await http.requestJson(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { method: 'DELETE' });
    await sleep(DELETE_EVERY_MS);
  }
  const timeout = sleep(WATCH_BUDGET_MS).then(() => 'timeout');
  const outcome = await Promise.race([done.then(() => 'done'), timeout]);
  const churnMs = performance.now() - churnStart;
  stopping = true;
  watch.abort();
  if (watchError) notes.push(`The watch ended early with an error: ${watchError.message ?? watchError}`);
  if (outcome === 'timeout') notes.push(`Only ${replacementsRunning.size}/${victims.length} replacement pods ran within ${WATCH_BUDGET_MS / 1000} s.`);

  const events = counts.ADDED + counts.MODIFIED + counts.DELETED;
  log(`WATCH: ${events} events (${JSON.stringify(counts)}), ${replacementsRunning.size}/${victims.length} replacements Running after ${churnMs.toFixed(0)} ms`);
  metrics.watchEvents = metric(events, 'events');
  metrics.deleteToWatchEventP50Ms = metric(percentile(firstEventLatency, 50), 'ms');
  metrics.deleteToWatchEventP99Ms = metric(percentile(firstEventLatency, 99), 'ms');
  metrics.replacementsRunningMs = metric(outcome === 'done' ? churnMs : undefined, 'ms');
  notes.push(
    `LIST+WATCH: ${DELETED_PODS} ReplicaSet pods deleted through the API one every ${DELETE_EVERY_MS} ms; the watch saw ${events} events ` +
      `(${counts.ADDED} added, ${counts.MODIFIED} modified, ${counts.DELETED} deleted, ${counts.BOOKMARK ?? 0} bookmarks); ` +
      'replacementsRunningMs runs from the first delete until every replacement pod was Running (controller speed 1).',
  );
}

/** Pods owned by ReplicaSets, spread over namespaces, one per ReplicaSet. */
function pickVictims(pods) {
  const seen = new Set();
  const victims = [];
  const stride = Math.max(1, Math.floor(pods.length / (DELETED_PODS * 3)));
  for (let i = 0; i < pods.length && victims.length < DELETED_PODS; i += stride) {
    const pod = pods[i];
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
    if (!owner || pod.status?.phase !== 'Running' || seen.has(`${pod.metadata.namespace}/${owner.name}`)) continue;
    seen.add(`${pod.metadata.namespace}/${owner.name}`);
    victims.push(pod);
  }
  return victims;
}

function ownerName(pod) {
  return pod.metadata?.ownerReferences?.find((r) => r.controller)?.name;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fmt(values) {
  return values.map((v) => v.toFixed(0)).join(', ');
}
