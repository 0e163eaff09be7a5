import { useEffect, useReducer } from 'react';
import { diffLines } from '../components/TemplateDiff.js';
import { planRollback, RollbackError, templateDiff } from '../domain/rollback.js';
import { ROLLBACK_IDLE, type RollbackPhase, rollbackPhase } from '../domain/rollback-phase.js';
import type { HistorySources, RolloutWorkload } from '../domain/rollout-history.js';
import { type RolloutStatus, rolloutSettled, rolloutStatus } from '../domain/rollout-status.js';
import type { HistoryRow, WorkloadRef } from '../domain/workloads.js';
import { useAppStoreApi } from '../hooks/use-app-store.js';
import type { DialogSpec } from '../store/dialog-spec.js';
import { useShell } from './shell.js';

/** Diff lines repeated in the confirmation dialog; the full diff stays in the pane behind it. */
const MAX_DIALOG_LINES = 8;

export interface RollbackRun {
  readonly phase: RollbackPhase;
  /** The rollout's status once the rollback changed the workload's generation. */
  readonly progress: RolloutStatus | undefined;
  readonly settled: boolean;
  /** Asks to roll back to a revision (with the template diff), then sends it and follows the rollout. */
  rollbackTo(row: HistoryRow): void;
}

/** A rollback from the history view: plan, confirmation, the request, and the rollout's progress from the store. */
export function useRollbackRun(ref: WorkloadRef, resource: string, workload: RolloutWorkload | undefined, sources: HistorySources): RollbackRun {
  const shell = useShell();
  const store = useAppStoreApi();
  const actions = shell.callbacks.actions;
  const [phase, dispatch] = useReducer(rollbackPhase, ROLLBACK_IDLE);
  const progress =
    workload && phase.state === 'progress' && Number(workload.metadata.generation ?? 0) > phase.generationBefore ? rolloutStatus(workload) : undefined;
  const settled = progress !== undefined && rolloutSettled(progress);
  useEffect(() => {
    if (settled) dispatch({ type: 'settled', at: Date.now() });
  }, [settled]);
  const say = (level: 'info' | 'error', text: string) => store.getState().pushMessage(level, text);

  const rollbackTo = (row: HistoryRow) => {
    if (!workload || !actions || phase.state === 'sending') return;
    const revision = row.revision;
    let plan: ReturnType<typeof planRollback>;
    try {
      plan = planRollback(workload, sources, revision);
    } catch (err) {
      return say('error', err instanceof RollbackError ? err.message : String(err));
    }
    if (plan.noop) return say('info', `${resource} ${plan.noop}`);
    const lines = diffLines(templateDiff(workload.spec?.template, row.entry.template)).map((l) => l.text);
    const send = () => {
      dispatch({ type: 'send', revision, generationBefore: Number(workload.metadata.generation ?? 0) });
      actions.rollback(ref, revision).then(
        (line) => {
          say('info', line);
          dispatch({ type: 'answered', skipped: line.includes('skipped rollback'), at: Date.now() });
        },
        (err: unknown) => {
          say('error', err instanceof Error ? err.message : String(err));
          dispatch({ type: 'failed' });
        },
      );
    };
    const spec: DialogSpec = {
      title: `Roll back ${resource} to revision ${revision}?`,
      body: [
        `${plan.summary} in namespace ${ref.namespace}`,
        ...lines.slice(0, MAX_DIALOG_LINES),
        ...(lines.length > MAX_DIALOG_LINES ? [`… ${lines.length - MAX_DIALOG_LINES} more lines (see the diff behind)`] : []),
      ],
      confirmLabel: 'Roll back',
      dangerous: true,
      onConfirm: send,
    };
    shell.confirm(spec);
  };
  return { phase, progress, settled, rollbackTo };
}
