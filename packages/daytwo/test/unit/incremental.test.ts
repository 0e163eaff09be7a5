import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { seededRandom } from '@daytwo/sim/random.js';
import { describe, expect, it } from 'vitest';
import { COUNT_BY_NAMESPACE, incrementalFold, spliceSorted } from '../../src/domain/incremental.js';
import { createNamespaceSummarizer, summarizeNamespaces } from '../../src/domain/namespaces.js';
import { ObjectMap } from '../../src/domain/object-map.js';
import { buildNodePools, createNodePoolDerivation, nodeRows } from '../../src/domain/pools.js';
import { createPreparedRows, WidthTally } from '../../src/domain/prepared-rows.js';
import { createQosIndex, QOS_POD_COLUMNS, qosPodRows, rowsInNamespace, summarizeQos, summarizeQosTallies } from '../../src/domain/qos-summary.js';
import { type ColumnDef, naturalWidths, prepareRows, sortRows } from '../../src/domain/table.js';
import { type AppStore, createAppStore, type ObjectChange } from '../../src/store/app-store.js';

const NAMESPACES = ['alpha', 'beta', 'gamma', 'delta'];
const NODES = ['node-a', 'node-b', 'node-c'];
const PHASES = ['Running', 'Pending', 'Succeeded', 'Failed', undefined];
const SHAPES = [
  { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
  {},
  { limits: { memory: '1Gi' } },
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

function randomPod(random: () => number, namespace: string, name: string): KubeObject {
  const phase = pick(random, PHASES);
  const scheduled = random() < 0.9;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, uid: `${namespace}-${name}-${Math.floor(random() * 1e9)}`, creationTimestamp: '2026-12-01T00:00:00Z' },
    spec: {
      ...(scheduled ? { nodeName: pick(random, NODES) } : {}),
      containers: [{ name: 'app', image: 'app:1', resources: pick(random, SHAPES) }],
    },
    status: {
      ...(phase ? { phase } : {}),
      ...(random() < 0.2 ? { qosClass: 'BestEffort' } : {}),
      containerStatuses: [{ name: 'app', restartCount: Math.floor(random() * 4) }],
    },
  };
}

function node(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: '2026-11-01T00:00:00Z', labels: { 'eks.amazonaws.com/nodegroup': name === 'node-c' ? 'big' : 'small' } },
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.1' } },
  };
}

/** A store with namespaces, nodes, a Deployment per namespace and `pods` random pods. */
function seededStore(random: () => number, pods: number): AppStore {
  const store = createAppStore();
  const changes: ObjectChange[] = [
    { kind: 'namespaces', type: 'replace', objects: NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } })) },
    { kind: 'nodes', type: 'replace', objects: NODES.map(node) },
    { kind: 'deployments', type: 'replace', objects: NAMESPACES.map((namespace) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace, name: 'web' } })) },
    { kind: 'pods', type: 'replace', objects: Array.from({ length: pods }, (_, i) => randomPod(random, pick(random, NAMESPACES), `pod-${i}`)) },
  ];
  store.getState().applyChanges(changes);
  return store;
}

/** One flush of random pod changes: updates, deletions and creations; now and then a Deployment. */
function randomFlush(random: () => number, store: AppStore, flush: number): void {
  const keys = [...store.getState().objects.pods.keys()];
  const changes: ObjectChange[] = [];
  const n = 1 + Math.floor(random() * 6);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.4 && keys.length > 0) {
      const [namespace, name] = pick(random, keys).split('/');
      changes.push({ kind: 'pods', type: 'upsert', object: randomPod(random, namespace, name) });
    } else if (r < 0.7 && keys.length > 0) {
      changes.push({ kind: 'pods', type: 'delete', key: pick(random, keys) });
    } else {
      changes.push({ kind: 'pods', type: 'upsert', object: randomPod(random, pick(random, NAMESPACES), `new-${flush}-${i}`) });
    }
  }
  if (random() < 0.1) changes.push({ kind: 'deployments', type: 'upsert', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: pick(random, NAMESPACES), name: `d-${flush}` } } });
  store.getState().applyChanges(changes);
}

describe('ObjectMap.changes', () => {
  it('tells what differs between two maps, whether they share a base, were folded in between, or are plain Maps', () => {
    const random = seededRandom(7);
    let map = ObjectMap.of(Array.from({ length: 100 }, (_, i) => [`k${i}`, { v: i }] as const));
    const plain = (m: ReadonlyMap<string, unknown>) => new Map(m);
    for (let step = 0; step < 200; step++) {
      const before = map;
      const edits = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
        const key = `k${Math.floor(random() * 130)}`;
        return [key, random() < 0.3 ? undefined : { v: random() }] as const;
      });
      map = map.withChanges(edits);
      const expected = new Map<string, [unknown, unknown]>();
      for (const key of new Set([...before.keys(), ...map.keys()])) {
        if (before.get(key) !== map.get(key)) expected.set(key, [before.get(key), map.get(key)]);
      }
      const asMap = (list: ReturnType<typeof ObjectMap.changes>) => new Map(list.map(([k, b, a]) => [k, [b, a]]));
      expect(asMap(ObjectMap.changes(before, map))).toEqual(expected);
      expect(asMap(ObjectMap.changes(plain(before), plain(map)))).toEqual(expected);
    }
  });
});

describe('incremental derivations equal their from-scratch counterparts through random flushes', () => {
  it('namespace rows, QoS rows and tallies, node rows and pools, and a sorted table', () => {
    const random = seededRandom(42);
    const store = seededStore(random, 300);
    const summarize = createNamespaceSummarizer();
    const qosIndex = createQosIndex();
    const nodePools = createNodePoolDerivation();
    const counts = incrementalFold(COUNT_BY_NAMESPACE);
    const sortSpecs = [
      { column: 'namespace', descending: false },
      { column: 'cpuRequest', descending: true },
      { column: 'class', descending: false },
    ];
    for (let flush = 0; flush < 120; flush++) {
      randomFlush(random, store, flush);
      const { objects } = store.getState();
      expect(summarize(objects)).toEqual(summarizeNamespaces(objects));
      expect(summarize(objects, 'beta')).toEqual(summarizeNamespaces(objects, 'beta'));

      const index = qosIndex(objects.pods);
      const rows = qosPodRows(objects.pods.values());
      expect(index.rows.map((r) => r.key)).toEqual(rows.map((r) => r.key));
      // Each row is the current pod's (rows of one pod object are equal by construction).
      expect(index.rows.map((r) => r.pod)).toEqual(rows.map((r) => r.pod));
      expect(summarizeQosTallies(index.tallies, [])).toEqual(summarizeQos(rows, []));
      expect(summarizeQosTallies(index.tallies, [], 'gamma')).toEqual(summarizeQos(rows, [], 'gamma'));
      expect(rowsInNamespace(index.rows, 'gamma').map((r) => r.pod)).toEqual(rows.filter((r) => r.namespace === 'gamma').map((r) => r.pod));

      const opts = { apiServerVersion: 'v1.31.0', now: Date.parse('2026-12-05T00:00:00Z') };
      expect(nodePools.nodeRows(objects.nodes, objects.pods, opts)).toEqual(nodeRows(objects.nodes.values(), objects.pods.values(), opts));
      expect(nodePools.pools(objects.nodes, objects.pods, opts)).toEqual(buildNodePools(objects.nodes.values(), objects.pods.values(), opts));

      const expectedCounts = new Map<string, number>();
      for (const d of objects.deployments.values()) expectedCounts.set(d.metadata.namespace ?? '', (expectedCounts.get(d.metadata.namespace ?? '') ?? 0) + 1);
      expect(new Map(counts(objects.deployments))).toEqual(expectedCounts);

      // The table sorts the same cached prepared rows as a stable-rows table does; a copy of the
      // columns has no memo of the previous sort, so it sorts every row.
      const spec = sortSpecs[Math.floor(flush / 40)];
      const prepared = prepareRows(index.rows, QOS_POD_COLUMNS, (r) => r.key, preparedCache);
      const incremental = sortRows(prepared, QOS_POD_COLUMNS, spec);
      expect(incremental.map((r) => r.key)).toEqual(sortRows(prepared, [...QOS_POD_COLUMNS], spec).map((r) => r.key));
    }
  });
});

const preparedCache = new WeakMap();

describe('the QoS table prepared from what changed equals the table prepared from scratch', () => {
  it('rows, cells, widths and sort through random flushes, with the scope and class filter switching', () => {
    const random = seededRandom(11);
    const store = seededStore(random, 200);
    const qosIndex = createQosIndex();
    const keyOf = (r: { key: string }) => r.key;
    const prepare = createPreparedRows(QOS_POD_COLUMNS, keyOf);
    const scopes = [undefined, 'beta', undefined, 'alpha'];
    const classes = [undefined, undefined, 'Burstable', 'BestEffort'] as const;
    let reused = 0;
    let previous: ReturnType<typeof prepare> | undefined;
    for (let flush = 0; flush < 160; flush++) {
      randomFlush(random, store, flush);
      const { pods } = store.getState().objects;
      const scope = scopes[Math.floor(flush / 10) % scopes.length];
      const qosClass = classes[Math.floor(flush / 25) % classes.length];
      const inScope = rowsInNamespace(qosIndex(pods).rows, scope);
      const rows = qosClass ? inScope.filter((r) => r.qosClass === qosClass) : inScope;
      const version = prepare(rows);
      const scratch = prepareRows(qosPodRows(pods.values(), { namespace: scope, qosClass }), QOS_POD_COLUMNS, keyOf);
      expect(version.rows.map((r) => [r.key, r.row.pod, r.cells])).toEqual(scratch.map((r) => [r.key, r.row.pod, r.cells]));
      expect(version.natural).toEqual(naturalWidths(QOS_POD_COLUMNS, scratch));
      if (previous && previous.rows.length > 0 && version.rows.includes(previous.rows[0])) reused++;
      const spec = { column: QOS_POD_COLUMNS[flush % QOS_POD_COLUMNS.length].id, descending: flush % 3 === 0 };
      expect(sortRows(version.rows, QOS_POD_COLUMNS, spec).map((r) => r.key)).toEqual(sortRows(scratch, [...QOS_POD_COLUMNS], spec).map((r) => r.key));
      previous = version;
    }
    // Unchanged rows keep their prepared row from one flush to the next.
    expect(reused).toBeGreaterThan(100);
  });

  it('falls back to preparing every row when rows do not come in key order, and stays right', () => {
    const columns: ColumnDef<{ key: string; text: string }>[] = [{ id: 'text', header: 'T', value: (r) => r.text }];
    const prepare = createPreparedRows(columns, (r) => r.key);
    const a = { key: 'a', text: 'xxxx' };
    const b = { key: 'b', text: 'yy' };
    const c = { key: 'c', text: 'z' };
    expect(prepare([a, b]).natural).toEqual([4]);
    const swapped = prepare([b, c, a]);
    expect(swapped.rows.map((r) => r.key)).toEqual(['b', 'c', 'a']);
    expect(swapped.natural).toEqual([4]);
    expect(prepare([c]).natural).toEqual([1]);
  });
});

describe('WidthTally', () => {
  it('knows the widest cell per column as cells come and go, as naturalWidths measures them', () => {
    const random = seededRandom(3);
    const columns: ColumnDef<string[]>[] = [
      { id: 'a', header: 'A', value: (r) => r[0] },
      { id: 'b', header: 'BEE', value: (r) => r[1], maxWidth: 6 },
    ];
    const tally = new WidthTally(columns as ColumnDef<never>[]);
    const live: string[][] = [];
    for (let step = 0; step < 500; step++) {
      if (live.length > 0 && random() < 0.45) {
        const [gone] = live.splice(Math.floor(random() * live.length), 1);
        tally.remove(gone);
      } else {
        const cells = ['x'.repeat(Math.floor(random() * 9)), 'é'.repeat(Math.floor(random() * 9))];
        live.push(cells);
        tally.add(cells);
      }
      expect(tally.natural()).toEqual(naturalWidths(columns, prepareRows(live, columns, (r) => r.join('|'))));
    }
  });
});

describe('spliceSorted', () => {
  const compare = (a: number, b: number) => a - b;

  it('removes and inserts in order', () => {
    expect(spliceSorted([1, 3, 5, 7], [3, 7], [4, 8, 0], compare)).toEqual([0, 1, 4, 5, 8]);
    expect(spliceSorted([], [], [2, 1], compare)).toEqual([1, 2]);
  });

  it('equals a sort from scratch through random removals and insertions, a removal named twice included', () => {
    const random = seededRandom(5);
    let sorted = Array.from({ length: 50 }, (_, i) => i * 2);
    for (let step = 0; step < 300; step++) {
      const remove = sorted.filter(() => random() < 0.1);
      if (remove.length > 0 && random() < 0.3) remove.push(remove[0]);
      const add = Array.from({ length: Math.floor(random() * 4) }, () => 1000 + step * 10 + Math.floor(random() * 10));
      const next = spliceSorted(sorted, remove, [...new Set(add)], compare);
      const expected = [...sorted.filter((n) => !remove.includes(n)), ...new Set(add)].sort(compare);
      expect(next).toEqual(expected);
      sorted = next ?? [];
    }
  });

  it('gives up when an element to remove is not there, so the caller sorts from scratch', () => {
    expect(spliceSorted([1, 3], [2], [], compare)).toBeUndefined();
  });
});
