import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { parseSimArgs, runSimCommand, SimUsageError } from '../../src/cli.js';
import { FAULT_NAMES } from '../../src/faults.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import { capture } from '../helpers/capture.js';

function usageError(argv: string[]): string {
  try {
    parseSimArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(SimUsageError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseSimArgs', () => {
  it('reads every option', () => {
    const parsed = parseSimArgs([
      '--scenario', 'large', '--nodes', '10', '--pods', '200', '--fixture', 'a.yaml', '--fixture', 'b.json',
      '--server-version', 'v1.31.5-eks-abc', '--controllers', 'none', '--port', '8080', '--kubeconfig-out', '/tmp/k',
      '--user', 'viewer', '--speed', '2.5', '--fault', 'latency=20ms', '--fault', 'errors=0.1', '--seed', '9',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        scenario: 'large',
        nodes: 10,
        pods: 200,
        fixtures: ['a.yaml', 'b.json'],
        serverVersion: 'v1.31.5-eks-abc',
        controllers: 'none',
        port: 8080,
        kubeconfigOut: '/tmp/k',
        user: 'viewer',
        speed: 2.5,
        faults: ['latency=20ms', 'errors=0.1'],
        seed: 9,
      },
    });
  });

  it('defaults to port 0 and recognises --help', () => {
    expect(parseSimArgs([])).toEqual({ help: false, options: { port: 0, fixtures: [], faults: [] } });
    expect(parseSimArgs(['-h'])).toEqual({ help: true });
  });

  it('lists the valid scenarios for an unknown one', () => {
    const message = usageError(['--scenario', 'huge']);
    expect(message).toContain('unknown value "huge"');
    for (const { name } of SCENARIOS) expect(message).toContain(name);
  });

  it('lists the valid faults for an unknown one', () => {
    const message = usageError(['--fault', 'meteor=1']);
    expect(message).toContain('unknown fault "meteor"');
    for (const name of Object.keys(FAULT_NAMES)) expect(message).toContain(name);
  });

  it('rejects bad numbers, versions and choices on one line', () => {
    const cases: [string[], RegExp][] = [
      [['--nodes', 'many'], /--nodes: "many" is not a whole number/],
      [['--nodes', '0'], /--nodes: "0" is not a whole number between 1/],
      [['--pods', '-3'], /--pods/],
      [['--port', '70000'], /--port: "70000"/],
      [['--speed', '0'], /--speed: "0" is not a positive number/],
      [['--speed', 'fast'], /--speed/],
      [['--server-version', '1.31'], /--server-version: "1.31" is not a version/],
      [['--controllers', 'some'], /--controllers: unknown value "some" \(valid: all, none\)/],
      [['--user', 'root'], /--user: unknown value "root" \(valid: admin, viewer, operator, restricted\)/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['extra'], /positional/i],
    ];
    for (const [argv, pattern] of cases) {
      const message = usageError(argv);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });
});

describe('runSimCommand', () => {
  it('exits 2 with a one-line error for bad arguments', async () => {
    const out = capture();
    const err = capture();
    const code = await runSimCommand(['--scenario', 'nope'], { stdout: out.stream, stderr: err.stream });
    expect(code).toBe(2);
    expect(err.text()).toMatch(/^daytwo sim: --scenario: unknown value "nope" \(valid: demo, large, xlarge, empty\)\n$/);
    expect(out.text()).toBe('');
  });

  it('prints usage for --help', async () => {
    const out = capture();
    const code = await runSimCommand(['--help'], { stdout: out.stream, stderr: capture().stream });
    expect(code).toBe(0);
    expect(out.text()).toContain('Usage: daytwo sim');
    expect(out.text()).toContain('--fault SPEC');
  });

  it('serves until stopped, after writing a private kubeconfig and printing how to use it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daytwo-sim-cli-'));
    try {
      const path = join(dir, 'sim.kubeconfig');
      const out = capture();
      const stop = new AbortController();
      const exit = runSimCommand(['--scenario', 'empty', '--controllers', 'none', '--kubeconfig-out', path, '--user', 'viewer'], {
        stdout: out.stream,
        stderr: capture().stream,
        signal: stop.signal,
      });
      await vi.waitFor(() => expect(out.text()).toContain('export KUBECONFIG='), { timeout: 20_000, interval: 20 });
      expect(out.text()).toContain(`export KUBECONFIG=${path}`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const config = parse(readFileSync(path, 'utf8'));
      expect(config['current-context']).toBe('daytwo-sim-viewer');
      const server: string = config.clusters[0].cluster.server;
      expect(out.text()).toContain(server);
      const token = config.users.find((u: { name: string }) => u.name === 'daytwo-sim-viewer').user.token;
      const res = await fetch(`${server.replace('https:', 'http:')}/api/v1/namespaces`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      stop.abort();
      expect(await exit).toBe(0);
      await expect(fetch(`${server.replace('https:', 'http:')}/version`)).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
