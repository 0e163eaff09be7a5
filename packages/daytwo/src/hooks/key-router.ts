import { createContext } from 'react';
import type { Key } from 'ink';
import { unstable_NormalPriority, unstable_scheduleCallback } from 'scheduler';
import { findBinding, type Keymap, keyName, unavailableReason } from './keymap.js';

/**
 * The scopes keymaps register under: `always` (Ctrl-C), the active `view`, the shell's
 * `global` keys, and the modals `help`, `dialog` and `prompt` (command line, filter input).
 */
export type ScopeName = 'always' | 'view' | 'global' | 'help' | 'dialog' | 'prompt';

/** A keymap registered by a mounted component, with the context its actions get. */
interface Route {
  readonly owner: symbol;
  readonly keymap: Keymap<never>;
  readonly ctx: unknown;
  readonly fallback?: (input: string, key: Key) => void;
}

/**
 * Routes every key press of the app, from one `useInput`, to the keymaps of the scopes
 * active right now, in priority order (a modal before the view). Components register their
 * keymap while rendering and the shell sets the active scopes while rendering, so a modal
 * owns the keyboard from the very render that opens it: with one `useInput` per component,
 * keys typed before React ran the new component's effects would go to the wrong handler.
 */
export class KeyRouter {
  private readonly routes = new Map<ScopeName, Route>();
  private active: readonly ScopeName[] = [];
  private readonly = false;
  private readonly queue: QueuedKey[] = [];
  private waiting = false;
  /** Set while queued keys wait for the shell's render. */
  private resume: (() => void) | undefined;
  /** A key changed who owns the keyboard (a modal opened or closed); set until the shell renders. */
  private modeChanging = false;
  private onUnavailable: ((why: string) => void) | undefined;

  /** The scopes that receive keys, highest priority first. */
  setActive(scopes: readonly ScopeName[]): void {
    this.active = scopes;
    this.modeChanging = false;
    // The shell rendered: queued keys may go once this render is committed.
    if (this.resume) setImmediate(this.resume);
  }

  /** Called when a modal opens or closes: keys typed after it wait for the shell's render. */
  modeWillChange(): void {
    this.modeChanging = true;
  }

  /** Tells the user why a key they pressed does nothing right now (see `KeyBinding.unavailable`). */
  setUnavailableHandler(handler: (why: string) => void): void {
    this.onUnavailable = handler;
  }

  /** Under `--readonly`, dangerous bindings are not dispatched. */
  setReadonly(readonly: boolean): void {
    this.readonly = readonly;
  }

  register(scope: ScopeName, route: Route): void {
    this.routes.set(scope, route);
  }

  unregister(scope: ScopeName, owner: symbol): void {
    if (this.routes.get(scope)?.owner === owner) this.routes.delete(scope);
  }

  /**
   * Runs the first offered binding of the active scopes for the key; a key none claims goes
   * to the fallback (text input) of the highest-priority scope that has one.
   */
  dispatch(input: string, key: Key): void {
    // Keys typed faster than a read (a paste, or an SSH link that batches keystrokes) arrive
    // as one chunk: each character is its own key press.
    const chars = splitTypedText(input, key);
    if (chars) for (const ch of chars) this.queue.push(keyOfChar(ch));
    else this.queue.push({ input, key });
    if (!this.waiting) this.drain();
  }

  /**
   * Dispatches queued keys in order, one per turn of the event loop. After a key that opens
   * or closes a modal, the rest wait for the shell's render: the modal owns the keyboard from
   * its first render on.
   */
  private drain(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.dispatchOne(next.input, next.key);
    if (this.modeChanging) {
      this.waitForRender();
      return;
    }
    // Every key acts on what the one before it rendered (the row a cursor move selected).
    // Ink hands the keys of one read (`Down Enter` over SSH or tmux) over in one loop, before
    // React renders, so even a key that finds the queue empty holds the next until React has
    // rendered what this one changed.
    this.waiting = true;
    afterScheduledRenders(() => {
      this.waiting = false;
      this.drain();
    });
  }

  private waitForRender(): void {
    this.waiting = true;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      this.resume = undefined;
      this.waiting = false;
      this.modeChanging = false;
      this.drain();
    };
    const fallback = setTimeout(go, KEY_RENDER_WAIT_MS);
    this.resume = go;
  }

  private dispatchOne(input: string, key: Key): void {
    const name = keyName(input, key);
    const routes = this.active.map((s) => this.routes.get(s)).filter((r): r is Route => r !== undefined);
    if (name !== undefined) {
      for (const route of routes) {
        const binding = findBinding(route.keymap as Keymap<unknown>, name, route.ctx, this.readonly);
        if (binding) {
          binding.action(route.ctx);
          return;
        }
      }
    }
    const typing = routes.find((r) => r.fallback);
    if (typing) {
      typing.fallback?.(input, key);
      return;
    }
    if (name === undefined) return;
    for (const route of routes) {
      const why = unavailableReason(route.keymap as Keymap<unknown>, name, route.ctx, this.readonly);
      if (why) {
        this.onUnavailable?.(why);
        return;
      }
    }
  }
}

/**
 * Runs `then` after React has rendered the updates made so far. With Ink, React renders an
 * update (at default priority: Ink's input events are not discrete) in a task of its
 * scheduler, queued from a microtask of the setState; a task of the same priority queued
 * from a later microtask runs after that render (a render that yields keeps its place).
 * A turn of the event loop (setImmediate) is not enough: the scheduler's own setImmediate is
 * queued later, from that microtask.
 */
export function afterScheduledRenders(then: () => void): void {
  queueMicrotask(() => {
    unstable_scheduleCallback(unstable_NormalPriority, then);
  });
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

interface QueuedKey {
  readonly input: string;
  readonly key: Key;
}

/**
 * A safety net only: a modal change always re-renders the shell, which releases the queue.
 * It is long because a loaded machine can take hundreds of milliseconds for that render, and
 * a key released before it goes to the scope the user has just left.
 */
const KEY_RENDER_WAIT_MS = 2_000;

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
