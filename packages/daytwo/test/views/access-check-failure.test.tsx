/**
 * Issue 13 case 7: an access check (SelfSubjectAccessReview) answered 500 is a failed check,
 * said as such and asked again, never "not allowed"; once the server answers, the key is back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { App } from '../../src/views/App.js';
import { type Rendered, renderElement, seededStore, tick } from '../helpers/render.js';

let t: TestSim;
let app: Rendered | undefined;

beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  app?.unmount();
  app = undefined;
  t.sim.faults.reset();
});

async function frameWhen(test: (frame: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (!test(app!.frame()) && Date.now() < end) await tick(50);
  return app!.frame();
}

const audit = () => new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-access-')), 'audit.log'));

describe('an access check answered HTTP 500', () => {
  it('Workloads: says the check failed and will be retried, then offers Ctrl-L once the server answers', async () => {
    t.sim.faults.fail = ['selfsubjectaccessreviews'];
    const deployments = t.sim.store.list('apps/deployments').filter((d) => d.metadata.namespace === 'shop');
    const store = seededStore({ deployments, replicasets: [], statefulsets: [], daemonsets: [], pods: [] });
    const actions = createClusterActions({ kc: t.kubeConfigFor('admin'), store, audit: audit() });
    app = await renderElement(<App store={store} initialView="workloads" callbacks={{ actions }} />, store, { columns: 220, rows: 20 });
    const frame = await frameWhen((f) => f.includes('access check failed'));
    expect(frame).toMatch(/Ctrl-L: rollback for [\w-]+: the access check failed and will be retried: HTTP 500: Internal error occurred: injected fault \(fail=selfsubjectaccessreviews\)/);
    expect(frame).not.toContain('not allowed');
    t.sim.faults.fail = [];
    expect(await frameWhen((f) => !f.includes('access check failed'))).not.toContain('access check failed');
    expect(app.frame()).not.toContain('not allowed');
  }, 30_000);

  it('Nodes: the node keys are unavailable, not denied, while the check fails', async () => {
    t.sim.faults.fail = ['selfsubjectaccessreviews'];
    const store = seededStore({ nodes: t.sim.store.list('nodes'), pods: [] });
    const actions = createClusterActions({ kc: t.kubeConfigFor('admin'), store, audit: audit() });
    app = await renderElement(<App store={store} initialView="nodes" callbacks={{ actions }} />, store, { columns: 220, rows: 20 });
    const frame = await frameWhen((f) => f.includes('unavailable:'));
    expect(frame).toMatch(/unavailable: c cordon, u uncordon, r drain \(the access check for patch nodes failed and will be retried: HTTP 500: /);
    expect(frame).not.toContain('denied');
  }, 30_000);
});
