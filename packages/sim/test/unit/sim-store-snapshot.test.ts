import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store.js';
import type { KubeObject } from '../../src/types.js';

const cm = (name: string, namespace = 'default', data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});
const keys = (objs: KubeObject[] | 'expired'): string[] => (objs === 'expired' ? ['expired'] : objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}:${o.metadata.resourceVersion}`));

describe('MemoryStore.listAt', () => {
  it('rewinds creations, updates and deletions to the state at a past resourceVersion, across history compaction', () => {
    const store = new MemoryStore({ historyLimit: 4 });
    for (const ns of ['default', 'other']) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    store.create('configmaps', cm('a'));
    const b = store.create('configmaps', cm('b'));
    store.create('configmaps', cm('x', 'other'));
    const rv = store.resourceVersion;
    // Writes that compact the history (limit 4) several times over, with the snapshot's rv kept in the window at the end.
    let filler = store.create('configmaps', cm('filler', 'other'));
    for (let i = 0; i < 9; i++) filler = store.update('configmaps', { ...filler, data: { i: String(i) } });
    expect(store.listAt('configmaps', rv)).toBe('expired');
    expect(keys(store.listAt('configmaps', rv))).toEqual(['expired']);

    const rv2 = store.resourceVersion;
    const at2 = keys(store.list('configmaps'));
    store.delete('configmaps', 'default', 'a');
    store.update('configmaps', { ...b, data: { changed: 'yes' } });
    store.create('configmaps', cm('c'));
    expect(keys(store.listAt('configmaps', rv2))).toEqual(at2);
    expect(keys(store.listAt('configmaps', rv2, { namespace: 'default' }))).toEqual(at2.filter((k) => k.startsWith('default/')));
    expect(keys(store.listAt('configmaps', rv2, { fieldSelector: 'metadata.name=a' }))).toEqual(at2.filter((k) => k.startsWith('default/a:')));
  });
});
