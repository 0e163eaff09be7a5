import type { ParseArgsConfig } from 'node:util';
import { DurationParseError, parseGoDuration } from '@daytwo/k8s/duration.js';
import { parseSelector, SelectorParseError } from '@daytwo/k8s/label-selector.js';
import type { DrainActionOptions } from '../store/actions.js';
import { UsageError } from './connection-options.js';

/** kubectl drain's flags, as `daytwo drain` takes them. */
export const DRAIN_OPTIONS = {
  'ignore-daemonsets': { type: 'boolean' },
  'delete-emptydir-data': { type: 'boolean' },
  /** Deprecated upstream in favour of --delete-emptydir-data; still accepted there. */
  'delete-local-data': { type: 'boolean' },
  force: { type: 'boolean' },
  'grace-period': { type: 'string' },
  timeout: { type: 'string' },
  'pod-selector': { type: 'string' },
  'skip-wait-for-delete-timeout': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function integerFlag(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: not an integer`);
  return Number(text);
}

/**
 * The drain flags from parsed values, checked as kubectl checks them. Shared by `daytwo
 * drain` and `daytwo report drain-plan`; `ignoreDaemonSets` defaults to false, as in kubectl.
 */
export function drainFlagsFrom(values: Readonly<Record<string, unknown>>): DrainActionOptions {
  let timeoutSeconds = 0;
  if (typeof values.timeout === 'string') {
    try {
      timeoutSeconds = parseGoDuration(values.timeout) / 1000;
    } catch (err) {
      if (err instanceof DurationParseError) throw new UsageError(`invalid argument "${values.timeout}" for "--timeout" flag: ${err.message}`);
      throw err;
    }
    if (timeoutSeconds < 0) throw new UsageError(`invalid argument "${values.timeout}" for "--timeout" flag: a timeout cannot be negative (0 waits forever)`);
  }
  const podSelector = typeof values['pod-selector'] === 'string' ? values['pod-selector'] : undefined;
  if (podSelector) {
    try {
      parseSelector(podSelector);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new UsageError('--pod-selector=<pod_selector> must be a valid label selector');
      throw err;
    }
  }
  return {
    ignoreDaemonSets: values['ignore-daemonsets'] === true,
    deleteEmptyDirData: values['delete-emptydir-data'] === true || values['delete-local-data'] === true,
    force: values.force === true,
    gracePeriodSeconds: integerFlag('grace-period', values['grace-period'] as string | undefined, -1),
    timeoutSeconds,
    ...(podSelector ? { podSelector } : {}),
    skipWaitForDeleteTimeoutSeconds: integerFlag('skip-wait-for-delete-timeout', values['skip-wait-for-delete-timeout'] as string | undefined, 0),
  };
}

