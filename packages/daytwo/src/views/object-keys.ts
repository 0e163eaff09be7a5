import type { KeyBinding } from '../hooks/keymap.js';
import type { ObjectActions } from './use-object-actions.js';

/** What the object keys need from a view: the actions on the object under its cursor. */
export interface ObjectKeyContext {
  readonly objectActions: ObjectActions;
}

/** Which object keys a view binds, and where its own keys take one of k9s's letters. */
export interface ObjectKeyOptions {
  /** Scale (`s`) and rollout restart (`r`): views of workloads. */
  readonly workloadActions?: boolean;
  /** Delete (Ctrl-D); default true. */
  readonly deletable?: boolean;
  /** A shell in a container (`s`): views of pods. */
  readonly podActions?: boolean;
  /** Port-forward (Shift-F): views of pods, services and workloads. */
  readonly portForward?: boolean;
}

const hasObject = (c: ObjectKeyContext) => c.objectActions.ref !== undefined;

/**
 * k9s's keys on the object under the cursor: `y` YAML, `d` describe, `e` events, Ctrl-D
 * delete, Shift-F port-forward, and on workloads `s` scale and `r` restart. Mutating ones are dangerous: they
 * vanish under `--readonly` and say why when RBAC denies them.
 */
export function objectKeyBindings<C extends ObjectKeyContext>(prefix: string, options: ObjectKeyOptions = {}): KeyBinding<C>[] {
  const bindings: KeyBinding<C>[] = [
    {
      id: `${prefix}.yaml`,
      keys: ['y'],
      description: 'YAML of the object, read whole (Secret values masked)',
      category: 'View',
      action: (c) => c.objectActions.open('yaml'),
      visible: hasObject,
      hint: 'yaml',
    },
    {
      id: `${prefix}.describe`,
      keys: ['d'],
      description: 'Describe the object, as kubectl describe does',
      category: 'View',
      action: (c) => c.objectActions.open('describe'),
      visible: hasObject,
      hint: 'describe',
    },
    {
      id: `${prefix}.events`,
      keys: ['e'],
      description: 'Events about the object',
      category: 'View',
      action: (c) => c.objectActions.open('events'),
      visible: hasObject,
      hint: 'events',
    },
  ];
  if (options.deletable ?? true) {
    bindings.push({
      id: `${prefix}.delete`,
      keys: ['ctrl+d'],
      description: 'Delete the object (grace period, cascade)',
      category: 'View',
      action: (c) => c.objectActions.delete(),
      visible: (c) => hasObject(c) && c.objectActions.unavailable.delete === undefined,
      unavailable: (c) => c.objectActions.unavailable.delete,
      dangerous: true,
      hint: 'delete',
    });
  }
  if (options.podActions) {
    bindings.push({
      id: `${prefix}.shell`,
      keys: ['s'],
      description: 'Shell in a container (kubectl exec -it; exit the shell to come back)',
      category: 'View',
      action: (c) => c.objectActions.shell(),
      visible: (c) => c.objectActions.canShell && c.objectActions.unavailable.shell === undefined,
      unavailable: (c) => c.objectActions.unavailable.shell,
      dangerous: true,
      hint: 'shell',
    });
  }
  if (options.portForward) {
    // Not dangerous: it changes nothing in the cluster, and k9s offers it in read-only mode too.
    bindings.push({
      id: `${prefix}.portForward`,
      keys: ['F'],
      description: 'Port-forward to the object (kubectl port-forward; :pf lists them)',
      category: 'View',
      action: (c) => c.objectActions.forward.portForward(),
      visible: (c) => c.objectActions.forward.canPortForward && c.objectActions.forward.unavailable === undefined,
      unavailable: (c) => c.objectActions.forward.unavailable,
      hint: 'port-fwd',
    });
  }
  if (options.workloadActions) {
    bindings.push(
      {
        id: `${prefix}.scale`,
        keys: ['s'],
        description: 'Scale the workload (Deployment, StatefulSet)',
        category: 'View',
        action: (c) => c.objectActions.scale(),
        visible: (c) => c.objectActions.canScale && c.objectActions.unavailable.scale === undefined,
        unavailable: (c) => (c.objectActions.canScale ? c.objectActions.unavailable.scale : hasObject(c) ? `${c.objectActions.ref?.kind} cannot be scaled` : undefined),
        dangerous: true,
        hint: 'scale',
      },
      {
        id: `${prefix}.restart`,
        keys: ['r'],
        description: 'Restart the rollout, as kubectl rollout restart',
        category: 'View',
        action: (c) => c.objectActions.restart(),
        visible: (c) => c.objectActions.canRestart && c.objectActions.unavailable.restart === undefined,
        unavailable: (c) => c.objectActions.unavailable.restart,
        dangerous: true,
        hint: 'restart',
      },
    );
  }
  return bindings;
}
