import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../../src/kubeconfig.js';

describe('writeKubeconfig', () => {
  it('refuses to write tokens through a symlink placed at the path beforehand', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daytwo-kc-'));
    const target = join(dir, 'victim');
    writeFileSync(target, 'original');
    const path = join(dir, 'daytwo-sim-1234.kubeconfig');
    symlinkSync(target, path);
    expect(() => writeKubeconfig(path, 'token: secret\n')).toThrow(/daytwo-sim-1234\.kubeconfig.*not a regular file/);
    expect(readFileSync(target, 'utf8')).toBe('original');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('creates the file with mode 0600 and replaces a stale file of our own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daytwo-kc-'));
    const path = join(dir, 'daytwo-sim-1234.kubeconfig');
    writeFileSync(path, 'stale', { mode: 0o644 });
    writeKubeconfig(path, 'token: fresh\n');
    expect(readFileSync(path, 'utf8')).toBe('token: fresh\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
