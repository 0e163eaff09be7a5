/** The migration panel's status line: a pause takes effect before the next node, and the line says so until then. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/operations.js';
import { MigrationProgress } from '../../src/views/MigrationProgress.js';

const op = (paused: boolean, first: string): Operation => ({
  id: 'migrate-blue-1',
  action: 'migrate',
  target: 'nodepool/blue',
  state: 'running',
  startedAt: 0,
  paused,
  message: paused ? 'paused: the next node waits for resume' : 'waiting for web',
  items: [
    { key: 'node/a', state: first },
    { key: 'node/b', state: 'cordoned' },
    { key: 'shop/web-1', state: 'evicted' },
  ],
});

const statusOf = (o: Operation) => {
  const app = render(<MigrationProgress op={o} width={100} height={5} />);
  const line = app.lastFrame()?.split('\n')[0] ?? '';
  app.unmount();
  return line;
};

describe('MigrationProgress', () => {
  it('says Migrating with the gate text, Pausing after the node under way, Paused once it is done', () => {
    expect(statusOf(op(false, 'gating'))).toBe('Migrating nodepool/blue: 0/2 nodes done; waiting for web  (p pauses, Esc aborts)');
    expect(statusOf(op(true, 'gating'))).toBe('Pausing nodepool/blue after node/a: 0/2 nodes done  (p resumes, Esc aborts)');
    expect(statusOf(op(true, 'draining'))).toBe('Pausing nodepool/blue after node/a: 0/2 nodes done  (p resumes, Esc aborts)');
    expect(statusOf(op(true, 'done'))).toBe('Paused nodepool/blue: 1/2 nodes done  (p resumes, Esc aborts)');
  });
});
