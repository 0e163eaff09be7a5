/**
 * Runs `daytwo sim` from the built CLI in a child process, so its CPU and memory are
 * measured apart from the benchmark's own.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * VmRSS and VmHWM (peak RSS) of a process in MiB, from /proc/<pid>/status; undefined where
 * /proc is missing (not Linux).
 * @param {number} pid
 */
export function processMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) / 1024 : undefined;
    };
    return { rssMiB: kib('VmRSS'), peakMiB: kib('VmHWM') };
  } catch {
    return { rssMiB: undefined, peakMiB: undefined };
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat;
 * undefined where /proc is missing. Unlike wall time, it barely moves when other processes
 * compete for the cores.
 * @param {number} pid
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

/**
 * Starts `node bin/daytwo.js sim <args> --port 0 --kubeconfig-out <file>` and resolves once
 * it printed the URL it serves. `startupMs` runs from just before the spawn to that line.
 * Node options for the sim (e.g. `--cpu-prof` to profile it) come from
 * `$BENCH_SIM_NODE_ARGS`, space-separated.
 * @param {{ args: string[], kubeconfigOut: string, timeoutMs?: number }} opts
 */
export function startSimProcess({ args, kubeconfigOut, timeoutMs = 120_000 }) {
  const nodeArgs = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(REPO_ROOT, 'bin', 'daytwo.js'), 'sim', ...args, '--port', '0', '--kubeconfig-out', kubeconfigOut],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`daytwo sim printed no URL within ${timeoutMs} ms; stderr: ${stderr.trim()}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /serving (https?:\/\/\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        pid: child.pid,
        url: m[1],
        kubeconfigPath: kubeconfigOut,
        startupMs: performance.now() - started,
        memory: () => processMemory(child.pid),
        cpuMs: () => processCpuMs(child.pid),
        stop: () => stopChild(child, exited),
      });
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`daytwo sim exited (${signal ?? code}) before serving: ${stderr.trim()}`));
    });
  });
}

async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
