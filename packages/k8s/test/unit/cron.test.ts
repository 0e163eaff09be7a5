import { describe, expect, it } from 'vitest';
import { mostRecentScheduleTime, nextScheduleTime, parseCronSchedule } from '../../src/cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('parseCronSchedule (robfig/cron standard parser)', () => {
  it('reads lists, ranges, steps and names', () => {
    const s = parseCronSchedule('*/15 9-17 * JAN,jul mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(s.domStar).toBe(true);
    expect([...parseCronSchedule('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('expands descriptors', () => {
    expect(parseCronSchedule('@hourly')).toEqual(parseCronSchedule('0 * * * *'));
    expect(parseCronSchedule('@midnight')).toEqual(parseCronSchedule('0 0 * * *'));
    expect(parseCronSchedule('@every 90s').everyMs).toBe(90_000);
  });

  it("refuses what robfig refuses, in its words", () => {
    expect(() => parseCronSchedule('* * * *')).toThrow('expected exactly 5 fields, found 4: [* * * *]');
    expect(() => parseCronSchedule('61 * * * *')).toThrow('end of range (61) above maximum (59): 61');
    expect(() => parseCronSchedule('* * * * 7')).toThrow('end of range (7) above maximum (6): 7');
    expect(() => parseCronSchedule('* * 0 * *')).toThrow('beginning of range (0) below minimum (1): 0');
    expect(() => parseCronSchedule('x * * * *')).toThrow('failed to parse int from x');
    expect(() => parseCronSchedule('@fortnightly')).toThrow('unrecognized descriptor: @fortnightly');
  });
});

describe('nextScheduleTime', () => {
  it('finds the next minute that matches, strictly after the given time', () => {
    const s = parseCronSchedule('0 2 * * *');
    expect(iso(nextScheduleTime(s, at('2026-12-05T01:59:30Z')))).toBe('2026-12-05T02:00:00.000Z');
    expect(iso(nextScheduleTime(s, at('2026-12-05T02:00:00Z')))).toBe('2026-12-06T02:00:00.000Z');
  });

  it('runs on either day when day-of-month and day-of-week are both restricted, on both when one is *', () => {
    const either = parseCronSchedule('0 0 13 * 5'); // the 13th, or any Friday
    expect(iso(nextScheduleTime(either, at('2026-12-05T00:00:00Z')))).toBe('2026-12-11T00:00:00.000Z'); // Friday the 11th
    const fridays = parseCronSchedule('0 0 * * 5');
    expect(iso(nextScheduleTime(fridays, at('2026-12-11T00:00:00Z')))).toBe('2026-12-18T00:00:00.000Z');
  });

  it('reads the schedule in spec.timeZone', () => {
    const s = parseCronSchedule('0 9 * * *');
    // 09:00 in New York in December is 14:00 UTC (EST, UTC-5); in July 13:00 UTC (EDT).
    expect(iso(nextScheduleTime(s, at('2026-12-05T00:00:00Z'), 'America/New_York'))).toBe('2026-12-05T14:00:00.000Z');
    expect(iso(nextScheduleTime(s, at('2026-07-05T00:00:00Z'), 'America/New_York'))).toBe('2026-07-05T13:00:00.000Z');
  });
});

describe('mostRecentScheduleTime', () => {
  it('answers the latest missed time and how many were missed', () => {
    const s = parseCronSchedule('*/10 * * * *');
    expect(mostRecentScheduleTime(s, at('2026-12-05T10:00:00Z'), at('2026-12-05T10:35:00Z'))).toEqual({ time: at('2026-12-05T10:30:00Z'), missed: 3 });
    expect(mostRecentScheduleTime(s, at('2026-12-05T10:00:00Z'), at('2026-12-05T10:05:00Z'))).toBeUndefined();
  });
});
