import { useEffect, useState } from 'react';
import type { ObjectRef } from '../domain/object-ref.js';
import { eventsTable } from '../domain/object-text.js';
import { objectYaml } from '../domain/object-yaml.js';
import type { ClusterActions } from '../store/actions.js';
import type { ObjectViewMode } from './object-view-params.js';

/** The object view's text as read from the API server. */
export interface ObjectText {
  readonly lines: readonly string[];
  readonly loading: boolean;
  readonly error?: string;
  reload(): void;
}

/**
 * Reads the object's YAML, describe or events whenever the object, the mode or `revealed`
 * changes (or on `reload`). The text lives in the view only: never in the store, never logged.
 */
export function useObjectText(actions: ClusterActions | undefined, ref: ObjectRef | undefined, mode: ObjectViewMode, revealed: boolean): ObjectText {
  const [state, setState] = useState<{ lines: readonly string[]; loading: boolean; error?: string }>({ lines: [], loading: true });
  const [seq, setSeq] = useState(0);
  const key = ref ? `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the object's identity; seq reloads
  useEffect(() => {
    if (!ref) return;
    if (!actions) {
      setState({ lines: [], loading: false, error: 'no cluster connection' });
      return;
    }
    let current = true;
    setState((s) => ({ lines: s.lines, loading: true }));
    const read = async (): Promise<readonly string[]> => {
      switch (mode) {
        case 'yaml':
          return objectYaml(await actions.getObject(ref, { reveal: revealed }));
        case 'describe':
          return actions.describe(ref);
        case 'events':
          return eventsTable(await actions.objectEvents(ref), Date.now());
      }
    };
    read().then(
      (lines) => current && setState({ lines, loading: false }),
      (err: unknown) => current && setState({ lines: [], loading: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  }, [actions, key, mode, revealed, seq]);
  return { ...state, reload: () => setSeq((n) => n + 1), ...(state.error ? { error: state.error } : {}) };
}

