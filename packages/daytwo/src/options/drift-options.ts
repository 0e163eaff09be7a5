/** `--git`, `--git-ref`, `--git-path`, `--git-namespace`, `--prune-selector`: the drift source, for the console and `daytwo report drift`. */
import type { ParseArgsConfig } from 'node:util';
import { parseSelector, type Requirement, SelectorParseError } from '@daytwo/k8s/label-selector.js';
import { UsageError } from './connection-options.js';

/** The options in `parseArgs` form (no defaults: see `ReportView.options`). */
export const DRIFT_OPTIONS = {
  git: { type: 'string' },
  'git-ref': { type: 'string' },
  'git-path': { type: 'string' },
  'git-namespace': { type: 'string' },
  'prune-selector': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** The drift source the options describe. */
export interface DriftOptions {
  readonly location: string;
  readonly ref?: string;
  readonly subdir?: string;
  /** Namespace of namespaced objects that name none (default `default`). */
  readonly namespace: string;
  readonly pruneSelector?: readonly Requirement[];
}

/**
 * The drift options, or undefined when `--git` is absent (and none of the others is given).
 * Throws `UsageError` (one line) on a bad combination or value.
 */
export function driftOptions(values: Readonly<Record<string, unknown>>): DriftOptions | undefined {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const location = str('git');
  if (location === undefined) {
    const stray = ['git-ref', 'git-path', 'git-namespace', 'prune-selector'].find((k) => values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --git PATH`);
    return undefined;
  }
  if (location.trim() === '') throw new UsageError('--git needs a directory or a Git URL');
  const namespace = str('git-namespace') ?? 'default';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new UsageError(`invalid --git-namespace "${namespace}": must be a lower-case RFC 1123 label`);
  }
  let pruneSelector: Requirement[] | undefined;
  const selector = str('prune-selector');
  if (selector !== undefined) {
    try {
      pruneSelector = parseSelector(selector);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new UsageError(`invalid --prune-selector "${selector}": ${err.message}`);
      throw err;
    }
  }
  return { location, ref: str('git-ref'), subdir: str('git-path'), namespace, pruneSelector };
}
