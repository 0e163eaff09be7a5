/**
 * Rows and columns of a generic resource table from the API server's own printing (the
 * meta.k8s.io/v1 Table that `kubectl get` shows): the server's columns as sent, a
 * NAMESPACE column in front when a namespaced kind is listed across namespaces (as
 * `kubectl get -A` adds it), and each row's object as an {@link ObjectRef}. Pure.
 */
import type { ApiResource } from './api-resources.js';
import { apiVersionOf } from './api-resources.js';
import { formatAge } from './format.js';
import type { ObjectRef } from './object-ref.js';
import type { ColumnDef } from './table.js';

/** A meta.k8s.io/v1 TableColumnDefinition. */
export interface TableColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly priority?: number;
  readonly description?: string;
}

/** A meta.k8s.io/v1 Table as the API server sends it (rows carry PartialObjectMetadata). */
export interface ServerTable {
  readonly kind?: string;
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly columnDefinitions?: readonly TableColumnDefinition[];
  readonly rows?: readonly {
    readonly cells: readonly unknown[];
    readonly object?: { readonly metadata?: { name?: string; namespace?: string; creationTimestamp?: string; resourceVersion?: string } };
  }[];
}

/** One row of a resource table: the object it shows and its cells as text. */
export interface ResourceRow {
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  readonly key: string;
  readonly ref: ObjectRef;
  readonly cells: readonly string[];
  /** Epoch ms of metadata.creationTimestamp (NaN when unknown), for sorting AGE. */
  readonly created: number;
}

/** A cell as text; kubectl leaves cells without a value blank. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/** The rows of a Table, as objects of `resource`. Rows without object metadata are skipped. */
export function tableRows(table: ServerTable, resource: Pick<ApiResource, 'group' | 'version' | 'kind'>): ResourceRow[] {
  const apiVersion = apiVersionOf(resource);
  const rows: ResourceRow[] = [];
  for (const row of table.rows ?? []) {
    const meta = row.object?.metadata;
    if (!meta?.name) continue;
    rows.push({
      key: meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name,
      ref: { apiVersion, kind: resource.kind, ...(meta.namespace ? { namespace: meta.namespace } : {}), name: meta.name },
      cells: row.cells.map(cellText),
      created: meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : Number.NaN,
    });
  }
  return rows;
}

const isAge = (c: TableColumnDefinition) => c.name === 'Age' || c.name === 'Created At';
/**
 * An AGE column of the object's creationTimestamp: the built-in printers' (their description
 * is creationTimestamp's) and a CRD's (default, or declared on `.metadata.creationTimestamp`).
 */
const isCreationAge = (c: TableColumnDefinition) =>
  c.name === 'Age' && ((c.description ?? '').startsWith('CreationTimestamp') || (c.description ?? '').endsWith('.metadata.creationTimestamp'));
const isNumeric = (c: TableColumnDefinition) => c.type === 'integer' || c.type === 'number';

/**
 * The table's columns (ids `namespace`, `name`, then one per server column): the server's priority-0 columns (the others are `-o wide`), after a
 * NAMESPACE column when `withNamespace`. The first column (NAME) flexes; numbers align
 * right and sort as numbers; AGE sorts by creation time, youngest first. The server's AGE
 * text is as old as the row's last change, so with `now` it is computed here instead.
 */
export function resourceColumns(
  definitions: readonly TableColumnDefinition[],
  withNamespace: boolean,
  /** When given, AGE is computed from the creation time at `now` rather than the server's text of when the row was sent. */
  now?: number,
): ColumnDef<ResourceRow>[] {
  const columns: ColumnDef<ResourceRow>[] = [];
  if (withNamespace) columns.push({ id: 'namespace', header: 'NAMESPACE', value: (r) => r.ref.namespace ?? '' });
  definitions.forEach((def, i) => {
    if ((def.priority ?? 0) > 0) return;
    const header = def.name.toUpperCase();
    const column: ColumnDef<ResourceRow> = {
      id: i === 0 ? 'name' : `c${i}:${def.name}`,
      header,
      value: now !== undefined && isCreationAge(def) ? (r) => (Number.isNaN(r.created) ? (r.cells[i] ?? '') : formatAge(new Date(r.created), now)) : (r) => r.cells[i] ?? '',
      ...(i === 0 ? { flex: true, pinned: withNamespace } : {}),
      ...(isNumeric(def) ? { align: 'right' as const, sortValue: (r: ResourceRow) => Number(r.cells[i]) || 0 } : {}),
      ...(isAge(def) ? { sortValue: (r: ResourceRow) => (Number.isNaN(r.created) ? 0 : -r.created) } : {}),
    };
    columns.push(column);
  });
  return columns;
}
