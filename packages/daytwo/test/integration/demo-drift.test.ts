/**
 * The demo's own Git source (`daytwo --demo`, `daytwo report drift --demo`): the six
 * differences a day-2 engineer meets every week, each made by kubectl's field manager, and
 * a sync back to Git that makes each of them Synced.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoGitRepo, type DemoGitRepo } from '@daytwo/sim/scenarios/demo-git.js';
import { driftKey, type DriftItem } from '../../src/domain/drift/types.js';
import { AuditLog } from '../../src/kube/audit.js';
import { DriftEngine } from '../../src/kube/drift/engine.js';
import { GitSource } from '../../src/kube/drift/git-source.js';
import { createDriftActions } from '../../src/kube/drift/sync.js';
import { KubeHttp } from '../../src/kube/http.js';
import { openSession } from '../../src/kube/session.js';
import { runCli } from '../helpers/cli.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

let t: TestSim;
let repo: DemoGitRepo;

beforeAll(async () => {
  t = await startTestSim({ scenario: 'demo' });
  repo = createDemoGitRepo(t.sim.store);
});
afterAll(async () => {
  repo?.remove();
  await t?.stop();
});

const statuses = (items: readonly DriftItem[]) => Object.fromEntries(items.map((i) => [`${i.kind}/${i.name}`, i.status]));

describe('the demo Git source', () => {
  it('drifts by exactly the six everyday differences, each by the manager that made it', async () => {
    const { code, stdout } = await runCli(['report', 'drift', '--demo', '-o', 'json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.counts).toEqual({ Synced: 4, OutOfSync: 3, Missing: 1, Extra: 1 });
    const items = Object.fromEntries(doc.items.map((i: { kind: string; name: string }) => [`${i.kind}/${i.name}`, i]));
    expect(items['Deployment/cart'].diffs).toEqual([{ path: 'spec.replicas', git: 2, live: 3, manager: 'kubectl-scale' }]);
    expect(items['Deployment/recommendations'].diffs).toEqual([
      {
        path: 'spec.template.spec.containers[name=recommendations].image',
        git: 'ghcr.io/acme/recommendations:0.9.0',
        live: 'ghcr.io/acme/recommendations:0.9.1-hotfix',
        manager: 'kubectl-set',
      },
    ]);
    expect(items['ConfigMap/frontend-config'].diffs).toEqual([{ path: 'data.THEME', git: 'light', live: 'dark', manager: 'kubectl-edit' }]);
    expect(items['Service/cart']).toMatchObject({ status: 'Synced', liveOnly: [{ path: 'metadata.labels["debug.acme.io/tracing"]', live: 'on', manager: 'kubectl-label' }] });
    expect(items['ConfigMap/feature-flags'].status).toBe('Missing');
    expect(items['ConfigMap/debug-overrides'].status).toBe('Extra');
    expect(doc.source.commit.subject).toBe('shop: frontend, cart and recommendations');
  });

  it('syncs each drifted and missing object back to Git', async () => {
    const engine = new DriftEngine({ source: new GitSource({ location: repo.dir }), http: new KubeHttp(t.kc), defaultNamespace: 'shop' });
    await engine.run();
    const session = await openSession({ kubeConfigObject: t.kc });
    try {
      const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
      const actions = createDriftActions({ kc: session.kc, store: session.store, audit }, engine);
      for (const item of engine.store.getState().items.filter((i) => i.status === 'OutOfSync' || i.status === 'Missing')) {
        await actions.syncDrift(driftKey(item));
      }
      expect(statuses(engine.store.getState().items)).toEqual({
        'ConfigMap/frontend-config': 'Synced',
        'ConfigMap/feature-flags': 'Synced',
        'ConfigMap/debug-overrides': 'Extra',
        'Deployment/cart': 'Synced',
        'Deployment/frontend': 'Synced',
        'Deployment/recommendations': 'Synced',
        'PodDisruptionBudget/frontend': 'Synced',
        'Service/cart': 'Synced',
        'Service/frontend': 'Synced',
      });
    } finally {
      await session.stop();
    }
  });
});
