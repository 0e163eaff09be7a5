import { useMemo } from 'react';
import { type ColumnDef, unknownColumns } from '../domain/table.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { deniedKinds } from '../store/denied-kinds.js';
import type { KindName } from '../domain/kinds.js';

/** What a table must say about the kinds it is computed from. */
export interface SourceNotice<R> {
  /** The columns, with `?` in those computed from a kind the user may not list. */
  readonly columns: readonly ColumnDef<R>[];
  /** For the title line: `pods: not permitted`, `pods of -n shop only`; undefined when all is read. */
  readonly notice: string | undefined;
  /** Kinds among the sources that the server refuses to list. */
  readonly denied: readonly KindName[];
}

/**
 * The honest columns and title notice of a table computed from `kinds`: a column derived from
 * a refused kind shows `?` instead of a computed 0, and pod figures under `-n` say they cover
 * that namespace only. `derived` maps a kind to the ids of the columns computed from it.
 */
export function useSourceNotice<R>(
  columns: readonly ColumnDef<R>[],
  kinds: readonly KindName[],
  derived: Partial<Record<KindName, readonly string[]>> = {},
  /** False for a table whose rows are the -n namespace itself, so that its pod figures are whole. */
  podsScoped = true,
): SourceNotice<R> {
  const deniedList = useAppStore((s) => deniedKinds(s.connection, kinds, s.cluster.namespace).map((d) => d.kind).join(','));
  const onlyNamespace = useAppStore((s) => s.cluster.namespace);
  // `kinds` and `derived` are module constants of each view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  return useMemo(() => {
    const denied = (deniedList ? deniedList.split(',') : []) as KindName[];
    const unknown = denied.flatMap((k) => derived[k] ?? []);
    const parts = [
      ...(denied.length > 0 ? [`${denied.join(', ')}: not permitted`] : []),
      ...(podsScoped && onlyNamespace && kinds.includes('pods') && derived.pods && !denied.includes('pods') ? [`pods of -n ${onlyNamespace} only`] : []),
    ];
    return {
      columns: unknown.length > 0 ? unknownColumns(columns, unknown) : columns,
      notice: parts.length > 0 ? parts.join(' · ') : undefined,
      denied,
    };
  }, [deniedList, onlyNamespace, columns, podsScoped]);
}
