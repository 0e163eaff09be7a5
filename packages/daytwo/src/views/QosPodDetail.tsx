import type { ContainerQos } from '@daytwo/k8s/qos.js';
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { PodUsage, PodUsageState } from '../domain/pod-usage.js';
import { type NodeEvictionOrder, qosRules } from '../domain/qos-detail.js';
import { cpuCell, memoryCell, type QosPodRow } from '../domain/qos-summary.js';
import { formatLine, truncate } from '../domain/table.js';

/** One line of the detail screen. */
export interface DetailLine {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

const CONTAINER_WIDTHS = [24, 8, 8, 8, 8, 8, 8];
const RIGHT = 'right' as const;
const CONTAINER_ALIGNS = [undefined, undefined, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT];

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function containerKind(c: ContainerQos, row: QosPodRow): string {
  if (!c.init) return 'app';
  const spec = (row.pod.spec?.initContainers ?? []).find((i: { name?: string }) => i.name === c.name);
  return spec?.restartPolicy === 'Always' ? 'sidecar' : 'init';
}

/** The memory-usage cell: blank for init containers (no longer running) and when usage is unknown. */
function usageCell(c: ContainerQos, usage: PodUsage | undefined): string {
  if (!usage || c.init) return '';
  return memoryCell(usage.containers.find((u) => u.name === c.name)?.memory);
}

function containerLine(c: ContainerQos, row: QosPodRow, usage: PodUsage | undefined): string {
  const marked = (text: string, defaulted: boolean) => (defaulted && text !== '-' ? `${text}*` : text);
  return formatLine(
    [
      c.name,
      containerKind(c, row),
      marked(cpuCell(c.requests.cpu), c.defaultedRequests.includes('cpu')),
      cpuCell(c.limits.cpu),
      marked(memoryCell(c.requests.memory), c.defaultedRequests.includes('memory')),
      memoryCell(c.limits.memory),
      usageCell(c, usage),
    ],
    CONTAINER_WIDTHS,
    CONTAINER_ALIGNS,
  );
}

/** One line on what is known of usage (the metrics API), under the containers. */
function usageLine(usage: PodUsageState, pod: PodUsage | undefined): DetailLine {
  switch (usage.status) {
    case 'unknown':
      return { text: 'Memory usage: asking the metrics API...', dim: true };
    case 'unavailable':
      return { text: `Memory usage unavailable: ${usage.reason}`, color: 'yellow' };
    default:
      return pod
        ? { text: `Memory usage (working set, metrics.k8s.io): ${memoryCell(pod.memory)} for the pod`, dim: true }
        : { text: 'Memory usage: the metrics API reports none for this pod (not running, or not scraped yet)', dim: true };
  }
}

/** Why the eviction order below ranks a mismatched pod by its recorded class, not the computed one. */
export function evictionClassNote(row: Pick<QosPodRow, 'statusQosClass'>): string {
  return `The eviction order ranks it as ${row.statusQosClass}: the kubelet goes by status.qosClass (GetPodQOS prefers it to the spec)`;
}

/** The lines before the eviction order: the pod, its class and reason, its containers and the rules. */
function headLines(row: QosPodRow, usage: PodUsageState): DetailLine[] {
  const podUsage = usage.status === 'available' ? usage.pods.get(row.key) : undefined;
  const e = row.explanation;
  const lines: DetailLine[] = [
    { text: `Pod ${row.key}  ${row.phase || '<unknown phase>'}  node ${row.node || '<none>'}`, bold: true },
    { text: `QoS class ${row.qosClass}: ${row.reason}`, bold: true },
  ];
  if (row.mismatch) {
    lines.push({ text: `status.qosClass says ${row.statusQosClass}, but the pod's resources make it ${row.qosClass}`, color: 'red' });
    lines.push({ text: evictionClassNote(row), color: 'yellow' });
  }
  lines.push({ text: '' });
  lines.push({
    text: formatLine(['CONTAINER', 'TYPE', 'CPU REQ', 'CPU LIM', 'MEM REQ', 'MEM LIM', 'MEM USE'], CONTAINER_WIDTHS, CONTAINER_ALIGNS),
    bold: true,
    color: 'cyan',
  });
  for (const c of e.containers) lines.push({ text: containerLine(c, row, podUsage) });
  if (e.podLevel) {
    const p = e.podLevel;
    lines.push({
      text: formatLine(['(pod-level)', 'pod', cpuCell(p.requests.cpu), cpuCell(p.limits.cpu), memoryCell(p.requests.memory), memoryCell(p.limits.memory)], CONTAINER_WIDTHS, CONTAINER_ALIGNS),
    });
  }
  lines.push({
    text: formatLine(
      [
        e.decidedBy === 'pod' ? 'QoS uses (pod-level)' : 'QoS sums',
        '',
        cpuCell(row.requests.cpu),
        cpuCell(row.limits.cpu),
        memoryCell(row.requests.memory),
        memoryCell(row.limits.memory),
        podUsage ? memoryCell(podUsage.memory) : '',
      ],
      CONTAINER_WIDTHS,
      CONTAINER_ALIGNS,
    ),
    bold: true,
  });
  if (e.containers.some((c) => c.defaultedRequests.length > 0)) {
    lines.push({ text: '* request defaulted from the limit (the API server copies a limit set without a request)', dim: true });
  }
  lines.push(usageLine(usage, podUsage));
  lines.push({ text: '' });
  lines.push({ text: 'Rules, in the order the API server tries them (ComputePodQOS):', bold: true });
  for (const r of qosRules(e)) {
    const mark = r.applies ? '✓' : r.failedBecause ? '✗' : '-';
    lines.push({ text: `${mark} ${r.rule}`, color: r.applies ? 'green' : undefined, dim: !r.applies });
    if (r.failedBecause) lines.push({ text: `    no: ${r.failedBecause}`, dim: true });
  }
  lines.push({ text: '' });
  return lines;
}

/** The eviction section, windowed around the pod to at most `budget` lines. */
function evictionLines(order: NodeEvictionOrder | undefined, budget: number): DetailLine[] {
  if (budget <= 0) return [];
  if (!order) return [{ text: 'Eviction order under memory pressure: not scheduled on a node yet', bold: true }];
  const total = order.entries.length;
  const where = order.position >= 0 ? `${ordinal(order.position + 1)} of ${total}` : `none, the pod has finished (${total} running there)`;
  const lines: DetailLine[] = [
    { text: `Eviction order under memory pressure on ${order.node}: ${where}`, bold: true },
    { text: 'BestEffort first, Burstable next, Guaranteed last.', dim: true },
    {
      text: order.usageKnown
        ? 'Within a class, as the kubelet: usage over request first, then lower priority, then the most usage above request.'
        : 'Within a class, without usage metrics: lower priority first, then the smaller memory request.',
      dim: true,
    },
  ];
  const room = budget - lines.length;
  if (room > 0 && total > 0) {
    const shown = Math.min(room, total);
    const centre = Math.max(0, order.position);
    const start = Math.max(0, Math.min(centre - Math.floor(shown / 2), total - shown));
    for (const [i, entry] of order.entries.slice(start, start + shown).entries()) {
      const index = start + i;
      const self = index === order.position;
      lines.push({
        text: `${self ? '>' : ' '} ${String(index + 1).padStart(3)}  ${entry.qosClass.padEnd(10)}  priority ${String(entry.priority).padStart(10)}  mem req ${memoryCell(entry.memoryRequest).padStart(7)}${order.usageKnown ? `  use ${memoryCell(entry.memoryUsage).padStart(7)}` : ''}  ${entry.key}`,
        inverse: self,
        color: self ? undefined : entry.qosClass === 'BestEffort' ? 'yellow' : undefined,
      });
    }
  }
  return lines;
}

/**
 * Every line of the pod detail for a screen of `height` rows: the head first (cut when the
 * screen is tiny), then as much of the eviction order as fits.
 */
export function qosDetailLines(
  row: QosPodRow,
  order: NodeEvictionOrder | undefined,
  height: number,
  usage: PodUsageState = { status: 'unknown' },
): DetailLine[] {
  const head = headLines(row, usage).slice(0, Math.max(0, height));
  return [...head, ...evictionLines(order, height - head.length)];
}

/** Props of {@link QosPodDetail}. */
export interface QosPodDetailProps {
  readonly row: QosPodRow;
  readonly order: NodeEvictionOrder | undefined;
  readonly width: number;
  readonly height: number;
  /** Usage from the metrics API, as far as known. */
  readonly usage: PodUsageState;
}

/** The `Enter` screen of the QoS view: containers, rules and eviction order of one pod. */
export function QosPodDetail({ row, order, width, height, usage }: QosPodDetailProps): ReactElement {
  const lines = qosDetailLines(row, order, height, usage);
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines are positional and rebuilt each render
          key={i}
          wrap="truncate"
          bold={l.bold}
          dimColor={l.dim}
          inverse={l.inverse}
          color={l.color}
        >
          {l.inverse ? truncate(l.text, width - 1).padEnd(width - 1) : l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
