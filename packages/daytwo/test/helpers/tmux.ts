import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach } from 'vitest';

export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A program running in a detached tmux session on a private socket, read with capture-pane. */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
  ) {}

  static start(command: string, opts: { cols?: number; rows?: number; cwd?: string } = {}): TmuxSession {
    const socket = `daytwo-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const session = new TmuxSession(socket, 'e2e');
    session.tmux(
      'new-session',
      '-d',
      '-s',
      'e2e',
      '-x',
      String(opts.cols ?? 120),
      '-y',
      String(opts.rows ?? 40),
      ...(opts.cwd ? ['-c', opts.cwd] : []),
      // A shell stays behind the program so that what it leaves on screen after it quits can be read.
      `${command}; echo "[exit $?]"; sleep 600`,
    );
    return session;
  }

  /** tmux key names ('Enter', 'Escape', 'Down', 'C-c') or literal text with `literal`. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /** Polls the screen until `test` holds; throws with the last screen on timeout. */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const check =
      typeof test === 'function' ? test : (s: string) => (typeof test === 'string' ? s.includes(test) : test.test(s));
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (check(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${String(test)}; screen was:\n${screen}`);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
}

/**
 * Options of every end-to-end suite: a failed test runs once more as a safety net on a shared
 * 2-core machine (`DAYTWO_E2E_RETRY=0` turns that off); one that fails twice fails.
 */
export const E2E = { retry: Number(process.env.DAYTWO_E2E_RETRY ?? 1) } as const;

/** The repository root: end-to-end tests run `node bin/daytwo.js` from there. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** The table row under the cursor (tables mark it with `>`). */
export const cursorRow = (screen: string): string | undefined => screen.split('\n').find((l) => l.startsWith('>'));

/**
 * For a suite file: returns a starter of commands in tmux from the repository root, each
 * session killed after the test that started it.
 */
export function tmuxPerTest(): (command: string, opts?: { cols?: number; rows?: number }) => TmuxSession {
  let sessions: TmuxSession[] = [];
  afterEach(() => {
    for (const s of sessions) s.kill();
    sessions = [];
  });
  return (command, opts = {}) => {
    const session = TmuxSession.start(command, { ...opts, cwd: REPO_ROOT });
    sessions.push(session);
    return session;
  };
}
