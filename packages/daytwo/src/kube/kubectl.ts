/**
 * What daytwo hands to `kubectl` where kubectl is installed: a shell in a container (the
 * terminal goes to `kubectl exec -it`, as k9s does). kubectl is given a kubeconfig of the
 * session's own context, written to a private temporary file for as long as it runs, so it
 * talks to the same cluster as the console whatever the kubeconfig came from (--demo too).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** The shell k9s starts in a container: bash where there is one, else sh (k9s internal/view/exec.go `shellCheck`). */
export const SHELL_CHECK = 'command -v bash >/dev/null && exec bash || exec sh';

/** The first `kubectl` on `PATH`, or undefined. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'kubectl.exe' : 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** k9s's `buildShellArgs` for exec: `exec -it -n NS POD --kubeconfig F --context C [-c CONTAINER] -- sh -c SHELL_CHECK`. */
export function kubectlShellArgs(pod: { namespace: string; name: string }, container: string | undefined, kubeconfig: string, context: string): string[] {
  return [
    'exec',
    '-it',
    '-n',
    pod.namespace,
    pod.name,
    '--kubeconfig',
    kubeconfig,
    '--context',
    context,
    ...(container ? ['-c', container] : []),
    '--',
    'sh',
    '-c',
    SHELL_CHECK,
  ];
}

/**
 * Writes the session's context, its cluster and its user to a private temporary file (as
 * `kubectl config view --minify --flatten` would: the other contexts' credentials stay out of
 * it); `remove` deletes it.
 */
export function privateKubeconfig(kc: KubeConfig): { file: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'daytwo-kubectl-'));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, minified(kc).exportConfig(), { mode: 0o600 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs kubectl with the terminal (stdio inherited) and waits for it. Synchronous on
 * purpose: while it runs the console's event loop does not read the terminal, so every
 * key goes to kubectl. Resolves with its exit code.
 */
export function runKubectlInTerminal(kubectl: string, args: readonly string[]): number {
  const result = spawnSync(kubectl, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function minified(kc: KubeConfig): KubeConfig {
  const context = kc.getContextObject(kc.getCurrentContext());
  if (!context) return kc;
  const cluster = kc.getCluster(context.cluster);
  const user = kc.getUser(context.user);
  const min = new KubeConfig();
  min.loadFromOptions({ clusters: cluster ? [cluster] : [], users: user ? [user] : [], contexts: [context], currentContext: context.name });
  return min;
}
