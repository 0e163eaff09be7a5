/**
 * The words of the drain dialog and the live progress panel: pure, so the console and
 * tests read the same lines.
 */
import type { DrainPreview } from './drain-preview.js';
import { truncate } from './table.js';
import type { Operation, OperationItem } from './operations.js';

const VERDICT_MARK: Readonly<Record<string, string>> = { evict: 'evict  ', skip: 'skip   ', blocked: 'BLOCKED' };

/** The drain dialog's text: a summary that stays on screen, and details that scroll. */
export interface DrainPlanText {
  /** Verdict counts (all nodes together when several), kubectl's refusals, the capacity check. */
  readonly summary: string[];
  /** Every pod with its verdict and reason (per node when several), then the pods with no room. */
  readonly details: string[];
}

type PlanItem = DrainPreview['plans'][number]['items'][number];

const rank = (item: PlanItem) => (item.verdict === 'blocked' ? 0 : item.pdb ? 1 : item.verdict === 'evict' ? 2 : 3);

function counts(items: readonly PlanItem[], pdbRefusals: number): string {
  const count = (v: string) => items.filter((i) => i.verdict === v).length;
  return `${count('evict')} to evict, ${count('skip')} skipped, ${count('blocked')} blocked${pdbRefusals > 0 ? `, ${pdbRefusals} held by a PDB now` : ''}`;
}

function podLine(item: PlanItem): string {
  // Short enough for the dialog's box: kubectl retries these until the timeout.
  const why = item.pdb ? `PDB ${item.pdb.name}: 0 allowed now` : item.reason;
  return `  ${VERDICT_MARK[item.verdict]} ${item.namespace}/${item.name}  ${why}`;
}

/** A node's first DNS label, to fit the box. */
const shortName = (node: string) => node.split('.')[0];

function namesOf(nodes: readonly string[], max = 3): string {
  const shown = nodes.slice(0, max).map(shortName).join(', ');
  return nodes.length > max ? `${shown} +${nodes.length - max} more` : shown;
}

/**
 * The plan as the dialog shows it. The summary stays short whatever the number of nodes (a
 * pool of 30 is one line of counts), so the title and the buttons stay on screen; the
 * details list every pod, blocked and PDB-refused first, and scroll. Lines longer than
 * `maxWidth` are cut with `…`.
 */
export function drainPlanText(preview: DrainPreview, maxWidth = Number.POSITIVE_INFINITY): DrainPlanText {
  const { plans, capacity } = preview;
  const summary: string[] = [];
  const details: string[] = [];
  const sorted = (items: readonly PlanItem[]) => [...items].sort((a, b) => rank(a) - rank(b));
  if (plans.length === 1) {
    const [plan] = plans;
    summary.push(counts(plan.items, plan.pdbRefusals));
    for (const error of plan.errors) summary.push(`refused: ${error}`);
    details.push(...sorted(plan.items).map(podLine));
  } else {
    const all = plans.flatMap((p) => p.items);
    summary.push(`${plans.length} nodes: ${counts(all, plans.reduce((n, p) => n + p.pdbRefusals, 0))}`);
    const refused = plans.filter((p) => p.errors.length > 0).map((p) => p.node);
    if (refused.length > 0) summary.push(`refused: ${refused.length} of ${plans.length} nodes (${namesOf(refused)}); reasons below`);
    for (const plan of plans) {
      details.push(`${shortName(plan.node)}: ${counts(plan.items, plan.pdbRefusals)}`);
      for (const error of plan.errors) details.push(`  refused: ${error}`);
      details.push(...sorted(plan.items).map(podLine));
    }
  }
  const missing = capacity.pods.filter((p) => !p.fits);
  summary.push(
    missing.length === 0
      ? `capacity: room on the other nodes for the ${capacity.pods.length} pods to reschedule`
      : `capacity: NO ROOM for ${missing.map((p) => `${p.namespace}/${p.name} (${p.reason})`).join(', ')}`,
  );
  for (const p of missing) details.push(`no room: ${p.namespace}/${p.name} (${p.reason})`);
  const cut = (lines: string[]) => (Number.isFinite(maxWidth) ? lines.map((l) => truncate(l, maxWidth)) : lines);
  return { summary: cut(summary), details: cut(details) };
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
