/**
 * The audit log: one JSON line before and one after every mutating action, whatever its
 * outcome, so what daytwo did to a cluster can be reconstructed afterwards.
 */
import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export type AuditPhase = 'start' | 'end' | 'refused';

export interface AuditEntry {
  readonly time: string;
  readonly context: string;
  readonly user: string;
  readonly action: string;
  readonly target: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly phase: AuditPhase;
  /** On `end`: succeeded, failed or cancelled; on `refused`: refused. */
  readonly result?: 'succeeded' | 'failed' | 'cancelled' | 'refused';
  readonly message?: string;
}

/**
 * `$DAYTWO_AUDIT_LOG`, else `$XDG_STATE_HOME/daytwo/audit.log`, else
 * `~/.local/state/daytwo/audit.log` (the XDG base directory default for state).
 */
export function defaultAuditLogPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.DAYTWO_AUDIT_LOG) return env.DAYTWO_AUDIT_LOG;
  const stateHome = env.XDG_STATE_HOME || path.join(home, '.local', 'state');
  return path.join(stateHome, 'daytwo', 'audit.log');
}

/** The audit log could not be written: `audit log /path not writable: EACCES: permission denied, open '/path'`. */
export class AuditWriteError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`audit log ${path} not writable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AuditWriteError';
  }
}

export class AuditLog {
  constructor(readonly path: string = defaultAuditLogPath()) {}

  /**
   * Appends synchronously: the line is on disk before the action it announces starts, and
   * a crash right after cannot lose it. Throws {@link AuditWriteError}.
   */
  write(entry: Omit<AuditEntry, 'time'>): void {
    try {
      makeDirectories(path.dirname(this.path));
      appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
    } catch (err) {
      throw new AuditWriteError(this.path, err);
    }
  }
}

/**
 * `mkdir -p` with mode 0700 for the directories it creates. Not `mkdirSync({recursive})`:
 * Node 20's loops forever at full CPU under a directory that refuses a mkdir with ENOENT
 * (`/proc/x`). Here the nearest existing ancestor is found first, then each level is made
 * once, so any failure is thrown at once.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if (statSync(current).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, { mode: 0o700 });
    } catch (err) {
      // Made meanwhile by another daytwo: fine.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
