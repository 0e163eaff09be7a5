import { Box, Text } from 'ink';
import { type ReactElement, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TABLE_CHROME_LINES, Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { ALERT_COLUMNS, ago } from '../domain/alerts.js';
import { eventRows, eventsAbout, relatedObjects } from '../domain/events.js';
import { type AlertRow, alertRows, alertTarget } from '../domain/health.js';
import { truncate } from '../domain/table.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useNow } from '../hooks/use-now.js';
import { useTable } from '../hooks/use-table.js';
import { useShell } from './shell.js';
import { ViewFooter } from './ViewFooter.js';

/** The key context of the Health view. */
export interface HealthContext extends TableContext {
  readonly hasSelection: boolean;
  open(): void;
}

/** Keys of the Health view. */
export const HEALTH_KEYMAP: Keymap<HealthContext> = [
  ...TABLE_KEYMAP,
  {
    id: 'health.open',
    keys: ['enter'],
    description: 'Go to the object: a pod or Job its logs, a workload or node its row, anything else its events',
    category: 'View',
    action: (c) => c.open(),
    visible: (c) => c.hasSelection,
    hint: 'go to',
  },
];

const AGE_REFRESH_MS = 5_000;
/** Rows of the Warning events pane, its title included. */
const EVENT_PANE_LINES = 6;
const FOOTER_LINES = 1;

const rowColor = (a: AlertRow) => (a.severity === 'critical' ? 'red' : 'yellow');

/**
 * Live alerts, most severe then oldest first, in the console's scope (nodes always); below,
 * the Warning events of the selected alert's object and of what it owns. Enter goes to it.
 */
export function HealthView(): ReactElement {
  const shell = useShell();
  const { alerts, scope, events, replicasets, pods, jobs, volumeStats } = useAppStore(
    useShallow((s) => ({
      alerts: s.alerts,
      scope: s.scope,
      events: s.objects.events,
      replicasets: s.objects.replicasets,
      pods: s.objects.pods,
      jobs: s.objects.jobs,
      volumeStats: s.volumeStats,
    })),
  );
  const now = useNow(AGE_REFRESH_MS);
  const rows = useMemo(() => alertRows(alerts, scope, now), [alerts, scope, now]);
  const table = useTable({
    rows,
    columns: ALERT_COLUMNS,
    keyOf: (a: AlertRow) => a.id,
    filter: shell.filter,
    height: Math.max(1, shell.height - TABLE_CHROME_LINES - EVENT_PANE_LINES - FOOTER_LINES),
    width: shell.width,
  });
  const selected = table.selected;
  const warnings = useMemo(() => {
    if (!selected) return [];
    const related = relatedObjects(selected, { replicasets: replicasets.values(), pods: pods.values(), jobs: jobs.values() });
    return eventsAbout(eventRows(events.values()), related).filter((e) => e.type === 'Warning');
  }, [selected, events, replicasets, pods, jobs]);
  const ctx: HealthContext = {
    table,
    hasSelection: selected !== undefined,
    open: () => {
      if (!selected) return;
      const target = alertTarget(selected);
      shell.openView(target.view, target.params);
    },
  };
  useKeymap(HEALTH_KEYMAP, ctx, { scope: 'view' });
  const volumes =
    volumeStats.status === 'unavailable' ? `VolumeFilling off: ${volumeStats.reason}` : volumeStats.status === 'unknown' ? 'volume stats: not read yet' : undefined;
  return (
    <Box flexDirection="column" height={shell.height}>
      <Box flexDirection="column" flexGrow={1}>
        <Table
          table={table}
          title={`Health${scope ? ` in ${scope}` : ''}`}
          width={shell.width}
          emptyText={alerts.length === 0 ? 'no alerts' : 'no alerts in this namespace'}
          rowColor={rowColor}
          notice={volumes}
        />
      </Box>
      <Box flexDirection="column" height={EVENT_PANE_LINES}>
        <Text bold wrap="truncate">
          {truncate(selected ? `Warning events of ${selected.kind.toLowerCase()}/${selected.name} and what it owns (${warnings.length})` : 'Warning events', shell.width)}
        </Text>
        {selected && warnings.length === 0 ? <Text dimColor>none</Text> : null}
        {warnings.slice(0, EVENT_PANE_LINES - 1).map((e) => (
          <Text key={e.key} wrap="truncate" color="yellow">
            {truncate(`${e.lastSeen === undefined ? '-' : ago(now - e.lastSeen)}  ${e.reason}  x${e.count}  ${e.kind.toLowerCase()}/${e.name}: ${e.message}`, shell.width)}
          </Text>
        ))}
      </Box>
      <ViewFooter keymap={HEALTH_KEYMAP} ctx={ctx} />
    </Box>
  );
}
