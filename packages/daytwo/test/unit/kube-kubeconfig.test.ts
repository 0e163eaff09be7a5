import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeconfigError, NoKubeconfigError } from '../../src/kube/errors.js';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { openSession } from '../../src/kube/session.js';

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
