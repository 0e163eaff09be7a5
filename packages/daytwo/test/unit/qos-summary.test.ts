import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { nodeEvictionOrder, qosRules } from '../../src/domain/qos-detail.js';
import {
  classCell,
  formatLimitRangeDefaults,
  limitRangeDefaults,
  QOS_POD_COLUMNS,
  qosPodRow,
  qosPodRows,
  quantitiesJson,
  reasonCell,
  summarizeQos,
} from '../../src/domain/qos-summary.js';
import { sortRows, prepareRows } from '../../src/domain/table.js';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function pod(
  ns: string,
  name: string,
  containers: Resources[],
  opts: { node?: string; status?: string; init?: Resources[]; phase?: string; priority?: number; podLevel?: Resources } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      containers: containers.map((resources, i) => ({ name: `c${i}`, resources })),
      ...(opts.init ? { initContainers: opts.init.map((resources, i) => ({ name: `init${i}`, resources })) } : {}),
      ...(opts.node === undefined ? { nodeName: 'node-1' } : opts.node ? { nodeName: opts.node } : {}),
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.podLevel ? { resources: opts.podLevel } : {}),
    },
    status: { phase: opts.phase ?? 'Running', ...(opts.status ? { qosClass: opts.status } : {}) },
  };
}

const guaranteed: Resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
const burstable: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const noMemoryLimit: Resources = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1' } };
const bestEffort: Resources = {};

function limitRange(ns: string, name: string, items: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: ns }, spec: { limits: items } };
}

describe('qosPodRow', () => {
  it('carries the computed class, the reason and the QoS sums over app and init containers', () => {
    const row = qosPodRow(
      pod('shop', 'web', [burstable, { requests: { cpu: '50m' } }], { init: [{ requests: { memory: '64Mi' }, limits: { memory: '64Mi' } }] }),
    );
    expect(row).toMatchObject({ key: 'shop/web', namespace: 'shop', name: 'web', node: 'node-1', qosClass: 'Burstable', mismatch: false });
    expect(row.reason).toBe('container c1: no cpu limit');
    expect(quantitiesJson(row.requests)).toEqual({ cpu: '150m', memory: '192Mi' });
    expect(quantitiesJson(row.limits)).toEqual({ cpu: '500m', memory: '320Mi' });
  });

  it('flags a pod whose status.qosClass disagrees', () => {
    const row = qosPodRow(pod('a', 'p', [guaranteed], { status: 'Burstable' }));
    expect(row).toMatchObject({ qosClass: 'Guaranteed', statusQosClass: 'Burstable', mismatch: true });
    expect(classCell(row)).toBe('Guaranteed!');
    expect(reasonCell(row)).toBe('status.qosClass says Burstable; all containers set equal cpu and memory requests and limits');
    expect(classCell(qosPodRow(pod('a', 'p', [guaranteed], { status: 'Guaranteed' })))).toBe('Guaranteed');
  });

  it('finds a container without a memory limit, init containers included', () => {
    expect(qosPodRow(pod('a', 'p', [noMemoryLimit])).withoutMemoryLimit).toBe(true);
    expect(qosPodRow(pod('a', 'p', [guaranteed])).withoutMemoryLimit).toBe(false);
    expect(qosPodRow(pod('a', 'p', [guaranteed], { init: [{}] })).withoutMemoryLimit).toBe(true);
    // A zero limit is no limit (upstream counts only positive quantities).
    expect(qosPodRow(pod('a', 'p', [{ limits: { cpu: '1', memory: '0' } }])).withoutMemoryLimit).toBe(true);
  });

  it('a pod-level memory limit bounds every container', () => {
    const row = qosPodRow(pod('a', 'p', [bestEffort], { podLevel: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }));
    expect(row).toMatchObject({ qosClass: 'Guaranteed', withoutMemoryLimit: false, withoutRequests: false });
  });

  it('finds pods without any cpu or memory request (requests defaulted from limits count)', () => {
    expect(qosPodRow(pod('a', 'p', [bestEffort, { requests: { 'ephemeral-storage': '1Gi' } }])).withoutRequests).toBe(true);
    expect(qosPodRow(pod('a', 'p', [{ limits: { memory: '64Mi' } }])).withoutRequests).toBe(false);
    expect(qosPodRow(pod('a', 'p', [{ requests: { cpu: '0' }, limits: { cpu: '1' } }])).withoutRequests).toBe(true);
  });

  it('has no node while unscheduled', () => {
    expect(qosPodRow(pod('a', 'p', [bestEffort], { node: '' })).node).toBe('');
  });
});

describe('qosPodRows', () => {
  const pods = [
    pod('shop', 'b', [burstable]),
    pod('payments', 'g', [guaranteed]),
    pod('shop', 'a', [bestEffort]),
    pod('shop', 'm', [noMemoryLimit]),
  ];

  it('lists pods in namespace/name order, filtered by namespace, class and memory gaps', () => {
    expect(qosPodRows(pods).map((r) => r.key)).toEqual(['payments/g', 'shop/a', 'shop/b', 'shop/m']);
    expect(qosPodRows(pods, { namespace: 'shop' }).map((r) => r.key)).toEqual(['shop/a', 'shop/b', 'shop/m']);
    expect(qosPodRows(pods, { qosClass: 'Burstable' }).map((r) => r.key)).toEqual(['shop/b', 'shop/m']);
    expect(qosPodRows(pods, { withoutMemoryLimit: true }).map((r) => r.key)).toEqual(['shop/a', 'shop/m']);
  });

  it('sorts CLASS in eviction order and amounts by value, unset lowest', () => {
    const rows = qosPodRows(pods);
    const prepared = prepareRows(rows, QOS_POD_COLUMNS, (r) => r.key);
    const byClass = sortRows(prepared, QOS_POD_COLUMNS, { column: 'class', descending: false }).map((r) => r.row.qosClass);
    expect(byClass).toEqual(['BestEffort', 'Burstable', 'Burstable', 'Guaranteed']);
    const byMemoryLimit = sortRows(prepared, QOS_POD_COLUMNS, { column: 'memoryLimit', descending: false }).map((r) => r.key);
    // unset (a, m), then 256Mi (b), then 512Mi (g): "256Mi" < "512Mi" by value, not text.
    expect(byMemoryLimit).toEqual(['shop/a', 'shop/m', 'shop/b', 'payments/g']);
  });

  it('prints sums for display: cores above a core, binary memory', () => {
    const row = qosPodRow(pod('a', 'p', [{ requests: { cpu: '1.5', memory: '1536Mi' }, limits: { cpu: '1500m', memory: '1.5Gi' } }]));
    const cells = Object.fromEntries(QOS_POD_COLUMNS.map((c) => [c.id, c.value(row)]));
    expect(cells).toMatchObject({ cpuRequest: '1.5', cpuLimit: '1.5', memoryRequest: '1.5Gi', memoryLimit: '1.5Gi', class: 'Guaranteed' });
    expect(QOS_POD_COLUMNS.find((c) => c.id === 'memoryLimit')?.value(qosPodRow(pod('a', 'p', [bestEffort])))).toBe('-');
  });
});

describe('limitRangeDefaults', () => {
  it('reads default and defaultRequest of Container items', () => {
    const d = limitRangeDefaults([
      limitRange('shop', 'defaults', [
        { type: 'Pod', max: { cpu: '4' } },
        { type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } },
      ]),
    ]);
    expect(d && { request: quantitiesJson(d.defaultRequest), limit: quantitiesJson(d.defaultLimit), from: d.limitRanges }).toEqual({
      request: { cpu: '100m', memory: '128Mi' },
      limit: { cpu: '500m', memory: '512Mi' },
      from: ['defaults'],
    });
    expect(formatLimitRangeDefaults(d)).toBe('req cpu 100m mem 128Mi · lim cpu 500m mem 512Mi');
  });

  it('applies SetDefaults_LimitRangeItem: default from max, defaultRequest from default, then min', () => {
    const d = limitRangeDefaults([limitRange('a', 'lr', [{ type: 'Container', max: { memory: '1Gi' }, min: { cpu: '50m' } }])]);
    expect(d && quantitiesJson(d.defaultLimit)).toEqual({ memory: '1Gi' });
    expect(d && quantitiesJson(d.defaultRequest)).toEqual({ cpu: '50m', memory: '1Gi' });
  });

  it('a later Container item of one LimitRange overrides an earlier one; the first LimitRange by name wins', () => {
    const d = limitRangeDefaults([
      limitRange('a', 'z-late', [{ type: 'Container', default: { cpu: '2', memory: '2Gi' } }]),
      limitRange('a', 'a-early', [
        { type: 'Container', default: { cpu: '1' } },
        { type: 'Container', default: { cpu: '300m' } },
      ]),
    ]);
    expect(d && quantitiesJson(d.defaultLimit)).toEqual({ cpu: '300m', memory: '2Gi' });
    expect(d?.limitRanges).toEqual(['a-early', 'z-late']);
  });

  it('is "none" without cpu or memory container defaults', () => {
    expect(limitRangeDefaults([])).toBeUndefined();
    expect(limitRangeDefaults([limitRange('a', 'pvc', [{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }])])).toBeUndefined();
    expect(limitRangeDefaults([limitRange('a', 'eph', [{ type: 'Container', default: { 'ephemeral-storage': '1Gi' } }])])).toBeUndefined();
    expect(formatLimitRangeDefaults(undefined)).toBe('none');
  });
});

describe('summarizeQos', () => {
  const pods = [
    pod('shop', 'b', [burstable]),
    pod('shop', 'a', [bestEffort]),
    pod('shop', 'm', [noMemoryLimit], { status: 'Guaranteed' }),
    pod('payments', 'g1', [guaranteed]),
    pod('payments', 'g2', [guaranteed]),
  ];
  const ranges = [limitRange('shop', 'defaults', [{ type: 'Container', default: { memory: '512Mi' } }]), limitRange('quiet', 'lr', [{ type: 'Container', default: { cpu: '1' } }])];

  it('counts classes, gaps and mismatches per namespace, with the LimitRange defaults or none', () => {
    const rows = qosPodRows(pods);
    const summaries = summarizeQos(rows, ranges);
    expect(summaries.map((s) => s.namespace)).toEqual(['payments', 'quiet', 'shop']);
    expect(summaries[0]).toMatchObject({ pods: 2, guaranteed: 2, burstable: 0, bestEffort: 0, withoutMemoryLimit: 0, withoutRequests: 0, mismatched: 0 });
    expect(summaries[0].limitRangeDefaults).toBeUndefined();
    expect(summaries[1]).toMatchObject({ pods: 0 });
    expect(summaries[2]).toMatchObject({ pods: 3, guaranteed: 0, burstable: 2, bestEffort: 1, withoutMemoryLimit: 2, withoutRequests: 1, mismatched: 1 });
    expect(formatLimitRangeDefaults(summaries[2].limitRangeDefaults)).toBe('req mem 512Mi · lim mem 512Mi');
  });

  it('keeps to one namespace when scoped', () => {
    expect(summarizeQos(qosPodRows(pods), ranges, 'payments').map((s) => s.namespace)).toEqual(['payments']);
  });
});

describe('qosRules', () => {
  it('marks the rule that made the class and why the earlier ones failed', () => {
    const rules = qosRules(qosPodRow(pod('a', 'p', [burstable])).explanation);
    expect(rules.map((r) => [r.qosClass, r.applies, r.failedBecause])).toEqual([
      ['BestEffort', false, 'a cpu or memory request or limit is set'],
      ['Guaranteed', false, 'container c0: cpu limit 500m != request 100m'],
      ['Burstable', true, undefined],
    ]);
    expect(qosRules(qosPodRow(pod('a', 'p', [guaranteed])).explanation).map((r) => r.applies)).toEqual([false, true, false]);
    expect(qosRules(qosPodRow(pod('a', 'p', [bestEffort])).explanation).map((r) => [r.applies, r.failedBecause])).toEqual([
      [true, undefined],
      [false, undefined],
      [false, undefined],
    ]);
  });

  it('speaks of pod-level resources when they decided', () => {
    const e = qosPodRow(pod('a', 'p', [bestEffort], { podLevel: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } })).explanation;
    expect(qosRules(e)[1].rule).toMatch(/^Guaranteed: pod-level cpu and memory limits/);
  });
});

describe('nodeEvictionOrder', () => {
  const onNode = [
    pod('shop', 'g', [guaranteed], { node: 'n1' }),
    pod('shop', 'big', [{ requests: { memory: '1Gi' } }], { node: 'n1' }),
    pod('shop', 'small', [{ requests: { memory: '64Mi' } }], { node: 'n1' }),
    pod('shop', 'be', [bestEffort], { node: 'n1' }),
    pod('shop', 'vip', [{ requests: { memory: '64Mi' } }], { node: 'n1', priority: 1000 }),
    pod('shop', 'done', [bestEffort], { node: 'n1', phase: 'Succeeded' }),
    pod('shop', 'elsewhere', [bestEffort], { node: 'n2' }),
  ];

  it('ranks the running pods of the node: BestEffort, Burstable by priority then memory request, Guaranteed', () => {
    const order = nodeEvictionOrder(onNode[2], onNode);
    expect(order?.node).toBe('n1');
    expect(order?.entries.map((e) => e.key)).toEqual(['shop/be', 'shop/small', 'shop/big', 'shop/vip', 'shop/g']);
    expect(order?.position).toBe(1);
    expect(order?.entries[3]).toMatchObject({ qosClass: 'Burstable', priority: 1000 });
  });

  it('a finished pod is not in the order; an unscheduled one has none', () => {
    expect(nodeEvictionOrder(onNode[5], onNode)?.position).toBe(-1);
    expect(nodeEvictionOrder(pod('shop', 'pending', [bestEffort], { node: '' }), onNode)).toBeUndefined();
  });
});

describe('daytwo report qos', () => {
  it('prints the pods, then the namespaces, as tables; the document holds both', async () => {
    const { createAppStore } = await import('../../src/store/app-store.js');
    const { buildQosReport } = await import('../../src/report/qos-report.js');
    const store = createAppStore();
    store.getState().applyChanges([
      { kind: 'pods', type: 'replace', objects: [pod('shop', 'web', [burstable]), pod('payments', 'api', [guaranteed], { status: 'Guaranteed' })] },
      { kind: 'limitranges', type: 'replace', objects: [limitRange('shop', 'defaults', [{ type: 'Container', defaultRequest: { cpu: '100m' } }])] },
    ]);
    const { document, table } = buildQosReport(store.getState());
    const [pods, namespaces] = table.split('\n\n');
    expect(pods.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+CLASS\s+CPU REQ\s+CPU LIM\s+MEM REQ\s+MEM LIM\s+REASON\s+NODE$/);
    expect(pods).toMatch(/shop\s+web\s+Burstable\s+100m\s+500m\s+128Mi\s+256Mi\s+container c0: cpu limit 500m != request 100m\s+node-1/);
    // A defaultRequest alone sets no default limit.
    expect(namespaces).toMatch(/shop\s+1\s+0\s+1\s+0\s+0\s+0\s+req cpu 100m$/m);
    expect(document.items[0]).toEqual({
      namespace: 'payments',
      name: 'api',
      node: 'node-1',
      phase: 'Running',
      qosClass: 'Guaranteed',
      statusQosClass: 'Guaranteed',
      mismatch: false,
      reason: 'all containers set equal cpu and memory requests and limits',
      decidedBy: 'containers',
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
      withoutMemoryLimit: false,
      withoutRequests: false,
      containers: [{ name: 'c0', init: false, requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' }, defaultedRequests: [] }],
      // No metrics API answer given to the build: usage unknown.
      usage: null,
    });
    expect(document.namespaces).toEqual([
      expect.objectContaining({ namespace: 'payments', limitRangeDefaults: 'none' }),
      expect.objectContaining({ namespace: 'shop', limitRangeDefaults: { defaultRequest: { cpu: '100m' }, default: {}, limitRanges: ['defaults'] } }),
    ]);
    store.getState().setScope('shop');
    expect(buildQosReport(store.getState()).document.items).toHaveLength(1);
  });
});
