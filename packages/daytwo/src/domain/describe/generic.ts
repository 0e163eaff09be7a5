/** kubectl's describers for a Secret (sizes only) and for any other kind (`genericDescriber`). */
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import type { CoreEvent, Fields, Secret } from '@daytwo/k8s/wire-types.js';
import { eventsBlock } from './events.js';
import { annotationsBlock, type DescribeWriter, labelsBlock } from './writer.js';

/** Bytes a base64 value decodes to. */
function decodedLength(b64: string): number {
  const clean = b64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

/**
 * `describeSecret`: the keys and their sizes. kubectl prints a service-account token's value;
 * daytwo never prints a Secret's value, so that one shows its size too.
 */
export function describeSecret(w: DescribeWriter, secret: Secret): void {
  w.line(0, `Name:\t${secret.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${secret.metadata?.namespace ?? ''}`);
  labelsBlock(w, 'Labels', secret.metadata?.labels);
  annotationsBlock(w, secret.metadata?.annotations);
  w.line(0, '');
  w.line(0, `Type:\t${secret.type ?? ''}`);
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  const data: Record<string, string> = secret.data ?? {};
  for (const k of Object.keys(data).sort()) w.line(0, `${k}:\t${decodedLength(String(data[k] ?? ''))} bytes`);
}

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];

/** `genericDescriber`: name, namespace, labels, annotations, then every other field as `Label: value`, sorted, and the events. */
export function describeGeneric(w: DescribeWriter, obj: KubeObject, events: readonly CoreEvent[] | undefined, now: number): void {
  w.line(0, `Name:\t${obj.metadata?.name ?? ''}`);
  w.line(0, `Namespace:\t${obj.metadata?.namespace ?? ''}`);
  labelsBlock(w, 'Labels', obj.metadata?.labels);
  annotationsBlock(w, obj.metadata?.annotations);
  unstructured(w, 0, obj, '');
  eventsBlock(w, events, now);
}

/** `printUnstructuredContent`. */
function unstructured(w: DescribeWriter, level: number, content: Fields, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.includes(path)) continue;
    if (Array.isArray(value)) {
      w.line(level, `${smartLabel(field)}:`);
      for (const child of value) {
        if (isObject(child)) unstructured(w, level + 1, child, path);
        else w.line(level + 1, goValue(child));
      }
    } else if (isObject(value)) {
      w.line(level, `${smartLabel(field)}:`);
      unstructured(w, level + 1, value, path);
    } else {
      w.line(level, `${smartLabel(field)}:\t${goValue(value)}`);
    }
  }
}

/** A JSON object (or array: its fields are its indexes, as Go's reflection walks it). */
const isObject = (v: unknown): v is Fields => v !== null && typeof v === 'object';

/** Go's `%v` of a JSON scalar. */
function goValue(v: unknown): string {
  return v === null || v === undefined ? '<nil>' : String(v);
}

const ACRONYMS = ['API', 'URL', 'UID', 'GUID'];

/** fatih/camelcase `Split`: runs of lower, upper and other characters; an upper run hands its last letter to a following lower run. */
function camelSplit(s: string): string[] {
  const classOf = (c: string) => (c !== c.toUpperCase() ? 1 : c !== c.toLowerCase() ? 2 : /\d/.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const cls = classOf(c);
    if (cls === last) runs[runs.length - 1].push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i][0]) === 2 && classOf(runs[i + 1][0]) === 1) {
      runs[i + 1].unshift(runs[i].pop() as string);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** `smartLabelFor`: `apiVersion` -> `API Version`, `creationTimestamp` -> `Creation Timestamp`; names with other characters stay. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = camelSplit(field);
  const merged: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    const allUpper = [...part].every((c) => c.toLowerCase() === c.toUpperCase() || c === c.toUpperCase());
    if (next !== undefined && part.length >= 2 && allUpper && /^\p{Lu}/u.test(next)) {
      merged.push(part + next);
      i++;
    } else merged.push(part);
  }
  return merged
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.toLowerCase() === p ? p.charAt(0).toUpperCase() + p.slice(1) : p))
    .join(' ');
}
