import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/components/Help.js';
import {
  displayKey,
  findBinding,
  KEY_CATEGORIES,
  type KeyBinding,
  keyConflicts,
  keyName,
  unavailableReason,
} from '../../src/hooks/keymap.js';
import { afterScheduledRenders, KeyRouter, NO_KEY } from '../../src/hooks/key-router.js';

/** Resolves once the router has handed over the next queued key (it goes after React's scheduled renders). */
const keyTurn = () => new Promise<void>((r) => afterScheduledRenders(r));
import { keymapScopes, VIEWS } from '../../src/views/registry.js';

const scopes = keymapScopes(VIEWS);

describe('every keymap scope', () => {
  it('covers each view and each modal', () => {
    expect(scopes.map((s) => s.name)).toEqual([...VIEWS.map((v) => `view ${v.id}`), 'help', 'dialog', 'command', 'filter']);
  });

  it.each(scopes.map((s) => [s.name, s.bindings] as const))('%s: every binding has keys, a description and one known category', (_, bindings) => {
    for (const b of bindings) {
      expect(b.id, JSON.stringify(b)).toMatch(/^[a-z]+\.[A-Za-z.]+$/);
      expect(b.keys.length, b.id).toBeGreaterThan(0);
      for (const k of b.keys) expect(k.length, b.id).toBeGreaterThan(0);
      expect(b.description.trim().length, b.id).toBeGreaterThan(0);
      expect(KEY_CATEGORIES, b.id).toContain(b.category);
    }
    const ids = bindings.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(scopes.map((s) => [s.name, s.bindings] as const))('%s: no two bindings share a key', (_, bindings) => {
    expect(keyConflicts(bindings)).toEqual([]);
  });
});

describe('keyConflicts', () => {
  it('finds a key bound twice in one scope', () => {
    const noop = () => {};
    const bindings: KeyBinding<never>[] = [
      { id: 'a.one', keys: ['j', 'down'], description: 'one', category: 'Navigation', action: noop },
      { id: 'a.two', keys: ['x', 'j'], description: 'two', category: 'General', action: noop },
    ];
    expect(keyConflicts(bindings)).toEqual([{ key: 'j', ids: ['a.one', 'a.two'] }]);
  });
});


describe('keyName', () => {
  it('names what Ink reports', () => {
    expect(keyName('j', NO_KEY)).toBe('j');
    expect(keyName('G', { ...NO_KEY, shift: true })).toBe('G');
    expect(keyName('', { ...NO_KEY, downArrow: true })).toBe('down');
    expect(keyName('', { ...NO_KEY, pageDown: true })).toBe('pagedown');
    expect(keyName('', { ...NO_KEY, return: true })).toBe('enter');
    expect(keyName('', { ...NO_KEY, escape: true, meta: true })).toBe('escape');
    expect(keyName('c', { ...NO_KEY, ctrl: true })).toBe('ctrl+c');
    expect(keyName(' ', NO_KEY)).toBe('space');
    expect(keyName('', { ...NO_KEY, tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('pasted text', NO_KEY)).toBeUndefined();
  });

  it('shows keys readably', () => {
    expect(['down', 'pagedown', 'ctrl+c', 'escape', 'G'].map(displayKey)).toEqual(['↓', 'PgDn', 'Ctrl-C', 'Esc', 'G']);
  });
});

describe('findBinding', () => {
  it('skips bindings that are not visible in the context', () => {
    const keymap: KeyBinding<{ readonly: boolean }>[] = [
      {
        id: 'node.cordon',
        keys: ['c'],
        description: 'Cordon',
        category: 'View',
        action: () => {},
        visible: (c) => !c.readonly,
        dangerous: true,
      },
    ];
    expect(findBinding(keymap, 'c', { readonly: false })?.id).toBe('node.cordon');
    expect(findBinding(keymap, 'c', { readonly: true })).toBeUndefined();
  });
});

describe('helpLines', () => {
  it('lists every binding of every section with its keys, grouped by category', () => {
    const lines = helpLines(scopes.map((s) => ({ title: s.name, bindings: s.bindings })));
    for (const scope of scopes) {
      expect(lines).toContain(scope.name);
      for (const b of scope.bindings) {
        // Dangerous bindings carry a note after their description.
        const line = lines.find((l) => l.endsWith(b.description) || (b.dangerous === true && l.includes(`  ${b.description} (`)));
        expect(line, b.id).toBeDefined();
        expect(line!.trim().startsWith(b.keys.map(displayKey).join(' ')), b.id).toBe(true);
      }
    }
    expect(lines).toContain('  Navigation');
  });
});

describe('KeyRouter', () => {
  /** Presses a key and lets it go out: the router hands over one key per turn of the event loop. */
  const press = async (router: KeyRouter, input: string) => {
    router.dispatch(input, NO_KEY);
    await keyTurn();
  };
  function setup() {
    const log: string[] = [];
    const router = new KeyRouter();
    const binding = (id: string, keys: string[]): KeyBinding<string> => ({
      id,
      keys,
      description: id,
      category: 'General',
      action: (ctx) => log.push(`${id}@${ctx}`),
    });
    router.register('help', {
      owner: Symbol('modal'),
      keymap: [binding('modal.close', ['q'])] as never,
      ctx: 'modal',
      fallback: (input) => log.push(`typed ${input}`),
    });
    router.register('view', { owner: Symbol('view'), keymap: [binding('view.down', ['j']), binding('view.quit', ['q'])] as never, ctx: 'view' });
    return { log, router };
  }

  it('gives a key to the highest-priority active scope that binds it', async () => {
    const { log, router } = setup();
    router.setActive(['help', 'view']);
    await press(router, 'q');
    await press(router, 'j');
    expect(log).toEqual(['modal.close@modal', 'view.down@view']);
  });

  it('sends keys no scope binds to the first fallback, and ignores inactive scopes', async () => {
    const { log, router } = setup();
    router.setActive(['help']);
    await press(router, 'j');
    router.setActive(['view']);
    await press(router, 'x');
    await press(router, 'q');
    expect(log).toEqual(['typed j', 'view.quit@view']);
  });

  it('hands keys that arrive together over one by one, each after the render of the one before', async () => {
    const { log, router } = setup();
    router.setActive(['view']);
    router.dispatch('j', NO_KEY);
    router.dispatch('q', NO_KEY);
    // Ink emits the keys of one read in a loop, before React has rendered the first.
    expect(log).toEqual(['view.down@view']);
    await keyTurn();
    expect(log).toEqual(['view.down@view', 'view.quit@view']);
  });

  it('holds keys typed after a modal opens until the shell has rendered it, however slow that render is', async () => {
    const log: string[] = [];
    const router = new KeyRouter();
    const open: KeyBinding<string> = { id: 'view.filter', keys: ['/'], description: 'filter', category: 'General', action: () => router.modeWillChange() };
    const sort: KeyBinding<string> = { id: 'view.sort', keys: ['s'], description: 'sort', category: 'Table', action: () => log.push('sort') };
    router.register('view', { owner: Symbol('view'), keymap: [open, sort] as never, ctx: 'view' });
    router.register('prompt', { owner: Symbol('prompt'), keymap: [] as never, ctx: 'prompt', fallback: (input) => log.push(`typed ${input}`) });
    router.setActive(['view']);
    router.dispatch('/s', NO_KEY);
    // A render that takes a whole second (a loaded machine): the s must not go to the view.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(log).toEqual([]);
    router.setActive(['prompt']);
    await keyTurn();
    expect(log).toEqual(['typed s']);
  });

  it('keeps a newer registration when an older owner of the scope unregisters', async () => {
    const { log, router } = setup();
    const owner = Symbol('new view');
    router.register('view', { owner, keymap: [] as never, ctx: 'new', fallback: () => log.push('new view') });
    router.unregister('view', Symbol('old view'));
    router.setActive(['view']);
    await press(router, 'j');
    router.unregister('view', owner);
    await press(router, 'j');
    expect(log).toEqual(['new view']);
  });
});

describe('keys that cannot run right now', () => {
  const rollback: KeyBinding<{ allowed: boolean; why?: string }> = {
    id: 'w.rollback',
    keys: ['r'],
    description: 'Roll back',
    category: 'View',
    action: () => {},
    visible: (c) => c.allowed,
    unavailable: (c) => c.why,
    dangerous: true,
  };

  it('say why on the status line instead of doing nothing', () => {
    const said: string[] = [];
    const router = new KeyRouter();
    router.setUnavailableHandler((why) => said.push(why));
    const ctx = { allowed: false, why: 'still checking access' };
    router.register('view', { owner: Symbol('view'), keymap: [rollback] as never, ctx });
    router.setActive(['view']);
    router.dispatch('r', NO_KEY);
    expect(said).toEqual(['still checking access']);
  });

  it('name the read-only mode for a mutating key, and stay quiet for keys with nothing to say', () => {
    expect(unavailableReason([rollback], 'r', { allowed: true }, true)).toBe('Roll back: refused, daytwo is read-only (--readonly)');
    expect(unavailableReason([rollback], 'r', { allowed: false }, false)).toBeUndefined();
    expect(unavailableReason([rollback], 'x', { allowed: false, why: 'no' }, false)).toBeUndefined();
  });
});
