import { setFlagsFromString } from 'node:v8';
import type { AppState, AppStore } from '../store/app-store.js';

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in
 * percent. V8 picks a factor of up to 4x by itself when the program allocates fast and
 * collects fast; a console holding 30,000 pods keeps ~115-150 MiB live and replaces rows on
 * every flush, so it settled at 500-700 MiB of RSS through churn. At 1.1x the console with
 * the QoS view stays near 300 MiB (1.2x: 307-323 MiB; bench/RESULTS.md, README "Benchmarks"),
 * for more frequent, mostly concurrent, full collections.
 */
export const CONSOLE_HEAP_GROWING_PERCENT = 10;

/**
 * The growth allowed while the first lists fill the heap from nothing: at 10% that meant a
 * full collection every 10% of growth, which doubled the console's CPU to its first table
 * (2.3 -> 4.6 s on 30,000 pods); V8's own factor let the CLI reach 327 MiB at its first table.
 * Listing 30,000 pods in a fresh process (median of 7, alternating): 1.68 s and 1.97 s of CPU
 * at 30%, 1.53 s and 1.59 s at 60%, 1.56 s and 1.58 s at 100%, RSS 200-205 MiB in each.
 */
export const SYNC_HEAP_GROWING_PERCENT = 60;

/** Capped this long after the console opens even if pods never sync (forbidden, unreachable). */
const CAP_AT_LATEST_MS = 60_000;

const FLAG = '--heap-growing-percent';

/** A growing factor the user chose on Node's command line or in NODE_OPTIONS. */
function chosenByUser(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
    (a) => a.startsWith(FLAG) || a.startsWith('--heap_growing_percent'),
  );
}

function podsListed(s: AppState): boolean {
  const { state } = s.connection.pods;
  return state === 'live' || state === 'forbidden';
}

/**
 * Caps the heap's growth for the long-running console: {@link SYNC_HEAP_GROWING_PERCENT}
 * until its pods are listed, then {@link CONSOLE_HEAP_GROWING_PERCENT}
 * (`heap_growing_percent` is read at each collection, so setting it at run time takes
 * effect). A growing factor the user chose wins. Returns a function that cancels the second
 * step if it has not happened yet.
 */
export function capHeapGrowthOnceSynced(store: AppStore): () => void {
  if (chosenByUser()) return () => {};
  setFlagsFromString(`${FLAG}=${SYNC_HEAP_GROWING_PERCENT}`);
  let done = false;
  const cap = () => {
    if (done) return;
    done = true;
    unsubscribe();
    clearTimeout(timer);
    setFlagsFromString(`${FLAG}=${CONSOLE_HEAP_GROWING_PERCENT}`);
  };
  const unsubscribe = store.subscribe((s) => {
    if (podsListed(s)) cap();
  });
  const timer = setTimeout(cap, CAP_AT_LATEST_MS);
  timer.unref();
  if (podsListed(store.getState())) cap();
  return () => {
    done = true;
    unsubscribe();
    clearTimeout(timer);
  };
}
