/**
 * A terminal for Ink without a terminal: a stdout that records when each frame is written
 * (and what it says, through `parseFrame`), and a stdin that accepts raw mode.
 */
import { PassThrough, Writable } from 'node:stream';

// CSI sequences (colours, cursor moves, erase) and OSC sequences.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** Text without terminal escapes. */
export function stripAnsi(text) {
  return text.replace(ANSI, '');
}

/** Epoch milliseconds with sub-millisecond resolution, one clock for every timestamp. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

/**
 * A TTY-like stdout of `columns` x `rows`. Every write that carries a frame (Ink also
 * writes bare escapes: synchronized-output markers, cursor hiding) is passed, with its
 * write time and its text without escapes, to `onFrame`.
 * @param {{ columns: number, rows: number, onFrame: (at: number, text: string) => void }} opts
 */
export function fakeStdout({ columns, rows, onFrame }) {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk, _encoding, callback) {
      const at = nowMs();
      const text = stripAnsi(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      if (text.trim() !== '') onFrame(at, text);
      callback();
    },
  });
  return Object.assign(stream, { columns, rows, isTTY: true });
}

/** A stdin Ink can put in raw mode; write keys to it. */
export function fakeStdin() {
  const stream = new PassThrough();
  return Object.assign(stream, {
    isTTY: true,
    setRawMode: () => stream,
    ref: () => stream,
    unref: () => stream,
  });
}
