import { describe, expect, it } from 'vitest';
import { benchResult, formatTarget, metric, percentile, renderResultsMarkdown } from '../../../../bench/lib/report.mjs';

describe('benchmark metrics', () => {
  it('judges a value against an upper bound by default and a lower bound on request', () => {
    expect(metric(249.96, 'ms', 250)).toEqual({ value: 250, unit: 'ms', target: 250, pass: false });
    expect(metric(120.04, 'ms', 250)).toEqual({ value: 120, unit: 'ms', target: 250, pass: true });
    // Ratios keep three decimals, so one just under its target is not rounded onto it.
    expect(metric(2473.5 / 12532.6, 'x', 0.2)).toEqual({ value: 0.197, unit: 'x', target: 0.2, pass: true });
    expect(metric(5000, 'lines/s', 5000, { better: 'higher' })).toEqual({
      value: 5000,
      unit: 'lines/s',
      target: 5000,
      better: 'higher',
      pass: true,
    });
  });

  it('records a missing value as null, without a verdict', () => {
    expect(metric(undefined, 'ms', 250)).toEqual({ value: null, unit: 'ms', target: 250 });
    expect(metric(Number.NaN, 'MiB')).toEqual({ value: null, unit: 'MiB' });
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('writes targets for people', () => {
    expect(formatTarget(metric(1, 'ms', 10_000))).toBe('< 10,000 ms');
    expect(formatTarget(metric(1, 'lines/s', 5000, { better: 'higher' }))).toBe('>= 5,000 lines/s');
    expect(formatTarget({ target: '>= 5000', unit: 'lines/s' })).toBe('>= 5000');
    expect(formatTarget(metric(1, 'ms'))).toBe('');
  });
});

describe('RESULTS.md', () => {
  const result = (name: string, metrics: Parameters<typeof benchResult>[1], notes: string[] = []) => ({
    ...benchResult(name, metrics, notes),
    date: '2026-11-21T13:00:00.000Z',
    machine: { cpus: 2, node: 'v20.20.2', memGiB: 23.5, loadAvg: [1.5, 1, 0.5] },
  });

  it('has a summary of targets met and one table per benchmark, sorted by name', () => {
    const md = renderResultsMarkdown([
      result('sim-large', { startupMs: metric(12_345.67, 'ms', 10_000), rssMiB: metric(500, 'MiB', 1536) }, ['a note']),
      result('console', { eventToFrameP99Ms: metric(120, 'ms', 250), syncMs: metric(3000, 'ms') }),
    ]);
    const lines = md.split('\n');
    expect(lines).toContain('| [console](#console) | 2026-11-21T13:00:00.000Z | 1/1 |');
    expect(lines).toContain('| [sim-large](#sim-large) | 2026-11-21T13:00:00.000Z | 1/2 |');
    expect(md.indexOf('## console')).toBeLessThan(md.indexOf('## sim-large'));
    expect(lines).toContain('| startupMs | 12,345.7 ms | < 10,000 ms | **MISS** |');
    expect(lines).toContain('| rssMiB | 500 MiB | < 1,536 MiB | pass |');
    expect(lines).toContain('| syncMs | 3,000 ms |  |  |');
    expect(lines).toContain('- a note');
    expect(lines).toContain('2026-11-21T13:00:00.000Z · 2 CPUs · 23.5 GiB · Node v20.20.2 · load 1.5 1 0.5');
  });

  it('shows a metric without a value as n/a and lists result files it could not read', () => {
    const md = renderResultsMarkdown([result('logs', { lag: metric(undefined, 'ms', 250) })], [
      { file: 'bench/results/broken.json', error: 'Unexpected end of JSON input' },
    ]);
    expect(md).toContain('| lag | n/a | < 250 ms |  |');
    expect(md).toContain('| [logs](#logs) | 2026-11-21T13:00:00.000Z | - |');
    expect(md).toContain('- `bench/results/broken.json` could not be read: Unexpected end of JSON input');
  });
});
