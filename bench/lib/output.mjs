/** What a benchmark prints and writes: progress on stderr, its result in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchResult } from './report.mjs';
import { REPO_ROOT } from './sim-process.mjs';

export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

/** Writes progress to stderr, prefixed with the time of day. */
export function log(...parts) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${parts.join(' ')}\n`);
}

/**
 * Writes `bench/results/<name>.json` and returns its path.
 * @param {string} name
 * @param {Record<string, { value: number | null, unit: string, target?: number, pass?: boolean }>} metrics
 * @param {readonly string[]} notes
 */
export function writeBenchResult(name, metrics, notes) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(benchResult(name, metrics, notes), null, 2)}\n`);
  return file;
}
