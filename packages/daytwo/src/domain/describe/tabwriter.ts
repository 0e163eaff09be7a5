/**
 * Go's text/tabwriter as kubectl describe configures it (`tabwriter.NewWriter(buf, 0, 8, 2,
 * ' ', 0)`): cells end at a tab; a column is aligned over each run of consecutive lines
 * that have a cell in it, to the widest cell plus two spaces. A line without a tab ends every
 * column (the writer flushes there), as kubectl's `w.Flush()` before the Events table does.
 */

const PADDING = 2;

/** Lines as the tab writer prints them; `lines` hold `\t`-separated cells. */
export function tabwrite(lines: readonly string[]): string[] {
  const out: string[] = [];
  let block: string[][] = [];
  const flush = () => {
    out.push(...formatBlock(block));
    block = [];
  };
  for (const line of lines) {
    const cells = line.split('\t');
    block.push(cells);
    if (cells.length === 1) flush();
  }
  flush();
  return out;
}

/** Runes, as tabwriter counts a cell's width. */
function width(text: string): number {
  return Array.from(text).length;
}

function formatBlock(block: readonly string[][]): string[] {
  const out: string[] = [];
  format(block, 0, block.length, [], out);
  return out;
}

/** text/tabwriter's `format`: column `widths.length` over lines [line0, line1), recursively. */
function format(block: readonly string[][], line0: number, line1: number, widths: number[], out: string[]): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= block[i].length - 1) continue;
    writeLines(block, start, i, widths, out);
    start = i;
    let w = 0;
    for (; i < line1 && column < block[i].length - 1; i++) w = Math.max(w, width(block[i][column]) + PADDING);
    format(block, start, i, [...widths, w], out);
    start = i;
    i--;
  }
  writeLines(block, start, line1, widths, out);
}

function writeLines(block: readonly string[][], from: number, to: number, widths: readonly number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = block[i];
    out.push(cells.map((c, j) => (j < widths.length && j < cells.length - 1 ? c + ' '.repeat(Math.max(0, widths[j] - width(c))) : c)).join(''));
  }
}
