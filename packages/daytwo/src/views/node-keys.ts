import type { KeyBinding } from '../hooks/keymap.js';
import type { NodeActions } from './use-node-actions.js';

/** What the node keys need from a view: its actions and the nodes they apply to. */
export interface NodeKeyContext {
  readonly nodeActions: NodeActions;
  /** The marked rows' nodes, else the row under the cursor's (a pool row: all its nodes). */
  targetNodes(): readonly string[];
}

/** c, u and r (k9s's keys), shared by the Node pools and Nodes views. Dangerous: they vanish under --readonly. */
export function nodeKeyBindings<C extends NodeKeyContext>(prefix: string): KeyBinding<C>[] {
  return [
    {
      id: `${prefix}.cordon`,
      keys: ['c'],
      description: 'Cordon the selected or marked nodes (a pool: all its nodes)',
      category: 'View',
      action: (c) => c.nodeActions.cordon(c.targetNodes()),
      dangerous: true,
      hint: 'cordon',
    },
    {
      id: `${prefix}.uncordon`,
      keys: ['u'],
      description: 'Uncordon the selected or marked nodes (a pool: all its nodes)',
      category: 'View',
      action: (c) => c.nodeActions.uncordon(c.targetNodes()),
      dangerous: true,
      hint: 'uncordon',
    },
    {
      id: `${prefix}.drain`,
      keys: ['r'],
      description: 'Drain the selected or marked nodes, one at a time (a pool: all its nodes); shows the plan first',
      category: 'View',
      action: (c) => c.nodeActions.drain(c.targetNodes()),
      dangerous: true,
      hint: 'drain',
    },
  ];
}

/** What Esc does for a view's drain panel: cancel the running drain, else close the finished one's summary. */
export function drainEscape(actions: NodeActions): (() => void) | undefined {
  const op = actions.drainOperation;
  if (op?.state === 'running') return () => actions.cancelDrain();
  if (op) return () => actions.dismissDrain();
  return undefined;
}

