/** The confirmation dialog rendered alone by ink-testing-library: toggles, choices, answers, scrolling. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialog, type DialogSpec } from '../../src/components/Dialog.js';
import { KEYS } from '../helpers/render.js';

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

function drainSpec(overrides: Partial<DialogSpec> = {}): DialogSpec & { confirmed: unknown[]; cancelled: number; closed: number } {
  const calls = { confirmed: [] as unknown[], cancelled: 0, closed: 0 };
  const spec: DialogSpec = {
    title: 'Drain node ip-10-0-1-12?',
    body: (v) => [`evicts 14 pods${v.options.emptyDir ? ', deleting emptyDir data' : ''}`],
    options: [{ id: 'emptyDir', label: 'delete emptyDir data', key: '1', value: false }],
    choices: [{ id: 'grace', label: 'grace period', key: '2', values: ['pod default', '0s', '30s'], value: 'pod default' }],
    dangerous: true,
    onConfirm: (options, choices) => calls.confirmed.push({ options, choices }),
    onCancel: () => {
      calls.cancelled++;
    },
    ...overrides,
  };
  return Object.assign(calls, spec);
}

function open(spec: DialogSpec, height?: number) {
  let closed = 0;
  app = render(<Dialog spec={spec} width={80} height={height} onClose={() => closed++} />);
  return { closed: () => closed };
}

describe('Dialog', () => {
  it('shows the title, the body, each toggle with its digit and the buttons, no wider than 72 cells', () => {
    open(drainSpec());
    const frame = app?.lastFrame() ?? '';
    expect(frame).toContain('Drain node ip-10-0-1-12?');
    expect(frame).toContain('evicts 14 pods');
    expect(frame).toContain('[ ] 1 delete emptyDir data');
    expect(frame).toContain('<pod default> 2 grace period');
    expect(frame).toMatch(/Yes \(y\)\s+No \(n\)/);
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBe(72);
  });

  it('toggles an option and cycles a choice with their digits, and confirms with what they say', async () => {
    const spec = drainSpec();
    const dialog = open(spec);
    app?.stdin.write('1');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain('[x] 1 delete emptyDir data'));
    expect(app?.lastFrame()).toContain('evicts 14 pods, deleting emptyDir data');
    app?.stdin.write('2');
    app?.stdin.write('2');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain('<30s> 2 grace period'));
    app?.stdin.write('y');
    await vi.waitFor(() => expect(spec.confirmed).toHaveLength(1));
    expect(spec.confirmed[0]).toEqual({ options: { emptyDir: true }, choices: { grace: '30s' } });
    expect(dialog.closed()).toBe(1);
  });

  it('cancels with n; a dangerous one starts with the focus on No, so Enter cancels too', async () => {
    const spec = drainSpec();
    const dialog = open(spec);
    app?.stdin.write('n');
    await vi.waitFor(() => expect(spec.cancelled).toBe(1));
    app?.unmount();
    open(spec);
    app?.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(spec.cancelled).toBe(2));
    expect(spec.confirmed).toEqual([]);
    expect(dialog.closed()).toBe(1);
    app?.unmount();
    const safe = drainSpec({ dangerous: false });
    open(safe);
    app?.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(safe.confirmed).toHaveLength(1));
  });

  it('scrolls details that do not fit, keeping title, toggles and buttons', async () => {
    const details = Array.from({ length: 30 }, (_, i) => `pod shop/web-${i + 1}`);
    open(drainSpec({ details: () => details }), 16);
    expect(app?.lastFrame()).toContain('pod shop/web-1\n'.trimEnd());
    expect(app?.lastFrame()).toMatch(/lines 1-\d+ of 30/);
    app?.stdin.write('G');
    await vi.waitFor(() => expect(app?.lastFrame()).toContain('pod shop/web-30'));
    expect(app?.lastFrame()).not.toMatch(/web-1\b/);
    expect(app?.lastFrame()).toContain('Drain node ip-10-0-1-12?');
    expect(app?.lastFrame()).toMatch(/Yes \(y\)/);
  });
});
