import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../sim/src/tls.js';
import { KubeconfigError, NoKubeconfigError } from '../../src/kube/errors.js';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { openSession } from '../../src/kube/session.js';

const TLS = selfSignedCertificate(['prod.example']);
const OTHER = selfSignedCertificate(['other.example']);
const b64 = (text: string) => Buffer.from(text).toString('base64');

const VALID = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
    certificate-authority: certs/ca.crt
- name: local
  cluster:
    server: http://127.0.0.1:8080
users:
- name: alice
  user:
    token: abc
contexts:
- name: prod-admin
  context:
    cluster: prod
    user: alice
    namespace: web
- name: local
  context:
    cluster: local
    user: alice
current-context: prod-admin
`;

let dir: string;
const noEnv = {};

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function loadError(fn: () => unknown): KubeconfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KubeconfigError);
    return err as KubeconfigError;
  }
  throw new Error('expected a KubeconfigError');
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'daytwo-kc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadKubeconfig', () => {
  it('loads the current context and resolves relative file paths against the file', () => {
    const file = write('sub/config', VALID);
    write('sub/certs/ca.crt', TLS.cert);
    const loaded = loadKubeconfig({ explicitPath: file, env: noEnv });
    expect(loaded).toMatchObject({ context: 'prod-admin', cluster: 'prod', user: 'alice', server: 'https://prod.example:6443', namespace: 'web' });
    expect(loaded.files).toEqual([file]);
    expect(loaded.kc.getCurrentContext()).toBe('prod-admin');
    expect(loaded.kc.getCurrentCluster()?.caFile).toBe(path.join(dir, 'sub', 'certs', 'ca.crt'));
    expect(loaded.kc.getCurrentUser()?.token).toBe('abc');
  });

  it('selects --context', () => {
    const file = write('config', VALID);
    const loaded = loadKubeconfig({ explicitPath: file, context: 'local', env: noEnv });
    expect(loaded.server).toBe('http://127.0.0.1:8080');
    expect(loaded.kc.getCurrentContext()).toBe('local');
  });

  it('names the file, line and column of a YAML error', () => {
    const file = write('config', 'clusters:\n- name: x\n  cluster: {server: "https://a\n');
    const err = loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv }));
    expect(err.file).toBe(file);
    expect(err.reason).toMatch(/^line \d+, column \d+: /);
    expect(err.message).toContain(file);
  });

  it('refuses a document that is not a mapping', () => {
    const file = write('config', '- a\n- b\n');
    expect(loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv })).reason).toContain('not a kubeconfig');
  });

  it('refuses an empty file', () => {
    const file = write('config', '');
    expect(loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv })).reason).toBe('the file is empty');
  });

  it('lists the available contexts when --context names a missing one', () => {
    const file = write('config', VALID);
    const err = loadError(() => loadKubeconfig({ explicitPath: file, context: 'staging', env: noEnv }));
    expect(err.reason).toBe('context was not found for specified context: staging; available contexts: prod-admin, local');
  });

  it('names a context whose cluster or user is missing', () => {
    const missingCluster = write('a', VALID.replace('cluster: prod\n    user: alice', 'cluster: gone\n    user: alice'));
    expect(loadError(() => loadKubeconfig({ explicitPath: missingCluster, env: noEnv })).reason).toBe(
      'cluster "gone" was not found for context "prod-admin"',
    );
    const missingUser = write('b', VALID.replace('cluster: prod\n    user: alice', 'cluster: prod\n    user: bob'));
    expect(loadError(() => loadKubeconfig({ explicitPath: missingUser, env: noEnv })).reason).toBe(
      'user "bob" was not found for context "prod-admin"',
    );
  });

  it('names a cluster without a server', () => {
    const file = write('config', VALID.replace('    server: https://prod.example:6443\n', ''));
    expect(loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv })).reason).toBe('no server found for cluster "prod"');
  });

  it('reports a missing current-context', () => {
    const file = write('config', VALID.replace('current-context: prod-admin\n', ''));
    expect(loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv })).reason).toContain('no context chosen');
  });

  it('reports an explicit file that does not exist', () => {
    const file = path.join(dir, 'nope');
    const err = loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv }));
    expect(err).not.toBeInstanceOf(NoKubeconfigError);
    expect(err.message).toBe(`${file}: no such file`);
  });

  it('suggests --demo when there is no kubeconfig at all', () => {
    const err = loadError(() => loadKubeconfig({ env: noEnv, homeDir: dir }));
    expect(err).toBeInstanceOf(NoKubeconfigError);
    expect(err.message).toContain('daytwo --demo');
    expect(err.message).toContain(path.join(dir, '.kube', 'config'));
  });

  it('reads ~/.kube/config when neither flag nor KUBECONFIG is set', () => {
    write('.kube/config', VALID);
    write('.kube/certs/ca.crt', TLS.cert);
    expect(loadKubeconfig({ env: noEnv, homeDir: dir }).context).toBe('prod-admin');
  });

  it('merges KUBECONFIG files: the first to define a name or current-context wins, missing files are skipped', () => {
    const first = write(
      'one',
      `clusters:
- name: prod
  cluster: {server: "https://first:6443"}
users:
- name: alice
  user: {token: one}
contexts:
- name: prod-admin
  context: {cluster: prod, user: alice}
`,
    );
    const second = write('two', VALID);
    const env = { KUBECONFIG: [first, path.join(dir, 'missing'), second].join(path.delimiter) };
    const loaded = loadKubeconfig({ env });
    expect(loaded.files).toEqual([first, second]);
    expect(loaded.context).toBe('prod-admin');
    expect(loaded.server).toBe('https://first:6443');
    expect(loaded.kc.getCurrentUser()?.token).toBe('one');
    expect(loaded.kc.getContexts().map((c) => c.name)).toEqual(['prod-admin', 'local']);
  });
});

describe('openSession', () => {
  it('fills the cluster info from the kubeconfig without contacting the server', async () => {
    const file = write('config', VALID);
    const session = await openSession({ kubeconfig: file, context: 'local', namespace: 'web', readonly: true, env: noEnv });
    expect(session.store.getState().cluster).toMatchObject({
      context: 'local',
      server: 'http://127.0.0.1:8080',
      user: 'alice',
      namespace: 'web',
      readonly: true,
      reachable: true,
    });
    // client-node refuses http: servers without skipTLSVerify; the session allows them as kubectl does.
    expect(session.kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
    await session.stop();
  });

  it('throws a KubeconfigError for a broken kubeconfig', async () => {
    const file = write('config', 'clusters: [\n');
    await expect(openSession({ kubeconfig: file, env: noEnv })).rejects.toBeInstanceOf(KubeconfigError);
  });
});

/** A kubeconfig of one https cluster and one user, with the given fields. */
function tlsConfig(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: 'https://prod.example:6443', ...cluster } }],
    users: [{ name: 'alice', user }],
    contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'alice' } }],
    'current-context': 'prod',
  });
}

describe('TLS material and token files, checked at load as client-go does (issue 13 cases 3 and 4)', () => {
  const load = (text: string) => {
    const file = write('config', text);
    return { file, error: () => loadError(() => loadKubeconfig({ explicitPath: file, env: noEnv })) };
  };

  it('refuses a CA together with insecure-skip-tls-verify with kubectl\'s message', () => {
    const { file, error } = load(tlsConfig({ 'certificate-authority-data': b64(TLS.cert), 'insecure-skip-tls-verify': true }, { token: 'x' }));
    expect(error().message).toBe(`${file}: cluster "prod": specifying a root certificates file with the insecure flag is not allowed`);
  });

  it('names the cluster and field of corrupt certificate-authority-data', () => {
    const { file, error } = load(tlsConfig({ 'certificate-authority-data': b64('not a certificate') }, { token: 'x' }));
    expect(error().message).toBe(`${file}: cluster "prod" certificate-authority-data: unable to load root certificates: unable to parse bytes as PEM block`);
    const broken = TLS.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    const second = load(tlsConfig({ 'certificate-authority-data': b64(broken) }, { token: 'x' }));
    expect(second.error().message).toMatch(new RegExp(`^${second.file}: cluster "prod" certificate-authority-data: unable to load root certificates: x509: `));
    const third = load(tlsConfig({ 'certificate-authority-data': 'not*base64' }, { token: 'x' }));
    expect(third.error().message).toBe(`${third.file}: cluster "prod" certificate-authority-data: illegal base64 data at input byte 3`);
  });

  it('names the user and field of a bad client key, a missing key file and a key that does not match the certificate', () => {
    const cert = b64(TLS.cert);
    const bad = load(tlsConfig({}, { 'client-certificate-data': cert, 'client-key-data': b64('garbage') }));
    expect(bad.error().message).toBe(`${bad.file}: user "alice" client-key-data: tls: failed to find any PEM data in key input`);
    const garbled = load(tlsConfig({}, { 'client-certificate-data': cert, 'client-key-data': b64(TLS.key.replace(/\n[A-Za-z0-9+/]{8}/, '\n!!!!!!!!')) }));
    expect(garbled.error().message).toBe(`${garbled.file}: user "alice" client-key-data: tls: failed to parse private key`);
    const keyFile = path.join(dir, 'missing.key');
    const missing = load(tlsConfig({}, { 'client-certificate-data': cert, 'client-key': keyFile }));
    expect(missing.error().message).toBe(
      `${missing.file}: user "alice" client-key (${keyFile}): unable to read client-key ${keyFile} for alice due to open ${keyFile}: no such file or directory`,
    );
    const mismatch = load(tlsConfig({}, { 'client-certificate-data': cert, 'client-key-data': b64(OTHER.key) }));
    expect(mismatch.error().message).toBe(`${mismatch.file}: user "alice" client-key-data: tls: private key does not match public key`);
    const good = load(tlsConfig({}, { 'client-certificate-data': cert, 'client-key-data': b64(TLS.key) }));
    expect(loadKubeconfig({ explicitPath: good.file, env: noEnv }).user).toBe('alice');
  });

  it('reads tokenFile (relative to the kubeconfig) as kubectl does, and names it when it is missing or empty', () => {
    write('tokens/alice', 's3cret\n');
    const ok = load(tlsConfig({}, { tokenFile: 'tokens/alice' }));
    expect(loadKubeconfig({ explicitPath: ok.file, env: noEnv }).kc.getCurrentUser()?.token).toBe('s3cret');
    const inline = load(tlsConfig({}, { token: 'inline', tokenFile: 'tokens/none' }));
    expect(loadKubeconfig({ explicitPath: inline.file, env: noEnv }).kc.getCurrentUser()?.token).toBe('inline');
    const missing = load(tlsConfig({}, { tokenFile: 'tokens/none' }));
    expect(missing.error().message).toBe(`${missing.file}: user "alice" tokenFile: open ${path.join(dir, 'tokens/none')}: no such file or directory`);
    write('tokens/empty', '\n');
    const empty = load(tlsConfig({}, { tokenFile: 'tokens/empty' }));
    expect(empty.error().message).toBe(`${empty.file}: user "alice" tokenFile: read empty token from file "${path.join(dir, 'tokens/empty')}"`);
  });
});

