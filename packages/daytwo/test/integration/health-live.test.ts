/**
 * The console's live alerts against the simulated cluster, each condition produced by the
 * sim itself and ended again: a crash-looping container (fixed by a rollout), a Deployment
 * that cannot get capacity (its requests lowered), a filling volume (read from the kubelet's
 * Summary API through the node proxy), a node whose kubelet stops reporting (the node
 * lifecycle controller marks it Unknown and taints it unreachable) and a failing Job (deleted).
 * The sim runs 20 times faster, so back-offs, deadlines and the 40 s grace period are short.
 */

import { USED_BYTES_ANNOTATION } from '@daytwo/sim/api/node-proxy.js';
import { SIM_ANNOTATIONS } from '@daytwo/sim/controllers/kubelet.js';
import { KUBELET_ANNOTATION } from '@daytwo/sim/controllers/node-heartbeat.js';
import { AppsV1Api, BatchV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Deployment, type V1PodSpec } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import type { Alert } from '../../src/domain/alerts.js';
import { KubeHttp } from '../../src/kube/http.js';
import { type KubeSession, openSession } from '../../src/kube/session.js';
import { followVolumeStats, readVolumeUsage } from '../../src/kube/volume-stats.js';
import { trackAlerts } from '../../src/store/alert-tracker.js';

const NS = 'health-it';
const GiB = 1024 ** 3;
let t: TestSim;
let session: KubeSession;
let http: KubeHttp;
let stopTracker: () => void;
let stopVolumes: () => void;

beforeAll(async () => {
  t = await startTestSim({ speed: 20 });
  await t.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  session = await openSession({ kubeConfigObject: t.kc });
  session.start();
  await session.waitForSync();
  http = new KubeHttp(t.kc);
  stopTracker = trackAlerts(session.store, { refreshMs: 100, throttleMs: 20 });
  stopVolumes = followVolumeStats(http, session.store, 100);
});
afterAll(async () => {
  stopTracker?.();
  stopVolumes?.();
  http?.close();
  await session?.stop();
  await t?.stop();
});

const alerts = (): readonly Alert[] => session.store.getState().alerts;

/** Waits until `pick` finds an alert (or, with `gone`, until it finds none); fails after 30 s. */
async function until(pick: (a: Alert) => boolean, gone = false): Promise<Alert | undefined> {
  for (let i = 0; i < 300; i++) {
    const found = alerts().find(pick);
    if (gone ? !found : found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${gone ? 'no ' : ''}alert; alerts now: ${JSON.stringify(alerts().map((a) => a.id))}`);
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const deployment = (name: string, template: { metadata?: object; spec: V1PodSpec }, extra: Record<string, unknown> = {}): V1Deployment => ({
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name }, ...(template.metadata ?? {}) }, spec: template.spec }, ...extra },
});

describe('live alerts, each condition made by the simulated cluster', () => {
  it('raises CrashLoopBackOff for a crashing container and clears it when a rollout fixes it', async () => {
    const apps = t.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('crasher', { metadata: { annotations: { [SIM_ANNOTATIONS.crash]: 'true' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }),
    });
    const alert = await until((a) => a.rule === 'CrashLoopBackOff' && a.namespace === NS);
    expect(alert).toMatchObject({ severity: 'critical', kind: 'Pod' });
    expect(alert?.name).toMatch(/^crasher-/);
    expect(alert?.evidence).toMatch(/^container app: CrashLoopBackOff, last exit 1 \(Error\), \d+ restarts$/);

    await apps.patchNamespacedDeployment(
      { namespace: NS, name: 'crasher', body: { spec: { template: { metadata: { annotations: { [SIM_ANNOTATIONS.crash]: null } } } } } },
      mergePatch,
    );
    await until((a) => a.rule === 'CrashLoopBackOff' && a.namespace === NS, true);
  });

  it('raises RolloutStalled for a Deployment that cannot get capacity, and clears once it fits', async () => {
    const apps = t.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment(
        'hungry',
        { spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '500' } } }] } },
        { progressDeadlineSeconds: 20 },
      ),
    });
    const alert = await until((a) => a.rule === 'RolloutStalled' && a.name === 'hungry');
    expect(alert).toMatchObject({ severity: 'critical', kind: 'Deployment', namespace: NS });
    expect(alert?.evidence).toMatch(/has timed out progressing/);

    await apps.patchNamespacedDeployment(
      { namespace: NS, name: 'hungry', body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } } } } },
      mergePatch,
    );
    await until((a) => a.name === 'hungry', true);
  });

  it('raises VolumeFilling from the kubelet volume stats over 80 % and 90 %, and clears below', async () => {
    const core = t.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPersistentVolumeClaim({
      namespace: NS,
      body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'db' },
        spec: { containers: [{ name: 'db', image: 'postgres:16' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
      },
    });
    const fill = (ratio: number) =>
      core.patchNamespacedPersistentVolumeClaim(
        { namespace: NS, name: 'data', body: { metadata: { annotations: { [USED_BYTES_ANNOTATION]: String(Math.round(10 * GiB * ratio)) } } } },
        mergePatch,
      );
    await fill(0.85);
    const warning = await until((a) => a.rule === 'VolumeFilling' && a.name === 'data' && a.severity === 'warning');
    expect(warning?.evidence).toBe(`85% used (${Math.round(10 * GiB * 0.85)} of ${10 * GiB} bytes), over 80%`);
    await fill(0.95);
    await until((a) => a.rule === 'VolumeFilling' && a.name === 'data' && a.severity === 'critical');
    await fill(0.5);
    await until((a) => a.rule === 'VolumeFilling' && a.name === 'data', true);
  });

  it('raises JobFailed for a Job past its backoff limit, and clears when the Job goes', async () => {
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
    const alert = await until((a) => a.rule === 'JobFailed' && a.name === 'migrate');
    expect(alert?.evidence).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit (1 failed pods)');
    await batch.deleteNamespacedJob({ namespace: NS, name: 'migrate', propagationPolicy: 'Background' });
    await until((a) => a.name === 'migrate', true);
  });

  it('raises NodeUnreachable when a kubelet stops reporting, and clears when it reports again', async () => {
    const core = t.kc.makeApiClient(CoreV1Api);
    const node = (await core.listNode()).items.map((n) => n.metadata?.name ?? '').sort()[0]!;
    const setKubelet = (value: string | null) =>
      core.patchNode({ name: node, body: { metadata: { annotations: { [KUBELET_ANNOTATION]: value } } } }, mergePatch);
    await setKubelet('stopped');
    const alert = await until((a) => a.rule === 'NodeUnreachable' && a.name === node);
    expect(alert).toMatchObject({ severity: 'critical', kind: 'Node' });
    expect(alert?.evidence).toMatch(/^taint node\.kubernetes\.io\/unreachable:(NoSchedule|NoExecute) for \d+s; Kubelet stopped posting node status\.$/);
    const marked = await core.readNode({ name: node });
    expect(marked.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(marked.spec?.taints?.filter((x) => x.key === 'node.kubernetes.io/unreachable').map((x) => x.effect).sort()).toEqual(['NoExecute', 'NoSchedule']);
    // The kubelet of a node that stopped cannot be reached through the proxy.
    await expect(http.requestJson(`/api/v1/nodes/${node}/proxy/stats/summary`)).rejects.toThrow(/connection refused/);

    await setKubelet(null);
    await until((a) => a.name === node, true);
    const back = await core.readNode({ name: node });
    expect(back.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(back.spec?.taints ?? []).not.toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unreachable' }));
  });
});

describe('volume stats through the node proxy', () => {
  it('needs get nodes/proxy: the viewer is refused, with the reason', async () => {
    const viewer = new KubeHttp(t.kubeConfigFor('viewer'));
    try {
      const nodes = (await t.kc.makeApiClient(CoreV1Api).listNode()).items.map((n) => n.metadata?.name ?? '');
      const state = await readVolumeUsage(viewer, nodes.slice(0, 1));
      expect(state.status).toBe('unavailable');
      expect(state.status === 'unavailable' && state.reason).toMatch(/^volume stats not permitted \(get nodes\/proxy\): .*nodes\/proxy/);
    } finally {
      viewer.close();
    }
  });
});
