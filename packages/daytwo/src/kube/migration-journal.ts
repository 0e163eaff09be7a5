/**
 * The journal of a node pool migration: its state, written to a file in the XDG state
 * directory after every step, so that a migration whose process died (a dropped SSH
 * session) can be found and resumed. One file per context and source pool.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { WorkloadRef } from '../domain/migration-gate.js';

export type MigrationState = 'running' | 'paused' | 'aborted' | 'failed' | 'succeeded';
export type MigrationNodeState = 'pending' | 'cordoned' | 'draining' | 'gating' | 'done' | 'failed';

/**
 * A pod the migration evicts. Written before the eviction is sent (`accepted: false`) and
 * again once the API server accepted it, so a run killed in between leaves a trace that the
 * resumed run settles from the cluster: the pod still there and not terminating was not
 * evicted; terminating or gone, it was. An accepted pod is never evicted again.
 */
export interface JournalEviction {
  /** `namespace/name`. */
  readonly pod: string;
  readonly uid: string;
  readonly node: string;
  readonly workload?: WorkloadRef;
  readonly accepted: boolean;
}

export interface MigrationJournal {
  readonly version: 1;
  readonly id: string;
  readonly context: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly gateTimeoutSeconds: number;
  /** The drain flags the run uses (kubectl drain's). */
  readonly drain: Readonly<Record<string, unknown>>;
  readonly state: MigrationState;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly nodes: readonly { readonly name: string; readonly state: MigrationNodeState; readonly message?: string }[];
  readonly evicted: readonly JournalEviction[];
  readonly message?: string;
}

/** `$XDG_STATE_HOME/daytwo`, else `~/.local/state/daytwo` (the XDG base directory default). */
export function stateDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'daytwo');
}

const migrationsDir = (env?: NodeJS.ProcessEnv) => path.join(stateDir(env), 'migrations');

/** The journal file of a migration of `from` in `context`. */
export function journalPath(context: string, from: string, env?: NodeJS.ProcessEnv): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(migrationsDir(env), `${safe(context)}--${safe(from)}.json`);
}

/**
 * Writes the journal atomically (a temporary file renamed over the old one), so a process
 * killed mid-write leaves the previous step's journal, never half of one.
 */
export function writeJournal(file: string, journal: MigrationJournal): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The journal at `file`, or undefined when there is none. Throws on a file that is not a journal. */
export function readJournal(file: string): MigrationJournal | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const journal = JSON.parse(text) as MigrationJournal;
  if (journal?.version !== 1 || !Array.isArray(journal.nodes)) throw new Error(`${file} is not a daytwo migration journal`);
  return journal;
}

export const isUnfinished = (j: MigrationJournal): boolean => j.state !== 'succeeded';

/** The unfinished migrations of `context` (any context when omitted), newest first. */
export function unfinishedMigrations(context?: string, env?: NodeJS.ProcessEnv): MigrationJournal[] {
  let files: string[];
  try {
    files = readdirSync(migrationsDir(env)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const out: MigrationJournal[] = [];
  for (const f of files) {
    try {
      const j = readJournal(path.join(migrationsDir(env), f));
      if (j && isUnfinished(j) && (context === undefined || j.context === context)) out.push(j);
    } catch {
      // Not a journal (or half-written by another tool): not ours to offer.
    }
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
