/**
 * The words of the drain dialog and the live progress panel: pure, so the console and
 * tests read the same lines.
 */
import type { DrainPreview } from './drain-preview.js';
import { truncate } from './table.js';
import type { Operation, OperationItem } from '../store/operations.js';

const VERDICT_MARK: Readonly<Record<string, string>> = { evict: 'evict  ', skip: 'skip   ', blocked: 'BLOCKED' };

/**
 * The plan as dialog lines: per node a verdict count, then every pod (blocked and
 * PDB-refused first, skipped last) with its reason, at most `maxPodLines` of them, then
 * kubectl's errors and the capacity check; lines longer than `maxWidth` are cut with `…`.
 */
export function drainPlanLines(preview: DrainPreview, maxPodLines: number, maxWidth = Number.POSITIVE_INFINITY): string[] {
  const lines: string[] = [];
  const pods = preview.plans.flatMap((plan) =>
    plan.items.map((item) => ({ item, node: plan.node, rank: item.verdict === 'blocked' ? 0 : item.pdb ? 1 : item.verdict === 'evict' ? 2 : 3 })),
  );
  for (const plan of preview.plans) {
    const count = (v: string) => plan.items.filter((i) => i.verdict === v).length;
    // One node is named by the dialog's title; several by their first DNS label, to fit the box.
    const prefix = preview.plans.length === 1 ? '' : `${plan.node.split('.')[0]}: `;
    lines.push(
      `${prefix}${count('evict')} to evict, ${count('skip')} skipped, ${count('blocked')} blocked${plan.pdbRefusals > 0 ? `, ${plan.pdbRefusals} held by a PDB now` : ''}`,
    );
  }
  const sorted = pods.sort((a, b) => a.rank - b.rank);
  const shown = sorted.slice(0, Math.max(0, maxPodLines));
  for (const { item } of shown) {
    // Short enough for the dialog's box: kubectl retries these until the timeout.
    const why = item.pdb ? `PDB ${item.pdb.name}: 0 allowed now` : item.reason;
    lines.push(`  ${VERDICT_MARK[item.verdict]} ${item.namespace}/${item.name}  ${why}`);
  }
  if (sorted.length > shown.length) lines.push(`  … and ${sorted.length - shown.length} more pods`);
  for (const plan of preview.plans) for (const error of plan.errors) lines.push(`refused: ${error}`);
  const { capacity } = preview;
  const missing = capacity.pods.filter((p) => !p.fits);
  lines.push(
    missing.length === 0
      ? `capacity: room on the other nodes for the ${capacity.pods.length} pods to reschedule`
      : `capacity: NO ROOM for ${missing.map((p) => `${p.namespace}/${p.name} (${p.reason})`).join(', ')}`,
  );
  return Number.isFinite(maxWidth) ? lines.map((l) => truncate(l, maxWidth)) : lines;
}

/** How far a drain got: counts of its pod items by outcome. */
export interface DrainProgressCounts {
  readonly moved: number;
  readonly waiting: number;
  readonly inFlight: number;
  readonly notMoved: number;
}

const MOVED = new Set(['terminated', 'running-elsewhere']);
const IN_FLIGHT = new Set(['pending', 'evicting', 'terminating']);

/** Counts a drain operation's pod items (node items and skipped pods aside). */
export function drainProgressCounts(op: Operation): DrainProgressCounts {
  const pods = op.items.filter((i) => !i.key.startsWith('node/') && i.state !== 'skipped');
  return {
    moved: pods.filter((i) => MOVED.has(i.state)).length,
    waiting: pods.filter((i) => i.state === 'waiting-for-pdb').length,
    inFlight: pods.filter((i) => IN_FLIGHT.has(i.state)).length,
    notMoved: pods.filter((i) => i.state === 'not-evicted' || i.state === 'failed' || i.state === 'blocked').length,
  };
}

/** The items worth a line, nodes first, then pods still moving, then the rest; skipped pods left out. */
export function drainProgressItems(op: Operation): OperationItem[] {
  const rank = (i: OperationItem) =>
    i.key.startsWith('node/') ? 0 : i.state === 'waiting-for-pdb' ? 1 : IN_FLIGHT.has(i.state) ? 2 : MOVED.has(i.state) ? 4 : 3;
  return op.items.filter((i) => i.state !== 'skipped').sort((a, b) => rank(a) - rank(b));
}
