import { useMemo } from 'react';
import { type ObjectRef, refTitle } from '../domain/object-ref.js';
import type { AccessQuery } from '../domain/operations.js';
import { DEFAULT_FORWARD_ADDRESS, forwardablePorts, forwardTarget } from '../domain/port-forward.js';
import { useAccess } from '../hooks/use-access.js';
import { useAppStoreApi } from '../hooks/use-app-store.js';
import { type AccessVerdict, accessNotice } from '../store/access-verdict.js';
import { useShell } from './shell.js';

/** The local ports the Shift-F dialog offers: the container's own (k9s's default), one kubectl picks, or a few usual ones. */
export const LOCAL_PORT_CHOICES = ['same as the remote port', 'any free port (kubectl picks)', '8080', '8000', '8888', '9090', '3000', '5000'] as const;

/** Shift-F on the object under the cursor: whether it applies, why it cannot run, and the dialog that starts it. */
export interface PortForwardAction {
  readonly canPortForward: boolean;
  readonly unavailable?: string;
  portForward(): void;
}

/**
 * What `create pods/portforward` asks: kubectl resolves a service or workload to one of its
 * pods, so the pod's name is known (and asked) only for a pod.
 */
function portForwardAccess(ref: ObjectRef | undefined): AccessQuery[] {
  if (!ref?.namespace || !forwardTarget(ref)) return [];
  return [{ verb: 'create', group: '', resource: 'pods', subresource: 'portforward', namespace: ref.namespace, ...(ref.kind === 'Pod' ? { name: ref.name } : {}) }];
}

function unavailableText(verdict: AccessVerdict, ref: ObjectRef): string | undefined {
  if (verdict.state === 'allowed' || verdict.state === 'none') return undefined;
  return accessNotice(verdict, 'port-forward', ref.name) ?? `port-forward of ${ref.name}: still checking access (SelfSubjectAccessReview), try again in a moment`;
}

/**
 * k9s's Shift-F on a pod, service, deployment, statefulset or daemonset: reads the object,
 * offers its TCP ports and a local port, then starts `kubectl port-forward` (listed in `:pf`).
 */
export function usePortForward(ref: ObjectRef | undefined, select: () => ObjectRef | undefined): PortForwardAction {
  const shell = useShell();
  const store = useAppStoreApi();
  const actions = shell.callbacks.actions;
  const forwards = actions?.portForwards;
  const key = ref ? `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the object's identity
  const asks = useMemo(() => portForwardAccess(ref), [key]);
  const access = useAccess(actions, asks);
  const canPortForward = forwardTarget(ref) !== undefined && ref?.namespace !== undefined;
  const say = (level: 'error' | 'success', text: string) => store.getState().pushMessage(level, text);
  return {
    canPortForward,
    unavailable: canPortForward && ref ? (forwards?.unavailable ?? unavailableText(access, ref)) : undefined,
    portForward() {
      const ref = select();
      const target = forwardTarget(ref);
      if (!ref?.namespace || !target) return;
      if (!actions || !forwards) return say('error', 'no cluster connection: port-forward is unavailable');
      if (forwards.unavailable) return say('error', forwards.unavailable);
      actions.getObject(ref).then(
        (obj) => {
          const ports = forwardablePorts(obj);
          if (ports.length === 0) return say('error', `${target} declares no TCP port to forward`);
          shell.confirm({
            title: `Port-forward ${refTitle(ref)}?`,
            body: [`As kubectl port-forward ${target} LOCAL:REMOTE --address ${DEFAULT_FORWARD_ADDRESS}, until stopped in :pf (Ctrl-D) or daytwo quits.`],
            choices: [
              { id: 'port', label: 'remote port', key: '1', values: ports.map((p) => p.label), value: ports[0].label },
              { id: 'local', label: 'local port', key: '2', values: LOCAL_PORT_CHOICES, value: LOCAL_PORT_CHOICES[0] },
            ],
            confirmLabel: 'Forward',
            onConfirm: (_options, choices) => {
              const port = ports.find((p) => p.label === choices.port) ?? ports[0];
              const local = choices.local ?? LOCAL_PORT_CHOICES[0];
              const localPort = local === LOCAL_PORT_CHOICES[0] ? port.port : local === LOCAL_PORT_CHOICES[1] ? undefined : Number(local);
              forwards
                .start({ ref, remotePort: port.port, localPort, address: DEFAULT_FORWARD_ADDRESS, ...(port.container ? { container: port.container } : {}) })
                .then(
                  (line) => say('success', `${target}: ${line}`),
                  (err: unknown) => say('error', `port-forward ${target}: ${err instanceof Error ? err.message : String(err)}`),
                );
            },
          });
        },
        (err: unknown) => say('error', `port-forward ${target}: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
  };
}
