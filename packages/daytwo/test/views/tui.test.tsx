import { expect, it } from 'vitest';
import { runTui } from '../../src/tui.js';
import { FakeStdin, FakeStdout, namespace, seededStore, tick } from '../helpers/render.js';

it('runs in the alternate screen until q, then leaves it so the terminal is restored', async () => {
  const stdout = new FakeStdout(80, 24);
  const stdin = new FakeStdin();
  const store = seededStore({ namespaces: [namespace('default')] });
  let done = false;
  const running = runTui(store, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    // vitest's console cannot be patched (it is not a real Console).
    patchConsole: false,
  }).then(() => {
    done = true;
  });
  await tick(100);
  expect(stdout.frames[0]).toBe('\u001B[?1049h');
  expect(stdout.frames.join('')).toContain('Namespaces(1)');
  expect(done).toBe(false);
  stdin.write('q');
  await running;
  expect(stdout.frames.at(-1)).toBe('\u001B[?1049l');
});
