/**
 * Table columns at narrow widths: rigid columns (numbers, ages) are never cut into other
 * values, hidden columns are announced on the title line and reached with Left/Right.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEYS, limitRange, namespace, pod, type Rendered, renderApp, resourceQuota } from '../helpers/render.js';

let app: Rendered | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const DAY = 86_400;
const seed = () => ({
  namespaces: [namespace('default', { ageSeconds: 380 * DAY }), namespace('kube-system', { ageSeconds: 380 * DAY }), namespace('shop', { ageSeconds: 290 * DAY })],
  pods: [pod('shop', 'cart-1', { qosClass: 'Guaranteed', restarts: [4] })],
  limitranges: [limitRange('shop', 'defaults')],
  resourcequotas: [resourceQuota('shop', 'compute', { 'requests.cpu': '2' }, { 'requests.cpu': '1500m' })],
});

const titleOf = (r: Rendered) => r.lines().find((l) => l.startsWith('Namespaces(')) ?? '';
const headerOf = (r: Rendered) => r.lines().find((l) => l.includes('NAME')) ?? '';

describe('table columns on a narrow terminal', () => {
  it('keeps an age whole at 70x12 (never `38…` for 380d)', async () => {
    app = await renderApp({ objects: seed(), columns: 70, rows: 12 });
    const row = app.lines().find((l) => l.includes('default')) ?? '';
    expect(row).toMatch(/\b380d\b/);
    expect(app.frame()).not.toMatch(/\b38…/);
  });

  it('says which columns are shown and scrolls to the hidden ones with Right/Left, keeping the name', async () => {
    app = await renderApp({ objects: seed(), columns: 60, rows: 16 });
    expect(titleOf(app)).toMatch(/cols 1-\d+\/9 →/);
    expect(headerOf(app)).not.toContain('QUOTA');
    for (let i = 0; i < 8; i++) await app.press(KEYS.right);
    expect(titleOf(app)).toMatch(/← cols \d+-9\/9(?! →)/);
    expect(headerOf(app)).toContain('QUOTA');
    expect(headerOf(app)).toMatch(/^\s+NAME/);
    expect(app.lines().find((l) => l.includes('shop'))).toContain('75% req');
    // The cursor did not move: Left/Right scroll columns only.
    expect(app.cursorLine()).toContain('default');
    for (let i = 0; i < 8; i++) await app.press(KEYS.left);
    expect(titleOf(app)).toMatch(/^Namespaces\(3\).*cols 1-\d+\/9 →/);
    expect(headerOf(app)).toContain('STATUS');
  });

  it('shows no indicator when every column fits', async () => {
    app = await renderApp({ objects: seed(), columns: 160, rows: 16 });
    expect(titleOf(app)).not.toContain('cols');
    await app.press(KEYS.right);
    expect(headerOf(app)).toContain('STATUS');
  });
});
