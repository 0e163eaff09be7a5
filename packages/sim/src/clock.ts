import type { SimClock } from './types.js';

/**
 * A clock whose delays are real timers scaled by 1/speed (`--speed 2` halves every delay).
 * Timers are `unref()`ed so they never keep the process alive, and `stop()` cancels every
 * timer still pending.
 */
export interface StoppableClock extends SimClock {
  /** Cancels every pending timer; later `after`/`every` calls still work. */
  stop(): void;
}

/** Creates a clock scaled by `speed` (must be > 0). */
export function createClock(speed: number): StoppableClock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const pending = new Set<() => void>();

  const scaled = (ms: number): number => Math.max(0, ms / speed);

  return {
    speed,
    after(ms, fn) {
      const handle = setTimeout(() => {
        pending.delete(cancel);
        fn();
      }, scaled(ms));
      handle.unref?.();
      const cancel = (): void => {
        clearTimeout(handle);
        pending.delete(cancel);
      };
      pending.add(cancel);
      return cancel;
    },
    every(ms, fn) {
      const handle = setInterval(fn, scaled(ms));
      handle.unref?.();
      const cancel = (): void => {
        clearInterval(handle);
        pending.delete(cancel);
      };
      pending.add(cancel);
      return cancel;
    },
    now: () => new Date(),
    stop() {
      for (const cancel of [...pending]) cancel();
    },
  };
}

/**
 * A clock whose timers never fire: `settle()` uses it so controllers reconcile only when
 * called, and delays (kubelet start-up, back-offs) are skipped instead of awaited.
 */
export function frozenClock(now: () => Date = () => new Date()): SimClock {
  return {
    speed: Number.POSITIVE_INFINITY,
    after: () => () => {},
    every: () => () => {},
    now,
  };
}
