/** The preflight of a node pool migration as lines, shared by `daytwo migrate` and the console. */
import { formatCpu, formatMemory } from '@daytwo/k8s/quantity.js';
import type { MigrationPreflight } from './migration-preflight.js';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The preflight as lines: a summary on stdout, warnings and blockers on stderr. */
export function preflightLines(p: MigrationPreflight): { out: string[]; err: string[] } {
  const targets = p.to.length > 0 ? p.to.join(',') : 'any other schedulable node';
  const out = [
    `preflight: nodepool/${p.from} -> ${targets}: ${plural(p.sourceNodes.length, 'node')}, ${plural(p.evictions.length, 'eviction')}`,
    `preflight: requests ${formatCpu(`${p.requested.cpuMillis}m`)} CPU, ${formatMemory(String(p.requested.memoryBytes))} memory; free on ${plural(p.targetNodes.length, 'target node')}: ${formatCpu(`${p.free.cpuMillis}m`)} CPU, ${formatMemory(String(p.free.memoryBytes))} memory`,
    ...p.skew.map(
      (s) =>
        `preflight: pool ${s.pool}: kubelet ${s.kubeletVersions.join(',') || '<none>'}${s.skew ? `, ${s.skew.supported ? `skew ${s.skew.minorsBehind} minor${Math.abs(s.skew.minorsBehind) === 1 ? '' : 's'} (supported)` : 'unsupported skew'}` : ''}`,
    ),
  ];
  const err = [...p.warnings.map((w) => `Warning: ${w}`), ...p.blockers.map((b) => `error: preflight: ${b}`)];
  return { out, err };
}

