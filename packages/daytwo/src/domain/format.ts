/**
 * Human formatting shared by the TUI and `daytwo report`: ages as kubectl prints them,
 * percentages, counts.
 */

import { humanDuration } from '@daytwo/k8s/human-duration.js';
import { secondsSince } from '@daytwo/k8s/kube-object.js';

export { humanDuration };

/**
 * The age of an object from its creationTimestamp, as kubectl's `translateTimestampSince`:
 * `<unknown>` when the timestamp is missing or unparsable.
 */
export function formatAge(timestamp: string | Date | undefined, now: number = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : timestamp.getTime();
  if (Number.isNaN(t)) return '<unknown>';
  // secondsSince clamps to 0; the signed difference is needed for upstream's `<invalid>` rule.
  const elapsed = (now - t) / 1000;
  return elapsed < 0 ? humanDuration(Math.trunc(elapsed)) : humanDuration(secondsSince(timestamp, now) ?? 0);
}

/**
 * A ratio in [0, ∞) as a whole percentage: `0%`, `87%`, `120%`. Values that are not finite
 * (no data) print as `-`. Rounds down so that 99.6% used never shows as a full 100%.
 */
export function formatPercent(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  // The epsilon undoes binary float error (0.29 * 100 = 28.999999999999996).
  return `${Math.floor(ratio * 100 + 1e-9)}%`;
}

/** Counts joined with slashes, e.g. running/pending/failed `12/0/1`. */
export function formatCounts(counts: readonly number[]): string {
  return counts.join('/');
}
