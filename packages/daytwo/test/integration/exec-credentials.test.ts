/**
 * Issue 13 case 3: exec credential plugins against the simulated cluster. One run at a time
 * however many requests wait for it, a failure said at once in one line with the kubeconfig
 * user, a hanging plugin stopped at the timeout and never left running.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SerializedExecAuth, withSerializedExecAuth } from '../../src/kube/exec-credentials.js';
import { KubeHttp } from '../../src/kube/http.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';
import { runCli } from '../helpers/cli.js';

let t: TestSim;
let dir: string;
let token: string;

beforeAll(async () => {
  t = await startTestSim({ controllers: 'none' });
  dir = mkdtempSync(join(tmpdir(), 'daytwo-exec-'));
  token = parse(t.sim.kubeconfig('admin')).users.find((u: { name: string }) => u.name === 'daytwo-sim-admin').user.token;
});
afterAll(async () => {
  await t.stop();
});

/** A plugin script that appends a line to `runs` each time it starts, then does `body`. */
function plugin(name: string, body: string): { command: string; runs: () => number } {
  const command = join(dir, name);
  const runs = join(dir, `${name}.runs`);
  writeFileSync(command, `#!/bin/sh\necho run >> ${runs}\n${body}\n`);
  chmodSync(command, 0o755);
  return { command, runs: () => (existsSync(runs) ? readFileSync(runs, 'utf8').trim().split('\n').length : 0) };
}

/** The sim's kubeconfig with its admin user authenticating through `command`. */
function execKubeconfig(command: string): string {
  const doc = parse(t.sim.kubeconfig('admin'));
  const admin = doc.users.find((u: { name: string }) => u.name === 'daytwo-sim-admin');
  admin.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } };
  const file = join(dir, `${command.split('/').at(-1)}.kubeconfig`);
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}

function clientFor(command: string, auth: SerializedExecAuth): KubeHttp {
  const kc = new KubeConfig();
  kc.loadFromFile(execKubeconfig(command));
  return new KubeHttp(withSerializedExecAuth(kc, auth));
}

const tenRequests = (http: KubeHttp) => Promise.allSettled(Array.from({ length: 10 }, () => http.requestJson('/api/v1/namespaces')));

describe('exec credential plugins', () => {
  it('runs once for ten concurrent requests, and its token is used', async () => {
    const ok = plugin('ok', `sleep 0.2\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'`);
    const results = await tenRequests(clientFor(ok.command, new SerializedExecAuth()));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('fulfilled'));
    expect(ok.runs()).toBe(1);
  });

  it('a failing plugin: every request gets one line naming the user and its last stderr line; it ran once', async () => {
    const bad = plugin('bad', 'echo "line one of a long story" >&2\necho "error: SSO session expired; run aws sso login" >&2\nexit 3');
    const results = await tenRequests(clientFor(bad.command, new SerializedExecAuth()));
    const messages = new Set(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')));
    expect([...messages]).toEqual([
      `getting credentials for user "daytwo-sim-admin": exec: executable ${bad.command} failed with exit code 3: error: SSO session expired; run aws sso login`,
    ]);
    expect(bad.runs()).toBe(1);
  });

  it('a hanging plugin is stopped at the timeout, said so, and not left running', async () => {
    const pidFile = join(dir, 'hang.pid');
    const hang = plugin('hang', `echo $$ > ${pidFile}\nexec sleep 600`);
    const results = await tenRequests(clientFor(hang.command, new SerializedExecAuth({ timeoutMs: 500 })));
    const messages = new Set(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')));
    expect([...messages]).toEqual([`getting credentials for user "daytwo-sim-admin": exec: executable ${hang.command} timed out after 0.5s and was stopped`]);
    expect(hang.runs()).toBe(1);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  });

  it('daytwo report with a token the server refuses (401) fails at once, saying so, instead of reconnecting', async () => {
    const file = join(dir, 'bad-token.kubeconfig');
    writeFileSync(file, t.sim.kubeconfig('admin').replace(token, 'not-a-token'), { mode: 0o600 });
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', file]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/^daytwo: Unauthorized: the server refused the credentials \(.*Unauthorized.*\)\n$/);
  }, 60_000);

  it('daytwo drain with a token the server refuses stops at once too', async () => {
    const file = join(dir, 'bad-token-drain.kubeconfig');
    writeFileSync(file, t.sim.kubeconfig('admin').replace(token, 'not-a-token'), { mode: 0o600 });
    const { code, stderr } = await runCli(['drain', 'any-node', '--kubeconfig', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: Unauthorized: the server refused the credentials/);
  }, 30_000);

  it('daytwo report with a failing plugin says so in one line naming the user', async () => {
    const bad = plugin('bad-cli', 'echo "first" >&2\necho "token expired" >&2\nexit 1');
    const { code, stderr } = await runCli(['report', 'namespaces', '--kubeconfig', execKubeconfig(bad.command)]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`getting credentials for user "daytwo-sim-admin": exec: executable ${bad.command} failed with exit code 1: token expired`);
    expect(stderr).not.toContain('first');
    expect(bad.runs()).toBeLessThanOrEqual(2);
  }, 60_000);
});
