import { describe, expect, it } from 'vitest';
import { evictionRetryDelay } from '../../src/kube/actions/drain.js';
import { createAppStore } from '../../src/store/app-store.js';
import { drainConflict, type Operation, operationNodes, quitQuestion, runningOperations, shownDrain } from '../../src/domain/operations.js';

const op = (id: string, target: string, state: Operation['state'], action = 'drain'): Operation => ({ id, action, target, state, startedAt: 0, items: [] });
const byId = (...ops: Operation[]) => new Map(ops.map((o) => [o.id, o]));

describe('running drains in the store', () => {
  it('reads the nodes of an operation from its target', () => {
    expect(operationNodes(op('d', 'node/a,node/b.example', 'running'))).toEqual(['a', 'b.example']);
    expect(operationNodes(op('r', 'deployment/shop/web', 'running', 'rollback'))).toEqual([]);
  });

  it('shows the running drain, else the newest finished one not dismissed; never a dry run', () => {
    const old = op('d1', 'node/a', 'succeeded');
    const running = op('d2', 'node/b', 'running');
    expect(shownDrain(byId(old, running), new Set())).toBe(running);
    expect(shownDrain(byId(old), new Set())).toBe(old);
    expect(shownDrain(byId(old), new Set(['d1']))).toBeUndefined();
    expect(shownDrain(byId(op('x', 'node/a', 'running', 'drain (dry run)')), new Set())).toBeUndefined();
  });

  it('refuses a second drain of a node being drained, and any drain while one runs, saying why', () => {
    const ops = byId(op('d1', 'node/a,node/b', 'running'), op('d0', 'node/c', 'cancelled'));
    expect(drainConflict(['b'], ops)).toBe('node/b is already being drained: Esc in the Nodes or Node pools view cancels that drain');
    expect(drainConflict(['c'], ops)).toMatch(/^a drain of node\/a,node\/b is running: the console drains one set of nodes at a time/);
    expect(drainConflict(['c'], byId(op('d0', 'node/c', 'cancelled')))).toBeUndefined();
  });

  it('asks before quitting with what runs', () => {
    expect(quitQuestion([op('d', 'node/a', 'running')])).toBe('1 drain running: quit and cancel it?');
    expect(quitQuestion([op('d', 'node/a', 'running'), op('e', 'node/b', 'running')])).toBe('2 drains running: quit and cancel them?');
    expect(quitQuestion([op('d', 'node/a', 'running'), op('r', 'deployment/x', 'running', 'rollback')])).toBe('2 operations running: quit and cancel them?');
    expect(runningOperations(byId(op('d', 'node/a', 'running'), op('e', 'node/b', 'failed'))).map((o) => o.id)).toEqual(['d']);
  });

  it('dismisses finished operations only, and forgets dismissals with the operations', () => {
    const store = createAppStore();
    store.getState().putOperation(op('d1', 'node/a', 'running'));
    store.getState().dismissOperation('d1');
    expect(store.getState().dismissedOperations.has('d1')).toBe(false);
    store.getState().putOperation(op('d1', 'node/a', 'cancelled'));
    store.getState().dismissOperation('d1');
    expect(store.getState().dismissedOperations.has('d1')).toBe(true);
    for (let i = 0; i < 101; i++) store.getState().putOperation(op(`x${i}`, 'node/z', 'succeeded'));
    expect(store.getState().operations.has('d1')).toBe(false);
    expect(store.getState().dismissedOperations.has('d1')).toBe(false);
  });
});

describe('eviction retry backoff', () => {
  it('waits 1 s after the first 429, doubling, capped at kubectl\'s 5 s', () => {
    expect([1, 2, 3, 4, 5, 50].map((n) => evictionRetryDelay(n))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect([1, 2, 3].map((n) => evictionRetryDelay(n, { initialMs: 100, maxMs: 250 }))).toEqual([100, 200, 250]);
  });
});
