import { useEffect, useState } from 'react';
import type { ObjectRef } from '../domain/object-ref.js';
import { eventsTable } from '../domain/object-text.js';
import { objectYaml } from '../domain/object-yaml.js';
import type { ClusterActions } from '../store/actions.js';
import type { ObjectViewMode } from './object-view-params.js';

/** The object view's text as read from the API server. */
export interface ObjectText {
  /** The lines of the text asked for; empty while it is read the first time. */
  readonly lines: readonly string[];
  readonly loading: boolean;
  readonly error?: string;
  reload(): void;
}

interface Read {
  /** What was read: the object, the mode and whether Secret values were revealed. */
  readonly key: string;
  readonly lines: readonly string[];
  readonly error?: string;
}

/**
 * Reads the object's YAML, describe or events whenever the object, the mode or `revealed`
 * changes (or on `reload`, which keeps the lines shown until the new ones arrive). The text
 * lives in the view only: never in the store, never logged.
 */
export function useObjectText(actions: ClusterActions | undefined, ref: ObjectRef | undefined, mode: ObjectViewMode, revealed: boolean): ObjectText {
  const [read, setRead] = useState<Read | undefined>();
  const [seq, setSeq] = useState(0);
  const key = ref ? `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}/${mode}/${revealed}` : '';
  const [pending, setPending] = useState(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the object's identity and the mode; seq reloads
  useEffect(() => {
    if (!ref) return;
    if (!actions) {
      setRead({ key, lines: [], error: 'no cluster connection' });
      setPending(false);
      return;
    }
    let current = true;
    setPending(true);
    const text = async (): Promise<readonly string[]> => {
      switch (mode) {
        case 'yaml':
          return objectYaml(await actions.getObject(ref, { reveal: revealed }));
        case 'describe':
          return actions.describe(ref);
        case 'events':
          return eventsTable(await actions.objectEvents(ref), Date.now());
      }
    };
    text().then(
      (lines) => {
        if (!current) return;
        setRead({ key, lines });
        setPending(false);
      },
      (err: unknown) => {
        if (!current) return;
        setRead({ key, lines: [], error: err instanceof Error ? err.message : String(err) });
        setPending(false);
      },
    );
    return () => {
      current = false;
    };
  }, [actions, key, seq]);
  const mine = read?.key === key ? read : undefined;
  return {
    lines: mine?.lines ?? [],
    loading: pending || !mine,
    ...(mine?.error ? { error: mine.error } : {}),
    reload: () => setSeq((n) => n + 1),
  };
}
