/** The shape of a `daytwo report` view; each view module and the registry in views.ts import it. */
import type { ParseArgsConfig } from 'node:util';
import type { AppState } from '../store/app-store.js';
import type { KindName } from '../domain/kinds.js';
import type { ReportDocument } from './format.js';

export interface ReportResult {
  readonly document: ReportDocument;
  readonly table: string;
  /** Non-zero where the view's answer is itself a verdict (drift: 1 when anything drifted). */
  readonly exitCode?: number;
  /** kubectl-style error lines for stderr (`Error from server (NotFound): ...`): nothing is printed to stdout and the report exits 1. */
  readonly errors?: readonly string[];
  /** Lines for stderr about what the report could not read (the output is still printed). */
  readonly warnings?: readonly string[];
}

/** The values of a report view's own options, as `parseArgs` returns them. */
export type ReportArgs = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** What a view needs read beyond the watched kinds; the command (cli/report-command) reads it. */
export type ReportLoad = 'pod-usage' | 'drift' | 'upgrade-sources' | 'volume-stats';

/** A view of `daytwo report`: which kinds it lists and how it turns them into output. */
export interface ReportView {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kinds: readonly KindName[];
  /**
   * The view answers for whole nodes (pods per node, what a drain evicts), so it lists its
   * kinds in every namespace whatever `-n` says, as `kubectl drain` does.
   */
  readonly nodeLevel?: boolean;
  /**
   * The view's own command-line options (e.g. drain-plan's `--node`), in `parseArgs` form.
   * Declare no `default`: an option is offered to every view's parse, and a default would
   * look given. Names must not clash with another view's option of a different type.
   */
  readonly options?: ParseArgsConfig['options'];
  /** Checks the view's options before connecting; throws `UsageError` (one line) when they are wrong. */
  checkArgs?(args: ReportArgs): void;
  /** Waits for the API server's version (`cluster.version`) before building, e.g. for kubelet skew. */
  readonly needsServerVersion?: boolean;
  /**
   * What the store does not hold and `build` needs (qos: pod usage; drift: the Git source and
   * the full live objects; upgrade: Helm releases and manifests; health: volume usage from the
   * kubelets); `build` receives it as `loaded`.
   */
  readonly loads?: ReportLoad;
  /**
   * The view answers without a cluster when `when(args)` holds (upgrade's `-f` alone): the
   * command reads `loads` without connecting and prints `build(args, loaded)`.
   */
  readonly offline?: {
    when(args: ReportArgs): boolean;
    build(args: ReportArgs, loaded: unknown): ReportResult;
  };
  build(state: AppState, args: ReportArgs, loaded?: unknown): ReportResult;
}
