/** The status line rendered alone by ink-testing-library: the newest message, errors until dismissed. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusLine } from '../../src/components/StatusLine.js';
import { StoreContext } from '../../src/hooks/use-app-store.js';
import { createAppStore } from '../../src/store/app-store.js';

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  vi.useRealTimers();
});

function statusLine() {
  const store = createAppStore();
  app = render(
    <StoreContext.Provider value={store}>
      <StatusLine dismissKey="x" />
    </StoreContext.Provider>,
  );
  return store.getState();
}

describe('StatusLine', () => {
  it('is blank without a message and shows the newest one with its mark', async () => {
    const state = statusLine();
    expect(app?.lastFrame()).toBe('');
    state.pushMessage('info', 'cordoned ip-10-0-1-12');
    await vi.waitFor(() => expect(app?.lastFrame()).toBe('i cordoned ip-10-0-1-12'));
    state.pushMessage('success', 'drained ip-10-0-1-12');
    await vi.waitFor(() => expect(app?.lastFrame()).toBe('✓ drained ip-10-0-1-12'));
  });

  it('truncates to the terminal width rather than wrapping', async () => {
    const state = statusLine();
    state.pushMessage('warning', `applied Git to Deployment shop/cart, but it is still OutOfSync: ${'spec.template.spec.containers[name=cart].env, '.repeat(3)}`);
    await vi.waitFor(() => expect(app?.lastFrame()).toMatch(/^! applied Git to Deployment shop\/cart, but it is still OutOfSync: .*…$/));
    expect(app?.lastFrame()?.split('\n')).toHaveLength(1);
    expect(app?.lastFrame()).toHaveLength(100);
  });

  it('keeps an error, saying which key dismisses it, until it is dismissed', async () => {
    const state = statusLine();
    state.pushMessage('error', 'drain ip-10-0-1-12: the server is currently unable to handle the request');
    await vi.waitFor(() => expect(app?.lastFrame()).toBe('✗ drain ip-10-0-1-12: the server is currently unable to handle the request  (x dismisses)'));
    state.dismissMessage();
    await vi.waitFor(() => expect(app?.lastFrame()).toBe(''));
  });

  it('lets an info message fade after its time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const state = statusLine();
    state.pushMessage('info', 'synced');
    await vi.waitFor(() => expect(app?.lastFrame()).toBe('i synced'));
    await vi.advanceTimersByTimeAsync(6_000);
    await vi.waitFor(() => expect(app?.lastFrame()).toBe(''));
  });
});
