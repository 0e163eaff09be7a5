/**
 * The audit log: one JSON line before and one after every mutating action, whatever its
 * outcome, so what daytwo did to a cluster can be reconstructed afterwards.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
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

export class AuditLog {
  constructor(readonly path: string = defaultAuditLogPath()) {}

  /**
   * Appends synchronously: the line is on disk before the action it announces starts, and
   * a crash right after cannot lose it.
   */
  write(entry: Omit<AuditEntry, 'time'>): void {
    mkdirSync(path.dirname(this.path), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
  }
}
