import { describe, expect, it } from 'vitest';
import type { DriftItem } from '../../../src/domain/drift/types.js';
import { syncOutcome } from '../../../src/kube/drift/sync.js';

const item = (status: DriftItem['status'], paths: string[] = []): DriftItem => ({
  apiVersion: 'v1',
  kind: 'Service',
  group: '',
  namespace: 'shop',
  name: 'web',
  status,
  diffs: paths.map((path) => ({ path, git: 1, live: 2 })),
  liveOnly: [],
});

describe('what a sync reports after comparing again', () => {
  it('says the object is Synced when it converged', () => {
    expect(syncOutcome('Service shop/web', item('Synced'))).toEqual({
      level: 'success',
      text: 'synced Service shop/web to Git (server-side apply, field manager daytwo); it is now Synced',
    });
  });

  it('warns, with the fields, when it did not', () => {
    expect(syncOutcome('Service shop/web', item('OutOfSync', ['a', 'b', 'c', 'd']))).toEqual({
      level: 'warning',
      text: 'applied Git to Service shop/web, but it is still OutOfSync: a, b, c, +1 more (something reverts or drops these fields)',
    });
    expect(syncOutcome('Service shop/web', undefined).text).toMatch(/still not compared/);
  });
});
