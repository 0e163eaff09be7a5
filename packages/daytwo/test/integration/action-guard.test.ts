import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionCancelled, ActionRefused, runGuarded } from '../../src/kube/actions/guard.js';
import { AuditLog, defaultAuditLogPath } from '../../src/kube/audit.js';
import { openSession } from '../../src/kube/session.js';
import type { AccessQuery } from '../../src/domain/operations.js';
import { startTestSim, type TestSim } from '../../../sim/test/helpers/sim.js';

const patchNodes: AccessQuery = { verb: 'patch', group: '', resource: 'nodes' };

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ scenario: 'empty' });
});
afterAll(async () => {
  await t.stop();
});

async function envFor(user: 'admin' | 'viewer', readonly = false) {
  const session = await openSession({ kubeConfigObject: t.kubeConfigFor(user), readonly });
  const audit = new AuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'daytwo-audit-')), 'audit.log'));
  const lines = () =>
    readFileSync(audit.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { env: { kc: session.kc, store: session.store, audit }, lines, session };
}

describe('runGuarded', () => {
  it('runs an allowed action and writes a line before and after it', async () => {
    const { env, lines } = await envFor('admin');
    let ran = false;
    const spec = { action: 'cordon', target: 'node/a', options: { why: 'test' }, requires: [patchNodes] };
    await runGuarded(env, spec, async () => {
      // The start line is on disk before the action runs.
      expect(lines()).toHaveLength(1);
      ran = true;
    });
    expect(ran).toBe(true);
    const [start, end] = lines();
    expect(start).toMatchObject({ phase: 'start', action: 'cordon', target: 'node/a', context: 'daytwo-sim', options: { why: 'test' } });
    expect(start.user).not.toBe('');
    expect(end).toMatchObject({ phase: 'end', result: 'succeeded', action: 'cordon' });
    expect(env.store.getState().access['patch nodes']).toEqual(expect.objectContaining({ allowed: true }));
  });

  it('refuses what RBAC denies, with the reason, and records the denial for the views', async () => {
    const { env, lines } = await envFor('viewer');
    let ran = false;
    const attempt = runGuarded(env, { action: 'cordon', target: 'node/a', requires: [patchNodes] }, async () => {
      ran = true;
    });
    await expect(attempt).rejects.toThrow(ActionRefused);
    await expect(attempt).rejects.toThrow(/cordon refused: not allowed to patch nodes/);
    expect(ran).toBe(false);
    expect(lines()).toEqual([expect.objectContaining({ phase: 'refused', result: 'refused', action: 'cordon' })]);
    expect(env.store.getState().access['patch nodes']?.allowed).toBe(false);
  });

  it('refuses everything under --readonly without asking the server', async () => {
    const { env, lines } = await envFor('admin', true);
    await expect(runGuarded(env, { action: 'drain', target: 'node/a', requires: [patchNodes] }, async () => {})).rejects.toThrow(
      /drain refused: daytwo is read-only/,
    );
    expect(lines()[0]).toMatchObject({ phase: 'refused', action: 'drain' });
    expect(env.store.getState().access).toEqual({});
  });

  it('records failures and cancellations as such', async () => {
    const { env, lines } = await envFor('admin');
    const spec = { action: 'drain', target: 'node/a', requires: [patchNodes] };
    await expect(runGuarded(env, spec, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(runGuarded(env, spec, () => Promise.reject(new ActionCancelled()))).rejects.toThrow(ActionCancelled);
    expect(lines().map((l) => [l.phase, l.result, l.message])).toEqual([
      ['start', undefined, undefined],
      ['end', 'failed', 'boom'],
      ['start', undefined, undefined],
      ['end', 'cancelled', 'cancelled'],
    ]);
  });
});

describe('defaultAuditLogPath', () => {
  it('follows $DAYTWO_AUDIT_LOG, then $XDG_STATE_HOME, then ~/.local/state', () => {
    expect(defaultAuditLogPath({ DAYTWO_AUDIT_LOG: '/x/a.log', XDG_STATE_HOME: '/s' }, '/h')).toBe('/x/a.log');
    expect(defaultAuditLogPath({ XDG_STATE_HOME: '/s' }, '/h')).toBe('/s/daytwo/audit.log');
    expect(defaultAuditLogPath({}, '/h')).toBe('/h/.local/state/daytwo/audit.log');
  });
});
