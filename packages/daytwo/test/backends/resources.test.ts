/**
 * Discovery, CustomResourceDefinitions and the Table watch behind the generic resource
 * table, on the simulated cluster and (under `npm run test:real`) the real control plane:
 * the same CRD becomes a served resource with its printer columns on both.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveResource } from '../../src/domain/api-resources.js';
import { discoverResources } from '../../src/kube/discovery.js';
import { watchResourceTable } from '../../src/kube/table-watch.js';
import type { ResourceTableStore } from '../../src/store/resource-table.js';
import { type Backend, backendNames, startBackend, tempNamespace } from '../helpers/backend.js';

const WAIT = { timeout: 30_000, interval: 100 };

/** A CRD as cert-manager and friends write them: a short name, printer columns with a filter and a date. */
function gadgetCrd(group: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gdg'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
            { name: 'Color', type: 'string', jsonPath: '.spec.color' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
}

const rowsOf = (table: ResourceTableStore) => [...table.getState().rows.values()].map((r) => r.cells);
const headersOf = (table: ResourceTableStore) => table.getState().columns.map((c) => c.name);

describe.each(backendNames())('resources on the %s cluster', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend(name);
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('discovers built-in resources and resolves what a k9s user types', { timeout: 30_000 }, async () => {
    const { resources, failed } = await discoverResources(backend.api);
    expect(failed).toEqual([]);
    const named = (input: string) => {
      const r = resolveResource(input, resources);
      return r && `${r.group ? `${r.resource}.${r.group}` : r.resource}/${r.version}`;
    };
    expect(named('svc')).toBe('services/v1');
    expect(named('cm')).toBe('configmaps/v1');
    expect(named('secret')).toBe('secrets/v1');
    expect(named('pvc')).toBe('persistentvolumeclaims/v1');
    expect(named('ing')).toBe('ingresses.networking.k8s.io/v1');
    expect(named('deploy')).toBe('deployments.apps/v1');
    expect(named('sts')).toBe('statefulsets.apps/v1');
    expect(named('ds')).toBe('daemonsets.apps/v1');
    expect(named('job')).toBe('jobs.batch/v1');
    expect(named('cronjob')).toBe('cronjobs.batch/v1');
    expect(named('crd')).toBe('customresourcedefinitions.apiextensions.k8s.io/v1');
    // The core group wins a name two groups serve, as kubectl picks it.
    expect(named('events')).toBe('events/v1');
    expect(named('events.events.k8s.io')).toBe('events.events.k8s.io/v1');
    expect(named('Deployment.apps')).toBe('deployments.apps/v1');
    expect(named('deployments.v1.apps')).toBe('deployments.apps/v1');
    expect(named('nosuchthing')).toBeUndefined();
  });

  it('serves a CRD\'s resource with its printer columns, live through a Table watch', { timeout: 90_000 }, async () => {
    const group = `d2-${Math.random().toString(36).slice(2, 7)}.example.com`;
    const ns = await tempNamespace(backend, 'd2-crd');
    await backend.api.requestJson('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { method: 'POST', body: gadgetCrd(group) });
    let table: ReturnType<typeof watchResourceTable> | undefined;
    try {
      await vi.waitFor(async () => {
        const crd = await backend.api.requestJson<{ status?: { conditions?: { type: string; status: string }[] } }>(
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`,
        );
        expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
      }, WAIT);
      const resource = await vi.waitFor(async () => {
        const found = resolveResource(`gadget.${group}`, (await discoverResources(backend.api)).resources);
        expect(found).toBeDefined();
        return found!;
      }, WAIT);
      expect(resource).toMatchObject({ kind: 'Gadget', namespaced: true, shortNames: ['gdg'], version: 'v1' });

      const path = `/apis/${group}/v1/namespaces/${ns.name}/gadgets`;
      await backend.api.requestJson(path, { method: 'POST', body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 3 } } });
      table = watchResourceTable({ http: backend.api, resource, namespace: ns.name });
      const store = table.store;
      await vi.waitFor(() => expect(store.getState().state).toBe('live'), WAIT);
      expect(headersOf(store)).toEqual(['Name', 'Size', 'Color', 'Ready', 'Age']);
      expect(rowsOf(store)).toEqual([['g1', '3', '', '', expect.stringMatching(/^\d+s$/)]]);
      expect([...store.getState().rows.values()][0].ref).toEqual({ apiVersion: `${group}/v1`, kind: 'Gadget', namespace: ns.name, name: 'g1' });

      await backend.api.requestJson(`${path}/g1`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { color: 'red' } } });
      await backend.api.requestJson(`${path}/g1/status`, {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      });
      await vi.waitFor(() => expect(rowsOf(store)).toEqual([['g1', '3', 'red', 'True', expect.any(String)]]), WAIT);
      await backend.api.requestJson(path, { method: 'POST', body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g2' }, spec: { size: 7 } } });
      await vi.waitFor(() => expect(rowsOf(store).map((c) => c[0]).sort()).toEqual(['g1', 'g2']), WAIT);
      await backend.api.requestJson(`${path}/g1`, { method: 'DELETE' });
      await vi.waitFor(() => expect(rowsOf(store).map((c) => c[0])).toEqual(['g2']), WAIT);
      // Headers came from the list; later events' null columnDefinitions do not wipe them.
      expect(headersOf(store)).toEqual(['Name', 'Size', 'Color', 'Ready', 'Age']);
    } finally {
      table?.stop();
      await backend.api.requestJson(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`, { method: 'DELETE' });
      await ns.remove();
    }
    // Deleting the CRD stops serving its resource.
    await vi.waitFor(async () => {
      const { resources } = await discoverResources(backend.api);
      expect(resolveResource(`gadgets.${group}`, resources)).toBeUndefined();
    }, WAIT);
  });

  it('prints built-in kinds with the server\'s printer, and the rest with Name and Created At', { timeout: 60_000 }, async () => {
    const ns = await tempNamespace(backend, 'd2-svc');
    const { resources } = await discoverResources(backend.api);
    const tables: ReturnType<typeof watchResourceTable>[] = [];
    try {
      await backend.api.requestJson(`/api/v1/namespaces/${ns.name}/services`, {
        method: 'POST',
        body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } },
      });
      const services = watchResourceTable({ http: backend.api, resource: resolveResource('svc', resources)!, namespace: ns.name });
      tables.push(services);
      await vi.waitFor(() => expect(rowsOf(services.store)).toHaveLength(1), WAIT);
      expect(headersOf(services.store)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
      expect(services.store.getState().columns.map((c) => c.priority ?? 0)).toEqual([0, 0, 0, 0, 0, 0, 1]);
      expect(rowsOf(services.store)[0].slice(0, 5)).toEqual(['web', 'ClusterIP', expect.stringMatching(/^10\./), '<none>', '80/TCP']);

      await backend.api.requestJson(`/api/v1/namespaces/${ns.name}/persistentvolumeclaims`, {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], storageClassName: 'no-such-class', volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } },
        },
      });
      const claims = watchResourceTable({ http: backend.api, resource: resolveResource('pvc', resources)!, namespace: ns.name });
      tables.push(claims);
      await vi.waitFor(() => expect(rowsOf(claims.store)).toHaveLength(1), WAIT);
      expect(headersOf(claims.store)).toEqual(['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode']);
      expect(rowsOf(claims.store)[0]).toEqual(['data', 'Pending', '', '', '', 'no-such-class', '<unset>', expect.any(String), 'Block']);

      const ingressPath = `/apis/networking.k8s.io/v1/namespaces/${ns.name}/ingresses`;
      const backendRef = { service: { name: 'web', port: { number: 80 } } };
      const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: backendRef }] } });
      await backend.api.requestJson(ingressPath, {
        method: 'POST',
        body: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bare' }, spec: { ingressClassName: 'nginx', defaultBackend: backendRef } },
      });
      await backend.api.requestJson(ingressPath, {
        method: 'POST',
        body: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web' },
          spec: { rules: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'].map(rule), tls: [{ hosts: ['a.example.com'], secretName: 'tls' }] },
        },
      });
      const ingresses = watchResourceTable({ http: backend.api, resource: resolveResource('ing', resources)!, namespace: ns.name });
      tables.push(ingresses);
      await vi.waitFor(() => expect(rowsOf(ingresses.store)).toHaveLength(2), WAIT);
      expect(headersOf(ingresses.store)).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
      expect(rowsOf(ingresses.store).map((r) => r.slice(0, 5))).toEqual([
        ['bare', 'nginx', '*', '', '80'],
        ['web', '<none>', 'a.example.com,b.example.com,c.example.com + 2 more...', '', '80, 443'],
      ]);

      const accounts = watchResourceTable({ http: backend.api, resource: resolveResource('sa', resources)!, namespace: ns.name });
      tables.push(accounts);
      await vi.waitFor(() => expect(rowsOf(accounts.store)).toEqual([['default', expect.any(String)]]), WAIT);
      expect(headersOf(accounts.store)).toEqual(['Name', 'Age']);

      const crds = watchResourceTable({ http: backend.api, resource: resolveResource('crd', resources)! });
      tables.push(crds);
      await vi.waitFor(() => expect(crds.store.getState().state).toBe('live'), WAIT);
      expect(headersOf(crds.store)).toEqual(['Name', 'Created At']);
    } finally {
      for (const t of tables) t.stop();
      await ns.remove();
    }
  });
});
