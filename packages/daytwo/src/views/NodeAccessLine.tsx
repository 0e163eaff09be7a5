import { Text } from 'ink';
import type { ReactElement } from 'react';
import { truncate } from '../domain/table.js';
import { type NodeActions, refusalWord } from './use-node-actions.js';

/** The denied node keys and why, as one line; empty when nothing is denied. */
export function deniedText(actions: NodeActions): string {
  if (actions.cordonDenied) return `${refusalWord(actions.cordonDenied)}: c cordon, u uncordon, r drain (${actions.cordonDenied})`;
  if (actions.drainDenied) return `${refusalWord(actions.drainDenied)}: r drain (${actions.drainDenied})`;
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
