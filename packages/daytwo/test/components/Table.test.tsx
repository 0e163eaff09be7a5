/**
 * The windowed table with its shared keys, rendered alone by ink-testing-library (its fixed
 * 100-column stdout is all a table of this width needs).
 */
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Table } from '../../src/components/Table.js';
import { TABLE_KEYMAP } from '../../src/components/table-keymap.js';
import type { ColumnDef } from '../../src/domain/table.js';
import { useKeymap } from '../../src/hooks/use-keymap.js';
import { useTable } from '../../src/hooks/use-table.js';

interface Pod {
  readonly name: string;
  readonly restarts: number;
}

const COLUMNS: readonly ColumnDef<Pod>[] = [
  { id: 'name', header: 'NAME', value: (p) => p.name, flex: true },
  { id: 'restarts', header: 'RESTARTS', value: (p) => String(p.restarts), sortValue: (p) => p.restarts, align: 'right' },
];
const PODS: readonly Pod[] = Array.from({ length: 12 }, (_, i) => ({ name: `web-${i + 1}`, restarts: (i * 7) % 5 }));
const keyOf = (p: Pod) => p.name;

function PodTable({ rows = PODS, filter = '', height = 5 }: { rows?: readonly Pod[]; filter?: string; height?: number }): ReactElement {
  const table = useTable({ rows, columns: COLUMNS, keyOf, filter, height, width: 60 });
  useKeymap(TABLE_KEYMAP, { table }, { scope: 'view' });
  return <Table table={table} title="Pods" width={60} emptyText="no pods here" />;
}

const cursorLine = (frame: string | undefined) => frame?.split('\n').find((l) => l.startsWith('>'));

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

describe('Table', () => {
  it('draws the title, the header and only the rows of its window, the cursor on the first', () => {
    app = render(<PodTable />);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/^Pods\(12\)/);
    expect(frame).toMatch(/NAME\s+RESTARTS/);
    expect(frame).toContain('web-5');
    expect(frame).not.toContain('web-6');
    expect(cursorLine(frame)).toMatch(/^>\s+web-1\s+0$/);
  });

  it('moves the cursor and scrolls the window with j, G and g', async () => {
    app = render(<PodTable />);
    app.stdin.write('j');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/web-2\b/));
    app.stdin.write('G');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/web-12\b/));
    expect(app.lastFrame()).not.toContain('web-1 ');
    app.stdin.write('g');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/web-1\b/));
  });

  it('sorts by the next column with > (the first, then the second) and keeps the cursor on its row', async () => {
    app = render(<PodTable />);
    app.stdin.write('j');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/web-2\b/));
    app.stdin.write('>');
    await vi.waitFor(() => expect(app?.lastFrame()).toMatch(/NAME↑/));
    app.stdin.write('>');
    await vi.waitFor(() => expect(app?.lastFrame()).toMatch(/RESTARTS↑/));
    expect(cursorLine(app.lastFrame())).toMatch(/web-2\s+2$/);
    const restarts = (app.lastFrame() ?? '').split('\n').slice(2).map((l) => Number(l.trim().split(/\s+/).at(-1)));
    expect(restarts).toEqual([...restarts].sort((a, b) => a - b));
    app.stdin.write('g');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/web-1\s+0$/));
  });

  it('marks rows with space', async () => {
    app = render(<PodTable />);
    app.stdin.write(' ');
    await vi.waitFor(() => expect(cursorLine(app?.lastFrame())).toMatch(/^>\* web-1\b/));
  });

  it('says when nothing matches the filter, and when there is nothing at all', () => {
    app = render(<PodTable filter="nomatch" />);
    expect(app.lastFrame()).toContain('no rows match the filter');
    app.rerender(<PodTable rows={[]} />);
    expect(app.lastFrame()).toContain('no pods here');
  });
});
