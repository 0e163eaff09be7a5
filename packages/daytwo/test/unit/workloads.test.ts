import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import {
  createWorkloadRowCache,
  historyRows,
  parseWorkloadArg,
  previousRevision,
  rollbackAccess,
  workloadRows,
} from '../../src/domain/workloads.js';
import { controllerRevision, deployment, replicaSet, workload } from './fixtures/workloads.js';

const map = <T extends KubeObject>(objects: T[]) => new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
const rs1 = replicaSet('5f7c9d8b6', '1', 'shop/web:1.0', { created: '2026-11-01T10:00:00Z' });
const rs2 = replicaSet('6c8d7f9a4', '2', 'shop/web:1.1', { created: '2026-11-05T10:00:00Z', changeCause: 'bump' });
const rs3 = replicaSet('7d4b9c8f5', '3', 'shop/web:1.2', { created: '2026-11-10T10:00:00Z', replicas: 3, ready: 2 });

function inputs() {
  const sts = workload('StatefulSet', 'agent:2', { observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 2, updateRevision: 'agent-bbb', currentRevision: 'agent-bbb' });
  sts.spec!.replicas = 2;
  const ds = workload('DaemonSet', 'agent:9', { observedGeneration: 3 });
  ds.metadata = { ...ds.metadata, namespace: 'kube-system' };
  // List items carry no kind.
  const dep = deployment('shop/web:1.2');
  delete dep.kind;
  return {
    deployments: map([dep]),
    replicasets: map([rs1, rs2, rs3]),
    statefulsets: map([sts]),
    daemonsets: map([ds]),
    controllerrevisions: map([controllerRevision(sts, 'aaa', 1, 'agent:1'), controllerRevision(sts, 'bbb', 2, 'agent:2')]),
  };
}

describe('workloadRows', () => {
  it('builds one row per workload with counts, revision, images, status and history', () => {
    const rows = workloadRows(inputs());
    expect(rows.map((r) => r.key)).toEqual(['Deployment/shop/web', 'StatefulSet/ops/agent', 'DaemonSet/kube-system/agent']);
    const [web, sts, ds] = rows;
    expect(web).toMatchObject({ ready: 3, desired: 3, upToDate: 3, available: 3, revision: 3, images: ['shop/web:1.2'] });
    expect(web.status.state).toBe('complete');
    expect(web.history.map((h) => h.revision)).toEqual([1, 2, 3]);
    expect(sts).toMatchObject({ revision: 2, ready: 2, desired: 2 });
    expect(sts.history.map((h) => [h.revision, h.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    // A DaemonSet without ControllerRevisions (yet) has no revision.
    expect(ds.revision).toBeUndefined();
  });

  it('reuses a cached row until the workload or one of its ReplicaSets is replaced', () => {
    const cache = createWorkloadRowCache();
    const base = inputs();
    const first = workloadRows(base, undefined, cache);
    const again = workloadRows(base, undefined, cache);
    expect(again[0]).toBe(first[0]);
    const scaled = { ...rs3, status: { ...rs3.status!, readyReplicas: 3 } };
    const changed = { ...base, replicasets: new Map(base.replicasets).set('shop/web-7d4b9c8f5', scaled) };
    const rebuilt = workloadRows(changed, undefined, cache);
    expect(rebuilt[0]).not.toBe(first[0]);
    expect(rebuilt[0].history.at(-1)?.readyReplicas).toBe(3);
    // The StatefulSet's row did not depend on the ReplicaSets.
    expect(rebuilt[1]).toBe(first[1]);
  });

  it('keeps only the scoped namespace', () => {
    expect(workloadRows(inputs(), 'ops').map((r) => r.name)).toEqual(['agent']);
    expect(workloadRows(inputs(), 'nowhere')).toEqual([]);
  });
});

describe('history rows', () => {
  const history = workloadRows(inputs())[0].history;

  it('lists revisions newest first with change-cause (<none> as kubectl prints it) and the ReplicaSet pods', () => {
    expect(historyRows(history).map((r) => [r.revision, r.changeCause, r.pods, r.current])).toEqual([
      [3, '<none>', '2/3', true],
      [2, 'bump', '0/0', false],
      [1, '<none>', '0/0', false],
    ]);
  });

  it('preselects the revision kubectl rollout undo would pick: the second highest', () => {
    expect(previousRevision(history)).toBe(2);
    expect(previousRevision(history.slice(0, 1))).toBeUndefined();
  });
});

describe('parseWorkloadArg', () => {
  it('accepts kubectl\'s names for the three kinds', () => {
    expect(parseWorkloadArg('deployment/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadArg('deploy/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadArg('deployments.apps/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadArg('sts/db')).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(parseWorkloadArg('DaemonSet/agent')).toEqual({ kind: 'DaemonSet', name: 'agent' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseWorkloadArg('web')).toEqual({ error: 'expected KIND/NAME (e.g. deployment/web), got "web"' });
    expect(parseWorkloadArg('deployment/')).toHaveProperty('error');
    expect(parseWorkloadArg('job/x')).toEqual({ error: 'no rollbacker has been implemented for "job": use deployment, statefulset or daemonset' });
  });
});

describe('rollbackAccess', () => {
  it('asks for get and patch on the workload and list on its history kind', () => {
    expect(rollbackAccess({ kind: 'StatefulSet', namespace: 'ops', name: 'db' })).toEqual([
      { verb: 'get', group: 'apps', resource: 'statefulsets', namespace: 'ops', name: 'db' },
      { verb: 'list', group: 'apps', resource: 'controllerrevisions', namespace: 'ops' },
      { verb: 'patch', group: 'apps', resource: 'statefulsets', namespace: 'ops', name: 'db' },
    ]);
    expect(rollbackAccess({ kind: 'Deployment', namespace: 'shop', name: 'web' })[1].resource).toBe('replicasets');
  });
});
