/** Runs the `git`, `kustomize` and `kubectl` programs (no library: they are what users have). */
import { execFile, spawn } from 'node:child_process';

/** A program that failed: its first line of stderr, or why it could not start. */
export class CommandError extends Error {
  constructor(
    message: string,
    /** ENOENT when the program is not installed. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

const MAX_OUTPUT = 256 * 1024 * 1024;
const TIMEOUT_MS = 120_000;

/** Runs a program and answers its stdout; rejects with a {@link CommandError}. */
export function run(program: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { cwd: opts.cwd, maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new CommandError(`${program} is not installed`, 'ENOENT'));
      const detail = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? err.message.split('\n')[0];
      reject(new CommandError(`${program} ${args[0] ?? ''}: ${detail}`, typeof code === 'string' ? code : undefined));
    });
  });
}

/** Pipes `from`'s stdout into `to`'s stdin (`git archive | tar -x`). */
export function pipe(from: { program: string; args: readonly string[]; cwd?: string }, to: { program: string; args: readonly string[]; cwd?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const a = spawn(from.program, from.args, { cwd: from.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const b = spawn(to.program, to.args, { cwd: to.cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    let errA = '';
    let errB = '';
    a.stderr.on('data', (d: Buffer) => (errA += d.toString()));
    b.stderr.on('data', (d: Buffer) => (errB += d.toString()));
    a.stdout.pipe(b.stdin);
    let codeA: number | null = null;
    const fail = (program: string, text: string) => reject(new CommandError(`${program}: ${text.trim().split('\n')[0] || 'failed'}`));
    a.on('error', (e) => reject(new CommandError(`${from.program}: ${e.message}`)));
    b.on('error', (e) => reject(new CommandError(`${to.program}: ${e.message}`)));
    a.on('close', (code) => (codeA = code));
    b.on('close', (code) => {
      const finish = () => {
        if (codeA !== 0) return fail(from.program, errA);
        if (code !== 0) return fail(to.program, errB);
        resolve();
      };
      if (codeA === null) a.once('close', finish);
      else finish();
    });
  });
}
