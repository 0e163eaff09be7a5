import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetCiForInteractiveTerminal } from '../../src/cli/interactive-env.js';

// patches/ink+6.8.0.patch draws the first commit after a key at once. Unpatched, Ink's frame
// throttle held it until the end of the window that the last commit (here a store update,
// in the console a watch flush) had opened: up to 1000/maxFps ms after the key.

forgetCiForInteractiveTerminal();
const React = await import('react');
const { Text, render, useInput } = await import('ink');

function terminal() {
  const frames: string[] = [];
  const stdout = Object.assign(
    new Writable({
      decodeStrings: false,
      write(chunk, _encoding, callback) {
        frames.push(String(chunk));
        callback();
      },
    }),
    { columns: 40, rows: 5, isTTY: true },
  );
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  return { stdout, stdin, frames, shown: (text: string) => frames.some((f) => f.includes(text)) };
}

/** Lets React commit what was scheduled, without moving the faked clock. */
async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

let setUpdate: (n: number) => void = () => {};

function Screen() {
  const [update, setUpdateState] = React.useState(0);
  const [keys, setKeys] = React.useState('');
  setUpdate = setUpdateState;
  useInput((input) => setKeys((k) => k + input));
  return (
    <Text>
      update {update} keys [{keys}]
    </Text>
  );
}

describe("Ink's frame for a key, as patched", () => {
  // Timers are faked (the throttle's window never ends by itself); React's own scheduling is not.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('is written at once, even inside the throttle window another update opened', async () => {
    const { stdout, stdin, shown } = terminal();
    const app = render(<Screen />, { stdout: stdout as never, stdin: stdin as never, maxFps: 1, patchConsole: false, exitOnCtrlC: false });
    await vi.advanceTimersByTimeAsync(1500);
    setUpdate(1);
    await settle();
    expect(shown('update 1')).toBe(true);
    // A second update inside the window: throttled, not drawn until the window ends.
    setUpdate(2);
    await settle();
    expect(shown('update 2')).toBe(false);
    // A key now is drawn at once, with everything committed so far.
    stdin.write('j');
    await settle();
    expect(shown('update 2 keys [j]')).toBe(true);
    app.unmount();
  });
});
