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
