import { describe, expect, it } from 'vitest';
import { JSON_PATCH, planRollback, RollbackError, STRATEGIC_MERGE_PATCH, templateDiff } from '../../src/domain/rollback.js';
import { controllerRevision, deployment, podTemplate, replicaSet, type TemplateJson, workload } from './fixtures/workloads.js';

const rs1 = replicaSet('5f7c9d8b6', '1', 'shop/web:1.0', {
  created: '2026-11-01T10:00:00Z',
  changeCause: 'first',
  annotations: { 'example.com/team': 'payments', 'deployment.kubernetes.io/revision-history': '4' },
});
const rs2 = replicaSet('6c8d7f9a4', '2', 'shop/web:1.1', { created: '2026-11-05T10:00:00Z', changeCause: 'second' });
const rs3 = replicaSet('7d4b9c8f5', '3', 'shop/web:1.2', { created: '2026-11-10T10:00:00Z' });
const replicaSets = [rs3, rs1, rs2];

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RollbackError);
    return (err as Error).message;
  }
  throw new Error('expected a RollbackError');
}

describe('Deployment rollback', () => {
  const dep = deployment('shop/web:1.2', {
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', 'example.com/owner': 'sre' },
  });

  it('rolls back to the previous revision with kubectl JSON patch', () => {
    const plan = planRollback(dep, { replicaSets });
    expect(plan.patchType).toBe(JSON_PATCH);
    expect(plan.targetRevision).toBe(2);
    expect(plan.noop).toBeUndefined();
    const [templateOp, annotationsOp] = plan.patch as [{ op: string; path: string; value: TemplateJson }, { op: string; path: string; value: Record<string, string> }];
    expect(templateOp).toMatchObject({ op: 'replace', path: '/spec/template' });
    expect(templateOp.value.metadata.labels).toEqual({ app: 'web' });
    expect(templateOp.value.spec.containers[0].image).toBe('shop/web:1.1');
    // Skip-list annotations come from the Deployment, the rest from the ReplicaSet.
    expect(annotationsOp).toEqual({
      op: 'replace',
      path: '/metadata/annotations',
      value: {
        'deployment.kubernetes.io/revision': '3',
        'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
        'kubernetes.io/change-cause': 'second',
      },
    });
    expect(Object.keys(annotationsOp.value)).toEqual([...Object.keys(annotationsOp.value)].sort());
    expect(plan.summary).toBe('roll back deployment.apps/web to revision 2 (ReplicaSet web-6c8d7f9a4)');
  });

  it('writes the template as Go marshals a PodTemplateSpec: null creationTimestamp, resources {} on every container', () => {
    const bare = replicaSet('1b1b1b1b1', '4', 'shop/web:0.9', { created: '2026-10-01T10:00:00Z' });
    delete bare.spec!.template!.metadata!.creationTimestamp;
    delete bare.spec!.template!.spec!.containers[0].resources;
    const value = (planRollback(dep, { replicaSets: [...replicaSets, bare] }, 4).patch as { value: TemplateJson }[])[0].value;
    expect(value.metadata).toEqual({ creationTimestamp: null, labels: { app: 'web' } });
    expect(value.spec.containers[0].resources).toEqual({});
    // The ReplicaSet itself is left alone.
    expect(bare.spec!.template!.metadata!.creationTimestamp).toBeUndefined();
  });

  it('does not copy the ReplicaSet bookkeeping annotations', () => {
    const plan = planRollback(dep, { replicaSets }, 1);
    const annotations = (plan.patch as [unknown, { value: Record<string, string> }])[1].value;
    expect(annotations).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'example.com/team': 'payments',
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
      'kubernetes.io/change-cause': 'first',
    });
    expect(plan.targetRevision).toBe(1);
  });

  it('does not mutate the ReplicaSet when removing the hash label', () => {
    planRollback(dep, { replicaSets }, 1);
    expect(rs1.spec!.template!.metadata!.labels!['pod-template-hash']).toBe('5f7c9d8b6');
  });

  it('fails on an unknown revision with kubectl message', () => {
    expect(failure(() => planRollback(dep, { replicaSets }, 7))).toBe('unable to find specified revision 7 in history');
    expect(failure(() => planRollback(dep, { replicaSets }, -1))).toBe('unable to find specified revision -1 in history');
  });

  it('fails without a previous revision', () => {
    expect(failure(() => planRollback(dep, { replicaSets: [rs3] }))).toBe('no rollout history found for deployment "web"');
  });

  it('refuses a paused deployment', () => {
    const paused = deployment('shop/web:1.2', { paused: true });
    expect(failure(() => planRollback(paused, { replicaSets }))).toBe(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    // The revision lookup comes first, as in kubectl.
    expect(failure(() => planRollback(paused, { replicaSets }, 9))).toBe('unable to find specified revision 9 in history');
  });

  it('is a no-op when the target template already matches, echoing the revision asked for', () => {
    const plan = planRollback(dep, { replicaSets }, 3);
    expect(plan.noop).toBe('skipped rollback (current template already matches revision 3)');
    expect(plan.patch).toEqual([]);
    // After an undo to revision 2 its template lives on as revision 4; undoing again goes to 3.
    const rs4 = replicaSet('6c8d7f9a4x', '4', 'shop/web:1.1', { created: '2026-11-12T10:00:00Z' });
    const rolled = deployment('shop/web:1.1');
    const again = planRollback(rolled, { replicaSets: [rs1, rs3, rs4] });
    expect(again.targetRevision).toBe(3);
    expect(again.noop).toBeUndefined();
    // kubectl echoes --to-revision (0 by default) in the skip message, not the resolved revision.
    const twin = planRollback(deployment('shop/web:1.2'), { replicaSets: [rs1, rs3, replicaSet('dup', '4', 'shop/web:1.2')] });
    expect(twin.noop).toBe('skipped rollback (current template already matches revision 0)');
  });
});

describe('StatefulSet and DaemonSet rollback', () => {
  for (const kind of ['StatefulSet', 'DaemonSet'] as const) {
    describe(kind, () => {
      const current = workload(kind, 'agent:3');
      const revisions = [
        controllerRevision(current, 'ccc', 3, 'agent:3'),
        controllerRevision(current, 'aaa', 1, 'agent:1'),
        controllerRevision(current, 'bbb', 2, 'agent:2'),
      ];

      it('applies the previous ControllerRevision data as a strategic merge patch', () => {
        const plan = planRollback(current, { controllerRevisions: revisions });
        expect(plan.patchType).toBe(STRATEGIC_MERGE_PATCH);
        expect(plan.targetRevision).toBe(2);
        expect(plan.patch).toEqual(revisions[2].data);
        expect(plan.patch).not.toBe(revisions[2].data);
        expect(plan.template.spec!.containers![0].image).toBe('agent:2');
        expect(plan.summary).toBe(`roll back ${kind.toLowerCase()}.apps/agent to revision 2 (ControllerRevision agent-bbb)`);
      });

      it('rolls back to a given revision', () => {
        expect(planRollback(current, { controllerRevisions: revisions }, 1).targetRevision).toBe(1);
      });

      it('is a no-op for the revision the template already matches', () => {
        const plan = planRollback(current, { controllerRevisions: revisions }, 3);
        expect(plan.noop).toBe('skipped rollback (current template already matches revision 3)');
      });

      it('fails like kubectl without history or for an unknown revision', () => {
        expect(failure(() => planRollback(current, { controllerRevisions: [revisions[0]] }))).toBe('no last revision to roll back to');
        expect(failure(() => planRollback(current, { controllerRevisions: revisions }, 5))).toBe('unable to find specified revision 5 in history');
        const foreign = controllerRevision(current, 'ddd', 4, 'agent:4', { ownerUid: 'other' });
        expect(failure(() => planRollback(current, { controllerRevisions: [...revisions, foreign] }, 4))).toBe(
          'unable to find specified revision 4 in history',
        );
      });
    });
  }

  it('refuses kinds kubectl cannot roll back', () => {
    expect(failure(() => planRollback({ kind: 'ReplicaSet', metadata: { name: 'x' } }, {}))).toBe('no rollbacker has been implemented for "ReplicaSet"');
  });
});

describe('templateDiff', () => {
  it('lists changed fields by path, naming list items by name', () => {
    const current = podTemplate('shop/web:1.2', { 'pod-template-hash': 'abc' });
    const target = podTemplate('shop/web:1.1', { track: 'stable' }, '250m');
    target.spec.containers.push({ name: 'sidecar', image: 'envoy:1.30' });
    delete target.spec.containers[0].ports;
    expect(templateDiff(current, target)).toEqual([
      { path: 'metadata.labels.track', to: 'stable' },
      { path: 'spec.containers[sidecar].image', to: 'envoy:1.30' },
      { path: 'spec.containers[sidecar].name', to: 'sidecar' },
      { path: 'spec.containers[web].image', from: 'shop/web:1.2', to: 'shop/web:1.1' },
      { path: 'spec.containers[web].ports[0].containerPort', from: '8080' },
      { path: 'spec.containers[web].ports[0].protocol', from: 'TCP' },
      { path: 'spec.containers[web].resources.requests.cpu', from: '100m', to: '250m' },
    ]);
  });

  it('is empty for equal templates and ignores $patch', () => {
    expect(templateDiff(podTemplate('a:1'), { ...podTemplate('a:1', { 'pod-template-hash': 'x' }), $patch: 'replace' })).toEqual([]);
  });
});
