import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import type { MigrationPreflight } from '../../src/domain/migration-preflight.js';
import { buildRehearsal, livePodStartupSeconds, type RehearsalObservations, rehearsalSummary } from '../../src/domain/migration-rehearsal.js';
import { journalPath, type MigrationJournal, readJournal, stateDir, unfinishedMigrations, writeJournal } from '../../src/kube/migration-journal.js';

const pod = (created: string, readyAt?: string): Pod => ({
  metadata: { name: 'p', creationTimestamp: created },
  status: { conditions: readyAt ? [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] : [] },
});

describe('live pod startup', () => {
  it('is the median of creation to Ready over Ready pods, leaving out restarts after 10 minutes', () => {
    expect(
      livePodStartupSeconds([
        pod('2026-01-01T00:00:00Z', '2026-01-01T00:00:04Z'),
        pod('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z'),
        pod('2026-01-01T00:00:00Z', '2026-01-01T00:00:20Z'),
        pod('2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z'),
        pod('2026-01-01T00:00:00Z'),
      ]),
    ).toBe(10);
    expect(livePodStartupSeconds([pod('2026-01-01T00:00:00Z', '2026-01-01T00:00:04Z'), pod('2026-01-01T00:00:00Z', '2026-01-01T00:00:08Z')])).toBe(6);
    expect(livePodStartupSeconds([pod('2026-01-01T00:00:00Z')])).toBeUndefined();
  });
});

describe('rehearsal report', () => {
  const preflight = { from: 'blue', to: ['green'], blockers: [] } as unknown as MigrationPreflight;
  const obs: RehearsalObservations = {
    preflight,
    result: 'succeeded',
    message: 'nodepool/blue migrated',
    endMs: 4000,
    nodes: [
      { node: 'a', state: 'done', drainStartMs: 0, gateStartMs: 1000, gateOpenMs: 1200 },
      { node: 'b', state: 'done', drainStartMs: 1200, gateStartMs: 3000, gateOpenMs: 4000 },
    ],
    evictions: ['shop/w1', 'shop/w2', 'shop/d0'],
    pending: new Map([
      ['shop/x', { workload: 'Deployment shop/x', reason: '0/3 nodes are available', firstMs: 1000, lastMs: 2000, stillPending: false, before: false }],
      ['shop/y', { reason: 'no nodes', firstMs: 0, lastMs: 4000, stillPending: true, before: true }],
    ]),
    refusals: new Map([['shop/w2', { firstMs: 1500, acceptedMs: 2500, pdb: 'shop/web' }]]),
  };

  it('turns wall-clock observations into simulated seconds at the speed factor', () => {
    const r = buildRehearsal(obs, 10);
    expect(r.simulatedSeconds).toBe(40);
    expect(r.nodes).toEqual([
      { node: 'a', state: 'done', drainSeconds: 10, gateSeconds: 2 },
      { node: 'b', state: 'done', drainSeconds: 18, gateSeconds: 10 },
    ]);
    expect(r.pending).toEqual([
      { pod: 'shop/x', workload: 'Deployment shop/x', reason: '0/3 nodes are available', stillPending: false, beforeMigration: false, seconds: 10 },
      { pod: 'shop/y', reason: 'no nodes', stillPending: true, beforeMigration: true, seconds: 40 },
    ]);
    expect(r.pdbBlocks).toEqual([{ pod: 'shop/w2', pdb: 'shop/web', seconds: 10, evicted: true }]);
    expect(r.evictions).toBe(3);
    expect(r.estimatedSeconds).toBe(40);
  });

  it('estimates at the live pace: a gate that waited takes at least the live pod startup', () => {
    expect(buildRehearsal(obs, 10, 5).estimatedSeconds).toBe(10 + 5 + 18 + 10);
    expect(rehearsalSummary(buildRehearsal(obs, 10, 5))[2]).toBe('  evictions: 3; pods Pending: 2 (1 still Pending at the end, 1 already before the migration); PDB holds: 1');
  });
});

describe('migration journal', () => {
  const journal = (from: string, state: MigrationJournal['state'], updatedAt: string): MigrationJournal => ({
    version: 1,
    id: `migrate-${from}`,
    context: 'prod',
    from,
    to: [],
    gateTimeoutSeconds: 600,
    drain: {},
    state,
    startedAt: updatedAt,
    updatedAt,
    nodes: [{ name: 'n1', state: 'done' }],
    evicted: [],
  });

  it('lives in the XDG state directory and lists the unfinished migrations of a context, newest first', () => {
    const env = { XDG_STATE_HOME: mkdtempSync(path.join(tmpdir(), 'daytwo-journal-')) };
    expect(stateDir(env)).toBe(path.join(env.XDG_STATE_HOME, 'daytwo'));
    expect(stateDir({}, '/home/sre')).toBe('/home/sre/.local/state/daytwo');
    expect(journalPath('arn:aws:eks/prod', 'ng old', env)).toBe(path.join(env.XDG_STATE_HOME, 'daytwo', 'migrations', 'arn_aws_eks_prod--ng_old.json'));
    writeJournal(journalPath('prod', 'a', env), journal('a', 'aborted', '2026-01-01T00:00:00Z'));
    writeJournal(journalPath('prod', 'b', env), journal('b', 'running', '2026-01-02T00:00:00Z'));
    writeJournal(journalPath('prod', 'c', env), journal('c', 'succeeded', '2026-01-03T00:00:00Z'));
    writeFileSync(path.join(env.XDG_STATE_HOME, 'daytwo', 'migrations', 'junk.json'), 'not json');
    expect(unfinishedMigrations('prod', env).map((j) => j.from)).toEqual(['b', 'a']);
    expect(unfinishedMigrations('staging', env)).toEqual([]);
    expect(readJournal(journalPath('prod', 'none', env))).toBeUndefined();
    expect(() => readJournal(path.join(env.XDG_STATE_HOME, 'daytwo', 'migrations', 'junk.json'))).toThrow();
  });
});
