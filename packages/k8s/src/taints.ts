/**
 * Taints and tolerations, matched as k8s.io/api/core/v1 (toleration.go `ToleratesTaint`,
 * taint.go `ToString`) and the scheduler's TaintToleration filter do.
 */

/** A node taint as JSON. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** A pod toleration as JSON. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** `key=value:Effect`, or `key:Effect` without a value (upstream `Taint.ToString`). */
export function formatTaint(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/**
 * Whether a toleration tolerates a taint: an empty effect matches every effect, an empty
 * key (only valid with `Exists`) every key; `Exists` ignores the value, `Equal` (or no
 * operator) needs the same value.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * The first taint with effect NoSchedule or NoExecute that no toleration tolerates, as the
 * scheduler's TaintToleration filter looks for (PreferNoSchedule taints never block).
 */
export function firstUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}
