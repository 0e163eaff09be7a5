/**
 * Issue 13 case 4: TLS and key errors against the simulated cluster (which serves HTTPS with
 * its own CA) name the kubeconfig file and field, in one line, before any request; a CA with
 * `insecure-skip-tls-verify: true` is refused as kubectl refuses it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCli } from '../helpers/cli.js';

let t: TestSim;
let dir: string;

beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
  dir = mkdtempSync(join(tmpdir(), 'daytwo-kubeconfig-tls-'));
});
afterAll(async () => {
  await t.stop();
});

/** The sim's admin kubeconfig with its cluster and user entries changed by `edit`, written to a file. */
function kubeconfigWith(name: string, edit: (cluster: Record<string, unknown>, user: Record<string, unknown>) => void): string {
  const doc = parse(t.sim.kubeconfig('admin'));
  const user = doc.users.find((u: { name: string }) => u.name === 'daytwo-sim-admin').user;
  edit(doc.clusters[0].cluster, user);
  const file = join(dir, name);
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}

describe('TLS material in the kubeconfig, against the simulated cluster', () => {
  it('works with the sim\'s own CA', async () => {
    const file = kubeconfigWith('good', () => {});
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', file]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('a corrupt certificate-authority-data is named with its file, cluster and field, not "self-signed certificate"', async () => {
    const file = kubeconfigWith('corrupt-ca', (cluster) => {
      cluster['certificate-authority-data'] = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');
    });
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', file]);
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`${file}: cluster "daytwo-sim" certificate-authority-data: unable to load root certificates: x509: `));
    expect(stderr).not.toContain('self-signed');
  });

  it('a CA together with insecure-skip-tls-verify is refused with kubectl\'s message', async () => {
    const file = kubeconfigWith('ca-and-insecure', (cluster) => {
      cluster['insecure-skip-tls-verify'] = true;
    });
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', file]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${file}: cluster "daytwo-sim": specifying a root certificates file with the insecure flag is not allowed`);
  });

  it('a bad client key is named with its file, user and field, not an OpenSSL decoder error', async () => {
    const file = kubeconfigWith('bad-key', (cluster, user) => {
      user['client-certificate-data'] = cluster['certificate-authority-data'];
      user['client-key-data'] = Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n').toString('base64');
    });
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', file]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${file}: user "daytwo-sim-admin" client-key-data: tls: failed to parse private key`);
    expect(stderr).not.toContain('DECODER');
  });
});
