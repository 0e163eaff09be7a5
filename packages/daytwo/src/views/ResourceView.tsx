import { Box } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { type ApiResource, qualifiedName } from '../domain/api-resources.js';
import type { ObjectRef } from '../domain/object-ref.js';
import { type ResourceRow, resourceColumns } from '../domain/resource-table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useResourceTable } from '../hooks/use-resource-table.js';
import { useTable } from '../hooks/use-table.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { ViewFooter } from './ViewFooter.js';

/** What `openView('resource', params)` takes: the resource to show (from discovery). */
export interface ResourceViewParams {
  readonly resource: ApiResource;
}

/** The key context of the generic resource table. */
export interface ResourceViewContext extends TableContext, ObjectKeyContext {
  /** The object under the cursor, for the per-object keys (YAML, describe, events, …). */
  readonly selected: ObjectRef | undefined;
}

/** Keys of the generic resource table: the table's, and k9s's keys on the object under the cursor (`s`: a shell, on pods; Shift-F: port-forward). */
export const RESOURCE_KEYMAP: Keymap<ResourceViewContext> = [...TABLE_KEYMAP, ...objectKeyBindings<ResourceViewContext>('resource', { podActions: true, portForward: true })];

const FOOTER_LINES = 1;

/** How often AGE cells are recomputed; kubectl ages have minute resolution past 10 minutes. */
const AGE_REFRESH_MS = 10_000;

const keyOf = (r: ResourceRow) => r.key;

/** The title line's text for a table's watch state. */
function stateNotice(state: string, error: string | undefined): string | undefined {
  if (state === 'syncing') return 'syncing…';
  if (state === 'live') return undefined;
  return error ? `${state}: ${error}` : state;
}

/**
 * Any resource the API server serves, as a live table of the server's own columns (the
 * Table API, as `kubectl get` prints it), in the scoped namespace (`:ns`, `-n`) or across
 * all of them with a NAMESPACE column. Opened with `:svc`, `:cm`, `:crd`, any custom
 * resource's name.
 */
export function ResourceView(): ReactElement {
  const shell = useShell();
  const resource = (shell.params as ResourceViewParams | undefined)?.resource;
  const scope = useAppStore((s) => s.scope);
  const only = useAppStore((s) => s.cluster.namespace);
  const namespace = resource?.namespaced ? (only ?? scope) : undefined;
  const { columns: definitions, rows: byKey, state, error } = useResourceTable(shell.callbacks.actions, resource, namespace);
  const allNamespaces = resource?.namespaced === true && namespace === undefined;
  const now = useNow(AGE_REFRESH_MS);
  const columns = useMemo(() => resourceColumns(definitions, allNamespaces, now), [definitions, allNamespaces, now]);
  const rows = useMemo(() => [...byKey.values()], [byKey]);
  const table = useTable({
    rows,
    columns,
    keyOf,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES,
    width: shell.width,
    initialSort: { column: allNamespaces ? 'namespace' : 'name', descending: false },
    stableRows: true,
  });
  const objectActions = useObjectActions(() => {
    const ref = table.selected?.ref;
    return ref ? { ref, ...(resource ? { resource } : {}) } : undefined;
  });
  const ctx: ResourceViewContext = { table, selected: table.selected?.ref, objectActions };
  useKeymap(RESOURCE_KEYMAP, ctx, { scope: 'view' });
  const title = !resource ? 'Resources' : resource.namespaced ? `${qualifiedName(resource)} · ${namespace ?? 'all namespaces'}` : qualifiedName(resource);
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title={title}
          width={shell.width}
          notice={resource ? stateNotice(state, error) : undefined}
          emptyText={!resource ? 'no resource chosen: type : and a resource name (Tab completes)' : state === 'syncing' ? 'loading…' : 'no objects'}
        />
      </Box>
      <ViewFooter keymap={RESOURCE_KEYMAP} ctx={ctx} />
    </Box>
  );
}
