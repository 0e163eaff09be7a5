import { podRecord } from '@daytwo/k8s/compact.js';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { seededRandom } from '@daytwo/sim/random.js';
import { describe, expect, it } from 'vitest';
import { ObjectMap, type ObjectMapChange, overlayBound } from '../../src/domain/object-map.js';
import { createAppStore } from '../../src/store/app-store.js';

const pod = (namespace: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, ...extra },
});


const snapshot = (m: ReadonlyMap<string, number>) => ({
  size: m.size,
  entries: [...m.entries()],
  keys: [...m.keys()],
  values: [...m.values()],
  iterated: [...m],
  forEach: (() => {
    const seen: [string, number][] = [];
    m.forEach((v, k) => {
      seen.push([k, v]);
    });
    return seen;
  })(),
});

describe('ObjectMap', () => {
  it('reads, iterates and counts like a Map after any sequence of sets and deletes', () => {
    const next = seededRandom(7);
    let model = new Map<string, number>();
    let map = ObjectMap.of<number>([]);
    const earlier: { map: ObjectMap<number>; model: Map<string, number> }[] = [];
    for (let flush = 0; flush < 400; flush++) {
      const changes: ObjectMapChange<number>[] = [];
      for (let i = Math.floor(next() * 8); i >= 0; i--) {
        const key = `k${Math.floor(next() * 300)}`;
        changes.push([key, next() < 0.3 ? undefined : flush * 100 + i]);
      }
      model = new Map(model);
      for (const [key, value] of changes) {
        if (value === undefined) model.delete(key);
        // A Map keeps an existing key's place: set in place, as the overlay does.
        else model.set(key, value);
      }
      map = map.withChanges(changes);
      if (flush % 40 === 0) earlier.push({ map, model });
      expect(map.size).toBe(model.size);
      for (const key of ['k0', 'k1', 'k150', 'k299', 'none']) {
        expect(map.get(key)).toBe(model.get(key));
        expect(map.has(key)).toBe(model.has(key));
      }
    }
    // Deleted-then-added keys may sit elsewhere than in a Map: compare contents, and order for the rest.
    expect(new Map(map)).toEqual(model);
    expect(snapshot(map).entries.sort()).toEqual([...model.entries()].sort());
    // Earlier maps still read as they did: a flush never changes a map handed out before.
    for (const { map: old, model: then } of earlier) expect(new Map(old)).toEqual(then);
  });

  it('keeps Map order: updated keys stay in place, new keys come last', () => {
    const map = ObjectMap.of([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]).withChanges([
      ['d', 4],
      ['b', 20],
      ['a', undefined],
    ]);
    expect(snapshot(map)).toEqual(
      snapshot(
        new Map([
          ['b', 20],
          ['c', 3],
          ['d', 4],
        ]),
      ),
    );
  });

  it('never mutates a plain Map it starts from', () => {
    const plain = new Map([['a', 1]]);
    const derived = ObjectMap.withChanges(plain, [
      ['a', undefined],
      ['b', 2],
    ]);
    expect([...plain]).toEqual([['a', 1]]);
    expect([...derived]).toEqual([['b', 2]]);
  });

  it('folds its changes into a new base once they pass the bound, keeping every entry', () => {
    const base: [string, number][] = Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]);
    let map = ObjectMap.of(base);
    const bound = overlayBound(10_000);
    for (let i = 0; i < bound; i++) map = map.withChanges([[`k${i}`, -i]]);
    expect(map.overlaySize).toBe(bound);
    map = map.withChanges([['new', 1]]);
    expect(map.overlaySize).toBe(0);
    expect(map.size).toBe(10_001);
    expect(map.get('k5')).toBe(-5);
    expect(map.get(`k${bound}`)).toBe(bound);
    expect([...map.keys()].at(-1)).toBe('new');
  });
});

describe('the store under churn', () => {
  it('stores a flush of one change without copying the other 20,000 pods, under a new map', () => {
    const store = createAppStore();
    const pods = Array.from({ length: 20_000 }, (_, i) => pod(`ns-${i % 50}`, `p-${i}`));
    store.getState().applyChanges([{ kind: 'pods', type: 'replace', objects: pods }]);
    const before = store.getState().objects;
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: pod('ns-1', 'p-1', { labels: { a: 'b' } }) }]);
    const after = store.getState().objects;

    expect(after.pods).not.toBe(before.pods);
    expect(after.nodes).toBe(before.nodes);
    expect((after.pods as ObjectMap<KubeObject>).overlaySize).toBe(1);
    expect(after.pods.get('ns-1/p-1')?.metadata.labels).toEqual({ a: 'b' });
    expect(before.pods.get('ns-1/p-1')?.metadata.labels).toBeUndefined();
    expect(after.pods.size).toBe(20_000);
  });

  it('applies a relist and the changes after it in one flush, and deletes by key', () => {
    const store = createAppStore();
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: pod('a', 'stale') }]);
    store.getState().applyChanges([
      { kind: 'pods', type: 'replace', objects: [pod('a', 'x'), pod('a', 'y')] },
      { kind: 'pods', type: 'upsert', object: pod('a', 'z') },
      { kind: 'pods', type: 'delete', key: 'a/x' },
      { kind: 'pods', type: 'delete', key: 'a/missing' },
    ]);
    const pods = store.getState().objects.pods;
    expect([...pods.keys()]).toEqual(['a/y', 'a/z']);
    expect(pods.size).toBe(2);
    expect(store.getState().flushes).toBe(2);
  });

  it('drops managedFields and the last-applied annotation from what it stores', () => {
    const store = createAppStore();
    const fat = pod('a', 'p', {
      managedFields: [{ manager: 'kubectl' }],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
    });
    store.getState().applyChanges([{ kind: 'deployments', type: 'upsert', object: { ...fat, kind: 'Deployment' } }]);
    const stored = store.getState().objects.deployments.get('a/p');
    expect(stored?.metadata.managedFields).toBeUndefined();
    expect(stored?.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('stores a pod as its compact record, however it arrives, and a record as it is', () => {
    const store = createAppStore();
    const fat = pod('a', 'p', { managedFields: [{ manager: 'kubectl' }], annotations: { keep: 'me' } });
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: fat }]);
    const stored = store.getState().objects.pods.get('a/p');
    expect(stored).toEqual(podRecord(fat));
    store.getState().applyChanges([{ kind: 'pods', type: 'replace', objects: [stored as KubeObject] }]);
    expect(store.getState().objects.pods.get('a/p')).toBe(stored);
  });

  it('keeps a node record whose update changed only its resourceVersion (a heartbeat), and takes any other change', () => {
    const store = createAppStore();
    const node = (rv: string, heartbeat: string, unschedulable = false): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', resourceVersion: rv },
      spec: { unschedulable },
      status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }] },
    });
    store.getState().applyChanges([{ kind: 'nodes', type: 'upsert', object: node('1', '10:00') }]);
    const first = store.getState().objects.nodes;
    store.getState().applyChanges([{ kind: 'nodes', type: 'upsert', object: node('2', '10:05') }]);
    expect(store.getState().objects.nodes).toBe(first);
    store.getState().applyChanges([{ kind: 'nodes', type: 'upsert', object: node('3', '10:10', true) }]);
    expect(store.getState().objects.nodes.get('n1')?.spec?.unschedulable).toBe(true);
    expect(store.getState().objects.nodes.get('n1')?.metadata.resourceVersion).toBe('3');
  });
});
