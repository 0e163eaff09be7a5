/** Capped exponential backoff with jitter for reconnecting watches. */
export interface BackoffOptions {
  /** First delay. Default 1 s. */
  initialMs?: number;
  /** Upper bound of the delay before jitter. Default 30 s. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /**
   * Share of the delay added at random, 0..1. Default 0.1, as client-go's reflector
   * backoff (jitter 1.0 there is for a different API; a small jitter is enough to keep
   * seventeen watches from reconnecting in lock-step).
   */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/** The defaults: 1 s doubling to 30 s, as the issue asks and client-node's informer uses. */
export const DEFAULT_BACKOFF: Required<Omit<BackoffOptions, 'random'>> = {
  initialMs: 1000,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.1,
};

/**
 * Yields growing delays for consecutive failures: initial, initial*factor, ... capped at
 * `maxMs`, each plus up to `jitter` of itself at random. `reset()` after a success.
 */
export class Backoff {
  private failures = 0;
  private readonly opts: Required<BackoffOptions>;

  constructor(opts: BackoffOptions = {}) {
    this.opts = { ...DEFAULT_BACKOFF, random: Math.random, ...opts };
  }

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const { initialMs, maxMs, factor, jitter, random } = this.opts;
    const base = Math.min(maxMs, initialMs * factor ** Math.min(this.failures, 64));
    this.failures++;
    return Math.round(base + base * jitter * random());
  }

  /** Consecutive failures counted so far. */
  get attempts(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}
