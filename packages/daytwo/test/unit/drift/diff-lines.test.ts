import { describe, expect, it } from 'vitest';
import { driftDiffLines } from '../../../src/domain/drift/diff-lines.js';
import { describeSource } from '../../../src/domain/drift/header.js';
import type { DriftItem } from '../../../src/domain/drift/types.js';

const base = { apiVersion: 'v1', kind: 'ConfigMap', group: '', namespace: 'shop', name: 'settings' };

describe('driftDiffLines', () => {
  it('lists each field: its path, Git (+) and live (-) with the manager, then the live-only edits', () => {
    const item: DriftItem = {
      ...base,
      status: 'OutOfSync',
      diffs: [
        { path: 'data.LOG_LEVEL', git: 'info', live: 'debug', manager: 'kubectl-edit' },
        { path: 'data.NEW', git: { a: 1, b: [2] } },
      ],
      liveOnly: [{ path: 'metadata.labels.debug', live: 'true', manager: 'kubectl-label', time: '2026-11-21T12:00:00Z' }],
    };
    expect(driftDiffLines(item)).toEqual([
      { kind: 'header', text: 'data.LOG_LEVEL' },
      { kind: 'add', text: '  + git:  info' },
      { kind: 'remove', text: '  - live: (kubectl-edit) debug' },
      { kind: 'header', text: 'data.NEW' },
      { kind: 'add', text: '  + git: ' },
      { kind: 'add', text: '      a: 1' },
      { kind: 'add', text: '      b:' },
      { kind: 'add', text: '        - 2' },
      { kind: 'remove', text: '  - live: (absent)' },
      { kind: 'context', text: '' },
      { kind: 'context', text: 'Changed live, not in Git (a sync does not revert these):' },
      { kind: 'header', text: 'metadata.labels.debug  by kubectl-label at 2026-11-21T12:00:00Z' },
      { kind: 'remove', text: '  ~ live: true' },
    ]);
  });

  it('shows what a sync of a Missing object creates, with Secret values redacted', () => {
    const item: DriftItem = { ...base, kind: 'Secret', name: 'creds', status: 'Missing', diffs: [], liveOnly: [] };
    const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'hunter2' }, data: { token: 'dG9rZW4=' } };
    const text = driftDiffLines(item, manifest).map((l) => `${l.kind} ${l.text}`);
    expect(text).toContain('add +   password: <redacted>');
    expect(text).toContain('add +   token: <redacted>');
    expect(text.join('\n')).not.toMatch(/hunter2|dG9rZW4/);
  });
});

describe('describeSource', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('names the commit with its short hash, subject and age, and marks uncommitted changes', () => {
    const commit = { shortHash: '1a2b3c4', subject: 'Bump web', time: now - 3 * 3600_000 };
    expect(describeSource({ description: './deploy', commit, dirty: true }, now)).toBe('./deploy @ 1a2b3c4 "Bump web" (3h ago), uncommitted changes');
    expect(describeSource({ description: './deploy', commit, dirty: false, ref: 'v1.2' }, now)).toBe('./deploy @ 1a2b3c4 (v1.2) "Bump web" (3h ago)');
    expect(describeSource({ description: '/srv/manifests', dirty: false }, now)).toBe('/srv/manifests (not a Git repository)');
  });
});
