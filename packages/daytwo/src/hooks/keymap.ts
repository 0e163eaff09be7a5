/**
 * Keymaps: one table per view (plus the global and modal ones) drives the input handling,
 * the footer hints and the `?` help screen, so what the help says is what the keys do.
 */

import type { Key } from 'ink';

/** Groups of the help screen, in the order it lists them. */
export const KEY_CATEGORIES = ['Navigation', 'Table', 'View', 'Views', 'General', 'Dialog', 'Input'] as const;

export type KeyCategory = (typeof KEY_CATEGORIES)[number];

/**
 * One key binding. `keys` are names as {@link keyName} produces them: a printable character
 * (`j`, `G`, `<`, `?`), `space`, or a named key (`up`, `down`, `pageup`, `pagedown`, `home`,
 * `end`, `enter`, `escape`, `tab`, `backspace`, `ctrl+c`).
 */
export interface KeyBinding<C> {
  /** Namespaced id, e.g. `nav.down`. */
  readonly id: string;
  readonly keys: readonly string[];
  readonly description: string;
  readonly category: KeyCategory;
  readonly action: (ctx: C) => void;
  /** Hidden and inert when false (e.g. a mutating action under `--readonly`). */
  readonly visible?: (ctx: C) => boolean;
  /** Mutating actions: asked for confirmation and hidden under read-only. */
  readonly dangerous?: boolean;
  /** A one-word label to show this binding in the footer (the help screen lists every binding). */
  readonly hint?: string;
  /**
   * Why the binding cannot run right now while it is not offered (an access check not yet
   * answered, or denied): said on the status line when its key is pressed, so no key press
   * goes unanswered.
   */
  readonly unavailable?: (ctx: C) => string | undefined;
}

export type Keymap<C> = readonly KeyBinding<C>[];

const NAMED_KEYS: readonly [keyof Key, string][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'escape'],
  ['tab', 'tab'],
  ['backspace', 'backspace'],
  ['delete', 'delete'],
];

/** The canonical name of a key press as Ink reports it, or undefined for what has no name (pastes). */
export function keyName(input: string, key: Key): string | undefined {
  for (const [flag, name] of NAMED_KEYS) {
    if (key[flag]) return key.shift && name === 'tab' ? 'shift+tab' : name;
  }
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  if (input.length === 1) return input;
  return undefined;
}

/**
 * Whether a binding is offered in a context: its `visible` says so and, when the console is
 * read-only, it is not dangerous (mutating actions vanish under `--readonly`, as in k9s).
 */
export function isOffered<C>(binding: KeyBinding<C>, ctx: C, readonly = false): boolean {
  return !(readonly && binding.dangerous) && (binding.visible?.(ctx) ?? true);
}

/**
 * What to tell the user when a key names a binding that is not offered: the read-only
 * refusal of a mutating action, or the binding's own `unavailable` reason.
 */
export function unavailableReason<C>(keymap: Keymap<C>, name: string, ctx: C, readonly = false): string | undefined {
  for (const b of keymap) {
    if (!b.keys.includes(name) || isOffered(b, ctx, readonly)) continue;
    if (readonly && b.dangerous) return `${b.description}: refused, daytwo is read-only (--readonly)`;
    const why = b.unavailable?.(ctx);
    if (why) return why;
  }
  return undefined;
}

/** The binding a key triggers in a context: the first offered binding listing it. */
export function findBinding<C>(keymap: Keymap<C>, name: string, ctx: C, readonly = false): KeyBinding<C> | undefined {
  return keymap.find((b) => b.keys.includes(name) && isOffered(b, ctx, readonly));
}

/** How keys are shown to the user: `↓`, `PgDn`, `Ctrl-C`, `Enter`. */
export function displayKey(name: string): string {
  const labels: Record<string, string> = {
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    home: 'Home',
    end: 'End',
    enter: 'Enter',
    escape: 'Esc',
    tab: 'Tab',
    'shift+tab': 'Shift-Tab',
    backspace: 'Backspace',
    delete: 'Del',
    space: 'Space',
  };
  if (labels[name]) return labels[name];
  if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
  return name;
}

/** Keys listed by more than one binding of a scope (bindings that are active at the same time). */
export function keyConflicts(bindings: readonly KeyBinding<never>[]): { key: string; ids: string[] }[] {
  const owners = new Map<string, string[]>();
  for (const b of bindings) {
    for (const k of new Set(b.keys)) owners.set(k, [...(owners.get(k) ?? []), b.id]);
  }
  return [...owners].filter(([, ids]) => ids.length > 1).map(([key, ids]) => ({ key, ids }));
}

/** What the footer lists: the bindings offered in the context, in keymap order. */
export function visibleBindings<C>(keymap: Keymap<C>, ctx: C, readonly = false): KeyBinding<C>[] {
  return keymap.filter((b) => isOffered(b, ctx, readonly));
}
