import { Box } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { EVENT_COLUMNS, type EventRowAt, eventRows, eventsAbout, type ObjectRef, relatedObjects, withAges } from '../domain/events.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { useShell } from './shell.js';
import { useSourceNotice } from './use-source-notice.js';
import { ViewFooter } from './ViewFooter.js';

/** What `openView('events', params)` takes: `{ object: { kind, namespace?, name } }` limits the view to that object and what it owns. */
export interface EventsViewParams {
  readonly object?: ObjectRef;
}

/** The key context of the Events view. */
export interface EventsContext extends TableContext {
  readonly warningsOnly: boolean;
  toggleWarnings(): void;
}

/** Keys of the Events view. */
export const EVENTS_KEYMAP: Keymap<EventsContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'events.warnings',
    keys: ['w'],
    description: 'Only Warning events (again: every event)',
    category: 'View',
    action: (c) => c.toggleWarnings(),
    hint: 'warnings',
  },
];

const AGE_REFRESH_MS = 5_000;
const FOOTER_LINES = 1;
const EVENT_SOURCE_KINDS = ['events'] as const;
const NO_DERIVED_COLUMNS = {};

function objectOf(params: unknown): ObjectRef | undefined {
  const o = (params as EventsViewParams | undefined)?.object;
  return o && typeof o.kind === 'string' && typeof o.name === 'string' ? o : undefined;
}

/**
 * Every event in the console's scope, one row per repeated occurrence with its count, Warning
 * first and the most recent first; opened from the Health view, only one object's events.
 */
export function EventsView(): ReactElement {
  const shell = useShell();
  const object = objectOf(shell.params);
  const { events, scope, replicasets, pods, jobs } = useAppStore(
    useShallow((s) => ({ events: s.objects.events, scope: s.scope, replicasets: s.objects.replicasets, pods: s.objects.pods, jobs: s.objects.jobs })),
  );
  const [warningsOnly, setWarningsOnly] = useState(false);
  const now = useNow(AGE_REFRESH_MS);
  const rows = useMemo(() => {
    let all = eventRows(events.values(), object ? undefined : scope);
    if (object) all = eventsAbout(all, relatedObjects(object, { replicasets: replicasets.values(), pods: pods.values(), jobs: jobs.values() }));
    if (warningsOnly) all = all.filter((r) => r.type === 'Warning');
    return withAges(all, now);
  }, [events, scope, object, warningsOnly, replicasets, pods, jobs, now]);
  const source = useSourceNotice(EVENT_COLUMNS, EVENT_SOURCE_KINDS, NO_DERIVED_COLUMNS);
  const table = useTable({
    rows,
    columns: source.columns,
    keyOf: (r: EventRowAt) => r.key,
    filter: shell.filter,
    height: shell.height - TABLE_CHROME_LINES - FOOTER_LINES,
    width: shell.width,
  });
  const ctx: EventsContext = { table, warningsOnly, toggleWarnings: () => setWarningsOnly((w) => !w) };
  useKeymap(EVENTS_KEYMAP, ctx, { scope: 'view' });
  const what = object ? ` of ${object.kind.toLowerCase()}/${object.namespace ? `${object.namespace}/` : ''}${object.name}` : scope ? ` in ${scope}` : '';
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title={`${warningsOnly ? 'Warning events' : 'Events'}${what}`}
          width={shell.width}
          emptyText={source.denied.length > 0 ? 'events: not permitted' : warningsOnly ? 'no Warning events' : 'no events'}
          rowColor={(r) => (r.type === 'Warning' ? 'yellow' : undefined)}
          notice={source.notice}
        />
      </Box>
      <ViewFooter keymap={EVENTS_KEYMAP} ctx={ctx} />
    </Box>
  );
}
