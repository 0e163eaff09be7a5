#!/usr/bin/env node
/**
 * `node bench/run.mjs [name...]`: runs the selected benchmarks (default: every
 * `bench/<name>.bench.mjs`), each in its own child process so that memory figures are per
 * benchmark, then regenerates `bench/RESULTS.md` from every `bench/results/*.json`.
 * Exits 1 when a benchmark failed to run (missed targets are reported, not failures) and 2
 * on an unknown name. Expects `npm run build` to have run (`npm run bench` does both).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './lib/output.mjs';
import { formatTarget, renderResultsMarkdown } from './lib/report.mjs';
import { REPO_ROOT } from './lib/sim-process.mjs';

const BENCH_DIR = join(REPO_ROOT, 'bench');
const SUFFIX = '.bench.mjs';
/** A benchmark bounds its own time; this only stops one that hangs. */
const HARD_TIMEOUT_MS = 15 * 60_000;

const available = readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith(SUFFIX))
  .map((f) => f.slice(0, -SUFFIX.length))
  .sort();

const requested = process.argv.slice(2);
if (requested.includes('-h') || requested.includes('--help')) {
  process.stdout.write(`Usage: node bench/run.mjs [name...]\nBenchmarks: ${available.join(', ')}\n`);
  process.exit(0);
}
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
  process.exit(2);
}
if (!existsSync(join(REPO_ROOT, 'packages', 'daytwo', 'dist', 'cli.js'))) {
  process.stderr.write('bench: dist/ is missing; run `npm run build` first (or `npm run bench`)\n');
  process.exit(2);
}

const selected = requested.length > 0 ? requested : available;
const failed = [];
for (const name of selected) {
  process.stderr.write(`\n=== ${name} ===\n`);
  const outcome = await runOne(name);
  if (outcome !== 0) {
    failed.push(name);
    process.stderr.write(`bench: ${name} failed (${outcome})\n`);
  }
}

const { results, unreadable } = readResults();
writeFileSync(join(BENCH_DIR, 'RESULTS.md'), renderResultsMarkdown(results, unreadable));
process.stderr.write('\n');
for (const r of results.filter((x) => selected.includes(x.name))) {
  for (const [id, m] of Object.entries(r.metrics ?? {})) {
    const target = m.target === undefined ? '' : ` (target ${formatTarget(m)}${typeof m.pass === 'boolean' ? `: ${m.pass ? 'pass' : 'MISS'}` : ''})`;
    process.stderr.write(`${r.name}  ${id}: ${m.value ?? 'n/a'} ${m.unit}${target}\n`);
  }
}
process.stderr.write(`bench: wrote bench/RESULTS.md from ${results.length} result(s)\n`);
process.exit(failed.length > 0 ? 1 : 0);

/** Runs one benchmark script; resolves with its exit code or the signal that ended it. */
function runOne(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, `${name}${SUFFIX}`)], { cwd: REPO_ROOT, stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), HARD_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}

function readResults() {
  const results = [];
  const unreadable = [];
  const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of files) {
    try {
      const doc = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8'));
      if (typeof doc?.name !== 'string' || typeof doc.metrics !== 'object' || doc.metrics === null) {
        throw new Error('not a benchmark result (needs "name" and "metrics")');
      }
      results.push(doc);
    } catch (err) {
      unreadable.push({ file: `bench/results/${file}`, error: err.message.split('\n')[0] });
    }
  }
  return { results, unreadable };
}
