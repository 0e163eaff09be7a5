import { createContext, useContext, useLayoutEffect } from 'react';
import type { DialogSpec } from '../components/Dialog.js';
import type { KeyBinding } from '../hooks/keymap.js';
import type { ClusterActions } from '../store/actions.js';
import type { DriftFeed } from '../store/drift.js';
import type { UpgradeSourcesStore } from '../store/upgrade.js';

/**
 * Callbacks the CLI hands to the console. Views reach them through {@link useShell}; the
 * kube layer's actions (cordon, drain, rollback, …) are added here as they land.
 */
export interface AppCallbacks {
  /** Called once when the user quits, before Ink exits. */
  readonly onQuit?: () => void;
  /** Lines shown at the top of the `?` help (the demo says what each view shows there). */
  readonly helpNote?: readonly string[];
  /** What views may ask of the cluster; absent when the console has no session (some view tests). */
  readonly actions?: ClusterActions;
  /** Lines the Logs view's ring buffer keeps (`--log-buffer N`); default `DEFAULT_LOG_BUFFER_LINES`. */
  readonly logBufferLines?: number;
  /** The drift comparison (`--git PATH`); absent without a Git source. */
  readonly drift?: DriftFeed;
  /** Helm releases (and other non-watched sources) of the Upgrade view; absent in some tests. */
  readonly upgrade?: UpgradeSourcesStore;
  /**
   * Moves the console to another kubeconfig context (`:ctx`): resolves with the callbacks
   * of the new context's session, rejects with the reason it cannot (the old one keeps running).
   */
  readonly switchContext?: (context: string) => Promise<AppCallbacks>;
}

/** What the shell offers the active view. */
export interface ShellApi {
  /** Terminal cells available to the view. */
  readonly width: number;
  /** Rows available to the view, including the footer line it draws with `<ViewFooter>`. */
  readonly height: number;
  /** The global bindings offered right now, for the view's footer. */
  readonly globalBindings: readonly KeyBinding<never>[];
  /** The view's `/` filter query. */
  readonly filter: string;
  /** Opens a confirmation dialog. */
  confirm(spec: DialogSpec): void;
  /**
   * Shows the view `viewId` (a `ViewSpec.id`) with `params`, pushing it on the Esc history.
   * Each view documents the params it accepts (see `/work/notes/open-view.md`); opening a
   * view with new params starts it afresh. An unknown id puts an error on the status line.
   */
  openView(viewId: string, params?: unknown): void;
  /** The params the active view was opened with through {@link ShellApi.openView} (or its `:` command). */
  readonly params?: unknown;
  readonly callbacks: AppCallbacks;
  /** Switches the console to kubeconfig context `name`; the outcome becomes a status message. */
  switchContext(name: string): void;
  /**
   * Lets the active view claim Esc before the shell's "clear the filter, else go back"
   * (e.g. to cancel a running drain). The handler returns true when it used the key; pass
   * undefined to release Esc. Views set it while rendering and release it when unmounted.
   */
  setBackHandler(handler: (() => boolean) | undefined): void;
}

/** Provided by `<App>` around the active view. */
export const ShellContext = createContext<ShellApi | null>(null);

/** The shell of the view being rendered. */
export function useShell(): ShellApi {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell must be used inside <App> (ShellContext is missing)');
  return shell;
}

/**
 * Claims Esc for `onEscape` while it is defined (see `ShellApi.setBackHandler`), before the
 * shell's filter clearing and going back; released when the view unmounts.
 *
 * Claimed in a layout effect, not while rendering: when one node view replaces another
 * (Node pools -> Nodes, Drift -> Nodes), the old view's release runs after the new view rendered, and would
 * drop the new claim until its next render (an Esc in between cleared the filter instead of
 * cancelling the drain). Layout effects of the new view run after the old view's cleanups.
 */
export function useEscape(onEscape: (() => void) | undefined): void {
  const shell = useShell();
  useLayoutEffect(() => {
    shell.setBackHandler(
      onEscape
        ? () => {
            onEscape();
            return true;
          }
        : undefined,
    );
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: release once, on unmount
  useLayoutEffect(() => () => shell.setBackHandler(undefined), []);
}
