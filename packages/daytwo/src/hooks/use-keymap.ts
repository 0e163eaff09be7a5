import { type Key, useInput } from 'ink';
import { useCallback, useContext, useEffect, useRef } from 'react';
import { KeyRouterContext, type ScopeName } from './key-router.js';
import { findBinding, type Keymap, keyName } from './keymap.js';

/** Options of {@link useKeymap}. */
export interface UseKeymapOptions {
  /** The scope the keymap belongs to; the shell decides which scopes receive keys. */
  readonly scope: ScopeName;
  /** Called for keys no binding claims (text inputs type characters here). */
  readonly fallback?: (input: string, key: Key) => void;
}

/**
 * Binds a keymap for as long as the component is mounted. Inside `<App>` the keymap is
 * registered with the app's key router (one `useInput` for the whole app, see
 * `KeyRouter`); rendered on its own, the component gets its own `useInput`. The context is
 * read at press time, so actions always see the latest render.
 */
export function useKeymap<C>(keymap: Keymap<C>, ctx: C, options: UseKeymapOptions): void {
  const router = useContext(KeyRouterContext);
  const owner = useRef(Symbol(options.scope)).current;
  const { scope, fallback } = options;
  // Registered while rendering, so the keymap is live from the render that mounts it.
  router?.register(scope, { owner, keymap: keymap as Keymap<never>, ctx, fallback });
  useEffect(() => () => router?.unregister(scope, owner), [router, scope, owner]);

  const latest = useRef({ keymap, ctx, fallback });
  latest.current = { keymap, ctx, fallback };
  const handler = useCallback((input: string, key: Key) => {
    const { keymap: map, ctx: current, fallback: rest } = latest.current;
    const name = keyName(input, key);
    const binding = name === undefined ? undefined : findBinding(map, name, current);
    if (binding) binding.action(current);
    else rest?.(input, key);
  }, []);
  useInput(handler, { isActive: router === null });
}
