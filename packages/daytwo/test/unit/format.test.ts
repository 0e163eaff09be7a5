import { describe, expect, it } from 'vitest';
import { formatAge, formatCounts, formatPercent, humanDuration } from '../../src/domain/format.js';

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-5, '<invalid>'],
    [-1, '0s'],
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [5 * 60 + 30, '5m30s'],
    [10 * 60 + 30, '10m'],
    [3 * 3600 - 1, '179m'],
    [3 * 3600, '3h'],
    [3 * 3600 + 12 * 60, '3h12m'],
    [8 * 3600 + 59 * 60, '8h'],
    [47 * 3600, '47h'],
    [48 * 3600, '2d'],
    [5 * 86400 + 3 * 3600, '5d3h'],
    [8 * 86400 + 3 * 3600, '8d'],
    [729 * 86400, '729d'],
    [730 * 86400, '2y'],
    [(2 * 365 + 17) * 86400, '2y17d'],
    [8 * 365 * 86400 + 86400, '8y'],
  ])('%i s -> %s', (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text);
  });
});

describe('formatAge', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('prints the age since a creationTimestamp as kubectl does', () => {
    expect(formatAge('2026-02-24T09:00:00Z', now)).toBe('5d3h');
    expect(formatAge(new Date('2026-03-01T11:48:00Z'), now)).toBe('12m');
  });

  it('prints <unknown> without a usable timestamp and <invalid> for a future one', () => {
    expect(formatAge(undefined, now)).toBe('<unknown>');
    expect(formatAge('yesterday', now)).toBe('<unknown>');
    expect(formatAge('2026-03-01T12:01:00Z', now)).toBe('<invalid>');
  });
});

describe('formatPercent and formatCounts', () => {
  it('rounds percentages down so that a nearly full quota does not read 100%', () => {
    expect(formatPercent(0.996)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.29)).toBe('29%');
    expect(formatPercent(1.25)).toBe('125%');
    expect(formatPercent(undefined)).toBe('-');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('-');
  });

  it('joins counts with slashes', () => {
    expect(formatCounts([3, 0, 1])).toBe('3/0/1');
  });
});
