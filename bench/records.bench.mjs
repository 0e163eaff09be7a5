/**
 * Issue 14: what the console keeps per pod and per node of the `large` scenario (1,000 nodes,
 * 30,000 pods), in three forms: the object as listed, the object without managedFields and the
 * last-applied annotation (what the store kept before compact records), and the compact record
 * (@daytwo/k8s/compact.js, what the store keeps now). For each: JSON bytes, and retained heap
 * (every object of the form held in an array, measured after a forced GC against the heap
 * before the list).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from '../packages/daytwo/dist/kube/http.js';
import { listAll } from '../packages/daytwo/dist/kube/list.js';
import { ingestObject, slimObject } from '../packages/daytwo/dist/store/app-store.js';
import { log, writeBenchResult } from './lib/output.mjs';
import { metric } from './lib/report.mjs';
import { startSimProcess } from './lib/sim-process.mjs';

const NAME = 'records';
const scenario = process.env.DAYTWO_BENCH_SCENARIO ?? 'large';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const notes = [`Load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores are shared).`, `Scenario: ${scenario}.`];
const metrics = {};
const dir = mkdtempSync(join(tmpdir(), 'daytwo-bench-'));
const sim = await startSimProcess({ args: ['--scenario', scenario], kubeconfigOut: join(dir, 'kubeconfig') });
try {
  log(`sim ${sim.url} up in ${sim.startupMs.toFixed(0)} ms`);
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const http = new KubeHttp(kc);
  const forms = {
    whole: (o) => o,
    slim: (o) => slimObject(o),
    record: null,
  };
  for (const [kind, path] of [
    ['pods', '/api/v1/pods'],
    ['nodes', '/api/v1/nodes'],
  ]) {
    const label = kind === 'pods' ? 'Pod' : 'Node';
    for (const [form, map] of Object.entries(forms)) {
      const { n, bytes, retained } = await measure(http, path, map ?? ((o) => ingestObject(kind, o)));
      metrics[`${kind}${cap(form)}JsonBytesPer${label}`] = metric(bytes / n, 'B');
      metrics[`${kind}${cap(form)}HeapBytesPer${label}`] = metric(retained / n, 'B');
      log(`${kind} ${form}: ${n} objects, ${(bytes / n).toFixed(0)} B JSON, ${(retained / n).toFixed(0)} B retained heap each`);
    }
  }
  notes.push(
    'whole = as listed (paged by 500); slim = without managedFields and the last-applied annotation (the store before compact records); ' +
      'record = the compact record the store keeps (@daytwo/k8s/compact.js). Heap bytes = heapUsed after a forced GC with every object held, minus before, per object.',
  );
} finally {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}
const file = writeBenchResult(NAME, metrics, notes);
log(`wrote ${file}`);

/** Lists `path` mapping each item, and measures the heap the mapped items retain. */
async function measure(http, path, mapItem) {
  const heapAfterGc = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heapAfterGc();
  const { items } = await listAll(http, path, { limit: 500, mapItem });
  const retained = heapAfterGc() - before;
  const bytes = items.reduce((sum, o) => sum + Buffer.byteLength(JSON.stringify(o)), 0);
  return { n: items.length, bytes, retained };
}

function cap(s) {
  return s[0].toUpperCase() + s.slice(1);
}
