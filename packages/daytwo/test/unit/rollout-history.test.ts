import { describe, expect, it } from 'vitest';
import { deploymentHistory, replicaSetRevision, rolloutHistory } from '../../src/domain/rollout-history.js';
import { controllerRevision, deployment, replicaSet, workload } from './fixtures/workloads.js';

describe('deployment history', () => {
  const rs1 = replicaSet('5f7c9d8b6', '1', 'shop/web:1.0', { created: '2026-11-01T10:00:00Z', changeCause: 'kubectl apply --filename=web.yaml' });
  const rs2 = replicaSet('6c8d7f9a4', '2', 'shop/web:1.1', { created: '2026-11-05T10:00:00Z' });
  const rs3 = replicaSet('7d4b9c8f5', '3', 'shop/web:1.2', { created: '2026-11-10T10:00:00Z', ready: 2, replicas: 3, changeCause: 'image bump' });
  const foreign = replicaSet('1a2b3c4d5', '9', 'other:1', { ownerUid: 'someone-else' });

  it('lists revisions of owned ReplicaSets, ascending, with change-cause, images and status', () => {
    const history = rolloutHistory(deployment('shop/web:1.2'), { replicaSets: [rs3, foreign, rs1, rs2] });
    expect(history.map((h) => [h.revision, h.name, h.changeCause, h.images, h.current])).toEqual([
      [1, 'web-5f7c9d8b6', 'kubectl apply --filename=web.yaml', ['shop/web:1.0'], false],
      [2, 'web-6c8d7f9a4', undefined, ['shop/web:1.1'], false],
      [3, 'web-7d4b9c8f5', 'image bump', ['shop/web:1.2'], true],
    ]);
    expect(history[2]).toMatchObject({ readyReplicas: 2, replicas: 3, createdAt: '2026-11-10T10:00:00Z' });
    expect(history[2].template.metadata!.labels!['pod-template-hash']).toBe('7d4b9c8f5');
  });

  it('marks no revision current while the new ReplicaSet does not exist yet', () => {
    expect(deploymentHistory(deployment('shop/web:2.0'), [rs1, rs2]).some((h) => h.current)).toBe(false);
  });

  it('treats a ReplicaSet without the revision annotation as revision 0 and skips unparsable ones', () => {
    expect(replicaSetRevision(replicaSet('x', undefined, 'a'))).toBe(0);
    expect(replicaSetRevision(replicaSet('x', 'abc', 'a'))).toBeUndefined();
    const history = deploymentHistory(deployment('shop/web:1.2'), [replicaSet('aaa', undefined, 'a:0'), replicaSet('bbb', 'x', 'b'), rs3]);
    expect(history.map((h) => h.revision)).toEqual([0, 3]);
  });

  it('keeps one entry per revision, the new ReplicaSet winning', () => {
    const dup = replicaSet('8e9f0a1b2', '3', 'shop/web:old', { created: '2026-11-09T10:00:00Z' });
    const history = deploymentHistory(deployment('shop/web:1.2'), [rs3, dup]);
    expect(history.map((h) => h.name)).toEqual(['web-7d4b9c8f5']);
    // Among old ReplicaSets kubectl's list is sorted by creation, so the newer one wins.
    const older = replicaSet('1111', '2', 'a:1', { created: '2026-11-02T10:00:00Z' });
    const newer = replicaSet('2222', '2', 'a:2', { created: '2026-11-03T10:00:00Z' });
    expect(deploymentHistory(deployment('shop/web:9'), [newer, older]).map((h) => h.name)).toEqual(['web-2222']);
  });

  it('shows a change-cause carried by the template when the ReplicaSet has none (history.go reads the template annotations)', () => {
    const rs = replicaSet('3c3c3c3c3', '5', 'shop/web:1.5');
    rs.spec!.template!.metadata!.annotations = { 'kubernetes.io/change-cause': 'from the template' };
    expect(deploymentHistory(deployment('shop/web:1.2'), [rs])[0].changeCause).toBe('from the template');
    rs.metadata.annotations!['kubernetes.io/change-cause'] = 'from the ReplicaSet';
    expect(deploymentHistory(deployment('shop/web:1.2'), [rs])[0].changeCause).toBe('from the ReplicaSet');
  });

  it('breaks creation-time ties by name in byte order, as Go compares strings', () => {
    // Both created at the same second with revision 2: the later in Go's order (by name) wins the map.
    const upper = replicaSet('Zzz', '2', 'a:upper', { created: '2026-11-02T10:00:00Z' });
    const lower = replicaSet('aaa', '2', 'a:lower', { created: '2026-11-02T10:00:00Z' });
    // localeCompare would put 'web-aaa' before 'web-Zzz'; Go puts 'web-Zzz' (0x5a) first.
    expect(deploymentHistory(deployment('shop/web:9'), [lower, upper]).map((h) => h.name)).toEqual(['web-aaa']);
    expect(deploymentHistory(deployment('shop/web:9'), [upper, lower]).map((h) => h.name)).toEqual(['web-aaa']);
  });

  it('requires the ReplicaSet to match the selector as well as the owner uid', () => {
    const unlabeled = replicaSet('9f9f9f9f9', '4', 'x');
    unlabeled.metadata.labels = { 'pod-template-hash': '9f9f9f9f9' };
    expect(deploymentHistory(deployment('shop/web:1.2'), [unlabeled])).toEqual([]);
  });
});

describe('StatefulSet and DaemonSet history', () => {
  it('reads ControllerRevisions owned by the StatefulSet; current is status.updateRevision', () => {
    const sts = workload('StatefulSet', 'agent:2', { currentRevision: 'agent-aaa', updateRevision: 'agent-bbb' });
    const revisions = [
      controllerRevision(sts, 'bbb', 2, 'agent:2', { changeCause: 'upgrade' }),
      controllerRevision(sts, 'aaa', 1, 'agent:1'),
      controllerRevision(sts, 'zzz', 7, 'agent:9', { ownerUid: 'other' }),
    ];
    const history = rolloutHistory(sts, { controllerRevisions: revisions });
    expect(history.map((h) => [h.revision, h.name, h.images, h.current, h.rolledOut, h.changeCause])).toEqual([
      [1, 'agent-aaa', ['agent:1'], false, true, undefined],
      [2, 'agent-bbb', ['agent:2'], true, false, 'upgrade'],
    ]);
    expect(history[0].template).not.toHaveProperty('$patch');
    expect(history[0].template.spec!.containers![0].image).toBe('agent:1');
  });

  it('marks the DaemonSet revision whose data matches the template as current', () => {
    const ds = workload('DaemonSet', 'agent:1');
    const history = rolloutHistory(ds, {
      controllerRevisions: [controllerRevision(ds, 'aaa', 1, 'agent:1'), controllerRevision(ds, 'bbb', 2, 'agent:2')],
    });
    expect(history.map((h) => [h.revision, h.current])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(history[0].rolledOut).toBeUndefined();
  });

  it('returns an empty history when nothing is owned', () => {
    expect(rolloutHistory(workload('DaemonSet', 'a'), {})).toEqual([]);
  });

  it('refuses other kinds like kubectl', () => {
    expect(() => rolloutHistory({ kind: 'Job', metadata: { name: 'x' } }, {})).toThrow('no history viewer has been implemented for "Job"');
  });
});
