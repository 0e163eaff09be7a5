/** `--to`, `-f`, `--git*`: the options of `daytwo report upgrade` and the sources they name. */
import type { ParseArgsConfig } from 'node:util';
import { parseTarget } from '../domain/upgrade/readiness.js';
import type { KubeVersion } from '../domain/version.js';
import { UsageError } from './connection-options.js';
import { DRIFT_OPTIONS } from './drift-options.js';

/** The options in `parseArgs` form (no defaults: see `ReportView.options`). */
export const UPGRADE_OPTIONS = {
  to: { type: 'string' },
  filename: { type: 'string', short: 'f', multiple: true },
  git: DRIFT_OPTIONS.git,
  'git-ref': DRIFT_OPTIONS['git-ref'],
  'git-path': DRIFT_OPTIONS['git-path'],
} as const satisfies ParseArgsConfig['options'];

/** Where the manifests to check are: `-f` files or directories, and a `--git` repository. */
export interface UpgradeSourceOptions {
  readonly files: readonly string[];
  readonly git?: { readonly location: string; readonly ref?: string; readonly subdir?: string };
}

/** The `--to` target, or undefined when not given; throws `UsageError` (one line) when it is not a minor version. */
export function upgradeTarget(values: Readonly<Record<string, unknown>>): KubeVersion | undefined {
  if (values.to === undefined) return undefined;
  const t = parseTarget(String(values.to));
  if (!t) throw new UsageError(`invalid --to "${String(values.to)}": expected a minor version such as 1.33`);
  return t;
}

/** The manifest sources the options name. */
export function upgradeSourceOptions(values: Readonly<Record<string, unknown>>): UpgradeSourceOptions {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const files = Array.isArray(values.filename) ? values.filename.filter((f): f is string => typeof f === 'string') : [];
  const location = str('git');
  return { files, ...(location !== undefined ? { git: { location, ref: str('git-ref'), subdir: str('git-path') } } : {}) };
}
