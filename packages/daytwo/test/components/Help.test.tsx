/** The `?` screen rendered alone by ink-testing-library: lines generated from keymaps, scrolling, closing. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DIALOG_KEYMAP } from '../../src/components/Dialog.js';
import { Help, type HelpSection, helpLines } from '../../src/components/Help.js';
import { TABLE_KEYMAP } from '../../src/components/table-keymap.js';
import type { KeyBinding } from '../../src/hooks/keymap.js';
import { KEYS } from '../helpers/render.js';

const SECTIONS: readonly HelpSection[] = [
  { title: 'Table', bindings: TABLE_KEYMAP as readonly KeyBinding<never>[] },
  { title: 'Dialog', bindings: DIALOG_KEYMAP as readonly KeyBinding<never>[] },
];

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

describe('Help', () => {
  it('lists every binding of every section, by category, from the keymaps', () => {
    const lines = helpLines(SECTIONS);
    for (const b of [...TABLE_KEYMAP, ...DIALOG_KEYMAP]) expect(lines.some((l) => l.endsWith(b.description))).toBe(true);
    expect(lines).toContain('Table');
    expect(lines).toContain('  Navigation');
    expect(lines.find((l) => l.endsWith('Move down'))).toMatch(/^ {4}j ↓\s+Move down$/);
  });

  it('shows a page with its position and scrolls with j and space', async () => {
    app = render(<Help sections={SECTIONS} width={100} height={10} onClose={() => {}} />);
    const total = helpLines(SECTIONS).length;
    expect(app.lastFrame()).toContain(`Help — Esc or ? closes  1-9/${total} (j/k scroll)`);
    expect(app.lastFrame()?.split('\n')).toHaveLength(10);
    app.stdin.write('j');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain(`2-10/${total}`));
    app.stdin.write(' ');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain(`12-20/${total}`));
    app.stdin.write('k');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain(`11-19/${total}`));
  });

  it('shows the note first and has no position when everything fits', () => {
    app = render(<Help sections={[SECTIONS[1]]} note={['Drift: Git versus the live cluster']} width={100} height={40} onClose={() => {}} />);
    const frame = app.lastFrame() ?? '';
    expect(frame.split('\n')[0]).toBe('Help — Esc or ? closes');
    expect(frame.split('\n')[1]).toBe('Drift: Git versus the live cluster');
  });

  it('closes with Esc, ? and q', async () => {
    let closed = 0;
    app = render(<Help sections={SECTIONS} width={100} height={10} onClose={() => closed++} />);
    app.stdin.write('?');
    app.stdin.write('q');
    await vi.waitFor(() => expect(closed).toBe(2));
    app.stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(closed).toBe(3));
  });
});
