import type { Key } from 'ink';
import { createContext } from 'react';
import { type InputMode, type UiStore, uiEpoch } from '../store/ui-store.js';
import { findBinding, type KeyBinding, type Keymap, keyName, unavailableReason } from './keymap.js';

/**
 * The scopes keymaps register under: `always` (Ctrl-C), the active `view`, the shell's
 * `global` keys, and the modals `help`, `dialog` and `prompt` (command line, filter input).
 */
export type ScopeName = 'always' | 'view' | 'global' | 'help' | 'dialog' | 'prompt';

/** The scopes that receive keys in each input mode, highest priority first. */
export const ACTIVE_SCOPES: Readonly<Record<InputMode, readonly ScopeName[]>> = {
  none: ['always', 'view', 'global'],
  help: ['always', 'help'],
  dialog: ['always', 'dialog'],
  command: ['always', 'prompt'],
  filter: ['always', 'prompt'],
};

/** A keymap bound by a mounted component, with the context its actions get. */
export interface Route {
  readonly owner: symbol;
  readonly keymap: Keymap<never>;
  readonly ctx: unknown;
  /** Gets the keys no binding claims (text inputs type characters here). */
  readonly fallback?: (input: string, key: Key) => void;
}

/** What one key does. */
export type KeyDecision =
  | { readonly type: 'binding'; readonly binding: KeyBinding<unknown>; readonly ctx: unknown }
  | { readonly type: 'fallback'; readonly route: Route }
  | { readonly type: 'unavailable'; readonly why: string }
  | { readonly type: 'none' };

/**
 * Routes a key: the first offered binding of the routes (highest priority first), else the
 * first route's text input, else why a binding for the key is not offered right now.
 */
export function routeKey(routes: readonly Route[], name: string | undefined, readonly: boolean): KeyDecision {
  if (name !== undefined) {
    for (const route of routes) {
      const binding = findBinding(route.keymap as Keymap<unknown>, name, route.ctx, readonly);
      if (binding) return { type: 'binding', binding, ctx: route.ctx };
    }
  }
  const typing = routes.find((r) => r.fallback);
  if (typing) return { type: 'fallback', route: typing };
  if (name === undefined) return { type: 'none' };
  for (const route of routes) {
    const why = unavailableReason(route.keymap as Keymap<unknown>, name, route.ctx, readonly);
    if (why) return { type: 'unavailable', why };
  }
  return { type: 'none' };
}

/**
 * Routes every key press of the app to the keymaps of the scopes active in the UI store's
 * state when the key arrives. Bindings act on that state (the table cursor, the view stack),
 * so keys typed together (`Down Enter` in one read over SSH) act in order, each on what the
 * one before it did, without waiting for React.
 *
 * One wait remains, and it is an event, not a timer: a key that opens a view or a modal
 * changes who owns the keyboard, and the keys after it wait until the shell has drawn that
 * screen (`markRendered` with the new `uiEpoch`), because the new screen binds its keys when
 * it is drawn.
 */
export class KeyRouter {
  private readonly routes = new Map<ScopeName, Route[]>();
  private readonly queue: { readonly input: string; readonly key: Key }[] = [];
  private rendered: string | undefined;
  private readonly = false;
  private onUnavailable: ((why: string) => void) | undefined;

  constructor(private readonly ui: UiStore) {}

  /** Tells the user why a key they pressed does nothing right now (see `KeyBinding.unavailable`). */
  setUnavailableHandler(handler: (why: string) => void): void {
    this.onUnavailable = handler;
  }

  /** Under `--readonly`, dangerous bindings are not dispatched. */
  setReadonly(readonly: boolean): void {
    this.readonly = readonly;
  }

  /** Binds (or rebinds, keeping its place) a component's keymap; the last bound of a scope wins. */
  register(scope: ScopeName, route: Route): void {
    const list = this.routes.get(scope) ?? [];
    const at = list.findIndex((r) => r.owner === route.owner);
    if (at >= 0) list[at] = route;
    else list.push(route);
    this.routes.set(scope, list);
  }

  unregister(scope: ScopeName, owner: symbol): void {
    const list = this.routes.get(scope);
    if (list) this.routes.set(scope, list.filter((r) => r.owner !== owner));
  }

  /** The shell has drawn the screen of `epoch` (see `uiEpoch`): keys waiting for it go on. */
  markRendered(epoch: string): void {
    this.rendered = epoch;
    if (this.queue.length > 0) queueMicrotask(() => this.drain());
  }

  dispatch(input: string, key: Key): void {
    // Keys typed faster than a read (a paste, or an SSH link that batches keystrokes) arrive
    // as one chunk: each character is its own key press.
    const chars = splitTypedText(input, key);
    if (chars) for (const ch of chars) this.queue.push(keyOfChar(ch));
    else this.queue.push({ input, key });
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0) {
      if (uiEpoch(this.ui.getState()) !== this.rendered) return;
      const next = this.queue.shift();
      if (next) this.dispatchOne(next.input, next.key);
    }
  }

  /** The routes of the scopes active in the current state, highest priority first. */
  activeRoutes(): Route[] {
    return ACTIVE_SCOPES[this.ui.getState().modal.type].flatMap((scope) => this.routes.get(scope)?.slice(-1) ?? []);
  }

  private dispatchOne(input: string, key: Key): void {
    const decision = routeKey(this.activeRoutes(), keyName(input, key), this.readonly);
    switch (decision.type) {
      case 'binding':
        decision.binding.action(decision.ctx);
        return;
      case 'fallback':
        decision.route.fallback?.(input, key);
        return;
      case 'unavailable':
        this.onUnavailable?.(decision.why);
        return;
      case 'none':
        return;
    }
  }
}

/**
 * The characters of a chunk of typed text, or undefined for a single key press. Ink splits
 * escape sequences into separate events but hands a run of plain characters over whole.
 */
export function splitTypedText(input: string, key: Key): string[] | undefined {
  if (key.ctrl || key.meta || input.startsWith('\u001b')) return undefined;
  const chars = [...input];
  return chars.length > 1 ? chars : undefined;
}

/** A key press with no flag set: a plain character. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The key press one character of a typed chunk stands for, as Ink's parseKeypress reads it alone. */
function keyOfChar(ch: string): { input: string; key: Key } {
  const key: Key = { ...NO_KEY, shift: ch !== ch.toLowerCase() };
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...key, return: true } };
  if (ch === '\t') return { input: '', key: { ...key, tab: true } };
  if (ch === '\b') return { input: '', key: { ...key, backspace: true } };
  if (ch === '\x7f') return { input: '', key: { ...key, delete: true } };
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20) return { input: String.fromCharCode(code + 0x60), key: { ...key, ctrl: true } };
  return { input: ch, key };
}

/** The router of the app; absent when a component is rendered on its own (tests). */
export const KeyRouterContext = createContext<KeyRouter | null>(null);
