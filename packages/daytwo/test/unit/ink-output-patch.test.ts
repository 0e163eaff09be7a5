import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';

// patches/ink+6.8.0.patch makes Ink's frame assembly (build/output.js) keep its caches across
// frames, share styles between characters and skip diffing a style against itself. This holds
// it to what the unpatched code computes: every write's line tokenized afresh into a grid of
// cells, each row turned back into a string by @alcalzone/ansi-tokenize.

type Write = { x: number; y: number; text: string };

interface InkOutput {
  caches: { styledChars: Map<string, unknown>; lastFrameStyledChars: Map<string, unknown> };
  write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
  get(): { output: string; height: number };
}

const inkModule = (file: string) => import(new URL(`../../../../node_modules/ink/build/${file}`, import.meta.url).href);
const { default: Output } = (await inkModule('output.js')) as { default: new (o: { width: number; height: number }) => InkOutput };

const WIDTH = 24;
const HEIGHT = 6;
const STYLES = ['\x1b[31m', '\x1b[32m', '\x1b[39m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[4m', '\x1b[24m', '\x1b[7m', '\x1b[27m', '\x1b[0m'];
const CHARS = ['a', 'b', 'c', ' ', '.', '↑', '漢', '字'];

function reference(writes: readonly Write[]): string {
  const grid = Array.from({ length: HEIGHT }, () => Array.from({ length: WIDTH }, () => ({ type: 'char', value: ' ', fullWidth: false, styles: [] as never[] })));
  for (const { x, y, text } of writes) {
    text.split('\n').forEach((line, dy) => {
      const row = grid[y + dy];
      if (!row) return;
      let col = x;
      for (const ch of styledCharsFromTokens(tokenize(line))) {
        row[col] = ch as never;
        const wide = ch.fullWidth ? 2 : 1;
        for (let i = 1; i < wide; i++) row[col + i] = { type: 'char', value: '', fullWidth: false, styles: ch.styles as never[] };
        col += wide;
      }
    });
  }
  return grid.map((row) => styledCharsToString(row.filter((c) => c !== undefined) as never).trimEnd()).join('\n');
}

function patched(writes: readonly Write[]): string {
  const output = new Output({ width: WIDTH, height: HEIGHT });
  for (const { x, y, text } of writes) output.write(x, y, text, { transformers: [] });
  return output.get().output;
}

/** A small deterministic generator, so a failure names a seed that replays it. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

function styledLine(pick: (n: number) => number): string {
  let line = '';
  const length = 1 + pick(12);
  for (let i = 0; i < length; i++) {
    if (pick(3) === 0) line += STYLES[pick(STYLES.length)];
    line += CHARS[pick(CHARS.length)];
  }
  return pick(2) === 0 ? `${line}\x1b[0m` : line;
}

describe("Ink's frame assembly, as patched", () => {
  it('builds the same frame as the unpatched code, frame after frame, with lines seen before', () => {
    const pool: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const pick = random(seed);
      const writes: Write[] = [];
      const count = 1 + pick(6);
      for (let i = 0; i < count; i++) {
        // Half the lines come back from earlier frames, at other places: the cache's case.
        const reuse = pool.length > 0 && pick(2) === 0;
        const text = reuse ? pool[pick(pool.length)] : [styledLine(pick), styledLine(pick)].slice(0, 1 + pick(2)).join('\n');
        if (!reuse) pool.push(text);
        writes.push({ x: pick(WIDTH - 4), y: pick(HEIGHT), text });
      }
      expect(patched(writes), `seed ${seed}`).toBe(reference(writes));
    }
  });

  it('gives a row whose characters share one style a single opening and closing code', () => {
    const writes = [{ x: 0, y: 0, text: '\x1b[1m\x1b[31mready\x1b[39m\x1b[22m' }];
    expect(patched(writes).split('\n')[0]).toBe('\x1b[1m\x1b[31mready\x1b[39m\x1b[22m');
    expect(patched(writes)).toBe(reference(writes));
  });

  it("keeps the styled characters of this frame's and the last frame's lines only", () => {
    let output: InkOutput | undefined;
    for (let frame = 0; frame < 1000; frame++) {
      output = new Output({ width: WIDTH, height: HEIGHT });
      for (let y = 0; y < HEIGHT; y++) output.write(0, y, `\x1b[32mrow ${y} of frame ${frame}\x1b[39m`, { transformers: [] });
      output.get();
    }
    const caches = output?.caches;
    expect([caches?.styledChars.size, caches?.lastFrameStyledChars.size]).toEqual([HEIGHT, HEIGHT]);
  });

  it('forgets what it measured and wrapped long ago (Ink kept every text for the life of the process)', async () => {
    const { default: measureText } = (await inkModule('measure-text.js')) as { default: (text: string) => { width: number } };
    const { default: wrapText } = (await inkModule('wrap-text.js')) as { default: (text: string, width: number, wrap: string) => string };
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 60,000 distinct texts of 1 KB each, as a console open for hours lays out (ages, names).
    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 60_000; i++) {
      const text = `${i} ${filler}`;
      expect(measureText(text).width).toBe(text.length);
      wrapText(text, 40, 'truncate-end');
    }
    gc();
    const keptMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // Unbounded, the caches held 74 MiB here; bounded, at most 2,000 texts each (about 4 MB).
    expect(keptMiB).toBeLessThan(20);
  });
});
