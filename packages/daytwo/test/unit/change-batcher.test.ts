import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../src/store/app-store.js';
import { ChangeBatcher } from '../../src/store/batcher.js';

const namespace = (name: string) => ({ kind: 'namespaces' as const, type: 'upsert' as const, object: { metadata: { name, resourceVersion: '1' } } });

describe('ChangeBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const store = createAppStore();
    let flushes = 0;
    store.subscribe(() => {
      flushes += 1;
    });
    const batcher = new ChangeBatcher(store, 50, () => Date.now());
    const names = () => [...store.getState().objects.namespaces.keys()].sort();
    return { batcher, names, flushes: () => flushes };
  }

  it('applies a change after a quiet spell at once, with everything queued in the same turn', async () => {
    const { batcher, names, flushes } = setup();
    batcher.push(namespace('a'));
    batcher.push(namespace('b'));
    expect(names()).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['a', 'b']);
    expect(flushes()).toBe(1);
  });

  it('holds changes that follow a flush until the interval since that flush has passed', async () => {
    const { batcher, names, flushes } = setup();
    batcher.push(namespace('a'));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(20);
    batcher.push(namespace('b'));
    await vi.advanceTimersByTimeAsync(10);
    batcher.push(namespace('c'));
    await vi.advanceTimersByTimeAsync(19);
    expect(names()).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(names()).toEqual(['a', 'b', 'c']);
    expect(flushes()).toBe(2);
  });

  it('flushes a change that comes after a full interval of quiet without waiting', async () => {
    const { batcher, names } = setup();
    batcher.push(namespace('a'));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(80);
    batcher.push(namespace('b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['a', 'b']);
  });

  it('runs afterFlush callbacks once their changes are in the store', async () => {
    const { batcher, names } = setup();
    const seen: string[][] = [];
    batcher.push(namespace('a'));
    batcher.afterFlush(() => seen.push(names()));
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([['a']]);
    batcher.afterFlush(() => seen.push(['nothing queued']));
    expect(seen).toEqual([['a'], ['nothing queued']]);
  });
});
