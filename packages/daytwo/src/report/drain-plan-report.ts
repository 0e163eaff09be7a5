import type { ParseArgsConfig } from 'node:util';
import { DRAIN_OPTIONS, drainFlagsFrom } from '../options/drain-options.js';
import { UsageError } from '../options/connection-options.js';
import type { PodPlacement } from '../domain/capacity.js';
import type { DrainPlanItem } from '../domain/drain-plan.js';
import { previewDrain } from '../domain/drain-preview.js';
import type { ColumnDef } from '../domain/table.js';
import type { AppState } from '../store/app-store.js';
import { type ReportDocument, renderTable } from './format.js';
import type { ReportArgs } from './view-types.js';

/** `daytwo report drain-plan`'s options: `--node` and `daytwo drain`'s flags. */
export const DRAIN_PLAN_OPTIONS = { node: { type: 'string' }, ...DRAIN_OPTIONS } as const satisfies ParseArgsConfig['options'];

/** A planned pod with where the capacity check put it. */
export interface DrainPlanRow extends DrainPlanItem {
  readonly placement?: PodPlacement;
}

const DRAIN_PLAN_COLUMNS: readonly ColumnDef<DrainPlanRow>[] = [
  { id: 'namespace', header: 'NAMESPACE', value: (r) => r.namespace },
  { id: 'name', header: 'NAME', value: (r) => r.name },
  { id: 'verdict', header: 'VERDICT', value: (r) => r.verdict },
  { id: 'reason', header: 'REASON', value: (r) => r.reason },
  { id: 'pdb', header: 'PDB', value: (r) => (r.pdb ? `${r.pdb.name} (0 disruptions allowed)` : '') },
  { id: 'placement', header: 'RESCHEDULED TO', value: (r) => (r.placement ? (r.placement.fits ? (r.placement.node ?? '') : `no room: ${r.placement.reason}`) : '') },
];

/** Checks `--node` and the drain flags before connecting. */
export function checkDrainPlanArgs(args: ReportArgs): void {
  if (typeof args.node !== 'string' || args.node === '') throw new UsageError('report drain-plan needs --node NODE');
  drainFlagsFrom(args);
}

/**
 * `daytwo report drain-plan --node NODE [drain flags]`: every pod on the node with kubectl
 * drain's verdict and reason, the PDB that would refuse it now, and the capacity check.
 * Exit code 1 when kubectl would refuse to drain (a pod is blocked).
 */
export function buildDrainPlanReport(state: AppState, args: ReportArgs): { document: ReportDocument; table: string; exitCode: number } {
  const node = args.node as string;
  if (!state.objects.nodes.has(node)) throw new Error(`nodes "${node}" not found`);
  const flags = drainFlagsFrom(args);
  const { plans, capacity, blocked } = previewDrain([node], state.objects, flags);
  const plan = plans[0];
  const placements = new Map(capacity.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  const rows: DrainPlanRow[] = plan.items.map((item) => {
    const placement = placements.get(`${item.namespace}/${item.name}`);
    return placement ? { ...item, placement } : item;
  });
  const summary = [
    `node ${node}: ${blocked ? 'drain blocked' : 'can be drained'}; ${rows.filter((r) => r.verdict === 'evict').length} to evict, ${rows.filter((r) => r.verdict === 'skip').length} skipped, ${rows.filter((r) => r.verdict === 'blocked').length} blocked, ${plan.pdbRefusals} refused by a PDB now`,
    ...plan.errors.map((e) => `error: ${e}`),
    ...plan.warnings.map((w) => `warning: ${w}`),
    capacity.fits
      ? `capacity: the other schedulable nodes have room for the ${capacity.pods.length} pods to reschedule`
      : `capacity: no room for ${capacity.pods.filter((p) => !p.fits).length} of ${capacity.pods.length} pods to reschedule`,
  ];
  return {
    document: {
      kind: 'drain-plan',
      node,
      blocked,
      errors: plan.errors,
      warnings: plan.warnings,
      pdbRefusals: plan.pdbRefusals,
      options: { ...flags, ignoreDaemonSets: flags.ignoreDaemonSets ?? false },
      capacity: { fits: capacity.fits, pods: capacity.pods },
      items: rows.map((r) => ({
        namespace: r.namespace,
        name: r.name,
        verdict: r.verdict,
        reason: r.reason,
        warning: r.warning ?? null,
        pdb: r.pdb ?? null,
        placement: r.placement ?? null,
      })),
    },
    table: `${summary.join('\n')}\n\n${renderTable(DRAIN_PLAN_COLUMNS, rows)}`,
    exitCode: blocked ? 1 : 0,
  };
}
