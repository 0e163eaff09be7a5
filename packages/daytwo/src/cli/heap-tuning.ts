import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in
 * percent. V8 picks a factor of up to 4x by itself when the program allocates fast and
 * collects fast; a console holding 30,000 pods keeps ~115-150 MiB live and replaces rows on
 * every flush, so it settled at 500-700 MiB of RSS through churn. At 1.1x the console with
 * the QoS view stays near 300 MiB (1.2x: 307-323 MiB; bench/RESULTS.md, README "Benchmarks"),
 * for more frequent, mostly concurrent, full collections.
 */
export const CONSOLE_HEAP_GROWING_PERCENT = 10;

const FLAG = '--heap-growing-percent';

/**
 * Caps the heap's growth for the long-running console (`heap_growing_percent` is read at each
 * collection, so setting it at run time takes effect). A growing factor the user chose on the
 * command line or in NODE_OPTIONS wins.
 */
export function tuneHeapForConsole(): void {
  const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
    (a) => a.startsWith(FLAG) || a.startsWith('--heap_growing_percent'),
  );
  if (!chosen) setFlagsFromString(`${FLAG}=${CONSOLE_HEAP_GROWING_PERCENT}`);
}
