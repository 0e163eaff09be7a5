/** The two header lines rendered alone by ink-testing-library from a seeded store. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Header } from '../../src/components/Header.js';
import { StoreContext } from '../../src/hooks/use-app-store.js';
import type { AppStore } from '../../src/store/app-store.js';
import { namespace, pod, seededStore } from '../helpers/render.js';

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

function header(store: AppStore, width = 100) {
  app = render(
    <StoreContext.Provider value={store}>
      <Header width={width} />
    </StoreContext.Provider>,
  );
  return app;
}

describe('Header', () => {
  it('names the context, version, health and server, then the scope and the counts', () => {
    const store = seededStore({ namespaces: [namespace('shop')], pods: [pod('shop', 'web-1'), pod('shop', 'web-2')] });
    const [first, second] = (header(store).lastFrame() ?? '').split('\n');
    expect(first).toBe('daytwo  test-ctx  v1.30.4  live  https://127.0.0.1:6443');
    expect(second).toBe('scope: all namespaces  ns 1 · nodes 0 · pods 2 · deploy 0 · sts 0 · ds 0 · jobs 0');
  });

  it('says READ-ONLY, the -n namespace, and DISCONNECTED with the reason ahead of the counts', async () => {
    const store = seededStore({ pods: [] }, { readonly: true, namespace: 'shop' });
    header(store);
    expect(app?.lastFrame()).toContain('READ-ONLY');
    expect(app?.lastFrame()).toContain('scope: shop (-n)');
    store.getState().setConnection('pods', 'reconnecting', 'connect ECONNREFUSED 127.0.0.1:6443');
    store.getState().setCluster({ reachable: false });
    await vi.waitFor(() => expect(app?.lastFrame()).toContain('DISCONNECTED'));
    expect(app?.lastFrame()?.split('\n')[1]).toMatch(/^scope: shop \(-n\) {2}connect ECONNREFUSED 127\.0\.0\.1:6443 {2}ns 0/);
  });

  it('truncates to its width instead of wrapping', () => {
    const store = seededStore({}, { server: `https://${'a'.repeat(80)}.example.com:6443` });
    const lines = (header(store, 60).lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });
});
