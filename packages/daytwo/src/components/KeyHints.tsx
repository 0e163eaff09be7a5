import { Text } from 'ink';
import type { ReactElement } from 'react';
import { displayKey, type KeyBinding } from '../hooks/keymap.js';

/** The footer: the hinted bindings as `key description`, generated from the keymaps. */
export function KeyHints({ bindings }: { readonly bindings: readonly KeyBinding<never>[] }): ReactElement {
  const hints = bindings.filter((b) => b.hint).map((b) => `${displayKey(b.keys[0])} ${b.hint}`);
  return (
    <Text wrap="truncate" dimColor>
      {hints.join('  ')}
    </Text>
  );
}

