/**
 * Exec credential plugins (`users[].user.exec`), run as client-go runs them
 * (k8s.io/client-go/plugin/pkg/client/auth/exec): one run at a time per user, every request
 * waiting for it; the credential kept until its `expirationTimestamp`. client-node's
 * ExecAuth starts a plugin per request (ten at once for ten watches), has no timeout, and
 * rejects with the plugin's raw stderr. Here a plugin that fails is said in one line naming
 * the kubeconfig user (client-go's `getting credentials: exec: executable X failed with exit
 * code N`), the failure is answered to every request for {@link FAILURE_HOLD_MS} instead of
 * starting the plugin again at once, a plugin that hangs is killed after
 * {@link EXEC_TIMEOUT_MS}, and a plugin still running when daytwo exits is killed with it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { KubeConfig, User } from '@kubernetes/client-node';

/** How long a plugin may run. client-go waits as long as it takes; a console cannot hang on it. */
export const EXEC_TIMEOUT_MS = 60_000;

/** How long a failed run is answered to requests before the plugin is tried again. */
export const FAILURE_HOLD_MS = 10_000;

/** A plugin run failed; the message is one line. */
export class ExecCredentialError extends Error {
  override name = 'ExecCredentialError';
}

interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value: string }[];
  readonly apiVersion?: string;
}

interface Credential {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expirationTimestamp?: string;
}

type Entry =
  | { readonly state: 'running'; readonly promise: Promise<Credential> }
  | { readonly state: 'ok'; readonly credential: Credential }
  | { readonly state: 'failed'; readonly error: ExecCredentialError; readonly until: number };

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

/** The exec authenticator shared by every KubeConfig of the process (one run per user across them). */
export class SerializedExecAuth {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: { timeoutMs?: number; failureHoldMs?: number; now?: () => number } = {}) {}

  isAuthProvider(user: User | null | undefined): boolean {
    return Boolean(user?.exec);
  }

  /** Sets the bearer token (or client certificate) of the plugin's credential on `opts`. */
  async applyAuthentication(user: User, opts: { headers?: Record<string, unknown>; cert?: unknown; key?: unknown }): Promise<void> {
    const credential = await this.credential(user);
    if (credential.clientCertificateData) opts.cert = credential.clientCertificateData;
    if (credential.clientKeyData) opts.key = credential.clientKeyData;
    if (credential.token) {
      opts.headers ??= {};
      opts.headers.Authorization = `Bearer ${credential.token}`;
    }
  }

  /** Forgets the credential of `user` (after a 401: client-go runs the plugin again). */
  invalidate(userName: string): void {
    const entry = this.entries.get(userName);
    if (entry?.state === 'ok') this.entries.delete(userName);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private credential(user: User): Promise<Credential> {
    const key = user.name;
    const entry = this.entries.get(key);
    if (entry?.state === 'running') return entry.promise;
    if (entry?.state === 'failed' && entry.until > this.now()) return Promise.reject(entry.error);
    if (entry?.state === 'ok' && !expired(entry.credential, this.now())) return Promise.resolve(entry.credential);
    const promise = this.run(user).then(
      (credential) => {
        this.entries.set(key, { state: 'ok', credential });
        return credential;
      },
      (err: unknown) => {
        const error = err instanceof ExecCredentialError ? err : new ExecCredentialError(String(err));
        this.entries.set(key, { state: 'failed', error, until: this.now() + (this.options.failureHoldMs ?? FAILURE_HOLD_MS) });
        throw error;
      },
    );
    this.entries.set(key, { state: 'running', promise });
    return promise;
  }

  private run(user: User): Promise<Credential> {
    const exec = user.exec as ExecConfig;
    const timeoutMs = this.options.timeoutMs ?? EXEC_TIMEOUT_MS;
    const fail = (what: string) => new ExecCredentialError(`getting credentials for user "${user.name}": exec: ${what}`);
    return new Promise((resolve, reject) => {
      const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
      // The plugin learns how it is run from KUBERNETES_EXEC_INFO, as client-go passes it (not interactive: a console owns the terminal).
      env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
      let child: ChildProcess;
      try {
        child = spawn(exec.command, [...(exec.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        reject(fail(`executable ${exec.command} could not be started: ${(err as Error).message}`));
        return;
      }
      killOnExit(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(fail(`executable ${exec.command} timed out after ${timeoutMs / 1000}s and was stopped`));
      }, timeoutMs);
      timer.unref?.();
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(fail(err.code === 'ENOENT' ? `executable ${exec.command} not found` : `executable ${exec.command}: ${err.message}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0) {
          const said = stderr.trim().split('\n').filter(Boolean).at(-1);
          reject(fail(`executable ${exec.command} failed with ${signal ? `signal ${signal}` : `exit code ${code}`}${said ? `: ${said}` : ''}`));
          return;
        }
        try {
          const parsed = JSON.parse(stdout) as { status?: Credential };
          if (!parsed.status || (!parsed.status.token && !parsed.status.clientCertificateData)) throw new Error('no token or client certificate in its status');
          resolve(parsed.status);
        } catch (err) {
          reject(fail(`executable ${exec.command} printed no ExecCredential: ${(err as Error).message}`));
        }
      });
    });
  }
}

function expired(credential: Credential, now: number): boolean {
  if (!credential.expirationTimestamp) return false;
  return Date.parse(credential.expirationTimestamp) <= now;
}

/** The process's exec authenticator. */
export const EXEC_AUTH = new SerializedExecAuth();

/** Puts `auth` in place of client-node's ExecAuth in `kc` (its authenticators are tried in order, the first that claims a user wins). */
export function withSerializedExecAuth(kc: KubeConfig, auth: SerializedExecAuth = EXEC_AUTH): KubeConfig {
  const holder = kc as unknown as { authenticators: { isAuthProvider(user: User): boolean; constructor: { name: string } }[] };
  holder.authenticators = [auth, ...holder.authenticators.filter((a) => a.constructor.name !== 'ExecAuth')];
  return kc;
}
