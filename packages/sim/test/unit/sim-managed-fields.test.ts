import type { ConfigMap, Pod } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import {
  compareObjects,
  fromFieldsV1,
  managerFromUserAgent,
  sortEntries,
  toFieldsV1,
  updateManagedFields,
} from '../../src/managed-fields.js';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject, ManagedFieldsEntry } from '../../src/types.js';

const TIME = '2026-11-21T12:00:00Z';

function create(obj: KubeObject, manager = 'kubectl-create', ignored: string[] = []): ManagedFieldsEntry[] {
  return updateManagedFields({ previous: undefined, next: obj, manager, apiVersion: 'v1', time: TIME, ignored });
}

function update(previous: KubeObject, next: KubeObject, manager: string, extra: { subresource?: string; ignored?: string[] } = {}) {
  return updateManagedFields({ previous, next, manager, apiVersion: 'v1', time: '2026-11-21T12:05:00Z', ...extra });
}

/** The object as stored with these managedFields. */
function withFields<T extends KubeObject>(obj: T, entries: ManagedFieldsEntry[]): T {
  return { ...obj, metadata: { ...obj.metadata, managedFields: entries } };
}

function fieldsOf(entries: ManagedFieldsEntry[], manager: string) {
  return entries.find((e) => e.manager === manager)?.fieldsV1;
}

describe('fieldsV1 of a created object', () => {
  it('uses f: for fields, k:/v: for list items and "." for nodes added with children', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', uid: 'u', labels: { app: 'web' }, finalizers: ['example.com/x'] },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            args: ['--port', '80'],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: { limits: { cpu: '1' } },
            env: [{ name: 'MODE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
        nodeSelector: { disk: 'ssd' },
        securityContext: {},
      },
    };
    const [entry] = create(pod);
    expect(entry).toEqual({
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: TIME,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:finalizers': { '.': {}, 'v:"example.com/x"': {} },
          'f:labels': { '.': {}, 'f:app': {} },
        },
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              '.': {},
              'f:args': {},
              'f:env': {
                '.': {},
                'k:{"name":"MODE"}': {
                  '.': {},
                  'f:name': {},
                  'f:valueFrom': { '.': {}, 'f:fieldRef': {} },
                },
              },
              'f:image': {},
              'f:name': {},
              'f:ports': {
                '.': {},
                'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
              },
              'f:resources': { '.': {}, 'f:limits': { '.': {}, 'f:cpu': {} } },
            },
          },
          'f:nodeSelector': {},
          'f:securityContext': {},
        },
      },
    });
  });

  it('does not mark structs that exist in the zero value (spec.template, strategy) and treats selectors as atomic', () => {
    const deployment: KubeObject = {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    };
    expect(create(deployment)[0].fieldsV1).toEqual({
      'f:spec': {
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('leaves out server-owned metadata and ignored fields', () => {
    const entries = create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', namespace: 'n', uid: 'u', resourceVersion: '3', generation: 1, creationTimestamp: TIME },
        spec: { nodeName: 'x' },
        status: { phase: 'Running' },
      },
      'kubectl-create',
      ['status'],
    );
    expect(entries[0].fieldsV1).toEqual({ 'f:spec': { 'f:nodeName': {} } });
  });

  it('owns each ownerReference as a whole, keyed by uid', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u-1', controller: true };
    const [entry] = create({ metadata: { name: 'p', ownerReferences: [rs] }, spec: {} });
    expect(entry.fieldsV1).toEqual({ 'f:metadata': { 'f:ownerReferences': { '.': {}, 'k:{"uid":"u-1"}': {} } } });
  });

  it('records no entry for an object with nothing tracked', () => {
    expect(create({ metadata: { name: 'a' } })).toEqual([]);
  });
});

describe('ownership on update', () => {
  const base: ConfigMap = { metadata: { name: 'c', labels: { a: '1', b: '2' } }, data: { x: '1', y: '2' } };

  it('moves changed fields to the updater and keeps the rest with their owner', () => {
    const withCreator = withFields(base, create(base));
    const next = structuredClone(withCreator);
    next.data!.x = 'changed';
    next.metadata.labels = { ...next.metadata.labels, c: '3' };
    const entries = update(withCreator, next, 'kubectl-edit');
    expect(fieldsOf(entries, 'kubectl-create')).toEqual({
      'f:data': { '.': {}, 'f:y': {} },
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {}, 'f:b': {} } },
    });
    expect(fieldsOf(entries, 'kubectl-edit')).toEqual({
      'f:data': { 'f:x': {} },
      'f:metadata': { 'f:labels': { 'f:c': {} } },
    });
  });

  it('removes deleted fields from every manager and drops managers left with nothing', () => {
    const v1 = withFields(base, create(base));
    const v2 = structuredClone(v1);
    v2.data!.x = 'edited';
    v2.metadata.managedFields = update(v1, v2, 'editor');
    const v3 = structuredClone(v2);
    delete v3.data!.x;
    const entries = update(v2, v3, 'cleaner');
    expect(entries.map((e) => e.manager)).toEqual(['kubectl-create']);
    expect(fieldsOf(entries, 'kubectl-create')).toEqual({
      'f:data': { '.': {}, 'f:y': {} },
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {}, 'f:b': {} } },
    });
  });

  it('tracks list items by key, so reordering changes nothing and a new item goes to the updater', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
    };
    const v1 = withFields(pod, create(pod));
    const reordered = structuredClone(v1);
    reordered.spec!.containers.reverse();
    expect(update(v1, reordered, 'other').map((e) => e.manager)).toEqual(['kubectl-create']);
    const added = structuredClone(v1);
    added.spec!.containers.push({ name: 'sidecar', image: 'z' });
    expect(fieldsOf(update(v1, added, 'injector'), 'injector')).toEqual({
      'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
  });

  it('keeps status writers apart with their subresource', () => {
    const pod: KubeObject = { metadata: { name: 'p' }, spec: { nodeName: 'n' } };
    const v1 = withFields(pod, create(pod));
    const v2 = { ...structuredClone(v1), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    const entries = update(v1, v2, 'kubelet', { subresource: 'status', ignored: ['spec'] });
    expect(entries.find((e) => e.manager === 'kubelet')).toMatchObject({
      subresource: 'status',
      fieldsV1: {
        'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} },
      },
    });
  });
});

describe('helpers', () => {
  it('round-trips the FieldsV1 form', () => {
    const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } };
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it('reports added, changed and removed paths', () => {
    const { changed, removed } = compareObjects({ metadata: {}, spec: { a: 1, b: 2 } }, { metadata: {}, spec: { a: 1, b: 3, c: 4 } });
    expect(toFieldsV1(changed)).toEqual({ 'f:spec': { 'f:b': {}, 'f:c': {} } });
    expect(toFieldsV1(removed)).toEqual({});
  });

  it('sorts entries as the API server encodes them', () => {
    const e = (manager: string, operation: 'Apply' | 'Update', time: string, subresource?: string): ManagedFieldsEntry => ({
      manager,
      operation,
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
      ...(subresource ? { subresource } : {}),
    });
    const sorted = sortEntries([
      e('kubelet', 'Update', '2026-01-01T00:00:05Z', 'status'),
      e('b', 'Update', '2026-01-01T00:00:01Z'),
      e('a', 'Update', '2026-01-01T00:00:01Z'),
      e('kubectl', 'Apply', '2026-01-01T00:00:09Z'),
    ]);
    expect(sorted.map((x) => x.manager)).toEqual(['kubectl', 'a', 'b', 'kubelet']);
  });

  it('derives the manager from the User-Agent program name', () => {
    expect(managerFromUserAgent('kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc')).toBe('kubectl-edit');
    expect(managerFromUserAgent('daytwo')).toBe('daytwo');
    expect(managerFromUserAgent(undefined)).toBe('');
  });
});

describe('through the store', () => {
  it('resets managedFields when an update sends [{}], keeps them when it sends []', () => {
    const store = new MemoryStore();
    store.create('namespaces', { metadata: { name: 'default' } });
    const cm = store.create('configmaps', { metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } }, { fieldManager: 'creator' }) as ConfigMap;
    const keep = structuredClone(cm);
    keep.metadata.managedFields = [];
    keep.data!.a = '2';
    const kept = store.update('configmaps', keep, { fieldManager: 'editor' }) as ConfigMap;
    // The creator keeps the data map itself; the edited key moves to the editor.
    expect(fieldsOf(kept.metadata.managedFields!, 'creator')).toEqual({ 'f:data': {} });
    expect(fieldsOf(kept.metadata.managedFields!, 'editor')).toEqual({ 'f:data': { 'f:a': {} } });

    const reset = structuredClone(kept);
    reset.metadata.managedFields = [{} as ManagedFieldsEntry];
    reset.data!.b = 'new';
    const cleared = store.update('configmaps', reset, { fieldManager: 'editor' });
    expect(cleared.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'editor', fieldsV1: { 'f:data': { 'f:b': {} } } }),
    ]);
  });
});
