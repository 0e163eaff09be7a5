/**
 * Ctrl-D on a custom resource in the generic table is checked with the API server before it is
 * offered, as on the built-in kinds: RBAC is asked about `delete <group>/<plural>` (the plural
 * from discovery) in the object's namespace. Against the simulated cluster, whose `viewer`
 * may read custom resources but not delete them (the server answers 403).
 */
import { readFileSync, } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { accessKey } from '../../src/domain/operations.js';
import { ApiRequestError } from '../../src/kube/errors.js';
import { KubeHttp } from '../../src/kube/http.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { frameShows, KEYS, } from '../helpers/render.js';

const CTRL_D = '\u0004';
const GROUP = 'access.example.com';
const OBJECTS = `/apis/${GROUP}/v1/namespaces/shop/widgets`;

const consoles = liveConsoleHooks('daytwo-cr-access-', async () => {
  const t = await startTestSim({ scenario: 'demo' });
  const http = new KubeHttp(t.kc);
  await http.requestJson('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    method: 'POST',
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${GROUP}` },
      spec: {
        group: GROUP,
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    },
  });
  for (const name of ['gear', 'spring']) {
    await http.requestJson(OBJECTS, { method: 'POST', body: { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name } } });
  }
  http.close();
  return t;
});

async function openWidgets(user: 'admin' | 'viewer') {
  const live = await consoles.open({ initialView: 'namespaces', user, columns: 160, rows: 30 });
  const r = live.app;
  await r.press(':');
  await r.type('widgets shop');
  await r.press(KEYS.enter);
  await frameShows(r, `widgets.${GROUP} · shop`);
  await frameShows(r, />\s*gear\b/);
  return live;
}

const deleteQuery = { verb: 'delete', group: GROUP, resource: 'widgets', namespace: 'shop', name: 'gear' };

describe('delete on a custom resource', () => {
  it('is checked as delete widgets.access.example.com before it is offered: hidden from a viewer, with the reason', async () => {
    const { app: r, session: s } = await openWidgets('viewer');
    await frameShows(r, 'y yaml');
    await vi.waitFor(() => expect(s.store.getState().access[accessKey(deleteQuery)]).toBeDefined(), { timeout: 10_000 });
    expect(s.store.getState().access[accessKey(deleteQuery)]?.allowed).toBe(false);
    expect(r.frame()).not.toContain('Ctrl-D delete');
    await r.press(CTRL_D);
    expect(r.frame()).not.toContain('Delete widget');
    expect(r.store.getState().messages.at(-1)?.text).toMatch(/^delete not allowed for gear: /);

    // What the check stands for: the server itself refuses the viewer's DELETE.
    const http = new KubeHttp(consoles.sim.kubeConfigFor('viewer'));
    const status = await http.requestJson(`${OBJECTS}/gear`, { method: 'DELETE' }).then(
      () => 200,
      (err: unknown) => (err instanceof ApiRequestError ? err.statusCode : -1),
    );
    http.close();
    expect(status).toBe(403);
    expect(consoles.sim.sim.store.get(`${GROUP}/widgets`, 'shop', 'gear')).toBeDefined();
  });

  it('is offered to an admin, and deletes after the dialog (audited)', async () => {
    const { app: r, audit } = await openWidgets('admin');
    await frameShows(r, 'Ctrl-D delete');
    await r.press(CTRL_D);
    await frameShows(r, `Delete widget.${GROUP}/gear in shop?`);
    await r.press('y');
    await frameShows(r, `widget.${GROUP} "gear" deleted from shop namespace`);
    expect(consoles.sim.sim.store.get(`${GROUP}/widgets`, 'shop', 'gear')).toBeUndefined();
    expect(readFileSync(audit.path, 'utf8')).toContain(`"target":"widget.${GROUP}/gear"`);
  });
});
