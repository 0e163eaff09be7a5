import { render } from 'ink';
import type { AppStore } from './store/app-store.js';
import { App } from './views/App.js';
import type { AppCallbacks } from './views/shell.js';

/** Options of {@link runTui}. */
export interface TuiOptions {
  /** Repaints per second at most; store flushes already batch events every ~50 ms. */
  readonly maxFps?: number;
  readonly initialView?: string;
  readonly callbacks?: AppCallbacks;
  /** Use the terminal's alternate screen, like k9s and less (default true). */
  readonly alternateScreen?: boolean;
  /** Route console.log through Ink so stray output does not tear the frame (default true). */
  readonly patchConsole?: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const CURSOR_HOME = '\x1b[H';

/**
 * Hands the terminal to `run` (kubectl exec -it) and takes it back: the shell's own screen
 * and cooked mode while it runs, then the alternate screen and raw mode again, repainted.
 * `run` must be synchronous: while it runs the event loop does not read the terminal, so
 * every key goes to the child, and Ink cannot paint over it.
 */
export function handOverTerminal<T>(run: () => T, stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): T {
  const raw = stdin.isTTY === true && stdin.isRaw;
  if (raw) stdin.setRawMode(false);
  stdout.write(LEAVE_ALT_SCREEN);
  try {
    return run();
  } finally {
    if (raw) stdin.setRawMode(true);
    stdout.write(ENTER_ALT_SCREEN + CURSOR_HOME);
    repaint(stdout);
  }
}

/**
 * Makes Ink paint the whole frame again on a screen it does not know was cleared: a resize
 * to one column narrower makes it forget what it drew (Ink clears its log when the terminal
 * narrows), and the resize back paints the frame at the real width.
 */
function repaint(stdout: NodeJS.WriteStream): void {
  const columns = stdout.columns;
  if (!columns) return;
  stdout.columns = columns - 1;
  stdout.emit('resize');
  stdout.columns = columns;
  stdout.emit('resize');
}

/**
 * Runs the console until the user quits (`q`, `:q`, Ctrl-C), then restores the terminal:
 * Ink leaves raw mode and the alternate screen is left, so the shell's screen comes back.
 */
export async function runTui(store: AppStore, opts: TuiOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const alternate = opts.alternateScreen ?? true;
  let restored = false;
  const restore = () => {
    if (restored || !alternate) return;
    restored = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };
  // If the process dies some other way, the user must not be left on the alternate screen.
  process.once('exit', restore);
  if (alternate) stdout.write(ENTER_ALT_SCREEN);
  const instance = render(<App store={store} initialView={opts.initialView} callbacks={opts.callbacks} />, {
    stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false,
    patchConsole: opts.patchConsole ?? true,
    maxFps: opts.maxFps ?? 20,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    instance.unmount();
    instance.cleanup();
    restore();
    process.off('exit', restore);
  }
}
