/**
 * Saving the log view's buffer to a file: `$DAYTWO_LOG_DIR`, else
 * `$XDG_STATE_HOME/daytwo/logs`, else `~/.local/state/daytwo/logs` (beside the audit log).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** The directory saved logs go to. */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.DAYTWO_LOG_DIR) return env.DAYTWO_LOG_DIR;
  const stateHome = env.XDG_STATE_HOME || path.join(home, '.local', 'state');
  return path.join(stateHome, 'daytwo', 'logs');
}

/** A file name from a label and the time: `deployment-shop-web-20261121-120000.log`. */
export function logFileName(label: string, now: Date = new Date()): string {
  const slug = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'logs';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${stamp}.log`;
}

/**
 * Writes `lines` to a new file in `dir` (created if missing) and resolves with its path.
 * Never overwrites: a name already taken gets a counter.
 */
export async function saveLogLines(lines: readonly string[], label: string, dir: string = defaultLogDir(), now: Date = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  const base = logFileName(label, now);
  for (let n = 0; ; n++) {
    const file = path.join(dir, n === 0 ? base : base.replace(/\.log$/, `-${n}.log`));
    try {
      await writeFile(file, text, { flag: 'wx', mode: 0o600 });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw err;
    }
  }
}
