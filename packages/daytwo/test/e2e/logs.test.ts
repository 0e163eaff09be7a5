import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E2E, hasTmux, tmuxPerTest } from '../helpers/tmux.js';

const startTui = tmuxPerTest();
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.skipIf(!hasTmux)('the Logs view of daytwo --demo in a terminal', E2E, () => {
  it('follows a selector, pauses, filters and saves what it shows', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'daytwo-e2e-logs-'));
    const tui = startTui(`DAYTWO_LOG_DIR=${dir} node bin/daytwo.js --demo --log-buffer 500`, { cols: 160, rows: 30 });
    await tui.waitFor(/ live [\s\S]*payments\s+Active/);

    tui.keys(':');
    tui.type('logs -n shop app=frontend');
    tui.keys('Enter');
    let screen = await tui.waitFor(/^frontend-\S+\/frontend /m);
    expect(screen).toContain('selector app=frontend in shop · FOLLOWING · 3 pods · all containers');
    expect(screen).toMatch(/\d+\/500 lines/);

    tui.keys('k');
    screen = await tui.waitFor('PAUSED');
    tui.keys('f');
    await tui.waitFor('FOLLOWING');

    tui.keys('/');
    tui.type('/ (200|304) /');
    tui.keys('Enter');
    screen = await tui.waitFor((s) => /^frontend-\S+\/frontend .* (200|304) \d+/m.test(s) && !/" (404|502) \d+ "/.test(s));

    tui.keys('s');
    screen = await tui.waitFor(/saved \d+ lines matching \/ \(200\|304\) \/ to \S+\.log/);
    const file = /to (\S+\.log)/.exec(screen)?.[1] as string;
    expect(path.dirname(file)).toBe(dir);
    expect(existsSync(file)).toBe(true);
    const saved = readFileSync(file, 'utf8').trim().split('\n');
    expect(saved.length).toBeGreaterThan(0);
    for (const l of saved) expect(l).toMatch(/^frontend-\S+\/frontend .* (200|304) /);
    expect(readdirSync(dir)).toHaveLength(1);

    tui.keys('q');
    await tui.waitFor('[exit 0]');
  }, 60_000);
});
