import { Box, Text } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { type DialogSpec, Dialog } from '../../src/components/Dialog.js';
import { createAppStore } from '../../src/store/app-store.js';
import { KIND_NAMES } from '../../src/domain/kinds.js';
import { VIEWS, type ViewSpec } from '../../src/views/registry.js';
import type { Keymap } from '../../src/hooks/keymap.js';
import { useAppStore } from '../../src/hooks/use-app-store.js';
import { useKeymap } from '../../src/hooks/use-keymap.js';
import { useShell } from '../../src/views/shell.js';
import { ViewFooter } from '../../src/views/ViewFooter.js';
import { KEYS, namespace, pod, type Rendered, renderApp, renderElement, tick } from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const objects = () => ({
  namespaces: [namespace('default'), namespace('kube-system'), namespace('shop'), namespace('staging')],
  pods: [pod('shop', 'cart-1')],
});

describe('header', () => {
  it('shows context, server, version, health, counts and scope', async () => {
    app = await renderApp({ objects: objects() });
    const [first, second] = app.lines();
    expect(first).toMatch(/^daytwo {2}test-ctx {2}v1\.30\.4 {2}live {2}https:\/\/127\.0\.0\.1:6443$/);
    expect(second).toContain('scope: all namespaces');
    expect(second).toContain('ns 4 · nodes 0 · pods 1');
    expect(first).not.toContain('READ-ONLY');
  });

  it('shows READ-ONLY, the -n limit and DISCONNECTED as the cluster state changes', async () => {
    app = await renderApp({ objects: objects(), cluster: { readonly: true, namespace: 'shop' } });
    expect(app.lines()[0]).toContain('READ-ONLY');
    // Under -n the console holds one namespace: the header never says "all namespaces".
    expect(app.lines()[1]).toContain('scope: shop (-n)');
    expect(app.lines()[1]).not.toContain('all namespaces');
    app.store.getState().setCluster({ reachable: false });
    await tick();
    expect(app.lines()[0]).toContain('DISCONNECTED');
    app.store.getState().setCluster({ reachable: true });
    app.store.getState().setConnection('pods', 'reconnecting', 'watch closed: 500');
    app.store.getState().setConnection('nodes', 'forbidden');
    await tick();
    expect(app.lines()[0]).toContain('reconnecting pods · forbidden nodes');
    expect(app.lines()[1]).toContain('watch closed: 500');
  });

  it('keeps the server URL and the error in sight when every kind is failing, even at 80 columns', async () => {
    app = await renderApp({ objects: objects(), columns: 80 });
    const error = 'connect ECONNREFUSED 127.0.0.1:6443';
    for (const kind of KIND_NAMES) app.store.getState().setConnection(kind, 'reconnecting', error);
    app.store.getState().setCluster({ reachable: false });
    await tick();
    const [first, second] = app.lines();
    expect(first).toContain('DISCONNECTED');
    expect(first).toContain('https://127.0.0.1:6443');
    expect(second).toContain(error);
    app.store.getState().setCluster({ reachable: true });
    await tick();
    expect(app.lines()[0]).toContain(`reconnecting (${KIND_NAMES.length} kinds)`);
    expect(app.lines()[0]).toContain('https://127.0.0.1:6443');
    expect(app.lines()[1]).toContain(error);
  });
});

describe('frame size', () => {
  it('stays at least one row shorter than the terminal and within its width, across resizes', async () => {
    app = await renderApp({ objects: objects(), columns: 100, rows: 24 });
    const fits = (columns: number, rows: number) => {
      const lines = app!.lines();
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
    };
    fits(100, 24);
    await app.resize(50, 12);
    fits(50, 12);
    // Narrow: flexible columns shrink with an ellipsis, and the name column keeps room.
    expect(app.frame()).toContain('…');
    expect(app.frame()).toContain('kube-sys');
    await app.resize(160, 40);
    fits(160, 40);
    expect(app.frame()).toContain('QUOTA');
    expect(app.frame()).not.toContain('…');
  });

  it('shows fewer rows on a short terminal and keeps the cursor in view', async () => {
    const many = Array.from({ length: 50 }, (_, i) => namespace(`ns-${String(i).padStart(2, '0')}`));
    app = await renderApp({ objects: { namespaces: many }, rows: 40 });
    await app.press('G');
    await app.resize(100, 12);
    expect(app.lines().length).toBeLessThanOrEqual(11);
    expect(app.cursorLine()).toContain('ns-49');
  });
});

describe('command line', () => {
  it('completes a view name with Tab and switches to it', async () => {
    app = await renderApp({ objects: objects() });
    await app.press(':');
    await app.type('na');
    await app.press(KEYS.tab);
    expect(app.frame()).toContain(':namespace');
    expect(app.frame()).toContain('namespace namespaces');
    await app.type('s');
    await app.press(KEYS.tab);
    expect(app.lines().at(-1)).toMatch(/^:namespaces\s*$/);
    await app.press(KEYS.enter);
    expect(app.frame()).not.toContain(':namespaces');
    expect(app.store.getState().messages).toEqual([]);
  });

  it('completes and scopes a namespace argument, and :ns all clears it', async () => {
    app = await renderApp({ objects: objects() });
    await app.press(':');
    await app.type('ns sh');
    await app.press(KEYS.tab, KEYS.enter);
    expect(app.store.getState().scope).toBe('shop');
    await app.press(':');
    await app.type('ns all');
    await app.press(KEYS.enter);
    expect(app.store.getState().scope).toBeUndefined();
  });

  it('refuses views that do not exist, with an error that stays until x dismisses it', async () => {
    app = await renderApp({ objects: objects() });
    await app.press(':');
    await app.type('nosuchview');
    await app.press(KEYS.enter);
    const statusLine = () => app!.lines().at(-1) ?? '';
    expect(statusLine()).toContain('✗ unknown command ":nosuchview"');
    expect(statusLine()).toContain('x dismisses');
    // Make the error old: errors do not fade.
    app.store.setState((s) => ({ messages: s.messages.map((m) => ({ ...m, at: m.at - 60_000 })) }));
    await tick();
    expect(statusLine()).toContain('unknown command');
    await app.press('x');
    expect(statusLine()).not.toContain('unknown command');
    expect(app.store.getState().messages).toEqual([]);
  });

  it('lets info messages fade while an older error stays', async () => {
    app = await renderApp({ objects: objects() });
    app.store.getState().pushMessage('error', 'watch pods: forbidden');
    app.store.getState().pushMessage('success', 'cordoned node-1');
    await tick();
    expect(app.lines().at(-1)).toContain('cordoned node-1');
    app.store.setState((s) => ({ messages: s.messages.map((m) => ({ ...m, at: m.at - 6_000 })) }));
    await tick();
    expect(app.lines().at(-1)).toContain('watch pods: forbidden');
  });

  it('quits with :q', async () => {
    app = await renderApp({ objects: objects() });
    await app.press(':');
    await app.type('q');
    await app.press(KEYS.enter);
    await expect(app.exited).resolves.toBeUndefined();
  });
});

interface SecondContext {
  readonly selected: string | undefined;
  remove(): void;
}

const removed: string[] = [];

/** A view with a dangerous action and one that needs a selection, like the node and workload views will have. */
const SECOND_KEYMAP: Keymap<SecondContext> = [
  {
    id: 'second.delete',
    keys: ['d'],
    description: 'Delete the selected object',
    category: 'View',
    action: (c) => c.remove(),
    visible: (c) => c.selected !== undefined,
    dangerous: true,
    hint: 'delete',
  },
];

const secondView: ViewSpec = {
  id: 'second',
  title: 'Second',
  commands: ['second'],
  hotkey: '9',
  component: function Second() {
    const shell = useShell();
    const selected = useAppStore((s) => s.scope);
    const ctx: SecondContext = {
      selected,
      remove: () =>
        shell.confirm({
          title: `Delete ${selected}?`,
          body: 'It is gone for good.',
          dangerous: true,
          onConfirm: () => removed.push(selected ?? '?'),
        }),
    };
    useKeymap(SECOND_KEYMAP, ctx, { scope: 'view' });
    return (
      <Box flexDirection="column" height={shell.height}>
        <Box flexGrow={1}>
          <Text>{`second view, filter=${shell.filter || '(none)'}`}</Text>
        </Box>
        <ViewFooter keymap={SECOND_KEYMAP} ctx={ctx} />
      </Box>
    );
  },
  keymap: SECOND_KEYMAP,
};

describe('navigation between views', () => {
  it('switches with number keys; Esc closes the help first, then clears the filter, then goes back', async () => {
    app = await renderApp({ objects: objects(), props: { views: [...VIEWS.filter((v) => v.hotkey !== '9'), secondView] } });
    await app.press('9');
    expect(app.frame()).toContain('second view, filter=(none)');
    await app.press('/');
    await app.type('abc');
    await app.press(KEYS.enter, '?');
    expect(app.frame()).toContain('Help');
    expect(app.frame()).toContain('Show the Second view (:second)');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('second view, filter=abc');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('second view, filter=(none)');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Namespaces(4)');
    // Nothing further back: Esc stays.
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Namespaces(4)');
  });

  it('hands keys typed right after opening a modal to the modal, not the view', async () => {
    app = await renderApp({ objects: objects() });
    await app.burst('/', 's', 'h', 'o', 'p', KEYS.enter, 'j');
    expect(app.frame()).toContain('Namespaces(1/4)  [shop]');
    await app.burst(':', 'q', KEYS.escape, 'j', '?', KEYS.escape);
    expect(app.store.getState().messages).toEqual([]);
    expect(app.frame()).not.toContain('Help');
  });

  it('acts on the row the keys before it selected when several keys come in one read (SSH, tmux)', async () => {
    app = await renderApp({ objects: objects() });
    await app.chunk(KEYS.down, KEYS.down, KEYS.enter);
    expect(app.cursorLine()).toMatch(/^>\s+shop\s/);
    expect(app.store.getState().scope).toBe('shop');
    // One move then the action: the action must wait for the move's render too.
    await app.press('0', 'g');
    await app.chunk(KEYS.down, KEYS.enter);
    expect(app.cursorLine()).toMatch(/^>\s+kube-system\s/);
    expect(app.store.getState().scope).toBe('kube-system');
  });

  it('offers a binding in the footer and on its key only when visible, asks before a dangerous one, and hides it under --readonly', async () => {
    removed.length = 0;
    app = await renderApp({ objects: objects(), props: { views: [...VIEWS.filter((v) => v.hotkey !== '9'), secondView] } });
    await app.press('9');
    const footer = () => app!.lines().at(-2) ?? '';
    expect(footer()).toMatch(/^\/ filter {2}: command {2}0 all-ns {2}\? help {2}q quit$/);
    await app.press('d');
    expect(removed).toEqual([]);
    app.store.getState().setScope('shop');
    await tick();
    expect(footer()).toMatch(/^d delete {2}\/ filter/);
    await app.press('d');
    expect(app.frame()).toContain('Delete shop?');
    expect(app.frame()).not.toContain('second view');
    // Keys go to the dialog: Enter presses the focused Cancel of a dangerous dialog.
    await app.press('9', KEYS.enter);
    expect(removed).toEqual([]);
    expect(app.frame()).toContain('second view');
    await app.press('d', 'y');
    expect(removed).toEqual(['shop']);
    expect(app.frame()).toContain('second view');
    app.store.getState().setCluster({ readonly: true });
    await tick();
    expect(footer()).not.toContain('delete');
    await app.press('d');
    expect(removed).toEqual(['shop']);
  });

  it('does not let keys typed into the command line reach the view', async () => {
    app = await renderApp({ objects: objects() });
    await app.press(':');
    await app.type('jjq');
    expect(app.cursorLine()).toContain('default');
    expect(app.frame()).toContain(':jjq');
    await app.press(KEYS.escape);
    expect(app.frame()).not.toContain(':jjq');
  });

  it('quits with q', async () => {
    let quit = 0;
    app = await renderApp({ objects: objects(), props: { callbacks: { onQuit: () => quit++ } } });
    await app.press('q');
    await expect(app.exited).resolves.toBeUndefined();
    expect(quit).toBe(1);
  });

  it('quits with Ctrl-C even while a modal is open', async () => {
    app = await renderApp({ objects: objects() });
    await app.press('?', KEYS.ctrlC);
    await expect(app.exited).resolves.toBeUndefined();
  });
});

describe('Dialog', () => {
  async function openDialog(spec: Partial<DialogSpec> = {}) {
    const answers: string[] = [];
    let closed = 0;
    const full: DialogSpec = {
      title: 'Drain node-1?',
      body: ['Evicts 12 pods.'],
      options: [{ id: 'force', label: 'Delete pods without a controller', key: '1', value: false }],
      onConfirm: (o) => answers.push(`confirm force=${o.force}`),
      onCancel: () => answers.push('cancel'),
      ...spec,
    };
    const rendered = await renderElement(<Dialog spec={full} width={80} onClose={() => closed++} />, createAppStore());
    return { rendered, answers, closed: () => closed };
  }

  it('shows title, body, options and buttons', async () => {
    const { rendered } = await openDialog();
    app = rendered;
    expect(app.frame()).toContain('Drain node-1?');
    expect(app.frame()).toContain('Evicts 12 pods.');
    expect(app.frame()).toContain('[ ] 1 Delete pods without a controller');
    expect(app.frame()).toContain('Yes (y)');
  });

  it('confirms with y, passing the toggled options', async () => {
    const d = await openDialog();
    app = d.rendered;
    await app.press('1');
    expect(app.frame()).toContain('[x] 1 Delete');
    await app.press('y');
    expect(d.answers).toEqual(['confirm force=true']);
    expect(d.closed()).toBe(1);
  });

  it('cancels with n or Esc', async () => {
    const d = await openDialog();
    app = d.rendered;
    await app.press(KEYS.escape);
    expect(d.answers).toEqual(['cancel']);
  });

  it('starts a dangerous dialog on Cancel, so a stray Enter does nothing harmful', async () => {
    const d = await openDialog({ dangerous: true });
    app = d.rendered;
    await app.press(KEYS.enter);
    expect(d.answers).toEqual(['cancel']);
  });

  it('presses the focused button with Enter after moving the focus', async () => {
    const d = await openDialog({ dangerous: true });
    app = d.rendered;
    await app.press(KEYS.tab, KEYS.enter);
    expect(d.answers).toEqual(['confirm force=false']);
  });
});
