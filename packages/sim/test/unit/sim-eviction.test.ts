import type { PodDisruptionBudget } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { type EvictionPlan, planEviction } from '../../src/api/eviction.js';
import type { KubeObject } from '../../src/types.js';

const now = new Date('2026-11-21T12:00:00Z');

type Refusal = Extract<EvictionPlan, { action: 'refuse' }>;

function pod(phase: string, ready = true, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' }, ...extra },
    spec: { nodeName: 'n1', containers: [{ name: 'app' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pdb(status: Record<string, unknown>, spec: Record<string, unknown> = {}, generation = 1): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'shop', generation },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
    status: { observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, ...status },
  };
}

describe('planEviction (eviction.go)', () => {
  it('deletes terminal, pending and terminating pods without looking at budgets', () => {
    const blocking = [pdb({ disruptionsAllowed: 0 })];
    for (const phase of ['Succeeded', 'Failed', 'Pending']) expect(planEviction(pod(phase), blocking, now)).toEqual({ action: 'delete' });
    expect(planEviction(pod('Running', true, { deletionTimestamp: '2026-11-21T11:59:00Z' }), blocking, now)).toEqual({ action: 'delete' });
  });

  it('deletes pods no budget selects, ignoring budgets of other namespaces or labels', () => {
    const other = pdb({ disruptionsAllowed: 0 });
    other.metadata.namespace = 'elsewhere';
    const unrelated = pdb({ disruptionsAllowed: 0 }, { selector: { matchLabels: { app: 'api' } } });
    expect(planEviction(pod('Running'), [other, unrelated], now)).toEqual({ action: 'delete' });
  });

  it('consumes one disruption and records the pod', () => {
    const plan = planEviction(pod('Running'), [pdb({ disruptionsAllowed: 1 })], now);
    expect(plan.action).toBe('delete');
    const status = (plan as { pdb: PodDisruptionBudget }).pdb.status!;
    expect(status.disruptionsAllowed).toBe(0);
    expect(status.disruptedPods).toEqual({ 'web-1': '2026-11-21T12:00:00Z' });
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }));
  });

  it('refuses with 429 and the budget cause when no disruption is allowed', () => {
    const plan = planEviction(pod('Running'), [pdb({ disruptionsAllowed: 0, currentHealthy: 2 })], now);
    expect(plan.action).toBe('refuse');
    const error = (plan as Refusal).error;
    expect(error.code).toBe(429);
    expect(error.toStatus()).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
    });
  });

  it('refuses while the budget is not yet observed, and when it is negative', () => {
    const stale = planEviction(pod('Running'), [pdb({ disruptionsAllowed: 1 }, {}, 2)], now) as Refusal;
    expect(stale.error.code).toBe(429);
    expect(stale.error.details).toEqual({
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }],
      retryAfterSeconds: 10,
    });
    const negative = planEviction(pod('Running'), [pdb({ disruptionsAllowed: -1 })], now) as Refusal;
    expect(negative.error.code).toBe(403);
    expect(negative.error.message).toBe('poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative');
  });

  it('lets unready pods go when the budget is healthy, or always with AlwaysAllow', () => {
    expect(planEviction(pod('Running', false), [pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 })], now)).toEqual({ action: 'delete' });
    expect(planEviction(pod('Running', false), [pdb({ disruptionsAllowed: 0, currentHealthy: 1 })], now).action).toBe('refuse');
    const alwaysAllow = pdb({ disruptionsAllowed: 0, currentHealthy: 1 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(planEviction(pod('Running', false), [alwaysAllow], now)).toEqual({ action: 'delete' });
  });

  it('answers a bare 500 Failure when two budgets select the pod', () => {
    const plan = planEviction(pod('Running'), [pdb({ disruptionsAllowed: 1 }), { ...pdb({ disruptionsAllowed: 1 }), metadata: { name: 'b', namespace: 'shop', generation: 1 } }], now);
    expect(plan).toEqual({
      action: 'failure',
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        code: 500,
      },
    });
  });
});
