import { describe, expect, it } from 'vitest';
import { accessVerdict } from '../../src/store/access-verdict.js';

describe('accessVerdict', () => {
  it('is none when the action needs no query', () => {
    expect(accessVerdict([])).toEqual({ state: 'none' });
  });

  it('is allowed only when every query is allowed', () => {
    expect(accessVerdict([{ allowed: true }, { allowed: true }])).toEqual({ state: 'allowed' });
  });

  it('is checking while an answer is missing and none is a denial', () => {
    expect(accessVerdict([{ allowed: true }, undefined])).toEqual({ state: 'checking' });
  });

  it('is denied, with the first denial reason, as soon as one query is denied', () => {
    expect(accessVerdict([undefined, { allowed: false, reason: 'no RBAC' }, { allowed: false, reason: 'other' }])).toEqual({
      state: 'denied',
      reason: 'no RBAC',
    });
  });
});
