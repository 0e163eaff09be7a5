import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { Table } from '../components/Table.js';
import { TABLE_KEYMAP, type TableContext } from '../components/table-keymap.js';
import { storeRefByKind } from '../domain/object-ref.js';
import type { ManifestUse } from '../domain/upgrade/api-findings.js';
import { API_COLUMNS, CAPACITY_COLUMNS, DRAIN_BLOCKER_COLUMNS, SKEW_COLUMNS } from '../domain/upgrade/columns.js';
import { readinessOf } from '../domain/upgrade/from-objects.js';
import { nextMinor } from '../domain/upgrade/readiness.js';
import { SEQUENCE_ROW_COLUMNS, sequenceRows } from '../domain/upgrade/sequence-rows.js';
import { type KubeVersion, parseKubeVersion } from '../domain/version.js';
import type { Keymap } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTable } from '../hooks/use-table.js';
import { useThrottled } from '../hooks/use-throttled.js';
import { useViewMode } from '../hooks/use-ui-store.js';
import { createDriftStore } from '../store/drift.js';
import { createUpgradeSourcesStore } from '../store/upgrade.js';
import { type ObjectKeyContext, objectKeyBindings } from './object-keys.js';
import { useShell } from './shell.js';
import { useObjectActions } from './use-object-actions.js';
import { ViewFooter } from './ViewFooter.js';

export const UPGRADE_SECTIONS = ['apis', 'skew', 'drain', 'capacity', 'sequence'] as const;
export type UpgradeSection = (typeof UPGRADE_SECTIONS)[number];
const SECTION_TITLES: Record<UpgradeSection, string> = { apis: 'APIs', skew: 'Skew', drain: 'Drain blockers', capacity: 'Capacity', sequence: 'Sequence' };

/** The key context of the Upgrade view. */
export interface UpgradeContext extends TableContext, ObjectKeyContext {
  nextSection(step: 1 | -1): void;
  moveTarget(step: 1 | -1): void;
}

/** Keys of the Upgrade view: the table's, Tab/Shift-Tab between sections, `+`/`-` to change the target minor. */
export const UPGRADE_KEYMAP: Keymap<UpgradeContext> = [
  ...TABLE_KEYMAP,
  { id: 'upgrade.nextSection', keys: ['tab'], description: 'Next section (APIs, skew, drain blockers, capacity, sequence)', category: 'View', action: (c) => c.nextSection(1), hint: 'section' },
  { id: 'upgrade.prevSection', keys: ['shift+tab'], description: 'Previous section', category: 'View', action: (c) => c.nextSection(-1) },
  { id: 'upgrade.targetUp', keys: ['+'], description: 'Target one minor later', category: 'View', action: (c) => c.moveTarget(1), hint: 'target+' },
  { id: 'upgrade.targetDown', keys: ['-'], description: "Target one minor earlier (not below the API server's next minor)", category: 'View', action: (c) => c.moveTarget(-1), hint: 'target-' },
  ...objectKeyBindings<UpgradeContext>('upgrade'),
];

const LARGE_CLUSTER_PODS = 5_000;
const LARGE_CLUSTER_INTERVAL_MS = 2_000;

const EMPTY_SOURCES = createUpgradeSourcesStore({ helmPhase: 'ready' });
const EMPTY_DRIFT = createDriftStore();

const verdictColor = (verdict: string) => (verdict === 'ready' ? 'green' : verdict.startsWith('blocked') ? 'red' : 'yellow');

/**
 * Whether the cluster can go to the target minor (the API server's next by default), and in
 * what order: removed APIs in live objects, Helm releases and Git; kubelet skew per pool;
 * drain blockers; room per pool; the sequence. Recomputed as the watched objects change.
 */
export function UpgradeView(): ReactElement {
  const shell = useShell();
  const live = useAppStore(useShallow((s) => ({ objects: s.objects, version: s.cluster.version })));
  // 0.7-0.8 s of work at 1,000 nodes and 30,000 pods: above 5,000 pods it follows the objects at most every 2 s, not every flush.
  const inputs = useThrottled(live, live.objects.pods.size > LARGE_CLUSTER_PODS ? LARGE_CLUSTER_INTERVAL_MS : 0);
  const sources = useStore(shell.callbacks.upgrade ?? EMPTY_SOURCES);
  const drift = useStore(shell.callbacks.drift?.store ?? EMPTY_DRIFT);
  const apiServer = parseKubeVersion(inputs.version);
  const [offset, setOffset] = useState(0);
  const [section, setSection] = useViewMode<UpgradeSection>('section', 'apis');
  const target: KubeVersion | undefined = apiServer ? { ...nextMinor(apiServer), minor: apiServer.minor + 1 + offset, raw: `${apiServer.major}.${apiServer.minor + 1 + offset}` } : undefined;
  const gitUses = useMemo<ManifestUse[]>(
    () =>
      drift.items.flatMap((i) =>
        i.source ? [{ apiVersion: i.apiVersion, kind: i.kind, name: i.name, ...(i.namespace ? { namespace: i.namespace } : {}), source: `git: ${i.source.file}:${i.source.line}` }] : [],
      ),
    [drift.items],
  );
  const targetMinor = target?.minor;
  // biome-ignore lint/correctness/useExhaustiveDependencies: target is rebuilt from its minor on every render
  const readiness = useMemo(
    () => (target ? readinessOf({ target, apiServer, objects: inputs.objects, helmReleases: sources.helmReleases, manifests: [...sources.gitUses, ...gitUses] }) : undefined),
    [targetMinor, inputs, sources.helmReleases, sources.gitUses, gitUses],
  );
  const height = Math.max(3, shell.height - 4);
  const common = { filter: shell.filter, height, width: shell.width };
  const apis = useTable({ ...common, rows: readiness?.apis ?? [], columns: API_COLUMNS, keyOf: (a) => `${a.kind}/${a.namespace}/${a.name}/${a.apiVersion}/${a.source}` });
  const skew = useTable({ ...common, rows: readiness?.skew ?? [], columns: SKEW_COLUMNS, keyOf: (s) => s.pool });
  const drain = useTable({ ...common, rows: readiness?.drainBlockers ?? [], columns: DRAIN_BLOCKER_COLUMNS, keyOf: (b) => `${b.type}/${b.kind}/${b.namespace}/${b.name}` });
  const capacity = useTable({ ...common, rows: readiness?.capacity ?? [], columns: CAPACITY_COLUMNS, keyOf: (c) => c.pool });
  const seqRows = useMemo(() => sequenceRows(readiness?.sequence ?? []), [readiness]);
  const sequence = useTable({ ...common, rows: seqRows, columns: SEQUENCE_ROW_COLUMNS, keyOf: (r) => r.key });
  const tables = { apis, skew, drain, capacity, sequence };
  // APIs found in live objects and drain blockers name objects; pools and steps do not.
  const objectActions = useObjectActions(() => {
    const api = section === 'apis' ? apis.selected : undefined;
    const blocker = section === 'drain' ? drain.selected : undefined;
    const ref = api?.source.startsWith('live')
      ? storeRefByKind(api.kind, api.namespace || undefined, api.name)
      : blocker
        ? storeRefByKind(blocker.kind, blocker.namespace || undefined, blocker.name)
        : undefined;
    return ref ? { ref } : undefined;
  });
  const ctx: UpgradeContext = {
    objectActions,
    table: tables[section],
    nextSection: (step) => setSection((s) => UPGRADE_SECTIONS[(UPGRADE_SECTIONS.indexOf(s) + step + UPGRADE_SECTIONS.length) % UPGRADE_SECTIONS.length]),
    moveTarget: (step) => setOffset((o) => Math.max(0, o + step)),
  };
  useKeymap(UPGRADE_KEYMAP, ctx, { scope: 'view' });

  const counts: Record<UpgradeSection, number> = {
    apis: readiness?.apis.length ?? 0,
    skew: readiness?.skew.filter((s) => !s.supported).length ?? 0,
    drain: readiness?.drainBlockers.length ?? 0,
    capacity: readiness?.capacity.filter((c) => !c.fits).length ?? 0,
    sequence: readiness?.sequence.length ?? 0,
  };
  const notes = [
    sources.helmPhase === 'loading' ? 'Helm releases: reading' : undefined,
    ...sources.helmErrors,
    ...sources.gitErrors,
  ].filter((n): n is string => !!n);
  const title = SECTION_TITLES[section];
  return (
    <Box flexDirection="column" height={shell.height}>
      <Text wrap="truncate">
        {readiness ? (
          <>
            Upgrade {readiness.apiServer} {'->'} {readiness.target}: <Text color={verdictColor(readiness.verdict)} bold>{readiness.verdict}</Text>
          </>
        ) : (
          'Upgrade: waiting for the API server version'
        )}
      </Text>
      <Text wrap="truncate">
        {UPGRADE_SECTIONS.map((s) => (
          <Text key={s} inverse={s === section}>{` ${SECTION_TITLES[s]} ${counts[s]} `}</Text>
        ))}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        {section === 'apis' ? <Table table={apis} title={title} width={shell.width} emptyText="no deprecated or removed apiVersion in use" rowColor={(a) => (a.blocks ? 'red' : 'yellow')} /> : null}
        {section === 'skew' ? <Table table={skew} title={title} width={shell.width} emptyText="no nodes (yet)" rowColor={(s) => (s.supported ? undefined : 'red')} /> : null}
        {section === 'drain' ? <Table table={drain} title={title} width={shell.width} emptyText="nothing blocks the drains" rowColor={(b) => (b.severity === 'blocker' ? 'red' : 'yellow')} /> : null}
        {section === 'capacity' ? <Table table={capacity} title={title} width={shell.width} emptyText="no pools (yet)" rowColor={(c) => (c.fits ? undefined : 'red')} /> : null}
        {section === 'sequence' ? <Table table={sequence} title={title} width={shell.width} emptyText="-" rowColor={(r) => (r.level === 'blocker' ? 'red' : r.level === 'warning' ? 'yellow' : undefined)} /> : null}
      </Box>
      <Text wrap="truncate" dimColor>
        {notes[0] ?? ''}
      </Text>
      <ViewFooter keymap={UPGRADE_KEYMAP} ctx={ctx} />
    </Box>
  );
}
