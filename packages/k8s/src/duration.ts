/**
 * Go's `time.ParseDuration`, which kubectl uses for `--timeout`: a possibly signed sequence
 * of decimal numbers, each with an optional fraction and a unit (`ns`, `us`/`µs`, `ms`, `s`,
 * `m`, `h`), e.g. `300ms`, `1.5h`, `2h45m`; `0` needs no unit.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Thrown for text Go would refuse; the message is Go's (`time: invalid duration "5x"`). */
export class DurationParseError extends Error {
  constructor(text: string, why = 'invalid duration') {
    super(`time: ${why} "${text}"`);
    this.name = 'DurationParseError';
  }
}

/** Parses a Go duration into milliseconds. */
export function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new DurationParseError(text);
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = m?.[1] ?? '';
    const fraction = m?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw new DurationParseError(text);
    rest = rest.slice(m?.[0].length ?? 0);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (!unit) throw new DurationParseError(text, 'missing unit in duration');
    const perUnit = UNIT_MS[unit];
    if (perUnit === undefined) throw new DurationParseError(text, `unknown unit "${unit}" in duration`);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * perUnit;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

/** Seconds as Go's `Duration.String()` prints them for whole seconds: `5s`, `1m30s`, `2h0m0s`. */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
