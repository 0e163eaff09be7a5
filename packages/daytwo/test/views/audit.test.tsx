import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterActions } from '../../src/kube/actions/index.js';
import { AuditLog } from '../../src/kube/audit.js';
import { App } from '../../src/views/App.js';
import { KEYS, type Rendered, renderApp, renderElement, seededStore, waitForFrame } from '../helpers/render.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

let t: TestSim;
let app: Rendered | undefined;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty' });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  app?.unmount();
  app = undefined;
});

/** Waits (bounded) until the frame satisfies `test`: the audit file is read asynchronously. */
describe('Audit log view', () => {
  it('lists the audit file newest first, with its path, and follows new actions', async () => {
    const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-view-')), 'audit.log'));
    audit.write({ context: 'prod', user: 'alice', action: 'cordon', target: 'node/a', phase: 'start' });
    audit.write({ context: 'prod', user: 'alice', action: 'cordon', target: 'node/a', phase: 'end', result: 'succeeded' });
    const store = seededStore({ nodes: [] });
    const actions = createClusterActions({ kc: t.kubeConfigFor('admin'), store, audit });
    app = await renderElement(<App store={store} callbacks={{ actions }} />, store, { columns: 180, rows: 20 });
    await app.press(':');
    await app.type('audit');
    await app.press(KEYS.enter);
    await waitForFrame(app!, (f) => expect(f).toContain('Audit log(2)'), 10_000);
    expect(app.frame()).toContain(`audit log: ${audit.path}`);
    expect(app.frame()).toContain('Audit log(2)');
    const rows = () => app!.lines().filter((l) => /cordon|drain/.test(l) && !l.includes('audit log:'));
    expect(rows()[0]).toMatch(/cordon +node\/a +end +succeeded +alice +prod/);
    expect(rows()[1]).toMatch(/cordon +node\/a +start +alice +prod/);

    // A new action: the view reads the file again when the action reports.
    audit.write({ context: 'prod', user: 'alice', action: 'drain', target: 'node/b', phase: 'refused', result: 'refused', message: 'drain refused: read-only' });
    store.getState().pushMessage('error', 'drain refused: read-only');
    await waitForFrame(app!, (f) => expect(f).toContain('Audit log(3)'), 10_000);
    expect(app.frame()).toContain('Audit log(3)');
    expect(rows()[0]).toMatch(/drain +node\/b +refused +refused .*drain refused: read-only/);
  });

  it('says so when the console has no session to read the audit log of', async () => {
    app = await renderApp({ objects: { nodes: [] }, columns: 120, rows: 20, props: { initialView: 'audit' } });
    expect(app.frame()).toContain('no audit log: the console has no cluster session');
    expect(app.frame()).toContain('no actions recorded yet');
  });
});
