/**
 * `daytwo report health` against the simulated cluster: a container the sim's kubelet
 * crash-loops (annotation `sim.daytwo.dev/crash`) raises CrashLoopBackOff and exit 1; once
 * the pod is gone the report is clean and exits 0. A Job whose pod exits non-zero past its
 * `backoffLimit` raises JobFailed until the Job is deleted.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SIM_ANNOTATIONS } from '@daytwo/sim/controllers/kubelet.js';
import { runCli } from '../helpers/cli.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

const NS = 'alerts-it';
let t: TestSim;
let kubeconfig: string;

beforeAll(async () => {
  t = await startTestSim();
  const dir = mkdtempSync(join(tmpdir(), 'daytwo-health-'));
  kubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(kubeconfig, t.sim.kubeconfig('admin'), { mode: 0o600 });
  await t.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(async () => {
  await t.stop();
});

const report = (...args: string[]) => runCli(['report', 'health', '--kubeconfig', kubeconfig, '-n', NS, ...args]);

/** The report (`-o json`) once `check` passes on it: the sim's kubelet acts on its own clock (vi.waitFor retries). */
const reportWhen = (check: (r: Awaited<ReturnType<typeof report>>) => void) =>
  vi.waitFor(
    async () => {
      const r = await report('-o', 'json');
      check(r);
      return r;
    },
    { timeout: 30_000, interval: 500 },
  );

it('enters CrashLoopBackOff for a crashing container and clears when the pod goes', async () => {
  expect((await report()).code).toBe(0);
  const core = t.kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name: 'crasher', annotations: { [SIM_ANNOTATIONS.crash]: 'true' } },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    },
  });
  const r = await reportWhen((x) => expect(x.stdout).toContain('CrashLoopBackOff'));
  expect(r.code).toBe(1);
  const item = JSON.parse(r.stdout).items.find((i: { alert: string }) => i.alert === 'CrashLoopBackOff');
  expect(item).toMatchObject({ severity: 'critical', kind: 'Pod', namespace: NS, name: 'crasher' });
  expect(item.evidence).toMatch(/^container app: CrashLoopBackOff, last exit 1 \(Error\), \d+ restarts$/);
  const table = await report();
  expect(table.stdout.split('\n')[0]).toMatch(/^SEVERITY\s+ALERT\s+OBJECT\s+AGE\s+EVIDENCE$/);

  await core.deleteNamespacedPod({ namespace: NS, name: 'crasher', gracePeriodSeconds: 0 });
  const clean = await reportWhen((x) => expect(x.code).toBe(0));
  expect(clean.code).toBe(0);
  expect(JSON.parse(clean.stdout).items).toEqual([]);
});

it('enters JobFailed for a Job past its backoff limit and clears when the Job goes', async () => {
  const batch = t.kc.makeApiClient(BatchV1Api);
  await batch.createNamespacedJob({
    namespace: NS,
    body: {
      metadata: { name: 'migrate' },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations: { [SIM_ANNOTATIONS.exitCode]: '2', [SIM_ANNOTATIONS.runSeconds]: '1' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox' }] },
        },
      },
    },
  });
  const r = await reportWhen((x) => expect(x.stdout).toContain('JobFailed'));
  expect(r.code).toBe(1);
  const item = JSON.parse(r.stdout).items.find((i: { alert: string }) => i.alert === 'JobFailed');
  expect(item).toMatchObject({ severity: 'warning', kind: 'Job', namespace: NS, name: 'migrate' });
  expect(item.evidence).toMatch(/^BackoffLimitExceeded: /);

  await batch.deleteNamespacedJob({ namespace: NS, name: 'migrate', propagationPolicy: 'Foreground' });
  const clean = await reportWhen((x) => expect(x.code).toBe(0));
  expect(JSON.parse(clean.stdout).items).toEqual([]);
});

it("reads the demo's volume stats: its 92 % Prometheus volume is critical; without nodes/proxy it says why on stderr", async () => {
  const all = await runCli(['report', 'health', '--kubeconfig', kubeconfig, '-o', 'json']);
  const volume = JSON.parse(all.stdout).items.find((i: { alert: string }) => i.alert === 'VolumeFilling');
  expect(volume).toMatchObject({ severity: 'critical', kind: 'PersistentVolumeClaim', namespace: 'monitoring', name: 'data-prometheus-0' });
  expect(volume.evidence).toMatch(/^92% used \(\d+ of 53687091200 bytes\), over 90%$/);
  expect(all.stderr).toBe('');

  const viewerConfig = join(mkdtempSync(join(tmpdir(), 'daytwo-health-viewer-')), 'viewer.kubeconfig');
  writeFileSync(viewerConfig, t.sim.kubeconfig('viewer'), { mode: 0o600 });
  const viewer = await runCli(['report', 'health', '--kubeconfig', viewerConfig, '-o', 'json']);
  expect(viewer.code).toBe(1);
  expect(JSON.parse(viewer.stdout).items.map((i: { alert: string }) => i.alert)).not.toContain('VolumeFilling');
  expect(viewer.stderr).toMatch(/^daytwo: volume stats not permitted \(get nodes\/proxy\): .*\n$/);
});
