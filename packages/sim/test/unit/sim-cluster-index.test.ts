import { type LabelSelector, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { describe, expect, it } from 'vitest';
import { clusterIndex } from '../../src/controllers/cluster-index.js';
import { labelSelectorFromObject } from '../../src/selectors.js';
import { MemoryStore } from '../../src/store.js';

function storeWithPods(): MemoryStore {
  const store = new MemoryStore();
  for (const name of ['default', 'other']) store.create('namespaces', { metadata: { name } });
  const pod = (name: string, namespace: string, labels: Record<string, string>) =>
    store.create('pods', { metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  pod('web-1', 'default', { app: 'web', tier: 'front' });
  pod('api-1', 'default', { app: 'api', tier: 'back' });
  pod('web-2', 'default', { app: 'web', tier: 'canary' });
  pod('web-3', 'other', { app: 'web', tier: 'front' });
  return store;
}

const names = (pods: { metadata: { name?: string } }[]) => pods.map((p) => p.metadata.name);

describe('the cluster index: pods a selector selects', () => {
  it('answers what filtering the namespace would, in the same order, for equality and set-based selectors', () => {
    const store = storeWithPods();
    const index = clusterIndex(store);
    const selectors: LabelSelector[] = [
      { matchLabels: { app: 'web' } },
      { matchLabels: { app: 'web', tier: 'front' } },
      { matchLabels: { app: 'none' } },
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'canary'] }] },
      { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
      {},
    ];
    for (const selector of selectors) {
      const requirements = labelSelectorFromObject(selector);
      const filtered = index.podsInNamespace('default').filter((p) => requirementsMatch(requirements, p.metadata.labels));
      expect(names(index.podsSelected('default', requirements)), JSON.stringify(selector)).toEqual(names(filtered));
    }
    expect(index.podsSelected('default', null)).toEqual([]);
  });

  it('follows relabelled and deleted pods', () => {
    const store = storeWithPods();
    const index = clusterIndex(store);
    const web = labelSelectorFromObject({ matchLabels: { app: 'web' } });
    const api = labelSelectorFromObject({ matchLabels: { app: 'api' } });
    const moved = structuredClone(store.get('pods', 'default', 'web-1')!);
    moved.metadata.labels = { app: 'api' };
    store.update('pods', moved);
    expect(names(index.podsSelected('default', web))).toEqual(['web-2']);
    expect(names(index.podsSelected('default', api))).toEqual(['api-1', 'web-1']);
    store.delete('pods', 'default', 'api-1');
    expect(names(index.podsSelected('default', api))).toEqual(['web-1']);
  });
});
