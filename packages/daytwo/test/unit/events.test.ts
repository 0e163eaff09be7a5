import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/alerts.js';
import { type EventObject, eventCount, eventRows, eventsAbout, relatedObjects, withAges } from '../../src/domain/events.js';
import { alertRows, alertTarget } from '../../src/domain/health.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const event = (name: string, o: Record<string, unknown>): EventObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { namespace: 'shop', name },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
  type: 'Normal',
  reason: 'Pulled',
  message: 'Container image pulled',
  ...o,
});

describe('events', () => {
  it('counts a core/v1 Event by count and an events.k8s.io series by series.count', () => {
    expect(eventCount(event('a', {}))).toBe(1);
    expect(eventCount(event('a', { count: 7 }))).toBe(7);
    expect(eventCount(event('a', { count: 0, series: { count: 12, lastObservedTime: iso(T0) } }))).toBe(12);
  });

  it('merges Event objects repeating the same occurrence, summing counts, Warning first then newest first', () => {
    const rows = eventRows([
      event('a.1', { firstTimestamp: iso(T0), lastTimestamp: iso(T0 + 1000), count: 2 }),
      event('a.2', { firstTimestamp: iso(T0 + 5000), lastTimestamp: iso(T0 + 9000), count: 3 }),
      event('b', { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', lastTimestamp: iso(T0 + 2000), count: 4 }),
      event('c', { type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available', eventTime: iso(T0 + 3000), series: { count: 9, lastObservedTime: iso(T0 + 8000) } }),
      event('d', { metadata: { namespace: 'payments', name: 'd' }, lastTimestamp: iso(T0) }),
    ]);
    expect(rows.map((r) => [r.type, r.reason, r.count, r.lastSeen, r.namespace])).toEqual([
      ['Warning', 'FailedScheduling', 9, T0 + 8000, 'shop'],
      ['Warning', 'BackOff', 4, T0 + 2000, 'shop'],
      ['Normal', 'Pulled', 5, T0 + 9000, 'shop'],
      ['Normal', 'Pulled', 1, T0, 'payments'],
    ]);
    expect(rows[2]!.firstSeen).toBe(T0);
    expect(eventRows([event('d', { metadata: { namespace: 'payments', name: 'd' } }), event('a', {})], 'shop').map((r) => r.namespace)).toEqual(['shop']);
    expect(withAges(rows, T0 + 68_000)[0]!.lastSeenAgo).toBe('1m');
  });

  it("finds the events of a Deployment's ReplicaSets and pods through owner references", () => {
    const owned = (kind: string, name: string, owner: string, ownerKind: string): KubeObject => ({ kind, metadata: { namespace: 'shop', name, ownerReferences: [{ apiVersion: 'apps/v1', kind: ownerKind, name: owner, uid: 'u', controller: true }] } });
    const related = relatedObjects(
      { kind: 'Deployment', namespace: 'shop', name: 'web' },
      { replicasets: [owned('ReplicaSet', 'web-6d4', 'web', 'Deployment')], pods: [owned('Pod', 'web-6d4-x', 'web-6d4', 'ReplicaSet'), owned('Pod', 'other', 'cart-1', 'ReplicaSet')] },
    );
    expect([...related].sort()).toEqual(['Deployment/shop/web', 'Pod/shop/web-6d4-x', 'ReplicaSet/shop/web-6d4']);
    const rows = eventRows([
      event('a', { involvedObject: { kind: 'Pod', name: 'web-6d4-x' }, type: 'Warning', reason: 'FailedScheduling' }),
      event('b', { involvedObject: { kind: 'Pod', name: 'other' } }),
    ]);
    expect(eventsAbout(rows, related).map((r) => r.name)).toEqual(['web-6d4-x']);
  });
});

describe('health', () => {
  const alert = (kind: string, name: string, namespace?: string): Alert => ({ id: `X/${kind}/${namespace ?? ''}/${name}`, rule: 'CrashLoopBackOff', severity: 'critical', kind, namespace, name, since: T0, evidence: '' });
  it('goes to pod and Job logs, the workload or node row, and the events of anything else', () => {
    expect(alertTarget(alert('Pod', 'web-1', 'shop'))).toEqual({ view: 'logs', params: { namespace: 'shop', name: 'web-1' } });
    expect(alertTarget(alert('Job', 'migrate', 'batch'))).toEqual({ view: 'logs', params: { kind: 'Job', namespace: 'batch', name: 'migrate' } });
    expect(alertTarget(alert('StatefulSet', 'db', 'shop'))).toEqual({ view: 'workloads', params: { select: 'StatefulSet/shop/db' } });
    expect(alertTarget(alert('Node', 'n1'))).toEqual({ view: 'nodes', params: { select: 'n1' } });
    expect(alertTarget(alert('PersistentVolumeClaim', 'data', 'db'))).toEqual({ view: 'events', params: { object: { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'data' } } });
  });
  it('keeps nodes in every scope and ages each alert', () => {
    const rows = alertRows([alert('Pod', 'a', 'shop'), alert('Pod', 'b', 'batch'), alert('Node', 'n1')], 'shop', T0 + 90_000);
    expect(rows.map((r) => [r.name, r.age])).toEqual([['a', '1m'], ['n1', '1m']]);
  });
});
