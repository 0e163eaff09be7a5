/**
 * daytwo's describe text against `kubectl describe` itself, run on the same objects of the
 * simulated cluster at the same moment: kubectl is the reference, line for line. Skipped, with
 * a line saying so, where kubectl is not on the PATH.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { describeObject } from '../../src/domain/describe/index.js';
import { KubeHttp } from '../../src/kube/http.js';
import { findKubectl } from '../../src/kube/kubectl.js';
import { describeInputs } from '../../src/kube/objects.js';

/**
 * The newest kubectl here. Google Cloud SDK's `kubectl` is a dispatcher that runs the
 * `kubectl.1.NN` beside it matching the server's version (an old one for the simulated
 * cluster), so the newest of those is called directly.
 */
function newestKubectl(): string | undefined {
  const found = findKubectl();
  if (!found) return undefined;
  const dir = path.dirname(realpathSync(found));
  const versioned = readdirSync(dir)
    .map((f) => /^kubectl\.1\.(\d+)$/.exec(f))
    .filter((m) => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  return versioned.length > 0 ? path.join(dir, versioned[0][0]) : found;
}

const kubectl = newestKubectl();
if (!kubectl) console.log('describe-kubectl.test: kubectl is not on the PATH: the comparison with kubectl describe is skipped');
else console.log(`describe-kubectl.test: comparing with ${kubectl}`);

// Async: the simulated cluster answers kubectl from this process.
const run = promisify(execFile);

let t: TestSim;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', speed: 20 });
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-describe-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'));
  const http = new KubeHttp(t.kc);
  await http.requestJson('/api/v1/namespaces/shop/configmaps', {
    method: 'POST',
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: 'shop', labels: { app: 'web', tier: 'frontend' } },
      data: { 'app.properties': 'color=blue\nsize=3\n', mode: 'fast', 'nginx.conf': 'server {\n  listen 80;\n}' },
      binaryData: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 4, 5]).toString('base64') },
    },
  });
  await http.requestJson('/apis/networking.k8s.io/v1/namespaces/shop/ingresses', {
    method: 'POST',
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'storefront', namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'frontend', port: { name: 'http' } } },
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }, { hosts: ['cart.example.com'] }],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } },
                { path: '/cart', pathType: 'Prefix', backend: { service: { name: 'cart', port: { name: 'http' } } } },
                { path: '/old', pathType: 'Exact', backend: { service: { name: 'retired', port: { number: 8080 } } } },
              ],
            },
          },
        ],
      },
    },
  });
  await http.requestJson('/apis/networking.k8s.io/v1/namespaces/shop/ingresses', {
    method: 'POST',
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'fallback', namespace: 'shop' }, spec: { defaultBackend: { service: { name: 'cart', port: { number: 80 } } } } },
  });
  http.close();

});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const KINDS = [
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', gr: 'apps/replicasets', type: 'replicaset' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', gr: 'apps/daemonsets', type: 'daemonset' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', gr: 'apps/statefulsets', type: 'statefulset' },
  { kind: 'Service', apiVersion: 'v1', gr: 'services', type: 'service' },
  { kind: 'ConfigMap', apiVersion: 'v1', gr: 'configmaps', type: 'configmap' },
  { kind: 'Secret', apiVersion: 'v1', gr: 'secrets', type: 'secret' },
  { kind: 'PersistentVolumeClaim', apiVersion: 'v1', gr: 'persistentvolumeclaims', type: 'persistentvolumeclaim' },
  { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', gr: 'networking.k8s.io/ingresses', type: 'ingress' },
  { kind: 'Job', apiVersion: 'batch/v1', gr: 'batch/jobs', type: 'job' },
  { kind: 'CronJob', apiVersion: 'batch/v1', gr: 'batch/cronjobs', type: 'cronjob' },
] as const;

async function both(ref: { apiVersion: string; kind: string; namespace: string; name: string }, type: string): Promise<{ ours: string[]; theirs: string[] }> {
  const http = new KubeHttp(t.kc);
  try {
    const [ours, theirs] = await Promise.all([
      describeInputs(http, ref).then((inputs) => describeObject(inputs)),
      run(kubectl as string, ['describe', type, ref.name, '-n', ref.namespace, '--kubeconfig', kubeconfig], { env: { ...process.env, TZ: process.env.TZ ?? '' } }).then(
        (r) => r.stdout.split('\n'),
      ),
    ]);
    return comparable(ours, theirs);
  } finally {
    http.close();
  }
}

/**
 * Lines kubectl's describe.go prints today (what daytwo follows) that the kubectl here may not
 * print yet (v1.33 lacks CronJob's Time Zone, StatefulSet's Service Name, Pod Management Policy and claim
 * retention policy, and container port names): left out of daytwo's text, or the names
 * stripped, only when kubectl's text has none of them. Leaving lines out changes the tab
 * writer's widths, so then runs of spaces compare as one; otherwise the text compares as is.
 */
const NEWER_LABELS = [/^Time Zone:/, /^Service Name:/, /^Pod Management Policy:/, /^Persistent Volume Claim Retention Policy:/, /^ {2}When(Deleted|Scaled):/];
const PORT_LINE = /^ {4}(Host )?Ports?: /;

/** Both texts without trailing blanks; daytwo's without the newer lines kubectl lacks, and then both with runs of spaces as one. */
function comparable(ours: readonly string[], kubectl: readonly string[]): { ours: string[]; theirs: string[] } {
  const trim = (lines: readonly string[]) => {
    const out = lines.map((l) => l.trimEnd());
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  };
  const theirs = trim(kubectl);
  const kubectlHas = (label: RegExp) => theirs.some((l) => label.test(l));
  const portNames = theirs.some((l) => PORT_LINE.test(l) && / \(\S+\)/.test(l));
  const all = trim(ours);
  const adjusted = all
    .filter((l) => !NEWER_LABELS.some((label) => label.test(l) && !kubectlHas(label)))
    .map((l) => (!portNames && PORT_LINE.test(l) ? l.replace(/ \([^)]*\)/g, '') : l));
  const loosened = adjusted.length !== all.length || adjusted.some((l, i) => l !== all[i]);
  const loose = (lines: string[]) => (loosened ? lines.map((l) => l.replace(/ {2,}/g, ' ')) : lines);
  return { ours: loose(adjusted), theirs: loose(theirs) };
}

describe.skipIf(!kubectl)('describe, line for line as kubectl describe prints it', () => {
  for (const k of KINDS) {
    it(`${k.kind}: the demo cluster's (up to five)`, async () => {
      // Some are made by controllers after the start (kube-root-ca.crt).
      await vi.waitFor(() => expect(t.sim.store.list(k.gr).filter((o) => o.metadata.namespace).length).toBeGreaterThan(0), { timeout: 15_000 });
      // The simulated API server keeps Endpoints for `kubernetes` but no EndpointSlice (a real one keeps both).
      const objects = t.sim.store.list(k.gr).filter((o) => o.metadata.namespace && !(k.kind === 'Service' && o.metadata.name === 'kubernetes'));
      const ours = objects.filter((o) => o.metadata.name === 'app-config');
      for (const o of [...ours, ...objects.filter((o) => !ours.includes(o)).slice(0, 4)]) {
        const ref = { apiVersion: k.apiVersion, kind: k.kind, namespace: o.metadata.namespace as string, name: o.metadata.name as string };
        // Event ages are computed by each at its own moment: a second boundary between the two reads differs by 1s, so read again.
        let texts = await both(ref, k.type);
        for (let attempt = 1; attempt < 3 && JSON.stringify(texts.ours) !== JSON.stringify(texts.theirs); attempt++) texts = await both(ref, k.type);
        expect(texts.ours, `${k.type}/${ref.name} in ${ref.namespace}`).toEqual(texts.theirs);
      }
    });
  }
});
