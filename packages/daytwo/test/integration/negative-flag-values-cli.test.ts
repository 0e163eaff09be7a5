import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('negative flag values get a clear error, not parseArgs\' "argument is ambiguous"', () => {
  it('drain --timeout -5s', async () => {
    const run = await runCli(['drain', 'node-1', '--timeout', '-5s', '--kubeconfig', '/nonexistent']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(/ambiguous/);
    expect(run.stderr).toMatch(/--timeout|-5s/);
  });

  it('--log-buffer -1', async () => {
    const run = await runCli(['--log-buffer', '-1', '--kubeconfig', '/nonexistent']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(/ambiguous/);
    expect(run.stderr).toMatch(/--log-buffer must be a positive number of lines, got "-1"/);
  });
});
