#!/usr/bin/env node
/**
 * `npm run conformance`: runs every scenario of scenarios.mjs with kubectl on the simulated
 * cluster and on the real control plane (test/real-cluster, started here unless
 * DAYTWO_REAL_KUBECONFIG names a running one), normalises what each printed and compares.
 * Prints a table (scenario, identical / differs with the first difference) and writes it to
 * conformance/RESULTS.md. It is a report: it exits 0 whatever differs (1 with --strict
 * when a difference is not a known one), and 2 when it cannot run.
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalise } from './normalise.mjs';
import { SCENARIOS } from './scenarios.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REAL_SCRIPT = join(ROOT, 'test', 'real-cluster', 'real-cluster.sh');
const strict = process.argv.includes('--strict');
const only = process.argv.slice(2).filter((a) => a !== '--strict').join(' ');

function say(line) {
  process.stderr.write(`conformance: ${line}\n`);
}

if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0) {
  console.log('conformance: skipped: kubectl is not installed');
  process.exit(0);
}
if (!process.env.DAYTWO_REAL_KUBECONFIG && spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
  console.log('conformance: skipped: go is not installed (the real control plane is built from the Go module proxy)');
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'daytwo-conformance-'));
const cleanups = [];
process.on('exit', () => {
  for (const fn of cleanups.reverse()) {
    try {
      fn();
    } catch {}
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const real = startReal();
const sim = await startSim();
say(`sim: ${sim}, real: ${real}`);

const RUN_ID = Math.random().toString(36).slice(2, 6);
const results = [];
for (const scenario of [...SCENARIOS, ...corpusScenarios()]) {
  if (only && !scenario.name.includes(only)) continue;
  // Unique per run: a namespace of an earlier run on the same cluster may still be terminating.
  const ns = `conf-${RUN_ID}-${results.length + 1}`;
  const [a, b] = await Promise.all([runScenario(scenario, sim, ns), runScenario(scenario, real, ns)]);
  const difference = firstDifference(a, b);
  results.push({ scenario, identical: difference === undefined, difference });
  say(`${difference === undefined ? 'identical' : 'differs  '}  ${scenario.name}`);
}

const table = formatTable(results);
console.log(table);
const identical = results.filter((r) => r.identical).length;
const unexplained = results.filter((r) => !r.identical && !r.scenario.known);
const summary = `${identical} of ${results.length} scenarios identical on both backends; ${results.length - identical - unexplained.length} known differences; ${unexplained.length} unexplained.`;
console.log(summary);
if (!only) {
  const kubectlVersion = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const serverVersion = execFileSync('kubectl', ['--kubeconfig', real, 'version', '-o', 'json'], { encoding: 'utf8' });
  writeFileSync(
    join(ROOT, 'conformance', 'RESULTS.md'),
    [
      '# Conformance: the simulated cluster against a real control plane',
      '',
      `Recorded by \`npm run conformance\` on ${new Date().toISOString().slice(0, 10)}: kubectl ${JSON.parse(kubectlVersion).clientVersion.gitVersion}, ` +
        `kube-apiserver ${JSON.parse(serverVersion).serverVersion.gitVersion} with kube-controller-manager, kube-scheduler and kwok (test/real-cluster).`,
      'Each scenario runs in a fresh namespace on both; outputs are normalised (uids, resourceVersions, times, ages, IPs, generated name suffixes) and compared.',
      '',
      summary,
      '',
      table,
      '',
    ].join('\n'),
  );
}
process.exit(strict && unexplained.length > 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------

function startReal() {
  if (process.env.DAYTWO_REAL_KUBECONFIG) return process.env.DAYTWO_REAL_KUBECONFIG;
  const dir = join(work, 'real');
  const kubeconfig = execFileSync('bash', [REAL_SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  cleanups.push(() => execFileSync('bash', [REAL_SCRIPT, 'stop', dir], { stdio: 'ignore' }));
  return kubeconfig;
}

/** `daytwo sim` with the real cluster's three nodes, as a separate process (kubectl talks to it over HTTP). */
async function startSim() {
  const version = JSON.parse(execFileSync('kubectl', ['--kubeconfig', real, 'version', '-o', 'json'], { encoding: 'utf8' })).serverVersion.gitVersion;
  const nodes = join(work, 'nodes.yaml');
  writeFileSync(nodes, readFileSync(join(ROOT, 'test', 'real-cluster', 'nodes.yaml'), 'utf8').replaceAll('KUBELET_VERSION', version));
  const kubeconfig = join(work, 'sim.kubeconfig');
  const args = ['sim', '--scenario', 'empty', '--fixture', nodes, '--server-version', version, '--speed', '10', '--port', '0', '--kubeconfig-out', kubeconfig];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'daytwo.js'), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => child.kill());
  for (let i = 0; i < 100 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(kubeconfig)) throw new Error('the simulated cluster did not start');
  return kubeconfig;
}

async function runScenario(scenario, kubeconfig, ns) {
  const out = [];
  await kubectl(kubeconfig, ['create', 'namespace', ns]);
  for (let i = 0; i < 60 && (await kubectl(kubeconfig, ['-n', ns, 'get', 'serviceaccount', 'default'])).code !== 0; i++) await sleep(500);
  for (const step of scenario.steps) {
    const result = await kubectl(kubeconfig, ['-n', ns, ...step.kubectl.map((a) => a.replaceAll('$NS', ns))], step.stdin?.replaceAll('$NS', ns));
    out.push({ step: step.kubectl.join(' '), ...result });
  }
  if (scenario.settle) await sleep(scenario.settle);
  for (const item of scenario.observe) {
    const { kubectl: args, transform, stdin } = Array.isArray(item) ? { kubectl: item } : item;
    const result = await kubectl(kubeconfig, ['-n', ns, ...args.map((a) => a.replaceAll('$NS', ns))], stdin);
    out.push({ observe: args.join(' '), ...result, stdout: applyTransform(transform, result.stdout) });
  }
  await kubectl(kubeconfig, ['delete', 'namespace', ns, '--wait=false']);
  return out.map((r) => ({ ...r, stdout: normalise(r.stdout, ns), stderr: normalise(r.stderr, ns) }));
}

/**
 * Public third-party manifests, one scenario per file: applied server-side and read back.
 * They come from DAYTWO_CONFORMANCE_CORPUS, or ../shared/conformance-corpus beside the
 * repository; each directory's SOURCES file names the repository and commit they came from.
 * Fetched content is not committed here, so without either directory there are none.
 */
function corpusScenarios() {
  const dir = process.env.DAYTWO_CONFORMANCE_CORPUS ?? join(ROOT, '..', 'shared', 'conformance-corpus');
  if (!existsSync(dir)) {
    say(`no third-party manifest corpus at ${dir}: only the scripted scenarios run`);
    return [];
  }
  const files = readdirSync(dir, { recursive: true }).filter((f) => /\.ya?ml$/.test(String(f))).sort();
  return files.map((file) => {
    const manifest = readFileSync(join(dir, String(file)), 'utf8');
    return {
      name: `corpus: ${file}`,
      steps: [{ kubectl: ['apply', '--server-side', '-f', '-'], stdin: manifest }],
      settle: 3000,
      observe: [{ kubectl: ['get', '-f', '-', '-o', 'name'], stdin: manifest }],
    };
  });
}

function applyTransform(transform, text) {
  if (transform === 'distinct-count') return `${new Set(text.split('\n').filter(Boolean)).size} distinct`;
  if (transform === 'headers') return text.split('\n').filter((l) => l.startsWith('NAME')).join('\n');
  return text;
}

function kubectl(kubeconfig, args, stdin) {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const what = x?.step ?? x?.observe ?? y?.step ?? y?.observe;
    for (const field of ['code', 'stdout', 'stderr']) {
      if (x?.[field] !== y?.[field]) {
        const show = (v) => JSON.stringify(String(v ?? '').trim()).slice(0, 160);
        return `\`kubectl ${what}\` ${field}: sim ${show(x?.[field])} vs real ${show(y?.[field])}`;
      }
    }
  }
  return undefined;
}

function formatTable(rows) {
  const lines = ['| scenario | result | first difference / known reason |', '|---|---|---|'];
  for (const r of rows) {
    const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
    const note = r.identical ? '' : r.scenario.known ? `known: ${r.scenario.known} (${r.difference})` : r.difference;
    lines.push(`| ${cell(r.scenario.name)} | ${r.identical ? 'identical' : 'differs'} | ${cell(note)} |`);
  }
  return lines.join('\n');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

