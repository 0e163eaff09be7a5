import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { DaemonSet, Deployment, StatefulSet } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { rolloutSettled, rolloutStatus } from '../../src/domain/rollout-status.js';
import { deployment, workload } from './fixtures/workloads.js';

function withStatus(obj: Deployment | StatefulSet | DaemonSet, status: Record<string, unknown>, spec: Record<string, unknown> = {}, generation?: number): KubeObject {
  return {
    ...obj,
    metadata: { ...obj.metadata, ...(generation !== undefined ? { generation } : {}) },
    spec: { ...obj.spec, ...spec },
    status: { ...obj.status, ...status },
  };
}

describe('Deployment rollout status (rollout_status.go)', () => {
  const dep = deployment('shop/web:1.2');

  it('is complete when every replica is updated and available', () => {
    const s = rolloutStatus(dep);
    expect(s).toMatchObject({ state: 'complete', message: 'deployment "web" successfully rolled out', desired: 3, updated: 3, ready: 3, available: 3 });
    expect(rolloutSettled(s)).toBe(true);
  });

  it('waits for the spec update to be observed', () => {
    const s = rolloutStatus(withStatus(dep, { observedGeneration: 3 }, {}, 4));
    expect(s).toMatchObject({ state: 'progressing', message: 'Waiting for deployment spec update to be observed...' });
    expect(rolloutSettled(s)).toBe(false);
  });

  it('reports updated, old-pending and availability steps in kubectl order', () => {
    expect(rolloutStatus(withStatus(dep, { updatedReplicas: 1, replicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(rolloutStatus(withStatus(dep, { updatedReplicas: 3, replicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(rolloutStatus(withStatus(dep, { updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    );
  });

  it('is stalled when the Progressing condition says ProgressDeadlineExceeded', () => {
    const stalled = withStatus(dep, {
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(rolloutStatus(stalled)).toMatchObject({ state: 'stalled', message: 'deployment "web" exceeded its progress deadline' });
    // The condition is only trusted once the controller has observed the spec.
    expect(rolloutStatus(withStatus(stalled, { observedGeneration: 1 }, {}, 5)).state).toBe('progressing');
  });

  it('is paused when spec.paused, keeping what kubectl would wait for', () => {
    const s = rolloutStatus(withStatus(dep, { updatedReplicas: 1 }, { paused: true }));
    expect(s.state).toBe('paused');
    expect(s.message).toContain('1 out of 3 new replicas have been updated');
    expect(rolloutSettled(s)).toBe(true);
  });
});

describe('DaemonSet rollout status', () => {
  const ds = workload('DaemonSet', 'agent:2', {
    observedGeneration: 3,
    desiredNumberScheduled: 4,
    currentNumberScheduled: 4,
    updatedNumberScheduled: 4,
    numberReady: 4,
    numberAvailable: 4,
  });

  it('is complete, then waits for updated, then for available pods', () => {
    expect(rolloutStatus(ds)).toMatchObject({ state: 'complete', message: 'daemon set "agent" successfully rolled out', desired: 4 });
    expect(rolloutStatus(withStatus(ds, { updatedNumberScheduled: 2 })).message).toBe(
      'Waiting for daemon set "agent" rollout to finish: 2 out of 4 new pods have been updated...',
    );
    expect(rolloutStatus(withStatus(ds, { numberAvailable: 3 })).message).toBe(
      'Waiting for daemon set "agent" rollout to finish: 3 of 4 updated pods are available...',
    );
    expect(rolloutStatus(withStatus(ds, {}, {}, 4)).message).toBe('Waiting for daemon set spec update to be observed...');
  });

  it('does not follow OnDelete', () => {
    expect(rolloutStatus(withStatus(ds, {}, { updateStrategy: { type: 'OnDelete' } })).state).toBe('unknown');
  });
});

describe('StatefulSet rollout status', () => {
  const base = workload('StatefulSet', 'agent:2', {
    observedGeneration: 3,
    replicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
    currentReplicas: 2,
    currentRevision: 'agent-bbb',
    updateRevision: 'agent-bbb',
  });

  it('waits for the spec, then for ready pods', () => {
    expect(rolloutStatus(withStatus(base, { observedGeneration: 0 })).message).toBe('Waiting for statefulset spec update to be observed...');
    expect(rolloutStatus(withStatus(base, { readyReplicas: 1 })).message).toBe('Waiting for 1 pods to be ready...');
  });

  it('with a rollingUpdate block, judges by the partition', () => {
    const partitioned = withStatus(base, { updatedReplicas: 0 }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    expect(rolloutStatus(partitioned).message).toBe('Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...');
    expect(rolloutStatus(withStatus(partitioned, { updatedReplicas: 1 }))).toMatchObject({
      state: 'complete',
      message: 'partitioned roll out complete: 1 new pods have been updated...',
    });
  });

  it('without one, compares the update and current revisions', () => {
    const plain = withStatus(base, { updateRevision: 'agent-ccc', updatedReplicas: 1 }, { updateStrategy: { type: 'RollingUpdate' } });
    expect(rolloutStatus(plain)).toMatchObject({
      state: 'progressing',
      message: 'waiting for statefulset rolling update to complete 1 pods at revision agent-ccc...',
    });
    expect(rolloutStatus(withStatus(plain, { updateRevision: 'agent-bbb' }))).toMatchObject({
      state: 'complete',
      message: 'statefulset rolling update complete 2 pods at revision agent-bbb...',
    });
  });
});
