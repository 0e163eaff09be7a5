import { afterEach, describe, expect, it } from 'vitest';
import { NAMESPACES_KEYMAP } from '../../src/views/NamespacesView.js';
import { displayKey } from '../../src/hooks/keymap.js';
import {
  KEYS,
  limitRange,
  namespace,
  namespaced,
  pod,
  type Rendered,
  renderApp,
  resourceQuota,
  tick,
} from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const seed = () => ({
  namespaces: [namespace('default'), namespace('kube-system', { ageSeconds: 86400 * 9 }), namespace('shop'), namespace('web-1'), namespace('web-22')],
  pods: [
    pod('shop', 'cart-1', { qosClass: 'Guaranteed', restarts: [4] }),
    pod('shop', 'cart-2', { phase: 'Pending', qosClass: 'Burstable' }),
    pod('kube-system', 'coredns', { qosClass: 'Burstable', restarts: [1] }),
  ],
  deployments: [namespaced('apps/v1', 'Deployment', 'shop', 'cart')],
  limitranges: [limitRange('shop', 'defaults')],
  resourcequotas: [resourceQuota('shop', 'compute', { 'requests.cpu': '2' }, { 'requests.cpu': '1500m' })],
});

/** The NAME cell of every data row shown (rows start after the title and header lines). */
function shownNames(r: Rendered): string[] {
  const lines = r.lines();
  const header = lines.findIndex((l) => l.includes('NAME'));
  const names: string[] = [];
  for (const line of lines.slice(header + 1)) {
    const name = line.slice(3).split(/\s+/)[0];
    if (!name) break;
    names.push(name);
  }
  return names;
}

describe('Namespaces view', () => {
  it('shows one summary row per namespace', async () => {
    app = await renderApp({ objects: seed() });
    const shop = app.lines().find((l) => l.includes(' shop '));
    expect(shop).toMatch(/shop\s+Active\s+60m\s+1\/1\/0\s+4\s+1\s+1\/1\/0\s+yes\s+75% req/);
    expect(app.lines().find((l) => l.includes('kube-system'))).toMatch(/kube-system\s+Active\s+9d/);
    expect(shownNames(app)).toEqual(['default', 'kube-system', 'shop', 'web-1', 'web-22']);
  });

  it('moves the cursor with j/k, arrows, G/g, End/Home and pages', async () => {
    app = await renderApp({ objects: seed() });
    expect(app.cursorLine()).toContain('default');
    await app.press('j', 'j');
    expect(app.cursorLine()).toContain('shop');
    await app.press(KEYS.up);
    expect(app.cursorLine()).toContain('kube-system');
    await app.press('G');
    expect(app.cursorLine()).toContain('web-22');
    expect(app.frame()).toContain('5/5');
    await app.press('g');
    expect(app.cursorLine()).toContain('default');
    await app.press(KEYS.end, KEYS.home, KEYS.down);
    expect(app.cursorLine()).toContain('kube-system');
    await app.press(KEYS.pageDown);
    expect(app.cursorLine()).toContain('web-22');
    await app.press(KEYS.pageUp);
    expect(app.cursorLine()).toContain('default');
  });

  it('keeps the cursor on the same namespace when rows are added above it', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('j', 'j');
    expect(app.cursorLine()).toContain('shop');
    app.store.getState().applyChanges([{ kind: 'namespaces', type: 'upsert', object: namespace('aaa') }]);
    await tick();
    expect(app.cursorLine()).toContain('shop');
    expect(app.frame()).toContain('4/6');
    // And to its neighbour when it is deleted.
    app.store.getState().applyChanges([{ kind: 'namespaces', type: 'delete', key: 'shop' }]);
    await tick();
    expect(app.cursorLine()).toContain('web-1');
  });

  it('filters by substring, case-insensitively, live while typing', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('/');
    await app.type('WEB');
    expect(shownNames(app)).toEqual(['web-1', 'web-22']);
    expect(app.frame()).toContain('/WEB');
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Namespaces(2/5)  [WEB]');
    // Esc outside the input clears the filter.
    await app.press(KEYS.escape);
    expect(shownNames(app)).toHaveLength(5);
  });

  it('filters by a regular expression wrapped in slashes', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('/');
    await app.type('/^web-\\d$/');
    await app.press(KEYS.enter);
    expect(shownNames(app)).toEqual(['web-1']);
  });

  it('reports a bad regular expression and keeps running', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('/');
    await app.type('/web-(/');
    await app.press(KEYS.enter);
    expect(app.frame()).toMatch(/bad filter: .*(unterminated group|Invalid regular expression)/i);
    expect(shownNames(app)).toHaveLength(5);
    await app.press('j');
    expect(app.cursorLine()).toContain('kube-system');
  });

  it('cancels the filter input with Esc, clearing the filter', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('/');
    await app.type('shop');
    expect(shownNames(app)).toEqual(['shop']);
    await app.press(KEYS.escape);
    expect(shownNames(app)).toHaveLength(5);
    expect(app.frame()).not.toContain('/shop');
  });

  it('sorts by the next column with > and reverses with r, showing the indicator', async () => {
    app = await renderApp({ objects: seed() });
    expect(app.frame()).toContain('NAME↑');
    await app.press('>', '>', '>', '>');
    expect(app.frame()).toContain('RESTARTS↑');
    expect(shownNames(app).slice(-2)).toEqual(['kube-system', 'shop']);
    await app.press('r');
    expect(app.frame()).toContain('RESTARTS↓');
    expect(shownNames(app).slice(0, 2)).toEqual(['shop', 'kube-system']);
    await app.press('<');
    expect(app.frame()).toContain('PODS R/P/F↑');
  });

  it('scopes to the namespace under the cursor with Enter, and 0 clears the scope', async () => {
    app = await renderApp({ objects: seed() });
    await app.press('j', 'j', KEYS.enter);
    expect(app.store.getState().scope).toBe('shop');
    expect(app.lines()[1]).toContain('scope: shop');
    await app.press('0');
    expect(app.store.getState().scope).toBeUndefined();
    expect(app.lines()[1]).toContain('scope: all namespaces');
  });

  it('marks rows with space', async () => {
    app = await renderApp({ objects: seed() });
    await app.press(' ', 'j', 'j', ' ');
    expect(app.frame()).toContain('2 marked');
    expect(app.lines().filter((l) => l.slice(0, 2).includes('*'))).toHaveLength(2);
    await app.press(' ');
    expect(app.frame()).toContain('1 marked');
    // A marked namespace that is deleted no longer counts.
    app.store.getState().applyChanges([{ kind: 'namespaces', type: 'delete', key: 'default' }]);
    await tick();
    expect(app.frame()).not.toContain('marked');
  });

  it('renders only the visible window of 30,000 rows and reaches the last one', async () => {
    const many = Array.from({ length: 30_000 }, (_, i) => namespace(`ns-${String(i).padStart(5, '0')}`));
    app = await renderApp({ objects: { namespaces: many }, rows: 30 });
    expect(app.lines().length).toBeLessThan(30);
    expect(shownNames(app)[0]).toBe('ns-00000');
    await app.press('G');
    expect(app.cursorLine()).toContain('ns-29999');
    expect(app.frame()).toContain('30000/30000');
    expect(app.lines().length).toBeLessThan(30);
  });

  it('handles keys that arrive in one read (a paste, or keystrokes batched over SSH) one by one', async () => {
    app = await renderApp({ objects: seed(), rows: 80 });
    await app.press('jj?');
    expect(app.frame()).toContain('Help');
    await app.press(KEYS.escape);
    expect(app.cursorLine()).toContain('shop');
    // Typed into the filter prompt, a chunk ending in Enter is text then Enter.
    await app.press('/web\r');
    expect(shownNames(app)).toEqual(['web-1', 'web-22']);
    // Enter acts on the row the j before it selected.
    await app.press(KEYS.escape, 'gj\r');
    expect(app.store.getState().scope).toBe('kube-system');
    // The key that opens the command line is followed at once by what is typed into it.
    await app.press(':nodez\r');
    await tick(100);
    expect(app.frame()).toContain('unknown command ":nodez"');
  });

  it('lists its keys in the help screen, generated from the keymap', async () => {
    app = await renderApp({ objects: seed(), rows: 80 });
    await app.press('?');
    const frame = app.frame();
    for (const b of NAMESPACES_KEYMAP) {
      expect(frame).toContain(b.description);
      expect(frame).toMatch(new RegExp(`${b.keys.map(displayKey).join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${b.description.replace(/[()]/g, '\\$&')}`));
    }
    // The table keeps its state under the help screen.
    await app.press(KEYS.escape);
    expect(app.frame()).not.toContain('Help');
    expect(app.cursorLine()).toContain('default');
  });
});
