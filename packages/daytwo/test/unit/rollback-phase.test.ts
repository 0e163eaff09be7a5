import { describe, expect, it } from 'vitest';
import { ROLLBACK_IDLE, type RollbackPhase, rollbackPhase } from '../../src/domain/rollback-phase.js';

const sending: RollbackPhase = { state: 'sending', revision: 3, generationBefore: 7 };
const progress: RollbackPhase = { state: 'progress', revision: 3, generationBefore: 7, startedAt: 1000 };

describe('rollbackPhase', () => {
  it('sends from idle and ignores a second send while one is in flight', () => {
    expect(rollbackPhase(ROLLBACK_IDLE, { type: 'send', revision: 3, generationBefore: 7 })).toEqual(sending);
    expect(rollbackPhase(sending, { type: 'send', revision: 2, generationBefore: 7 })).toBe(sending);
  });

  it("follows the rollout after kubectl's answer, from the generation before it", () => {
    expect(rollbackPhase(sending, { type: 'answered', skipped: false, at: 1000 })).toEqual(progress);
  });

  it('returns to idle when kubectl skipped the rollback or it failed', () => {
    expect(rollbackPhase(sending, { type: 'answered', skipped: true, at: 1000 })).toBe(ROLLBACK_IDLE);
    expect(rollbackPhase(sending, { type: 'failed' })).toBe(ROLLBACK_IDLE);
  });

  it('stops the clock at the first settle only', () => {
    const settled = rollbackPhase(progress, { type: 'settled', at: 5000 });
    expect(settled).toEqual({ ...progress, settledAt: 5000 });
    expect(rollbackPhase(settled, { type: 'settled', at: 9000 })).toBe(settled);
  });

  it('lets a new rollback start after one finished', () => {
    expect(rollbackPhase(progress, { type: 'send', revision: 2, generationBefore: 8 })).toEqual({
      state: 'sending',
      revision: 2,
      generationBefore: 8,
    });
  });

  it('ignores answers and settles that belong to no rollback in flight', () => {
    expect(rollbackPhase(ROLLBACK_IDLE, { type: 'answered', skipped: false, at: 1 })).toBe(ROLLBACK_IDLE);
    expect(rollbackPhase(ROLLBACK_IDLE, { type: 'settled', at: 1 })).toBe(ROLLBACK_IDLE);
  });
});
