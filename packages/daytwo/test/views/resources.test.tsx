/**
 * The generic resource table and `:ctx` from the keyboard, against two simulated clusters:
 * the real session, discovery, Table watches and context switch feed the views.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleConnection } from '../../src/cli/console-connection.js';
import { KubeHttp } from '../../src/kube/http.js';
import { KIND_NAMES } from '../../src/domain/kinds.js';
import { App } from '../../src/views/App.js';
import { KEYS, type Rendered, renderElement, tick } from '../helpers/render.js';
import { BETA_NAMESPACE, BETA_SERVICE, startTwoClusters, type TwoClusters } from '../helpers/two-clusters.js';

let clusters: TwoClusters;
let dir: string;
let conn: ConsoleConnection | undefined;
let app: Rendered | undefined;

beforeAll(async () => {
  clusters = await startTwoClusters();
  dir = mkdtempSync(join(tmpdir(), 'daytwo-resource-view-'));
  process.env.DAYTWO_AUDIT_LOG = join(dir, 'audit.log');
}, 60_000);
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await conn?.close();
  conn = undefined;
});
afterAll(async () => {
  delete process.env.DAYTWO_AUDIT_LOG;
  await clusters?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openConsole(): Promise<Rendered> {
  conn = await ConsoleConnection.open({ connection: { kubeconfig: clusters.kubeconfig, demo: false, readonly: false } });
  await conn.session.waitForSync(undefined, 30_000);
  const c = conn;
  await until(() => c.store.getState().apiResources.length > 0, 'discovery');
  app = await renderElement(<App store={c.store} callbacks={c.callbacks()} />, c.store, { columns: 140, rows: 30 });
  return app;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${app ? `; frame:\n${app.frame()}` : ''}`);
    await tick(50);
  }
}

const onScreen = (r: Rendered, what: string | RegExp) => until(() => (typeof what === 'string' ? r.frame().includes(what) : what.test(r.frame())), String(what));

async function command(r: Rendered, line: string): Promise<void> {
  await r.press(':');
  await r.type(line);
  await r.press(KEYS.enter);
}

describe('the generic resource table', () => {
  it('shows a built-in kind with the server\'s columns, filters, scopes to a namespace, and stops its watch when closed', { timeout: 60_000 }, async () => {
    const r = await openConsole();
    // The session watches each of its kinds once.
    const baseline = KIND_NAMES.length;
    await until(() => clusters.alpha.sim.openWatches === baseline, 'the session\'s watches');
    await command(r, 'svc');
    await onScreen(r, 'services · all namespaces');
    await onScreen(r, /shop\s+cart\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP/);
    expect(r.frame()).toMatch(/NAMESPACE\S*\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);
    // Only the open kind is watched: one more watch than the session's own.
    await until(() => clusters.alpha.sim.openWatches === baseline + 1, 'the table watch');

    await r.press('/');
    await r.type('cart');
    await r.press(KEYS.enter);
    await until(() => !r.frame().includes('kube-dns'), 'the filter');
    expect(r.frame()).toMatch(/services · all namespaces\(1\/7\)\s+\[cart\]/);
    await r.press(KEYS.escape);

    await command(r, 'svc shop');
    await onScreen(r, /services · shop\(2\)/);
    await onScreen(r, /cart\s+ClusterIP/);
    expect(r.frame()).not.toContain('NAMESPACE');
    expect(r.frame()).not.toContain('kube-dns');

    await command(r, 'ns all');
    await onScreen(r, 'Namespaces(');
    await until(() => clusters.alpha.sim.openWatches === baseline, 'the table watch to stop');
  });

  it('completes resource names with Tab and opens a custom resource installed after the start', { timeout: 60_000 }, async () => {
    const r = await openConsole();
    await r.press(':');
    await r.type('sv');
    await r.press(KEYS.tab);
    expect(r.lines().at(-1)).toMatch(/^:svc\s*$/);
    await r.press(KEYS.escape);

    const http = new KubeHttp(clusters.alpha.kc);
    const group = 'views.example.com';
    try {
      await http.requestJson('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        method: 'POST',
        body: {
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
                additionalPrinterColumns: [
                  { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
                  { name: 'Color', type: 'string', jsonPath: '.spec.color' },
                ],
              },
            ],
          },
        },
      });
      const path = `/apis/${group}/v1/namespaces/shop/gadgets`;
      await http.requestJson(path, { method: 'POST', body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'sprocket' }, spec: { size: 3, color: 'blue' } } });
      // Discovery ran before the CRD existed: the console looks again before calling the name unknown.
      await command(r, 'gdg shop');
      await onScreen(r, `gadgets.${group} · shop`);
      await onScreen(r, /NAME\S*\s+SIZE\s+COLOR\s*$/m);
      await onScreen(r, /sprocket\s+3\s+blue/);
      await http.requestJson(path, { method: 'POST', body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'cog' }, spec: { size: 12 } } });
      await onScreen(r, /cog\s+12\s/);
      expect(r.cursorLine()).toContain('cog');
    } finally {
      await http.requestJson(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`, { method: 'DELETE' }).catch(() => undefined);
      http.close();
    }
  });
});

describe(':ctx', () => {
  it('lists the contexts with the current one marked and switches every view to the other cluster', { timeout: 60_000 }, async () => {
    const r = await openConsole();
    await onScreen(r, /daytwo\s+alpha\s/);
    await command(r, 'svc');
    await onScreen(r, /shop\s+cart/);

    await command(r, 'ctx');
    await onScreen(r, 'Contexts(2)');
    expect(r.frame()).toMatch(/alpha \(\*\)\s+alpha\s+alpha-admin\s+default\s+https:\/\/127\.0\.0\.1/);
    expect(r.cursorLine()).toContain('alpha (*)');
    await r.press('j');
    expect(r.cursorLine()).toContain('beta');
    await r.press(KEYS.enter);
    await onScreen(r, /daytwo\s+beta\s/);
    await onScreen(r, 'beta (*)');
    // Esc goes back to the services table, now fed by the other cluster.
    await r.press(KEYS.escape);
    await onScreen(r, new RegExp(`${BETA_NAMESPACE}\\s+${BETA_SERVICE}\\s+ClusterIP`));
    expect(r.frame()).not.toMatch(/shop\s+cart/);
    await until(() => clusters.alpha.sim.openWatches === 0, 'the first cluster to have no watch left');

    await command(r, 'ctx nosuch');
    await onScreen(r, 'cannot switch to context "nosuch": ');
    expect(r.frame()).toMatch(/daytwo\s+beta\s/);
    await command(r, 'ctx alpha');
    await onScreen(r, /daytwo\s+alpha\s/);
  });
});
