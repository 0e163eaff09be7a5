import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trackAlerts } from '../../src/store/alert-tracker.js';
import { createAppStore } from '../../src/store/app-store.js';

/** A pod in CrashLoopBackOff: one critical alert. */
const crashing = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'shop', name: 'api-1', resourceVersion: '1' },
  status: { containerStatuses: [{ name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
};

describe('trackAlerts', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('evaluates a change only once it has settled, so the frame that shows the change comes first', async () => {
    const store = createAppStore();
    const stop = trackAlerts(store, { refreshMs: 60_000, throttleMs: 1_000, settleMs: 200 });
    await vi.advanceTimersByTimeAsync(5_000);
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: crashing }]);
    await vi.advanceTimersByTimeAsync(199);
    expect(store.getState().alerts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState().alerts.map((a) => a.rule)).toEqual(['CrashLoopBackOff']);
    stop();
  });

  it('evaluates a burst of changes once, no sooner than the throttle after the last evaluation', async () => {
    const store = createAppStore();
    const stop = trackAlerts(store, { refreshMs: 60_000, throttleMs: 1_000, settleMs: 200 });
    const evaluations = vi.fn();
    store.subscribe((s, prev) => {
      if (s.alerts !== prev.alerts) evaluations();
    });
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: crashing }]);
    store.getState().applyChanges([{ kind: 'pods', type: 'upsert', object: { ...crashing, metadata: { ...crashing.metadata, name: 'api-2' } } }]);
    await vi.advanceTimersByTimeAsync(999);
    expect(evaluations).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(evaluations).toHaveBeenCalledTimes(1);
    expect(store.getState().alerts).toHaveLength(2);
    stop();
  });
});
