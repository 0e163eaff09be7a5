/**
 * Fault injection for the simulated API server: `--fault SPEC` on the command line,
 * or the mutable `Faults` object on the sim handle in tests. Parsing is pure.
 */

import { seededRandom } from './random.js';

export { seededRandom };

/** The fault names `--fault` accepts, with what each does (for `--help` and errors). */
export const FAULT_NAMES = {
  'drop-watches': 'drop-watches=10s: close every open watch stream every N',
  'expire-on-resume': 'expire-on-resume: answer a watch resume from any older resourceVersion with 410 Gone',
  latency: 'latency=200ms: delay every response',
  errors: 'errors=0.1: fail this share of non-watch resource requests with 500 InternalError',
  'slow-logs': 'slow-logs=100ms: extra delay between streamed log lines',
  'drop-logs': 'drop-logs=5s: end every followed log stream N after it opens (drop-watches leaves log streams alone)',
  forbid: 'forbid=<resource>: refuse every request on this resource with 403',
  fail: 'fail=<resource>: fail every request on this resource with 500 InternalError',
} as const;

export type FaultName = keyof typeof FAULT_NAMES;

/** The current fault settings. Every field may be changed at any time while the sim runs. */
export interface FaultSettings {
  /** Close all open watch streams every this many ms (0 = off). */
  dropWatchesMs: number;
  /** Answer a watch that resumes from an older resourceVersion with 410 Gone. */
  expireOnResume: boolean;
  /** Delay before every response, in ms. */
  latencyMs: number;
  /** Share (0..1) of non-watch resource requests that fail with 500 (discovery is spared). */
  errorRate: number;
  /** Extra delay between streamed log lines, in ms. */
  slowLogsMs: number;
  /** End every log stream this many ms after it opens (0 = off). */
  dropLogsMs: number;
  /** Resources (plural, e.g. 'pods' or 'deployments') refused with 403. */
  forbid: string[];
  /** Resources (plural) whose every request fails with 500. */
  fail: string[];
}

/** Settings with nothing injected. */
export function noFaults(): FaultSettings {
  return { dropWatchesMs: 0, expireOnResume: false, latencyMs: 0, errorRate: 0, slowLogsMs: 0, dropLogsMs: 0, forbid: [], fail: [] };
}

/** Thrown for a malformed `--fault` spec; the message is one line fit for the terminal. */
export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/**
 * Parses a Go-style duration (`200ms`, `10s`, `1.5s`, `2m`, `1h`) to milliseconds.
 * A bare number is taken as milliseconds. Returns undefined when malformed.
 */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * factor);
}

/** Applies one `--fault` spec (`name` or `name=value`) to `settings`, in place. */
export function applyFaultSpec(settings: FaultSettings, spec: string): FaultSettings {
  const eq = spec.indexOf('=');
  const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const value = eq < 0 ? undefined : spec.slice(eq + 1).trim();
  if (!(name in FAULT_NAMES)) {
    throw new FaultSpecError(`unknown fault "${name}" (valid: ${Object.keys(FAULT_NAMES).join(', ')})`);
  }
  const need = (): string => {
    if (value === undefined || value === '') {
      throw new FaultSpecError(`fault "${name}" needs a value: ${FAULT_NAMES[name as FaultName]}`);
    }
    return value;
  };
  const duration = (): number => {
    const ms = parseDurationMs(need());
    if (ms === undefined || ms <= 0) {
      throw new FaultSpecError(`fault "${name}": "${value}" is not a positive duration (e.g. 200ms, 10s)`);
    }
    return ms;
  };
  switch (name as FaultName) {
    case 'drop-watches':
      settings.dropWatchesMs = duration();
      break;
    case 'expire-on-resume':
      if (value !== undefined && value !== 'true') {
        throw new FaultSpecError(`fault "expire-on-resume" takes no value`);
      }
      settings.expireOnResume = true;
      break;
    case 'latency':
      settings.latencyMs = duration();
      break;
    case 'errors': {
      const rate = Number(need());
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw new FaultSpecError(`fault "errors": "${value}" is not a share between 0 and 1`);
      }
      settings.errorRate = rate;
      break;
    }
    case 'slow-logs':
      settings.slowLogsMs = duration();
      break;
    case 'drop-logs':
      settings.dropLogsMs = duration();
      break;
    case 'forbid':
      settings.forbid.push(need());
      break;
    case 'fail':
      settings.fail.push(need());
      break;
  }
  return settings;
}

/** Parses every `--fault` spec into one settings object. Throws `FaultSpecError`. */
export function parseFaults(specs: readonly string[]): FaultSettings {
  const settings = noFaults();
  for (const spec of specs) applyFaultSpec(settings, spec);
  return settings;
}

/**
 * The live fault knobs of one sim instance. Tests flip fields directly
 * (`sim.faults.latencyMs = 200`); the server reads them on every request.
 */
export class Faults implements FaultSettings {
  dropWatchesMs = 0;
  expireOnResume = false;
  latencyMs = 0;
  errorRate = 0;
  slowLogsMs = 0;
  dropLogsMs = 0;
  forbid: string[] = [];
  fail: string[] = [];
  private readonly random: () => number;

  constructor(settings: Partial<FaultSettings> = {}, seed = 1) {
    Object.assign(this, settings);
    this.random = seededRandom(seed);
  }

  /** Whether the next non-watch request should fail (draws from the seeded sequence). */
  shouldFailRequest(): boolean {
    return this.errorRate > 0 && this.random() < this.errorRate;
  }

  /** Turns every fault off. */
  reset(): void {
    Object.assign(this, noFaults());
  }
}
