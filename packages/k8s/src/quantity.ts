/**
 * Kubernetes resource quantities, parsed and compared exactly as
 * k8s.io/apimachinery/pkg/api/resource (quantity.go) does.
 *
 * A parsed quantity is held as a whole number of nano-units in a `bigint`: upstream keeps
 * values only down to nano (finer non-zero values round away from zero, so "0.9n" is
 * "1n"), which makes nanos an exact and lossless representation. No floats are involved
 * except in `toNumber()`, which exists for display and percentages only.
 */

/** How a quantity was written, which decides how it is written back (upstream `Format`). */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** Why a string is not a quantity; the messages are upstream's ErrFormatWrong/ErrNumeric/ErrSuffix. */
export type QuantityErrorReason = 'format' | 'numeric' | 'suffix';

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const REASON_MESSAGES: Record<QuantityErrorReason, string> = {
  format: `quantities must match the regular expression '${SPLIT_RE_STRING}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
};

/** Thrown by `parseQuantity` for input the API server would reject. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';

  constructor(
    /** The rejected input. */
    readonly input: string,
    readonly reason: QuantityErrorReason | 'range',
    detail?: string,
  ) {
    super(`invalid quantity ${JSON.stringify(input)}: ${detail ?? REASON_MESSAGES[reason as QuantityErrorReason]}`);
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;
/** Upstream caps a BinarySI quantity, silently, at 2^63-1 (`maxAllowed`). */
const MAX_BINARY_NANOS = ((1n << 63n) - 1n) * NANOS_PER_UNIT;
/**
 * Upstream accepts any int32 exponent; a value like "1e2000000000" would need a gigabyte of
 * digits here, so exponents beyond this bound are refused instead (a documented deviation).
 */
const MAX_SUPPORTED_EXPONENT = 10_000;

/** An exact Kubernetes resource quantity. Immutable. */
export class Quantity {
  constructor(
    /** The value in nano-units (1 = 1n = 10^-9). */
    readonly nanos: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
  ) {}

  /** -1, 0 or 1. */
  sign(): number {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** The value in milli-units, rounded away from zero, like upstream `MilliValue()`. */
  toMillis(): bigint {
    return divideAwayFromZero(this.nanos, NANOS_PER_MILLI);
  }

  /** The value in whole units, rounded away from zero, like upstream `Value()`. */
  toUnits(): bigint {
    return divideAwayFromZero(this.nanos, NANOS_PER_UNIT);
  }

  /** An approximate float of the value, for display and percentages only. */
  toNumber(): number {
    const whole = this.nanos / NANOS_PER_UNIT;
    const fraction = this.nanos % NANOS_PER_UNIT;
    return Number(whole) + Number(fraction) / 1e9;
  }

  /** The canonical form, as upstream `Quantity.String()`. */
  toString(): string {
    return formatQuantity(this);
  }

  /** Serializes like upstream: as the canonical string. */
  toJSON(): string {
    return formatQuantity(this);
  }
}

function divideAwayFromZero(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  if (value % divisor === 0n) return quotient;
  return value > 0n ? quotient + 1n : quotient - 1n;
}

/** The pieces upstream's `parseQuantityString` scanner splits a quantity into. */
interface ScannedQuantity {
  positive: boolean;
  /** Sign, digits and point as written, without the suffix. */
  value: string;
  /** Integer digits without leading zeros ("0" when none). */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

const DIGITS = '0123456789';
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** A faithful port of upstream's `parseQuantityString`, including its quirks ("." is 0). */
function scanQuantity(str: string): ScannedQuantity | QuantityErrorReason {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }

  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  const numStart = pos;
  while (pos < end && DIGITS.includes(str[pos])) pos++;
  let num = str.slice(numStart, pos);
  if (pos >= end) return { positive, value: str, num, denom: '', suffix: '' };
  if (num.length === 0) num = '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && DIGITS.includes(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { positive, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && DIGITS.includes(str[pos])) pos++;
  // Anything left after the optional exponent digits is malformed.
  if (pos < end) return 'format';
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface InterpretedSuffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

/** Upstream `suffixHandler.interpret`: decimal SI, then binary SI, then `e`/`E` exponents. */
function interpretSuffix(suffix: string): InterpretedSuffix | undefined {
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (Object.hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    // strconv.ParseInt(s, 10, 64): an optional sign and at least one digit.
    if (!/^[+-]?[0-9]+$/.test(suffix.slice(1))) return undefined;
    const parsed = BigInt(suffix.slice(1));
    if (parsed > (1n << 63n) - 1n || parsed < -(1n << 63n)) return undefined;
    // Go then truncates the int64 to int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/**
 * Parses a quantity as the API server does (`resource.ParseQuantity`). Numbers (from JSON
 * such as `cpu: 1`) are parsed from their decimal text, as upstream's UnmarshalJSON does.
 * @throws QuantityError for malformed input, with upstream's error message.
 */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? numberToQuantityText(input) : input;
  if (str.length === 0) throw new QuantityError(str, 'format');
  if (str === '0') return new Quantity(0n, 'DecimalSI');

  const scanned = scanQuantity(str);
  if (typeof scanned === 'string') throw new QuantityError(str, scanned);
  const suffix = interpretSuffix(scanned.suffix);
  if (!suffix) throw new QuantityError(str, 'suffix');
  if (Math.abs(suffix.exponent) > MAX_SUPPORTED_EXPONENT) {
    throw new QuantityError(str, 'range', `exponent ${suffix.exponent} is outside the supported range`);
  }
  // Upstream's slow path (inf.Dec.SetString) needs a digit; its fast path does not, and
  // covers every digitless input except those scaled below nano ("e-10").
  const hasDigit = /[0-9]/.test(scanned.value);
  const fastPathScale = suffix.base === 10 ? suffix.exponent - scanned.denom.length : 0;
  if (!hasDigit && fastPathScale < -9) throw new QuantityError(str, 'numeric');

  const nanos = exactNanos(scanned, suffix);
  let format = suffix.format;
  let magnitude = nanos < 0n ? -nanos : nanos;
  if (format === 'BinarySI' && magnitude > MAX_BINARY_NANOS) magnitude = MAX_BINARY_NANOS;
  // A binary quantity strictly between 0 and 1 is kept as DecimalSI, "to avoid rounding".
  if (format === 'BinarySI' && magnitude > 0n && magnitude < NANOS_PER_UNIT) format = 'DecimalSI';
  return new Quantity(scanned.positive ? magnitude : -magnitude, format);
}

/** The value in nanos, rounded away from zero to a whole nano (upstream rounds `inf.RoundUp`). */
function exactNanos(scanned: ScannedQuantity, suffix: InterpretedSuffix): bigint {
  const digits = BigInt(`${scanned.num}${scanned.denom}`);
  // value = digits * base^exponent / 10^denom.length; in nanos multiply by 10^9.
  let numerator = digits;
  let decimalExponent = 9 - scanned.denom.length;
  if (suffix.base === 2) numerator <<= BigInt(suffix.exponent);
  else decimalExponent += suffix.exponent;

  let magnitude: bigint;
  if (decimalExponent >= 0) {
    magnitude = numerator * 10n ** BigInt(decimalExponent);
  } else if (numerator === 0n) {
    magnitude = 0n;
  } else if (-decimalExponent > numerator.toString().length) {
    magnitude = 1n; // far below one nano, yet non-zero: rounds up to 1n
  } else {
    magnitude = divideAwayFromZero(numerator, 10n ** BigInt(-decimalExponent));
  }
  return scanned.positive ? magnitude : -magnitude;
}

/** Go's JSON encoding of a float and JS's `String()` agree on the cases that matter here. */
function numberToQuantityText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(String(n), 'numeric');
  return String(n);
}

/**
 * Parsed quantities by text. A cluster spells the same few quantities over and over
 * ("100m", "128Mi"), and quantities are immutable, so views that explain every pod reuse
 * them. Bounded: cleared when full.
 */
const PARSED = new Map<string, Quantity | null>();
const MAX_PARSED = 4096;

/**
 * Like `parseQuantity`, but returns `undefined` instead of throwing (absent or malformed
 * input). Results are memoised by text.
 */
export function tryParseQuantity(input: string | number | null | undefined): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  // A JSON number parses as its decimal text (`parseQuantity`), so both share one entry.
  const text = String(input);
  const known = PARSED.get(text);
  if (known !== undefined) return known ?? undefined;
  let parsed: Quantity | null;
  try {
    parsed = parseQuantity(input);
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err;
    parsed = null;
  }
  if (PARSED.size >= MAX_PARSED) PARSED.clear();
  PARSED.set(text, parsed);
  return parsed ?? undefined;
}

/** Anything that denotes a quantity: a parsed one, or its text or JSON number. */
export type QuantityLike = Quantity | string | number;

function toQuantity(q: QuantityLike): Quantity {
  return q instanceof Quantity ? q : parseQuantity(q);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (upstream `Cmp`). */
export function compareQuantities(a: QuantityLike, b: QuantityLike): -1 | 0 | 1 {
  const x = toQuantity(a).nanos;
  const y = toQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether two quantities denote the same value, whatever their notation (`500m` == `0.5`). */
export function quantitiesEqual(a: QuantityLike, b: QuantityLike): boolean {
  return compareQuantities(a, b) === 0;
}

/**
 * The exact sum. Like upstream `Add`, the result keeps the first operand's format unless
 * that operand is zero, in which case it takes the second's.
 */
export function addQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return new Quantity(x.nanos + y.nanos, x.isZero() ? y.format : x.format);
}

/** The exact difference `a - b`; format as for `addQuantities`. */
export function subtractQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return new Quantity(x.nanos - y.nanos, x.isZero() ? y.format : x.format);
}

/** The exact sum of any number of quantities (zero when empty). */
export function sumQuantities(items: Iterable<QuantityLike>): Quantity {
  let total = new Quantity(0n, 'DecimalSI');
  for (const item of items) total = addQuantities(total, item);
  return total;
}

/**
 * The canonical form of a quantity, as upstream `Quantity.String()` (`CanonicalizeBytes`):
 * no fractional digits, the largest exponent that loses nothing, the suffix style of the
 * format it was written in ("1.5" -> "1500m", "1.5Gi" -> "1536Mi", "1e3" -> "1e3").
 */
export function formatQuantity(q: QuantityLike): string {
  const quantity = toQuantity(q);
  const nanos = quantity.nanos;
  if (nanos === 0n) return '0';
  let format = quantity.format;
  if (format === 'BinarySI') {
    const magnitude = nanos < 0n ? -nanos : nanos;
    // Below 1024 or not a whole number: shown as DecimalSI so nothing is rounded.
    if (magnitude < 1024n * NANOS_PER_UNIT || magnitude % NANOS_PER_UNIT !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = nanos / NANOS_PER_UNIT;
    let exponent = 0;
    while ((amount >= 1024n || amount <= -1024n) && amount % 1024n === 0n) {
      amount /= 1024n;
      exponent += 10;
    }
    return `${amount}${BINARY_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
  }

  let amount = nanos;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  const decimalSuffix = DECIMAL_SUFFIX_BY_EXPONENT.get(exponent);
  if (format === 'DecimalSI' && decimalSuffix !== undefined) return `${amount}${decimalSuffix}`;
  // DecimalExponent, or DecimalSI beyond "E" (upstream falls back to "e" notation).
  return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
}

/** Fixed-point text of `nanos / unitNanos` with at most `decimals` fraction digits (half-up, trailing zeros trimmed). */
function fixedPoint(nanos: bigint, unitNanos: bigint, decimals: number): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const scale = 10n ** BigInt(decimals);
  const scaled = (magnitude * scale * 2n + unitNanos) / (unitNanos * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && scaled !== 0n ? `-${text}` : text;
}

/**
 * A CPU amount for display: millicores below one core ("250m"), cores at or above it
 * ("1", "1.5", "2.25"). Sub-millicore amounts round up to a millicore, like `MilliValue()`.
 */
export function formatCpu(q: QuantityLike): string {
  const millis = toQuantity(q).toMillis();
  const magnitude = millis < 0n ? -millis : millis;
  if (magnitude < 1000n) return `${millis}m`;
  return fixedPoint(millis * NANOS_PER_MILLI, NANOS_PER_UNIT, 3);
}

const BINARY_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['Ei', 1n << 60n],
  ['Pi', 1n << 50n],
  ['Ti', 1n << 40n],
  ['Gi', 1n << 30n],
  ['Mi', 1n << 20n],
  ['Ki', 1n << 10n],
];

/**
 * A memory amount for display, in the largest binary unit it reaches, with at most one
 * decimal ("512Mi", "1.5Gi"); below 1Ki, in bytes ("512"). Fractional bytes round up.
 */
export function formatMemory(q: QuantityLike): string {
  const bytes = toQuantity(q).toUnits();
  const magnitude = bytes < 0n ? -bytes : bytes;
  for (const [suffix, size] of BINARY_UNITS) {
    if (magnitude >= size) return `${fixedPoint(bytes * NANOS_PER_UNIT, size * NANOS_PER_UNIT, 1)}${suffix}`;
  }
  return `${bytes}`;
}
