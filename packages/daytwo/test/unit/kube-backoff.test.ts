import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/kube/backoff.js';

describe('Backoff', () => {
  it('doubles from 1 s and caps at 30 s without jitter', () => {
    const b = new Backoff({ jitter: 0 });
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(b.attempts).toBe(8);
  });

  it('adds at most the jitter share of the delay', () => {
    const low = new Backoff({ jitter: 0.5, random: () => 0 });
    const high = new Backoff({ jitter: 0.5, random: () => 0.999 });
    expect(low.next()).toBe(1000);
    const jittered = high.next();
    expect(jittered).toBeGreaterThan(1000);
    expect(jittered).toBeLessThanOrEqual(1500);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    b.next();
    b.next();
    b.next();
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });

  it('honours custom factor and cap', () => {
    const b = new Backoff({ initialMs: 10, factor: 3, maxMs: 100, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 30, 90, 100]);
  });
});
