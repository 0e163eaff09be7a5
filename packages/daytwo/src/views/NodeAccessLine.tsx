import { Text } from 'ink';
import type { ReactElement } from 'react';
import { truncate } from '../domain/table.js';
import type { NodeActions } from './use-node-actions.js';

/** The denied node keys and why, as one line; empty when nothing is denied. */
export function deniedText(actions: NodeActions): string {
  if (actions.cordonDenied) return `denied: c cordon, u uncordon, r drain (${actions.cordonDenied})`;
  if (actions.drainDenied) return `denied: r drain (${actions.drainDenied})`;
  return '';
}

/** One line saying which node keys RBAC denies, and why. */
export function NodeAccessLine({ actions, width }: { readonly actions: NodeActions; readonly width: number }): ReactElement | null {
  const text = deniedText(actions);
  if (!text) return null;
  return (
    <Text color="red" wrap="truncate">
      {truncate(text, width)}
    </Text>
  );
}
