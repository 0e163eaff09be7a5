/**
 * Validation of API writes by the simulated server: 422 Invalid with upstream's field
 * paths and messages (pkg/apis/core/validation) for a pod spec without containers and a
 * volumeMount naming no volume, whichever verb writes it.
 */

import type { Status } from '@daytwo/k8s/wire-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs } from '../helpers/kinds.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty', controllers: 'none' });
});
afterAll(() => t?.stop());

async function send(method: string, path: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(new URL(path, t.url), {
    method,
    headers: { Authorization: `Bearer ${t.sim.tokens.admin}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Status };
}

const container = (mounts: { name: string; mountPath: string }[] = []) => ({ name: 'app', image: 'nginx:1.27', volumeMounts: mounts });

function deployment(name: string, podSpec: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

describe('validation of pod specs', () => {
  it('requires containers in a Pod', async () => {
    const res = await send('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: {} });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      message: 'Pod "empty" is invalid: spec.containers: Required value',
      details: { name: 'empty', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] },
    });
    expect(getAs(t.sim.store, 'pods', 'default', 'empty')).toBeUndefined();
  });

  it('refuses a volumeMount that names no volume of the pod template', async () => {
    const res = await send('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', { containers: [container([{ name: 'v1', mountPath: '/data' }])] }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Deployment.apps "web" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "v1"');
    expect(res.body.details).toMatchObject({
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [{ reason: 'FieldValueNotFound', message: 'Not found: "v1"', field: 'spec.template.spec.containers[0].volumeMounts[0].name' }],
    });
  });

  it('accepts a mount of a declared volume, and checks patches, updates and applies too', async () => {
    const valid = deployment('api', { containers: [container([{ name: 'v1', mountPath: '/data' }])], volumes: [{ name: 'v1', emptyDir: {} }] });
    const created = await send('POST', '/apis/apps/v1/namespaces/default/deployments', valid);
    expect(created.status).toBe(201);

    const patched = await send(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/api',
      { spec: { template: { spec: { volumes: null } } } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(422);
    expect(patched.body.message).toBe('Deployment.apps "api" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "v1"');

    const current = getAs(t.sim.store, 'apps/deployments', 'default', 'api')!;
    const updated = await send('PUT', '/apis/apps/v1/namespaces/default/deployments/api', {
      ...current,
      spec: { ...current.spec, template: { ...current.spec!.template, spec: { ...current.spec!.template.spec, containers: [] } } },
    });
    expect(updated.status).toBe(422);
    expect(updated.body.message).toBe('Deployment.apps "api" is invalid: spec.template.spec.containers: Required value');

    const applied = await send(
      'PATCH',
      '/api/v1/namespaces/default/pods/applied?fieldManager=test',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: applied\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    volumeMounts:\n    - name: cache\n      mountPath: /cache\n',
      'application/apply-patch+yaml',
    );
    expect(applied.status).toBe(422);
    expect(applied.body.message).toBe(
      'Pod "applied" is invalid: [spec.containers: Required value, spec.initContainers[0].volumeMounts[0].name: Not found: "cache"]',
    );
  });
});
