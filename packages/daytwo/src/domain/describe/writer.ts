/**
 * kubectl describe's building blocks (k8s.io/kubectl/pkg/describe/describe.go): a prefix
 * writer with two spaces per level, RFC 1123 times, labels, annotations, taints,
 * tolerations and resource lists printed as kubectl prints them.
 */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { formatQuantity, tryParseQuantity } from '@daytwo/k8s/quantity.js';
import { formatTaint, type Taint, type Toleration } from '@daytwo/k8s/taints.js';
import { tabwrite } from './tabwriter.js';

/** kubectl's `maxAnnotationLen`: longer annotation values go on their own, shortened, line. */
const MAX_ANNOTATION_LEN = 140;
/** kubectl hides this annotation in describe (`skipAnnotations`). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Collects `\t`-separated lines at a level (two spaces each), then aligns them as Go's tabwriter. */
export class DescribeWriter {
  private readonly lines: string[] = [];

  line(level: number, text: string): void {
    for (const l of text.split('\n')) this.lines.push('  '.repeat(level) + l);
  }

  /** The aligned text, one string per line. */
  text(): string[] {
    return tabwrite(this.lines);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * Go's `time.RFC1123Z` (`Mon, 02 Jan 2006 15:04:05 -0700`) in the local time zone, as
 * kubectl prints a timestamp it parsed (metav1.Time is read as local time). A missing time
 * prints as Go's zero time does.
 */
export function rfc1123z(timestamp: string | undefined): string {
  const t = timestamp ? new Date(timestamp) : undefined;
  if (!t || Number.isNaN(t.getTime())) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const offset = -t.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${DAYS[t.getDay()]}, ${two(t.getDate())} ${MONTHS[t.getMonth()]} ${t.getFullYear()} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())} ${zone}`;
}

/** `printLabelsMultiline`: `Labels:\tapp=web`, then one `\tkey=value` line per further label, sorted. */
export function labelsBlock(w: DescribeWriter, title: string, labels: Record<string, string> | undefined): void {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.line(0, `${title}:\t<none>`);
    return;
  }
  for (const [i, k] of keys.entries()) w.line(0, `${i === 0 ? `${title}:` : ''}\t${k}=${labels?.[k]}`);
}

/** `printAnnotationsMultiline`: sorted, without last-applied; long or multi-line values on their own lines. */
export function annotationsBlock(w: DescribeWriter, annotations: Record<string, string> | undefined, title = 'Annotations'): void {
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort();
  if (keys.length === 0) {
    w.line(0, `${title}:\t<none>`);
    return;
  }
  keys.forEach((k, i) => {
    const head = i === 0 ? `${title}:\t` : '\t';
    const value = (annotations?.[k] ?? '').replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.line(0, `${head}${k}:`);
      for (const s of value.split('\n')) w.line(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}`);
    } else {
      w.line(0, `${head}${k}: ${value}`);
    }
  });
}

/** `printNodeTaintsMultiline`: sorted by effect, then key. */
export function taintsBlock(w: DescribeWriter, taints: readonly Taint[] | undefined): void {
  const sorted = [...(taints ?? [])].sort((a, b) => (`${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1));
  if (sorted.length === 0) {
    w.line(0, 'Taints:\t<none>');
    return;
  }
  for (const [i, t] of sorted.entries()) w.line(0, `${i === 0 ? 'Taints:' : ''}\t${formatTaint(t)}`);
}

/** `printPodTolerationsMultiline`: sorted by key. */
export function tolerationsBlock(w: DescribeWriter, tolerations: readonly Toleration[] | undefined, title = 'Tolerations'): void {
  const sorted = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (sorted.length === 0) {
    w.line(0, `${title}:\t<none>`);
    return;
  }
  sorted.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.line(0, `${i === 0 ? `${title}:` : ''}\t${text}`);
  });
}

/** A quantity as upstream `Quantity.String()` prints it (its canonical form). */
export function quantityText(value: unknown): string {
  const q = tryParseQuantity(value as string | number);
  return q ? formatQuantity(q) : String(value ?? '');
}

/** A container's or a pod's `resources`. */
export interface ResourceLists {
  readonly limits?: Record<string, string>;
  readonly requests?: Record<string, string>;
}

/** `describeResources`: Limits, then Requests, each sorted by resource name. */
export function resourcesBlock(w: DescribeWriter, resources: ResourceLists | undefined, level: number): void {
  for (const [title, list] of [
    ['Limits', resources?.limits],
    ['Requests', resources?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.line(level, `${title}:`);
    for (const n of names) w.line(level + 1, `${n}:\t${quantityText(list?.[n])}`);
  }
}

/** `printController`: `ReplicaSet/web-5f7c9d8b6` from the controller owner reference. */
export function controllerOf(obj: KubeObject): string | undefined {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

