import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  compareQuantities,
  formatCpu,
  formatMemory,
  formatQuantity,
  parseQuantity,
  Quantity,
  QuantityError,
  type QuantityFormat,
  quantitiesEqual,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
} from '../../src/quantity.js';

/** Upstream's `decQuantity(mantissa, exponent, format)` test helper, in nanos. */
function dec(mantissa: bigint | number, exponent: number, format: QuantityFormat): Quantity {
  const m = BigInt(mantissa);
  const shift = exponent + 9;
  return new Quantity(shift >= 0 ? m * 10n ** BigInt(shift) : m / 10n ** BigInt(-shift), format);
}

const MAX_ALLOWED = new Quantity(((1n << 63n) - 1n) * 1_000_000_000n, 'BinarySI');
const Ki = 1024n;

// k8s.io/apimachinery/pkg/api/resource/quantity_test.go, TestQuantityParse.
const PARSE_TABLE: ReadonlyArray<readonly [string, Quantity]> = [
  ['0', dec(0, 0, 'DecimalSI')],
  ['0n', dec(0, 0, 'DecimalSI')],
  ['0u', dec(0, 0, 'DecimalSI')],
  ['0m', dec(0, 0, 'DecimalSI')],
  ['0Ki', dec(0, 0, 'BinarySI')],
  ['0k', dec(0, 0, 'DecimalSI')],
  ['0Mi', dec(0, 0, 'BinarySI')],
  ['0M', dec(0, 0, 'DecimalSI')],
  ['0Gi', dec(0, 0, 'BinarySI')],
  ['0G', dec(0, 0, 'DecimalSI')],
  ['0Ti', dec(0, 0, 'BinarySI')],
  ['0T', dec(0, 0, 'DecimalSI')],
  ['1', dec(1, 0, 'DecimalSI')],
  ['1Ki', dec(Ki, 0, 'BinarySI')],
  ['8Ki', dec(8n * Ki, 0, 'BinarySI')],
  ['7Mi', dec(7n * Ki ** 2n, 0, 'BinarySI')],
  ['6Gi', dec(6n * Ki ** 3n, 0, 'BinarySI')],
  ['5Ti', dec(5n * Ki ** 4n, 0, 'BinarySI')],
  ['4Pi', dec(4n * Ki ** 5n, 0, 'BinarySI')],
  ['3Ei', dec(3n * Ki ** 6n, 0, 'BinarySI')],
  ['10Ti', dec(10n * Ki ** 4n, 0, 'BinarySI')],
  ['100Ti', dec(100n * Ki ** 4n, 0, 'BinarySI')],
  ['5n', dec(5, -9, 'DecimalSI')],
  ['4u', dec(4, -6, 'DecimalSI')],
  ['3m', dec(3, -3, 'DecimalSI')],
  ['9', dec(9, 0, 'DecimalSI')],
  ['8k', dec(8, 3, 'DecimalSI')],
  ['50k', dec(5, 4, 'DecimalSI')],
  ['7M', dec(7, 6, 'DecimalSI')],
  ['6G', dec(6, 9, 'DecimalSI')],
  ['5T', dec(5, 12, 'DecimalSI')],
  ['40T', dec(4, 13, 'DecimalSI')],
  ['300T', dec(3, 14, 'DecimalSI')],
  ['2P', dec(2, 15, 'DecimalSI')],
  ['1E', dec(1, 18, 'DecimalSI')],
  ['1E-3', dec(1, -3, 'DecimalExponent')],
  ['1e3', dec(1, 3, 'DecimalExponent')],
  ['1E6', dec(1, 6, 'DecimalExponent')],
  ['1e9', dec(1, 9, 'DecimalExponent')],
  ['1E12', dec(1, 12, 'DecimalExponent')],
  ['1e15', dec(1, 15, 'DecimalExponent')],
  ['1E18', dec(1, 18, 'DecimalExponent')],
  ['1e14', dec(1, 14, 'DecimalExponent')],
  ['1e13', dec(1, 13, 'DecimalExponent')],
  ['100.035k', dec(100035, 0, 'DecimalSI')],
  ['0.001', dec(1, -3, 'DecimalSI')],
  ['0.0005k', dec(5, -1, 'DecimalSI')],
  ['0.005', dec(5, -3, 'DecimalSI')],
  ['0.05', dec(5, -2, 'DecimalSI')],
  ['0.5', dec(5, -1, 'DecimalSI')],
  ['0.00050k', dec(5, -1, 'DecimalSI')],
  ['0.00500', dec(5, -3, 'DecimalSI')],
  ['0.05000', dec(5, -2, 'DecimalSI')],
  ['0.50000', dec(5, -1, 'DecimalSI')],
  ['0.5e0', dec(5, -1, 'DecimalExponent')],
  ['0.5e-1', dec(5, -2, 'DecimalExponent')],
  ['0.5e-2', dec(5, -3, 'DecimalExponent')],
  ['10.035M', dec(10035, 3, 'DecimalSI')],
  ['1.2e3', dec(12, 2, 'DecimalExponent')],
  ['1.3E+6', dec(13, 5, 'DecimalExponent')],
  ['1.40e9', dec(14, 8, 'DecimalExponent')],
  ['1.53E12', dec(153, 10, 'DecimalExponent')],
  ['1.6e15', dec(16, 14, 'DecimalExponent')],
  ['1.7E18', dec(17, 17, 'DecimalExponent')],
  ['9.01', dec(901, -2, 'DecimalSI')],
  ['8.1k', dec(81, 2, 'DecimalSI')],
  ['7.123456M', dec(7123456, 0, 'DecimalSI')],
  ['6.987654321G', dec(6987654321, 0, 'DecimalSI')],
  ['5.444T', dec(5444, 9, 'DecimalSI')],
  ['40.1T', dec(401, 11, 'DecimalSI')],
  ['300.2T', dec(3002, 11, 'DecimalSI')],
  ['2.5P', dec(25, 14, 'DecimalSI')],
  ['1.01E', dec(101, 16, 'DecimalSI')],
  ['3.001n', dec(4, -9, 'DecimalSI')],
  ['1.1E-9', dec(2, -9, 'DecimalExponent')],
  ['0.0000000001', dec(1, -9, 'DecimalSI')],
  ['0.0000000005', dec(1, -9, 'DecimalSI')],
  ['0.00000000050', dec(1, -9, 'DecimalSI')],
  ['0.5e-9', dec(1, -9, 'DecimalExponent')],
  ['0.9n', dec(1, -9, 'DecimalSI')],
  ['0.00000012345', dec(124, -9, 'DecimalSI')],
  ['0.00000012354', dec(124, -9, 'DecimalSI')],
  ['9Ei', MAX_ALLOWED],
  ['9223372036854775807Ki', MAX_ALLOWED],
  ['12E', dec(12, 18, 'DecimalSI')],
  ['100.035Ki', dec(10243584, -2, 'BinarySI')],
  ['0.5Mi', dec(512n * Ki, 0, 'BinarySI')],
  ['0.05Gi', dec(536870912, -1, 'BinarySI')],
  ['0.025Ti', dec(274877906944, -1, 'BinarySI')],
  ['0.000000000001Ki', dec(2, -9, 'DecimalSI')],
  ['.001', dec(1, -3, 'DecimalSI')],
  ['.0001k', dec(100, -3, 'DecimalSI')],
  ['1.', dec(1, 0, 'DecimalSI')],
  ['1.G', dec(1, 9, 'DecimalSI')],
];

describe('parseQuantity (upstream TestQuantityParse)', () => {
  it.each(PARSE_TABLE)('parses %s', (input, expected) => {
    const got = parseQuantity(input);
    expect(got.nanos).toBe(expected.nanos);
    expect(got.format).toBe(expected.format);
  });

  it.each(PARSE_TABLE)('parses -%s as the negation, same format', (input, expected) => {
    const got = parseQuantity(`-${input}`);
    expect(got.nanos).toBe(-expected.nanos);
    expect(got.format).toBe(expected.format);
  });

  it.each(PARSE_TABLE)('parses +%s as itself', (input, expected) => {
    const got = parseQuantity(`+${input}`);
    expect(got.nanos).toBe(expected.nanos);
    expect(got.format).toBe(expected.format);
  });

  it.each([
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    ' 1',
    '1 ',
    '',
  ])('rejects %j', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(tryParseQuantity(input)).toBeUndefined();
  });

  it('reports which part is malformed with upstream messages', () => {
    expect(() => parseQuantity('1.1.M')).toThrow(/quantities must match the regular expression/);
    expect(() => parseQuantity('0.1mi')).toThrow(/unable to parse quantity's suffix/);
    expect(() => parseQuantity('e-10')).toThrow(/unable to parse numeric part of quantity/);
    expect(() => parseQuantity('abc')).toThrow(/"abc"/);
  });

  it('keeps upstream scanner quirks: a lone point or suffix is zero', () => {
    expect(parseQuantity('.').isZero()).toBe(true);
    expect(parseQuantity('-.').isZero()).toBe(true);
    expect(parseQuantity('k').isZero()).toBe(true);
  });

  it('parses JSON numbers from their decimal text', () => {
    expect(parseQuantity(2).nanos).toBe(2_000_000_000n);
    expect(parseQuantity(0.5).nanos).toBe(500_000_000n);
    expect(parseQuantity(1e21).nanos).toBe(10n ** 30n);
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
  });

  it('keeps decimal quantities beyond int64 exact (only BinarySI is capped)', () => {
    expect(parseQuantity('18446744073709551616').nanos).toBe(18446744073709551616n * 1_000_000_000n);
    expect(parseQuantity('-9Ei').nanos).toBe(-MAX_ALLOWED.nanos);
  });

  it('tryParseQuantity returns undefined for absent input', () => {
    expect(tryParseQuantity(undefined)).toBeUndefined();
    expect(tryParseQuantity(null)).toBeUndefined();
    expect(tryParseQuantity('250m')?.toMillis()).toBe(250n);
  });
});

describe('exact comparison', () => {
  it.each([
    ['500m', '0.5'],
    ['1Gi', '1024Mi'],
    ['1e3', '1k'],
    ['1000m', '1'],
    ['1.5Gi', '1536Mi'],
    ['0.1', '100m'],
    ['1E-3', '1m'],
  ])('%s == %s', (a, b) => {
    expect(quantitiesEqual(a, b)).toBe(true);
    expect(compareQuantities(a, b)).toBe(0);
  });

  // upstream TestQuantityCmp
  it.each([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1G', '1Gi', -1],
    ['-1', '1m', -1],
  ] as const)('compare(%s, %s) = %d', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
    expect(compareQuantities(b, a)).toBe(-expected || 0);
  });

  it('does not suffer float rounding', () => {
    expect(addQuantities('0.1', '0.2').nanos).toBe(parseQuantity('0.3').nanos);
    expect(quantitiesEqual(addQuantities('9007199254740993', '0'), '9007199254740993')).toBe(true);
  });
});

describe('arithmetic', () => {
  // upstream TestQuantityAddZeroPreservesSuffix
  it.each(['100m', '1Gi'])('adding zero keeps %s, in either order', (value) => {
    expect(formatQuantity(addQuantities(value, '0'))).toBe(value);
    expect(formatQuantity(addQuantities('0', value))).toBe(value);
  });

  it('keeps the first operand format', () => {
    expect(formatQuantity(addQuantities('1Gi', '512Mi'))).toBe('1536Mi');
    expect(formatQuantity(addQuantities('250m', '1'))).toBe('1250m');
    expect(formatQuantity(subtractQuantities('1Gi', '1Gi'))).toBe('0');
    expect(formatQuantity(subtractQuantities('0', '100m'))).toBe('-100m');
  });

  it('sums any number of quantities', () => {
    expect(sumQuantities(['100m', '200m', '0.7']).toMillis()).toBe(1000n);
    expect(sumQuantities([]).isZero()).toBe(true);
  });
});

describe('conversions', () => {
  it('toMillis rounds away from zero like MilliValue', () => {
    expect(parseQuantity('1.5').toMillis()).toBe(1500n);
    expect(parseQuantity('1n').toMillis()).toBe(1n);
    expect(parseQuantity('1001u').toMillis()).toBe(2n);
    expect(parseQuantity('-1001u').toMillis()).toBe(-2n);
    expect(parseQuantity('1Ki').toMillis()).toBe(1_024_000n);
  });

  it('toUnits rounds away from zero like Value', () => {
    expect(parseQuantity('9.01').toUnits()).toBe(10n);
    expect(parseQuantity('-9.01').toUnits()).toBe(-10n);
    expect(parseQuantity('1Mi').toUnits()).toBe(1_048_576n);
  });

  it('toNumber approximates for display', () => {
    expect(parseQuantity('250m').toNumber()).toBe(0.25);
    expect(parseQuantity('1Gi').toNumber()).toBe(1073741824);
    expect(parseQuantity('-1.5').toNumber()).toBe(-1.5);
  });
});

describe('formatQuantity (upstream canonical String())', () => {
  // upstream TestQuantityString: [value, canonical, alternate spelling]
  it.each([
    [dec(Ki ** 3n, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [dec(300n * Ki ** 2n, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [dec(6n * Ki, 0, 'BinarySI'), '6Ki', ''],
    [dec(1001n * Ki ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [dec(Ki ** 4n, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [dec(5, 0, 'BinarySI'), '5', '5000m'],
    [dec(500, -3, 'BinarySI'), '500m', '0.5'],
    [dec(1, 9, 'DecimalSI'), '1G', '1000M'],
    [dec(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [dec(1000000, 3, 'DecimalSI'), '1G', ''],
    [dec(1000000000, 0, 'DecimalSI'), '1G', ''],
    [dec(1, -3, 'DecimalSI'), '1m', '1000u'],
    [dec(80, -3, 'DecimalSI'), '80m', ''],
    [dec(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [dec(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [dec(10800, -4, 'DecimalSI'), '1080m', ''],
    [dec(300, 6, 'DecimalSI'), '300M', ''],
    [dec(1, 12, 'DecimalSI'), '1T', ''],
    [dec(1, 18, 'DecimalSI'), '1E', ''],
    [dec(1, 21, 'DecimalSI'), '1e21', '1000E'],
    [dec(5, 21, 'DecimalSI'), '5e21', '5000E'],
    [dec(1, 24, 'DecimalSI'), '1e24', '1000000E'],
    [dec(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [dec(1234567, -3, 'BinarySI'), '1234567m', ''],
    [dec(3, 3, 'DecimalSI'), '3k', ''],
    [dec(1025, 0, 'BinarySI'), '1025', ''],
    [dec(0, 0, 'DecimalSI'), '0', ''],
    [dec(0, 0, 'BinarySI'), '0', ''],
    [dec(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [dec(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [dec(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [dec(80, -3, 'DecimalExponent'), '80e-3', ''],
    [dec(300, 6, 'DecimalExponent'), '300e6', ''],
    [dec(1, 12, 'DecimalExponent'), '1e12', ''],
    [dec(1, 3, 'DecimalExponent'), '1e3', ''],
    [dec(3, 3, 'DecimalExponent'), '3e3', ''],
    [dec(0, 0, 'DecimalExponent'), '0', '00'],
    [dec(1, -9, 'DecimalSI'), '1n', ''],
    [dec(80, -9, 'DecimalSI'), '80n', ''],
    [dec(1080, -9, 'DecimalSI'), '1080n', ''],
    [dec(1, -6, 'DecimalSI'), '1u', ''],
    [dec(80, -6, 'DecimalSI'), '80u', ''],
    [dec(1080, -6, 'DecimalSI'), '1080u', ''],
  ] as const)('%#: canonical %s', (value, canonical, alternate) => {
    expect(formatQuantity(value)).toBe(canonical);
    expect(formatQuantity(parseQuantity(canonical))).toBe(canonical);
    if (alternate) expect(formatQuantity(parseQuantity(alternate))).toBe(canonical);
    if (!value.isZero()) expect(formatQuantity(new Quantity(-value.nanos, value.format))).toBe(`-${canonical}`);
  });

  // upstream TestQuantityParseEmit
  it.each([
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
  ])('parse(%s) emits %s, and its negation -%s', (input, emitted) => {
    expect(formatQuantity(input)).toBe(emitted);
    expect(formatQuantity(`-${input}`)).toBe(`-${emitted}`);
  });

  it('matches the documented examples', () => {
    expect(formatQuantity('1.5')).toBe('1500m');
    expect(formatQuantity('1.5Gi')).toBe('1536Mi');
    expect(formatQuantity('1.2345')).toBe('1234500u');
    expect(String(parseQuantity('0.1'))).toBe('100m');
    expect(JSON.stringify({ cpu: parseQuantity('1000m') })).toBe('{"cpu":"1"}');
  });
});

describe('display formatters', () => {
  it.each([
    ['250m', '250m'],
    ['0.1', '100m'],
    ['1', '1'],
    ['1500m', '1.5'],
    ['2.25', '2.25'],
    ['1n', '1m'],
    ['0', '0m'],
    ['16', '16'],
  ])('formatCpu(%s) = %s', (input, shown) => {
    expect(formatCpu(input)).toBe(shown);
  });

  it.each([
    ['512Mi', '512Mi'],
    ['1.5Gi', '1.5Gi'],
    ['1536Mi', '1.5Gi'],
    ['1Gi', '1Gi'],
    ['1G', '953.7Mi'],
    ['128974848', '123Mi'],
    ['512', '512'],
    ['0', '0'],
    ['2Ti', '2Ti'],
    ['1100Ki', '1.1Mi'],
  ])('formatMemory(%s) = %s', (input, shown) => {
    expect(formatMemory(input)).toBe(shown);
  });
});

describe('tryParseQuantity memo', () => {
  it('hands out the same immutable quantity for the same text, and undefined for bad text every time', () => {
    const a = tryParseQuantity('1536Mi');
    expect(tryParseQuantity('1536Mi')).toBe(a);
    expect(a && formatQuantity(a)).toBe('1536Mi');
    expect(tryParseQuantity('12 apples')).toBeUndefined();
    expect(tryParseQuantity('12 apples')).toBeUndefined();
    expect(() => parseQuantity('12 apples')).toThrow(QuantityError);
    // A JSON number is its decimal text.
    expect(tryParseQuantity(1.5)?.nanos).toBe(1_500_000_000n);
    expect(tryParseQuantity('1.5')?.nanos).toBe(1_500_000_000n);
    expect(tryParseQuantity(Number.NaN)).toBeUndefined();
  });
});
