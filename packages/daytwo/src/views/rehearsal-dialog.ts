import type { RehearsalRow } from '../domain/migration-rehearsal.js';
import type { AppStore } from '../store/app-store.js';
import type { ShellApi } from './shell.js';

/** What a rehearsal from a confirmation dialog shows and offers once it has run. */
export interface RehearsalDialog<R> {
  /** `the migration of node pool blue`, `the drain of node/x`: what is rehearsed. */
  readonly what: string;
  readonly run: () => Promise<R>;
  readonly title: (r: R) => string;
  readonly summary: (r: R) => readonly string[];
  readonly rows: (r: R) => readonly RehearsalRow[];
  /** The real action, offered after the report: `Migrate for real`, `Drain for real`. */
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
}

/** The option a dialog offers to rehearse first; the same label for every rehearsal. */
export const REHEARSE_OPTION_LABEL = 'rehearse on a simulated copy first (changes nothing)';

/**
 * Runs a rehearsal on a simulated copy (a status line says so meanwhile), then shows what
 * happened there (the summary on top, the rows scrolling) and offers the real action.
 */
export function rehearseThenConfirm<R>(shell: ShellApi, store: AppStore, d: RehearsalDialog<R>): void {
  store.getState().pushMessage('info', `rehearsing ${d.what} on a simulated copy (nothing changes)...`);
  d.run().then(
    (r) => {
      const rows = d.rows(r).map((row) => `${row.what.padEnd(8)} ${row.name}  ${row.seconds === '' ? '' : `${row.seconds}s  `}${row.detail}`);
      shell.confirm({
        title: d.title(r),
        body: d.summary(r).map((l) => l.trim()),
        details: () => rows,
        confirmLabel: d.confirmLabel,
        dangerous: true,
        onConfirm: d.onConfirm,
      });
    },
    (err: unknown) => store.getState().pushMessage('error', `rehearsal failed: ${err instanceof Error ? err.message : String(err)}`),
  );
}
