import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/components/Help.js';
import { KeyRouter, NO_KEY, routeKey } from '../../src/hooks/key-router.js';
import {
  displayKey,
  findBinding,
  KEY_CATEGORIES,
  type KeyBinding,
  keyConflicts,
  keyName,
  unavailableReason,
} from '../../src/hooks/keymap.js';
import { createUiStore, type Modal, NO_MODAL, type UiStore, uiEpoch } from '../../src/store/ui-store.js';
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
  /** A router over a fresh UI store whose screen is drawn: keys go out at once. */
  function drawnRouter(): { router: KeyRouter; ui: UiStore } {
    const ui = createUiStore('v');
    const router = new KeyRouter(ui);
    router.markRendered(uiEpoch(ui.getState()));
    return { router, ui };
  }
  function setup() {
    const log: string[] = [];
    const { router, ui } = drawnRouter();
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
    router.register('global', { owner: Symbol('global'), keymap: [binding('global.quit', ['q']), binding('global.x', ['x'])] as never, ctx: 'global' });
    return { log, router, ui };
  }
  /** Opens or closes a modal and draws it. */
  const draw = (router: KeyRouter, ui: UiStore, modal: Modal) => {
    ui.getState().setModal(modal);
    router.markRendered(uiEpoch(ui.getState()));
  };

  it('routes a key to the first active route that binds it, else to a text input, else says why it cannot run', () => {
    const route = (keymap: KeyBinding<unknown>[], fallback?: () => void) => ({ owner: Symbol('r'), keymap: keymap as never, ctx: {}, fallback });
    const q: KeyBinding<unknown> = { id: 'a.q', keys: ['q'], description: 'q', category: 'General', action: () => {} };
    const denied: KeyBinding<unknown> = { ...q, id: 'a.r', keys: ['r'], visible: () => false, unavailable: () => 'not yet' };
    const typing = route([], () => {});
    expect(routeKey([route([q]), route([{ ...q, id: 'b.q' }])], 'q', false)).toMatchObject({ type: 'binding', binding: { id: 'a.q' } });
    expect(routeKey([route([q]), typing], 'z', false)).toEqual({ type: 'fallback', route: typing });
    expect(routeKey([route([denied])], 'r', false)).toEqual({ type: 'unavailable', why: 'not yet' });
    expect(routeKey([route([{ ...q, dangerous: true }])], 'q', true)).toMatchObject({ type: 'unavailable' });
    expect(routeKey([route([q])], undefined, false)).toEqual({ type: 'none' });
  });

  it('gives a key to the scopes of the input mode in the UI store when the key arrives', () => {
    const { log, router, ui } = setup();
    router.dispatch('q', NO_KEY);
    draw(router, ui, { type: 'help' });
    router.dispatch('j', NO_KEY);
    router.dispatch('q', NO_KEY);
    expect(log).toEqual(['view.quit@view', 'typed j', 'modal.close@modal']);
  });

  it('hands keys that arrive together over one by one and at once, each after the one before acted', () => {
    const { log, router, ui } = setup();
    const keys: string[] = [];
    router.register('view', {
      owner: Symbol('table'),
      keymap: [
        { id: 'down', keys: ['j'], description: 'down', category: 'Table', action: () => ui.getState().updateTable('t', { marked: new Set(), scrollWish: 1 }, (t) => ({ ...t, key: `${Number(t.key ?? 0) + 1}` })) },
        { id: 'enter', keys: ['enter'], description: 'open', category: 'Table', action: () => keys.push(ui.getState().tables.t?.key ?? 'none') },
      ] as never,
      ctx: 'table',
    });
    // Ink emits the keys of one read in one loop, before React renders anything.
    router.dispatch('jj\r', NO_KEY);
    expect(keys).toEqual(['2']);
    expect(log).toEqual([]);
  });

  it('holds keys typed after a modal opens until the shell has drawn it, however slow that is, with no timer', async () => {
    const log: string[] = [];
    const { router, ui } = drawnRouter();
    const open: KeyBinding<string> = { id: 'view.filter', keys: ['/'], description: 'filter', category: 'General', action: () => ui.getState().setModal({ type: 'filter' }) };
    const sort: KeyBinding<string> = { id: 'view.sort', keys: ['s'], description: 'sort', category: 'Table', action: () => log.push('sort') };
    router.register('view', { owner: Symbol('view'), keymap: [open, sort] as never, ctx: 'view' });
    router.register('prompt', { owner: Symbol('prompt'), keymap: [] as never, ctx: 'prompt', fallback: (input) => log.push(`typed ${input}`) });
    router.dispatch('/s', NO_KEY);
    // A render that takes a whole second (a loaded machine): the s must not go to the view.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(log).toEqual([]);
    router.markRendered(uiEpoch(ui.getState()));
    await Promise.resolve();
    expect(log).toEqual(['typed s']);
    // Closing it: keys wait again for the view to be drawn.
    ui.getState().setModal(NO_MODAL);
    router.dispatch('s', NO_KEY);
    expect(log).toEqual(['typed s']);
    router.markRendered(uiEpoch(ui.getState()));
    await Promise.resolve();
    expect(log).toEqual(['typed s', 'sort']);
  });

  it('gives the scope back to the route below when the top one unregisters', () => {
    const { log, router } = setup();
    const owner = Symbol('panel');
    router.register('view', { owner, keymap: [] as never, ctx: 'panel', fallback: () => log.push('panel') });
    router.unregister('view', Symbol('someone else'));
    router.dispatch('z', NO_KEY);
    router.unregister('view', owner);
    router.dispatch('j', NO_KEY);
    expect(log).toEqual(['panel', 'view.down@view']);
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
    const ui = createUiStore('v');
    const router = new KeyRouter(ui);
    router.markRendered(uiEpoch(ui.getState()));
    router.setUnavailableHandler((why) => said.push(why));
    const ctx = { allowed: false, why: 'still checking access' };
    router.register('view', { owner: Symbol('view'), keymap: [rollback] as never, ctx });
    router.dispatch('r', NO_KEY);
    expect(said).toEqual(['still checking access']);
  });

  it('name the read-only mode for a mutating key, and stay quiet for keys with nothing to say', () => {
    expect(unavailableReason([rollback], 'r', { allowed: true }, true)).toBe('Roll back: refused, daytwo is read-only (--readonly)');
    expect(unavailableReason([rollback], 'r', { allowed: false }, false)).toBeUndefined();
    expect(unavailableReason([rollback], 'x', { allowed: false, why: 'no' }, false)).toBeUndefined();
  });
});
