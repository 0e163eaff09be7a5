import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey } from '@daytwo/k8s/kube-object.js';
import { KubeHttp } from '../../src/kube/http.js';
import { listAll } from '../../src/kube/list.js';
import { openSession } from '../../src/kube/session.js';
import { slimObject } from '../../src/store/app-store.js';
import { PageRecordingHttp } from '../helpers/page-requests.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

let t: TestSim;

const withoutUndefined = <T>(o: T): T => JSON.parse(JSON.stringify(o));
beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo', controllers: 'none' });
});
afterAll(() => t?.stop());

describe('listAll with mapItem', () => {
  it('maps every item of every page, so the whole list never holds managed fields', async () => {
    const http = new KubeHttp(t.kc);
    const full = await listAll(http, '/api/v1/pods', { limit: 5 });
    // The server does send them: otherwise this test would prove nothing.
    expect(full.items.every((p) => (p.metadata?.managedFields?.length ?? 0) > 0)).toBe(true);

    const seen: string[] = [];
    const slim = await listAll(http, '/api/v1/pods', {
      limit: 5,
      mapItem: (item) => {
        seen.push(objectKey(item));
        return slimObject(item);
      },
    });
    expect(slim.pages).toBeGreaterThan(1);
    expect(seen).toEqual(full.items.map(objectKey));
    expect(slim.items.map(objectKey)).toEqual(full.items.map(objectKey));
    expect(slim.items.some((p) => p.metadata?.managedFields !== undefined)).toBe(false);
    // Type meta is filled in before mapping, as for unmapped lists.
    expect(slim.items.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1')).toBe(true);
  });

  it('cuts managed fields out of each page before parsing it, leaving every other field as the server sent it', async () => {
    const http = new KubeHttp(t.kc);
    for (const path of ['/api/v1/pods', '/api/v1/nodes']) {
      const full = await listAll(http, path, { limit: 5 });
      expect(full.items.every((o) => (o.metadata?.managedFields?.length ?? 0) > 0)).toBe(true);
      const cut = await listAll(http, path, { limit: 5, dropManagedFields: true });
      expect(cut.pages).toBe(full.pages);
      expect(cut.items).toEqual(full.items.map((o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } })).map(withoutUndefined));
    }
  });

  it('asks for each next page when the head of the one before names it, before that page has all arrived', async () => {
    const http = new PageRecordingHttp(t.kc);
    const plain = await listAll(new KubeHttp(t.kc), '/api/v1/pods', { limit: 5 });
    const piped = await listAll(http, '/api/v1/pods', { limit: 5 });
    expect(piped.items).toEqual(plain.items);
    expect(piped.pages).toBe(plain.pages);
    expect(piped.pages).toBeGreaterThan(2);
    http.expectPagesAskedAhead(piped.pages);
  });

  it('is what a session lists with: the store gets slim objects', async () => {
    const session = await openSession({ kubeConfigObject: t.kc, pageSize: 5 });
    try {
      await session.waitForSync(['pods']);
      const pods = [...session.store.getState().objects.pods.values()];
      expect(pods.length).toBe(t.sim.store.count('pods'));
      expect(pods.some((p) => p.metadata?.managedFields !== undefined)).toBe(false);
    } finally {
      await session.stop();
    }
  });
});
