/**
 * Field paths: as shown to users (`spec.template.spec.containers[name=app].image`) and as
 * managedFields spell them (`f:spec`, `k:{"name":"app"}`, `v:"x"`, `i:0`; see
 * sigs.k8s.io/structured-merge-diff fieldpath/serialize-pe.go).
 */

/** One step of a path: a field, a keyed list item, a set item or a list index. */
export type PathSegment =
  | { readonly field: string }
  | { readonly key: Readonly<Record<string, unknown>> }
  | { readonly value: unknown }
  | { readonly index: number };

export type FieldPath = readonly PathSegment[];

/** The path as users read it: dots between fields, `[k=v]` for keyed items, `[n]` for indexes. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const s of path) {
    if ('field' in s) out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s.field) ? `${out ? '.' : ''}${s.field}` : `[${JSON.stringify(s.field)}]`;
    else if ('key' in s) out += `[${Object.entries(s.key).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(',')}]`;
    else if ('value' in s) out += `[=${JSON.stringify(s.value)}]`;
    else out += `[${s.index}]`;
  }
  return out;
}

/** The managedFields element of a segment; keys sorted by name as fieldpath.KeyByFields does. */
export function toElement(s: PathSegment): string {
  if ('field' in s) return `f:${s.field}`;
  if ('key' in s) {
    const sorted = Object.fromEntries(Object.entries(s.key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `k:${JSON.stringify(sorted)}`;
  }
  if ('value' in s) return `v:${JSON.stringify(s.value)}`;
  return `i:${s.index}`;
}

/** The segment of a managedFields element, or undefined for `.` and unknown prefixes. */
export function fromElement(element: string): PathSegment | undefined {
  const rest = element.slice(2);
  try {
    switch (element.slice(0, 2)) {
      case 'f:':
        return { field: rest };
      case 'k:':
        return { key: JSON.parse(rest) as Record<string, unknown> };
      case 'v:':
        return { value: JSON.parse(rest) };
      case 'i:':
        return { index: Number(rest) };
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Whether a path starts with `prefix`. */
export function hasPrefix(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => toElement(s) === toElement(path[i]));
}

/** One path owned by a field manager, from a managedFields `fieldsV1` tree. */
export interface OwnedPath {
  readonly path: FieldPath;
  /** The node lists `.`: the manager owns the map, list item or struct itself. */
  readonly self: boolean;
  /** No children below: a leaf field. */
  readonly leaf: boolean;
}

/** Every node of a `fieldsV1` tree with its path, parents before children. */
export function walkFieldsV1(fields: unknown, prefix: FieldPath = []): OwnedPath[] {
  const out: OwnedPath[] = [];
  if (typeof fields !== 'object' || fields === null) return out;
  for (const [element, child] of Object.entries(fields as Record<string, unknown>)) {
    const segment = fromElement(element);
    if (!segment) continue;
    const path = [...prefix, segment];
    const children = typeof child === 'object' && child !== null ? Object.keys(child).filter((k) => k !== '.') : [];
    const self = typeof child === 'object' && child !== null && '.' in child;
    out.push({ path, self, leaf: children.length === 0 });
    out.push(...walkFieldsV1(child, path));
  }
  return out;
}

/** The node of a `fieldsV1` tree at exactly this path, if the tree lists it. */
export function fieldsV1At(fields: unknown, path: FieldPath): Record<string, unknown> | undefined {
  let node = fields;
  for (const s of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[toElement(s)];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}
