/**
 * A shell in a container, as k9s opens one (`s` on a pod): the terminal goes to `kubectl
 * exec -it ... -- sh -c "command -v bash >/dev/null && exec bash || exec sh"` and comes
 * back to the console when the shell exits. Guarded (create pods/exec, --readonly) and
 * audited like every action.
 */
import type { ObjectRef } from '../../domain/object-ref.js';
import { findKubectl, kubectlShellArgs, privateKubeconfig, runKubectlInTerminal } from '../kubectl.js';
import { type ActionEnv, runGuarded } from './guard.js';

/** Why a shell cannot be opened from here, if it cannot. */
export function shellUnavailable(env: Pick<ActionEnv, 'terminal'>, kubectl: string | undefined): string | undefined {
  if (!kubectl) return 'a shell needs kubectl on the PATH, and there is none';
  if (!env.terminal) return 'a shell needs the console';
  return env.terminal.unavailable;
}

/** Opens a shell in `container` (default: kubectl's default container) of the pod; resolves with how it ended. */
export async function shellInto(env: ActionEnv, pod: ObjectRef, container: string | undefined, kubectl = findKubectl()): Promise<string> {
  const why = shellUnavailable(env, kubectl);
  if (why || !kubectl || !env.terminal || !pod.namespace) throw new Error(why ?? 'a shell needs a pod in a namespace');
  const terminal = env.terminal;
  const requires = [{ verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: pod.namespace, name: pod.name }];
  const target = `pod/${pod.name}`;
  return runGuarded(env, { action: 'shell', target, options: container ? { container } : {}, requires }, async () => {
    const config = privateKubeconfig(env.kc);
    try {
      const args = kubectlShellArgs({ namespace: pod.namespace as string, name: pod.name }, container, config.file, env.kc.getCurrentContext());
      const code = terminal.handOver(() => runKubectlInTerminal(kubectl, args));
      if (code !== 0) throw new Error(`kubectl exec into ${target} exited with ${code}`);
      return `shell in ${target} ended`;
    } finally {
      config.remove();
    }
  });
}
