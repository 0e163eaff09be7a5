/** A rollback of the history view in flight or done, for its progress pane. */
export type RollbackPhase =
  | { readonly state: 'idle' }
  | { readonly state: 'sending'; readonly revision: number; readonly generationBefore: number }
  | {
      readonly state: 'progress';
      readonly revision: number;
      /** The workload's generation before the rollback: the rollout shown is the one after it. */
      readonly generationBefore: number;
      readonly startedAt: number;
      /** When the rollout completed or stalled: the elapsed time stops there. */
      readonly settledAt?: number;
    };

/** What happens to a rollback: it is sent, kubectl's answer arrives (or an error), its rollout settles. */
export type RollbackEvent =
  | { readonly type: 'send'; readonly revision: number; readonly generationBefore: number }
  | { readonly type: 'answered'; readonly skipped: boolean; readonly at: number }
  | { readonly type: 'failed' }
  | { readonly type: 'settled'; readonly at: number };

/** The idle phase: nothing sent. */
export const ROLLBACK_IDLE: RollbackPhase = { state: 'idle' };

/**
 * The next phase. A rollback is sent only from idle or after a previous one (not while one is
 * being sent); kubectl's "skipped rollback" (the template already matches) returns to idle;
 * only the first `settled` of a rollout stops its clock.
 */
export function rollbackPhase(phase: RollbackPhase, event: RollbackEvent): RollbackPhase {
  switch (event.type) {
    case 'send':
      return phase.state === 'sending' ? phase : { state: 'sending', revision: event.revision, generationBefore: event.generationBefore };
    case 'answered':
      if (phase.state !== 'sending') return phase;
      return event.skipped ? ROLLBACK_IDLE : { state: 'progress', revision: phase.revision, generationBefore: phase.generationBefore, startedAt: event.at };
    case 'failed':
      return phase.state === 'sending' ? ROLLBACK_IDLE : phase;
    case 'settled':
      return phase.state === 'progress' && phase.settledAt === undefined ? { ...phase, settledAt: event.at } : phase;
  }
}
