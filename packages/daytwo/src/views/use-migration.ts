import { type DialogValues, dialogTextWidth } from '../components/Dialog.js';
import { migrationPreflight } from '../domain/migration-preflight.js';
import { rehearsalRows, rehearsalSummary } from '../domain/migration-rehearsal.js';
import { plural, preflightLines } from '../domain/migration-text.js';
import { truncate } from '../domain/table.js';
import { useAppStore, useAppStoreApi } from '../hooks/use-app-store.js';
import type { MigrationStart, UnfinishedMigration } from '../store/actions.js';
import { type Operation, shownMigration } from '../domain/operations.js';
import { REHEARSE_OPTION_LABEL, rehearseThenConfirm } from './rehearsal-dialog.js';
import { useShell } from './shell.js';
import type { NodeActions } from './use-node-actions.js';

/** What the Node pools view offers for migrations. */
export interface MigrationActions {
  /** The running migration, else the last finished one until dismissed. */
  readonly operation?: Operation;
  /** Opens the preflight of migrating `pool` (or of resuming its unfinished migration). */
  start(pool: string, pools: readonly string[]): void;
  togglePause(): void;
  /** Asks, then aborts the running migration (the pool stays cordoned). */
  abort(): void;
  dismiss(): void;
}

/** Gate timeouts the preflight offers; 0 waits forever. */
export const GATE_TIMEOUT_CHOICES = ['10m', '30m', '5m', 'none'] as const;
const ANY_TARGET = 'any other node';

const gateSeconds = (choice: string) => (choice === 'none' ? 0 : Number.parseInt(choice, 10) * 60);

function unfinishedLine(u: UnfinishedMigration): string {
  return `unfinished migration (${u.state}, ${u.updatedAt}): ${u.nodesDone}/${u.nodes} nodes done, ${plural(u.moved, 'pod')} moved; it resumes from the cluster's state, evicting no pod twice`;
}

/** The migration actions of the Node pools view; `nodeActions` tells whether drain is allowed. */
export function useMigration(nodeActions: NodeActions): MigrationActions {
  const shell = useShell();
  const store = useAppStoreApi();
  const actions = shell.callbacks.actions;
  const operation = useAppStore((s) => shownMigration(s.operations, s.dismissedOperations));
  const error = (text: string) => store.getState().pushMessage('error', text);

  /** Rehearses on a simulated copy, then shows what happened there and offers the real run. */
  const rehearseThenAsk = (request: MigrationStart) =>
    rehearseThenConfirm(shell, store, {
      what: `the migration of node pool ${request.from}`,
      run: () => actions?.rehearseMigration?.(request) ?? Promise.reject(new Error('no cluster connection')),
      title: (r) => `Rehearsal of node pool ${request.from}: ${r.result}`,
      summary: rehearsalSummary,
      rows: rehearsalRows,
      confirmLabel: 'Migrate for real',
      onConfirm: () => void actions?.migrate?.(request),
    });

  return {
    operation,
    start(pool, pools) {
      if (nodeActions.drainDenied) return error(`migrate denied: ${nodeActions.drainDenied}`);
      if (!actions?.migrate) return error('no cluster connection: actions are unavailable');
      if (operation?.state === 'running') return error(`a migration of ${operation.target} is running: the console runs one at a time`);
      const unfinished = actions.unfinishedMigrations?.().find((u) => u.from === pool);
      const targets = pools.filter((p) => p !== pool);
      const to = (values: DialogValues) => {
        if (unfinished) return [...unfinished.to];
        const chosen = values.choices.to ?? ANY_TARGET;
        return chosen === ANY_TARGET ? [] : [chosen];
      };
      const width = dialogTextWidth(shell.width);
      const lines = (values: DialogValues) => {
        try {
          const { objects, cluster } = store.getState();
          const p = migrationPreflight({
            nodes: [...objects.nodes.values()],
            pods: [...objects.pods.values()],
            pdbs: objects.poddisruptionbudgets.values(),
            daemonSets: objects.daemonsets.values(),
            from: pool,
            to: to(values),
            apiServerVersion: cluster.version,
          });
          const text = preflightLines(p);
          const verdict = p.blockers.length === 0 ? 'preflight: no blocker' : `preflight: ${plural(p.blockers.length, 'blocker')} (confirming goes on anyway)`;
          return { summary: [...text.out, verdict].map((l) => truncate(l.replace(/^preflight: /, ''), width)), details: [...p.blockers.map((b) => `blocker: ${b}`), ...p.warnings.map((w) => `warning: ${w}`), ...p.evictions.map((e) => `evict ${e}`)] };
        } catch (err) {
          return { summary: [`cannot plan: ${err instanceof Error ? err.message : String(err)}`], details: [] };
        }
      };
      shell.confirm({
        title: unfinished ? `Resume the migration of node pool ${pool}?` : `Migrate node pool ${pool}?`,
        body: (values) => [...(unfinished ? [unfinishedLine(unfinished)] : []), ...lines(values).summary],
        details: (values) => lines(values).details,
        choices: unfinished
          ? []
          : [
              { id: 'to', label: 'target', key: '1', values: [ANY_TARGET, ...targets], value: targets.length === 1 ? targets[0] : ANY_TARGET },
              { id: 'gate', label: 'gate timeout', key: '2', values: GATE_TIMEOUT_CHOICES, value: GATE_TIMEOUT_CHOICES[0] },
            ],
        options: unfinished || !actions.rehearseMigration ? [] : [{ id: 'rehearse', label: REHEARSE_OPTION_LABEL, key: '3', value: false }],
        confirmLabel: unfinished ? 'Resume' : 'Migrate',
        dangerous: true,
        onConfirm: (options, choices) => {
          const request = {
            from: pool,
            to: to({ options: {}, choices }),
            gateTimeoutSeconds: gateSeconds(choices.gate ?? GATE_TIMEOUT_CHOICES[0]),
            resume: unfinished !== undefined,
            ignorePreflight: true,
          };
          if (options.rehearse) rehearseThenAsk(request);
          else actions.migrate?.(request);
        },
      });
    },
    togglePause() {
      if (operation?.state !== 'running') return;
      actions?.controlMigration?.(operation.id, operation.paused ? 'resume' : 'pause');
    },
    abort() {
      if (operation?.state !== 'running') return;
      shell.confirm({
        title: `Abort the migration of ${operation.target}?`,
        body: ['An eviction in flight finishes; no further pod is evicted.', 'Every node of the pool stays cordoned; the journal keeps what moved, so m resumes it later.'],
        confirmLabel: 'Abort',
        dangerous: true,
        onConfirm: () => actions?.controlMigration?.(operation.id, 'abort'),
      });
    },
    dismiss() {
      if (operation && operation.state !== 'running') store.getState().dismissOperation(operation.id);
    },
  };
}
