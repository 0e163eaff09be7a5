import type { ReactElement } from 'react';
import { KeyHints } from '../components/KeyHints.js';
import { type KeyBinding, type Keymap, visibleBindings } from '../hooks/keymap.js';
import { useAppStore } from '../hooks/use-app-store.js';
import { useShell } from './shell.js';

/** Props of {@link ViewFooter}. */
export interface ViewFooterProps<C> {
  readonly keymap: Keymap<C>;
  /** The context the view's keymap runs with, so `visible` is evaluated as the keys would be. */
  readonly ctx: C;
}

/**
 * The last line of every view: the hints of the view's bindings offered right now
 * (dangerous ones vanish under `--readonly`), then the global ones.
 */
export function ViewFooter<C>({ keymap, ctx }: ViewFooterProps<C>): ReactElement {
  const shell = useShell();
  const readonly = useAppStore((s) => s.cluster.readonly);
  return <KeyHints bindings={[...(visibleBindings(keymap, ctx, readonly) as KeyBinding<never>[]), ...shell.globalBindings]} />;
}
