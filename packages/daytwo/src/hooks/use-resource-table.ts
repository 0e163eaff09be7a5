import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ApiResource } from '../domain/api-resources.js';
import type { ClusterActions } from '../store/actions.js';
import { createResourceTableStore, type ResourceTableState } from '../store/resource-table.js';

/** What the view shows before (or without) a watch: nothing yet, syncing. */
const NO_TABLE = createResourceTableStore();

/** The parts of a resource table a view renders. */
export type ResourceTableView = Pick<ResourceTableState, 'columns' | 'rows' | 'state' | 'error'>;

/**
 * Watches `resource`'s table through `actions.watchResourceTable` while the caller is
 * mounted: only the open kind is watched, and a new kind, namespace or cluster session
 * (new `actions` after a context switch) stops the old watch and starts another.
 */
export function useResourceTable(actions: ClusterActions | undefined, resource: ApiResource | undefined, namespace: string | undefined): ResourceTableView {
  const [store, setStore] = useState(NO_TABLE);
  const key = resource ? `${resource.group}/${resource.version}/${resource.resource}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the resource
  useEffect(() => {
    if (!resource || !actions?.watchResourceTable) {
      setStore(NO_TABLE);
      return;
    }
    const handle = actions.watchResourceTable(resource, namespace);
    setStore(handle.store);
    return () => handle.stop();
  }, [actions, key, namespace]);
  return useStore(
    store,
    useShallow((s) => ({ columns: s.columns, rows: s.rows, state: s.state, error: s.error })),
  );
}
