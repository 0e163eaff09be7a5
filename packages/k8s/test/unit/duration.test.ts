import { describe, expect, it } from 'vitest';
import { DurationParseError, formatGoDuration, parseGoDuration } from '../../src/duration.js';

describe('parseGoDuration (time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['5s', 5000],
    ['300ms', 300],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['1m30s', 90_000],
    ['.5s', 500],
    ['-1s', -1000],
    ['1500us', 1.5],
  ])('%s is %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['5', 'time: missing unit in duration "5"'],
    ['5x', 'time: unknown unit "x" in duration "5x"'],
    ['s', 'time: invalid duration "s"'],
    ['1h-5m', 'time: unknown unit "h-" in duration "1h-5m"'],
  ])('refuses %j like Go', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(DurationParseError);
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [5, '5s'],
    [90, '1m30s'],
    [7200, '2h0m0s'],
  ])('%d s prints %s', (seconds, text) => {
    expect(formatGoDuration(seconds)).toBe(text);
  });
});
