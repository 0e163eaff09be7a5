/**
 * CronJob schedules as Kubernetes reads them: robfig/cron v3's standard parser
 * (`cron.ParseStandard`): five fields (minute hour day-of-month month day-of-week) with
 * `*`, `?`, lists, ranges, steps and month/weekday names, or a descriptor (`@yearly`,
 * `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every <duration>`).
 * As in robfig/cron, when day-of-month and day-of-week are both restricted a day matching
 * either runs; when either is `*` or `?`, both must match.
 */

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** `@every <duration>`: a fixed interval in milliseconds instead of fields. */
  readonly everyMs?: number;
}

interface FieldBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTE: FieldBounds = { min: 0, max: 59 };
const HOUR: FieldBounds = { min: 0, max: 23 };
const DOM: FieldBounds = { min: 1, max: 31 };
const MONTH: FieldBounds = { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] };
const DOW: FieldBounds = { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Parses a schedule; throws an Error whose message says what is wrong, as robfig/cron does. */
export function parseCronSchedule(spec: string): CronSchedule {
  const text = spec.trim();
  if (text.startsWith('@every ')) {
    const ms = parseGoDurationMs(text.slice('@every '.length).trim());
    if (ms === undefined) throw new Error(`failed to parse duration ${text}`);
    return { minutes: new Set(), hours: new Set(), daysOfMonth: new Set(), months: new Set(), daysOfWeek: new Set(), domStar: true, dowStar: true, everyMs: Math.max(ms, 1000) };
  }
  const expanded = text.startsWith('@') ? DESCRIPTORS[text] : text;
  if (expanded === undefined) throw new Error(`unrecognized descriptor: ${text}`);
  const fields = expanded.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [min, hour, dom, month, dow] = fields;
  return {
    minutes: parseField(min, MINUTE),
    hours: parseField(hour, HOUR),
    daysOfMonth: parseField(dom, DOM),
    months: parseField(month, MONTH),
    daysOfWeek: parseField(dow, DOW),
    domStar: dom === '*' || dom === '?',
    dowStar: dow === '*' || dow === '?',
  };
}

function parseField(field: string, bounds: FieldBounds): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const slashes = part.split('/');
    if (slashes.length > 2) throw new Error(`too many slashes: ${part}`);
    const [rangeText, stepText] = slashes;
    if (rangeText.split('-').length > 2) throw new Error(`too many hyphens: ${rangeText}`);
    const step = stepText === undefined ? 1 : fieldValue(stepText, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    let start: number;
    let end: number;
    if (rangeText === '*' || rangeText === '?') {
      start = bounds.min;
      end = bounds.max;
    } else {
      const [lo, hi] = rangeText.split('-');
      start = fieldValue(lo, bounds);
      // `a/n` runs from a to the end of the range.
      end = hi !== undefined ? fieldValue(hi, bounds) : stepText !== undefined ? bounds.max : start;
    }
    if (start < bounds.min) throw new Error(`beginning of range (${start}) below minimum (${bounds.min}): ${part}`);
    if (end > bounds.max) throw new Error(`end of range (${end}) above maximum (${bounds.max}): ${part}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${part}`);
    for (let v = start; v <= end; v += step) out.add(v);
  }
  return out;
}

function fieldValue(text: string, bounds: FieldBounds): number {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + bounds.min;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number.parseInt(text, 10);
}

function parseGoDurationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number.parseFloat(m[1]) * unit[m[2]];
    matched += m[0].length;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

/** Wall-clock fields of an instant in a time zone (UTC when none is given). */
function wallClock(ms: number, timeZone: string | undefined): { minute: number; hour: number; day: number; month: number; weekday: number } {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const d = new Date(ms);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
  }
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { minute: Number(get('minute')), hour: Number(get('hour')) % 24, day: Number(get('day')), month: Number(get('month')), weekday };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a zone this runtime knows (the API server refuses unknown ones). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The first scheduled minute strictly after `afterMs`, or undefined if none within five years (robfig's limit). */
export function nextScheduleTime(schedule: CronSchedule, afterMs: number, timeZone?: string): number | undefined {
  if (schedule.everyMs !== undefined) return Math.floor(afterMs / 1000) * 1000 + schedule.everyMs;
  const limit = afterMs + 5 * 366 * 86_400_000;
  let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  while (t <= limit) {
    const w = wallClock(t, timeZone);
    if (!schedule.months.has(w.month) || !dayMatches(schedule, w.day, w.weekday)) {
      t += (24 * 60 - (w.hour * 60 + w.minute)) * 60_000; // to the next local midnight (DST shifts are re-read next turn)
      continue;
    }
    if (!schedule.hours.has(w.hour)) {
      t += (60 - w.minute) * 60_000;
      continue;
    }
    if (!schedule.minutes.has(w.minute)) {
      t += 60_000;
      continue;
    }
    return t;
  }
  return undefined;
}

function dayMatches(s: CronSchedule, day: number, weekday: number): boolean {
  const dom = s.daysOfMonth.has(day);
  const dow = s.daysOfWeek.has(weekday);
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/**
 * The most recent schedule time after `earliestMs` and at or before `nowMs`, and how many
 * were missed since `earliestMs` (the CronJob controller's `mostRecentScheduleTime`: the
 * count is estimated from the first two intervals, as upstream does).
 */
export function mostRecentScheduleTime(
  schedule: CronSchedule,
  earliestMs: number,
  nowMs: number,
  timeZone?: string,
): { time: number; missed: number } | undefined {
  const t1 = nextScheduleTime(schedule, earliestMs, timeZone);
  if (t1 === undefined || t1 > nowMs) return undefined;
  const t2 = nextScheduleTime(schedule, t1, timeZone);
  if (t2 === undefined || t2 > nowMs) return { time: t1, missed: 1 };
  const between = Math.max(1, Math.round((t2 - t1) / 1000));
  const elapsed = Math.floor((nowMs - t1) / 1000);
  const missed = Math.floor(elapsed / between) + 1;
  let recent = (Math.floor(t1 / 1000) + (missed - 1) * between) * 1000;
  // Schedules are not always uniform (months, weekdays): walk forward from the estimate.
  for (let t = nextScheduleTime(schedule, recent, timeZone); t !== undefined && t <= nowMs; t = nextScheduleTime(schedule, t, timeZone)) recent = t;
  return { time: recent, missed };
}
