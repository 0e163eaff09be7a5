/**
 * `y` YAML, `d` describe and `e` events of the object under the cursor, from the views that
 * list pods, nodes and Deployments, against the simulated cluster: the whole object is read
 * from the API server, the events through kubectl describe's field selector. A Secret's
 * values never reach the screen (every frame is searched) nor the audit log.
 */
import { readFileSync, } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestSim, } from '../../../sim/test/helpers/sim.js';
import { createClusterActions } from '../../src/kube/actions/index.js';
import type { AuditLog } from '../../src/kube/audit.js';
import { KubeHttp } from '../../src/kube/http.js';
import { liveConsoleHooks } from '../helpers/live-console.js';
import { frameShows, KEYS, type Rendered, } from '../helpers/render.js';

const SECRET_VALUE = 'correct-horse-battery-staple';
const SECRET_B64 = Buffer.from(SECRET_VALUE).toString('base64');

const consoles = liveConsoleHooks('daytwo-object-view-', async () => {
  const t = await startTestSim({ scenario: 'demo', speed: 20 });
  const http = new KubeHttp(t.kc);
  // As `kubectl apply` leaves it: the last-applied annotation holds the value in plain text too.
  const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-creds', namespace: 'shop' }, stringData: { password: SECRET_VALUE } };
  await http.requestJson('/api/v1/namespaces/shop/secrets', {
    method: 'POST',
    body: {
      ...manifest,
      metadata: { ...manifest.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest) } },
    },
  });
  http.close();
  return t;
});

async function openConsole(initialView: string): Promise<{ app: Rendered; audit: AuditLog }> {
  return consoles.open({ initialView, columns: 180, rows: 110 });
}

async function filterTo(r: Rendered, text: string): Promise<void> {
  await r.press('/');
  await r.type(text);
  await r.press(KEYS.enter);
}

describe('the object under the cursor: YAML, describe, events', () => {
  it('of a pod, from the QoS view', async () => {
    const { app: r } = await openConsole('qos');
    const pod = [...consoles.session.store.getState().objects.pods.values()].find((p) => p.metadata?.namespace === 'shop' && p.metadata.name?.startsWith('frontend-'));
    const name = pod?.metadata?.name as string;
    expect(name).toBeDefined();
    await filterTo(r, name);
    await frameShows(r, new RegExp(`shop\\s+${name}`));
    await r.press('y');
    await frameShows(r, `YAML of pod/${name} in shop`);
    await frameShows(r, 'kind: Pod');
    expect(r.frame()).toContain(`  name: ${name}`);
    expect(r.frame()).toContain('  containers:');

    await r.press('d');
    await frameShows(r, `Describe of pod/${name} in shop`);
    await frameShows(r, /^Name:\s+frontend-/m);
    expect(r.frame()).toMatch(/^Namespace:\s+shop$/m);
    expect(r.frame()).toMatch(new RegExp(`^Node:\\s+${pod?.spec?.nodeName}/`, 'm'));
    expect(r.frame()).toMatch(/^Controlled By:\s+ReplicaSet\/frontend-/m);
    expect(r.frame()).toMatch(/^Containers:$/m);
    expect(r.frame()).toMatch(/^ {4}Image:\s+ghcr\.io\/acme\/shop-frontend:/m);
    // The end of the text: the conditions, QoS class and the events the scheduler recorded.
    await r.press('G');
    expect(r.frame()).toMatch(/^QoS Class:\s+(Guaranteed|Burstable|BestEffort)$/m);
    expect(r.frame()).toMatch(/^Events:$/m);
    expect(r.frame()).toMatch(new RegExp(`^ {2}Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned shop/${name} to `, 'm'));

    await r.press('e');
    await frameShows(r, `Events of pod/${name} in shop`);
    await frameShows(r, /TYPE\s+REASON\s+AGE\s+FROM\s+MESSAGE/);
    expect(r.frame()).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned/);

    // Esc goes back to the list, where the row still is.
    await r.press(KEYS.escape);
    await frameShows(r, /QoS/);
    expect(r.cursorLine()).toContain(name);
  });

  it('of a node, from the Nodes view, with the events of its kubelet (uid = node name) and of the controllers', async () => {
    const { app: r } = await openConsole('nodes');
    const node = [...consoles.session.store.getState().objects.nodes.values()][0];
    const name = node.metadata?.name as string;
    const http = new KubeHttp(consoles.sim.kc);
    const event = (reason: string, uid: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: 'default' },
      involvedObject: { kind: 'Node', name, uid },
      reason,
      message: `${reason} for the test`,
      type: 'Normal',
      source: { component: reason === 'Starting' ? 'kubelet' : 'node-controller', host: name },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      count: 1,
    });
    await http.requestJson('/api/v1/namespaces/default/events', { method: 'POST', body: event('Starting', name) });
    await http.requestJson('/api/v1/namespaces/default/events', { method: 'POST', body: event('RegisteredNode', node.metadata?.uid as string) });
    http.close();

    await filterTo(r, name);
    await frameShows(r, new RegExp(`>\\s+${name.replace(/\./g, '\\.')}`));
    await r.press('d');
    await frameShows(r, `Describe of node/${name}`);
    await frameShows(r, /^Roles:\s+/m);
    expect(r.frame()).toMatch(new RegExp(`^Name:\\s+${name}$`, 'm'));
    expect(r.frame()).toMatch(/^Unschedulable:\s+(true|false)$/m);
    expect(r.frame()).toMatch(/^Conditions:$/m);
    expect(r.frame()).toMatch(/^ {2}Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message$/m);
    expect(r.frame()).toMatch(/^ {2}Ready\s+True\s+/m);
    expect(r.frame()).toMatch(/^ {2}Kubelet Version:\s+v1\.\d+/m);
    expect(r.frame()).toMatch(/^Non-terminated Pods:\s+\(\d+ in total\)$/m);
    await r.press('G');
    expect(r.frame()).toMatch(/^Allocated resources:$/m);
    expect(r.frame()).toMatch(/^ {2}cpu\s+\S+ \(\d+%\)\s+\S+ \(\d+%\)$/m);
    expect(r.frame()).toMatch(/^ {2}Normal\s+Starting\s+\S+\s+kubelet\s+Starting for the test$/m);
    expect(r.frame()).toMatch(/^ {2}Normal\s+RegisteredNode\s+\S+\s+node-controller\s+RegisteredNode for the test$/m);

    await r.press('y');
    await frameShows(r, `YAML of node/${name}`);
    await frameShows(r, 'kind: Node');
    await r.press('e');
    await frameShows(r, `Events of node/${name}`);
    await frameShows(r, /Normal\s+Starting\s+\S+\s+kubelet/);
    expect(r.frame()).toMatch(/Normal\s+RegisteredNode\s+\S+\s+node-controller/);
  });

  it('of a Deployment, from the Workloads view, with its ReplicaSets and the controller events', async () => {
    const { app: r } = await openConsole('workloads');
    await filterTo(r, 'frontend');
    await frameShows(r, /shop\s+deploy\s+frontend/);
    await r.press('d');
    await frameShows(r, 'Describe of deployment.apps/frontend in shop');
    await frameShows(r, /^Replicas:\s+\d+ desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
    expect(r.frame()).toMatch(/^Selector:\s+app=frontend$/m);
    expect(r.frame()).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(r.frame()).toMatch(/^RollingUpdateStrategy:\s+\S+ max unavailable, \S+ max surge$/m);
    expect(r.frame()).toMatch(/^Pod Template:$/m);
    await r.press('G');
    expect(r.frame()).toMatch(/^ {2}Available\s+True\s+MinimumReplicasAvailable$/m);
    expect(r.frame()).toMatch(/^NewReplicaSet:\s+frontend-\w+ \(\d+\/\d+ replicas created\)$/m);
    expect(r.frame()).toMatch(/^OldReplicaSets:\s+frontend-\w+ \(0\/0 replicas created\)/m);

    await r.press('y');
    await frameShows(r, 'YAML of deployment.apps/frontend in shop');
    await frameShows(r, 'kind: Deployment');
    expect(r.frame()).toContain('apiVersion: apps/v1');
    // `/` searches the text and `n` moves between matches.
    await r.press('/');
    await r.type('image:');
    await r.press(KEYS.enter);
    await frameShows(r, /\[image:\] \d+ match/);
    expect(r.frame()).toMatch(/image: ghcr\.io\/acme\/shop-frontend:/);

    await r.press(KEYS.escape, 'e');
    await frameShows(r, 'Events of deployment.apps/frontend in shop');
    await frameShows(r, /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled (up|down) replica set frontend-/);
  });

  it("of any resource in the generic table (:svc): YAML, and kubectl's Service describer", async () => {
    const { app: r } = await openConsole('namespaces');
    await r.press(':');
    await r.type('svc shop');
    await r.press(KEYS.enter);
    await frameShows(r, /services · shop/);
    await filterTo(r, 'cart');
    await frameShows(r, />\s+cart\s+ClusterIP/);
    await r.press('y');
    await frameShows(r, 'YAML of service/cart in shop');
    await frameShows(r, 'kind: Service');
    await r.press('d');
    await frameShows(r, 'Describe of service/cart in shop');
    await frameShows(r, /^Name:\s+cart$/m);
    expect(r.frame()).toMatch(/^Type:\s+ClusterIP$/m);
    expect(r.frame()).toMatch(/^Port:\s+http {2}80\/TCP$/m);
    expect(r.frame()).toMatch(/^Endpoints:\s+10\.\S+:\d+/m);
  });

  it('of a kind daytwo has no describer of its own for (:pdb): the generic describer', async () => {
    const { app: r } = await openConsole('namespaces');
    await r.press(':');
    await r.type('pdb shop');
    await r.press(KEYS.enter);
    await frameShows(r, /poddisruptionbudgets\.policy · shop/);
    await filterTo(r, 'frontend');
    await frameShows(r, />\s+frontend\s/);
    await r.press('d');
    await frameShows(r, 'Describe of poddisruptionbudget.policy/frontend in shop');
    await frameShows(r, /^Name:\s+frontend$/m);
    expect(r.frame()).toMatch(/^Spec:$/m);
    expect(r.frame()).toMatch(/^ {2}Min Available:\s+50%$/m);
  });

  it("never shows a Secret's value, in any frame, and never writes it to the audit log", async () => {
    const { app: r, audit } = await openConsole('namespaces');
    await r.press(':');
    await r.type('describe secret/db-creds -n shop');
    await r.press(KEYS.enter);
    await frameShows(r, 'Describe of secret/db-creds in shop');
    await frameShows(r, /^password:\s+28 bytes$/m);
    expect(r.frame()).toMatch(/^Type:\s+Opaque$/m);
    await r.press('y');
    await frameShows(r, 'YAML of secret/db-creds in shop');
    await frameShows(r, 'password: <redacted>');
    expect(r.frame()).toContain('values masked (X reveals)');
    expect(r.frame()).toContain('kubectl.kubernetes.io/last-applied-configuration: <redacted>');
    await r.press('e');
    await frameShows(r, 'Events of secret/db-creds in shop');
    await r.press('y');
    await frameShows(r, 'password: <redacted>');

    // The delete is audited: the audit line names the object, never its data.
    const line = await createClusterActions({ kc: consoles.session.kc, store: consoles.session.store, audit }).deleteObject(
      { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db-creds' },
      { cascade: 'background' },
    );
    expect(line).toBe('secret "db-creds" deleted from shop namespace');
    const log = readFileSync(audit.path, 'utf8');
    expect(log).toContain('"target":"secret/db-creds"');

    const frames = r.allFrames();
    expect(frames.length).toBeGreaterThan(0);
    for (const text of [frames, log]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(SECRET_B64);
    }
  });

  it('reveals a Secret\'s values only on X, and masks them again on X', async () => {
    const http = new KubeHttp(consoles.sim.kc);
    await http.requestJson('/api/v1/namespaces/shop/secrets', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-token', namespace: 'shop' }, data: { token: SECRET_B64 } },
    });
    http.close();
    const { app: r } = await openConsole('namespaces');
    await r.press(':');
    await r.type('describe secret/api-token -n shop');
    await r.press(KEYS.enter);
    await frameShows(r, /^token:\s+28 bytes$/m);
    await r.press('y');
    await frameShows(r, 'token: <redacted>');
    expect(r.allFrames()).not.toContain(SECRET_B64);
    await r.press('X');
    await frameShows(r, `token: ${SECRET_B64}`);
    expect(r.frame()).toContain('values REVEALED (X masks)');
    await r.press('X');
    await frameShows(r, 'token: <redacted>');
  });
});
