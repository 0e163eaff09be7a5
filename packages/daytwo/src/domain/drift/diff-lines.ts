/** The lines of an object's drift diff, for the coloured `<Diff>` and the table report. */
import { stringify } from 'yaml';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { redactManifest } from './normalize.js';
import type { DriftItem } from './types.js';

/**
 * One line of a diff: `remove` is what goes away (live), `add` what comes (Git), `header`
 * a field path, `context` anything else.
 */
export interface DiffLine {
  readonly kind: 'header' | 'add' | 'remove' | 'context';
  readonly text: string;
}

/**
 * The longest line of a value a diff shows; the rest is cut and its size said. The terminal
 * wraps every character of a line it is given: a 20 MB ConfigMap value spun Ink's
 * `wrap-ansi` at full CPU for minutes, deaf to q and Ctrl-C.
 */
export const MAX_DIFF_LINE_CHARS = 400;

/** The most lines of one value a diff shows. */
export const MAX_VALUE_LINES = 200;

/** `812 B`, `1.5 KiB`, `20.0 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** What is kept of a line longer than {@link MAX_DIFF_LINE_CHARS}: short, so the size after it fits on a screen row. */
const CUT_LINE_KEEPS = 80;

/** A line longer than {@link MAX_DIFF_LINE_CHARS} cut to its start, saying how much was left out. */
function cutLine(line: string): string {
  if (line.length <= MAX_DIFF_LINE_CHARS) return line;
  const rest = line.slice(CUT_LINE_KEEPS);
  return `${line.slice(0, CUT_LINE_KEEPS)}… (cut: ${formatSize(Buffer.byteLength(rest))} more of ${formatSize(Buffer.byteLength(line))})`;
}

/** At most {@link MAX_VALUE_LINES} lines, each cut; the lines left out are counted with their size. */
function bounded(lines: readonly string[]): string[] {
  const shown = lines.slice(0, MAX_VALUE_LINES).map(cutLine);
  if (lines.length > MAX_VALUE_LINES) {
    const rest = lines.slice(MAX_VALUE_LINES);
    shown.push(`… ${rest.length} more lines (${formatSize(rest.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0))})`);
  }
  return shown;
}

/** A value on one line when it is a one-line scalar, as (bounded) indented lines otherwise. */
function valueLines(value: unknown): string[] {
  if (value === undefined) return ['(absent)'];
  if (value === null || typeof value !== 'object') return bounded((typeof value === 'string' ? value : JSON.stringify(value)).split('\n'));
  return bounded(stringify(value, { lineWidth: 0 }).trimEnd().split('\n'));
}

function labelled(kind: 'add' | 'remove', label: string, value: unknown): DiffLine[] {
  const lines = valueLines(value);
  if (lines.length === 1) return [{ kind, text: `  ${label} ${lines[0]}` }];
  return [{ kind, text: `  ${label}` }, ...lines.map((l) => ({ kind, text: `      ${l}` }))];
}

/**
 * Git versus live, field by field: the path, then Git's value (`+ git:`, what a sync sets)
 * and the live value (`- live:`, with the manager that set it), then the live-only edits.
 * Secret values arrive already redacted. A Missing object lists Git's manifest, when given.
 */
export function driftDiffLines(item: DriftItem, gitManifest?: KubeObject): DiffLine[] {
  const lines: DiffLine[] = [];
  if (item.status === 'Missing') {
    lines.push({ kind: 'context', text: 'Missing: in Git, not in the cluster; a sync creates it.' });
    // What a sync would create, as Git has it (Secret values redacted).
    if (gitManifest) for (const l of valueLines(redactManifest(gitManifest))) lines.push({ kind: 'add', text: `+ ${l}` });
  }
  if (item.status === 'Extra') lines.push({ kind: 'context', text: 'Extra: in the cluster (applied, or matching --prune-selector), not in Git.' });
  if (item.status === 'Synced') lines.push({ kind: 'context', text: 'Synced: every field Git sets has its value live.' });
  for (const d of item.diffs) {
    lines.push({ kind: 'header', text: d.path });
    lines.push(...labelled('add', '+ git: ', d.git));
    lines.push(...labelled('remove', `- live:${d.manager ? ` (${d.manager})` : ''}`, d.live));
  }
  if (item.liveOnly.length > 0) {
    lines.push({ kind: 'context', text: '' });
    lines.push({ kind: 'context', text: 'Changed live, not in Git (a sync does not revert these):' });
    for (const e of item.liveOnly) {
      lines.push({ kind: 'header', text: `${e.path}  by ${e.manager}${e.time ? ` at ${e.time}` : ''}` });
      lines.push(...labelled('remove', '~ live:', e.live));
    }
  }
  return lines;
}
