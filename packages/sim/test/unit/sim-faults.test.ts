import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, FaultSpecError, Faults, applyFaultSpec, noFaults, parseDurationMs, parseFaults, seededRandom } from '../../src/faults.js';

describe('parseDurationMs', () => {
  it('reads Go-style durations', () => {
    expect(parseDurationMs('200ms')).toBe(200);
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('75')).toBe(75);
  });

  it('rejects malformed durations', () => {
    for (const bad of ['', 'fast', '10 s', '-5s', '1d', 's']) expect(parseDurationMs(bad)).toBeUndefined();
  });
});

describe('parseFaults', () => {
  it('parses every fault into settings', () => {
    const settings = parseFaults([
      'drop-watches=10s',
      'expire-on-resume',
      'latency=200ms',
      'errors=0.1',
      'slow-logs=100ms',
      'forbid=secrets',
      'forbid=pods',
      'fail=selfsubjectaccessreviews',
    ]);
    expect(settings).toEqual({
      dropWatchesMs: 10_000,
      expireOnResume: true,
      latencyMs: 200,
      errorRate: 0.1,
      slowLogsMs: 100,
      dropLogsMs: 0,
      forbid: ['secrets', 'pods'],
      fail: ['selfsubjectaccessreviews'],
    });
  });

  it('starts from no faults', () => {
    expect(parseFaults([])).toEqual(noFaults());
  });

  it('names the valid faults when one is unknown', () => {
    expect(() => parseFaults(['explode=1'])).toThrow(FaultSpecError);
    try {
      parseFaults(['explode=1']);
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('unknown fault "explode"');
      for (const name of Object.keys(FAULT_NAMES)) expect(message).toContain(name);
    }
  });

  it('rejects bad values with the fault named', () => {
    expect(() => parseFaults(['latency'])).toThrow(/fault "latency" needs a value/);
    expect(() => parseFaults(['latency=soon'])).toThrow(/not a positive duration/);
    expect(() => parseFaults(['errors=1.5'])).toThrow(/between 0 and 1/);
    expect(() => parseFaults(['errors=abc'])).toThrow(/between 0 and 1/);
    expect(() => parseFaults(['drop-watches=0s'])).toThrow(/positive duration/);
    expect(() => parseFaults(['expire-on-resume=maybe'])).toThrow(/takes no value/);
  });

  it('lets a later spec override an earlier one', () => {
    const settings = noFaults();
    applyFaultSpec(settings, 'latency=1s');
    applyFaultSpec(settings, 'latency=5ms');
    expect(settings.latencyMs).toBe(5);
  });
});

describe('Faults', () => {
  it('fails about the configured share of requests, the same ones for the same seed', () => {
    const draw = (seed: number) => {
      const f = new Faults({ errorRate: 0.25 }, seed);
      return Array.from({ length: 2000 }, () => f.shouldFailRequest());
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
  });

  it('never fails without an error rate and resets every knob', () => {
    const f = new Faults(parseFaults(['latency=10ms', 'forbid=pods']), 1);
    expect(Array.from({ length: 100 }, () => f.shouldFailRequest()).some(Boolean)).toBe(false);
    f.errorRate = 1;
    expect(f.shouldFailRequest()).toBe(true);
    f.reset();
    expect({ ...f }).toMatchObject(noFaults());
  });

  it('seededRandom yields values in [0, 1)', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const v = random();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
