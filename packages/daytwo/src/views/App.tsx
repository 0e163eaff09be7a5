import { Box, type Key, useApp, useInput } from 'ink';
import { type ReactElement, useContext, useLayoutEffect, useMemo, useState } from 'react';
import { HEADER_LINES, Header } from '../components/Header.js';
import { KeyRouter, KeyRouterContext } from '../hooks/key-router.js';
import { type KeyBinding, visibleBindings } from '../hooks/keymap.js';
import { StoreContext, useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { TableScopeContext, UiStoreContext, useUi } from '../hooks/use-ui-store.js';
import type { AppStore } from '../store/app-store.js';
import { createUiStore, currentView, uiEpoch, viewInstance } from '../store/ui-store.js';
import { ALWAYS_KEYMAP, globalKeymap } from './global-keymap.js';
import { commandTargets, VIEWS, type ViewSpec } from './registry.js';
import { ShellModal, ShellPrompt } from './ShellModals.js';
import { type AppCallbacks, type ShellApi, ShellContext } from './shell.js';
import { createShellController, type ShellController } from './shell-controller.js';

/** Props of {@link App}. */
export interface AppProps {
  readonly store: AppStore;
  /** The view shown first; defaults to the first registered view. */
  readonly initialView?: string;
  readonly callbacks?: AppCallbacks;
  /** The view registry; tests may pass their own. */
  readonly views?: readonly ViewSpec[];
}

/**
 * The console: the stores and the key router around the shell. This is the app's only
 * `useInput`; the router hands each key to the active scopes' keymaps.
 */
export function App({ store, initialView, callbacks: initialCallbacks = {}, views = VIEWS }: AppProps): ReactElement {
  const { exit } = useApp();
  const [ui] = useState(() => createUiStore(initialView ?? views[0].id));
  const [router] = useState(() => new KeyRouter(ui));
  // After `:ctx` the new context's callbacks: new actions, so the views' streams restart on the new cluster.
  const [callbacks, setCallbacks] = useState(initialCallbacks);
  const [controller] = useState(() =>
    createShellController({ ui, store, views, targets: commandTargets(views), callbacks: initialCallbacks, onCallbacks: setCallbacks, exit }),
  );
  useInput((input: string, key: Key) => router.dispatch(input, key));
  return (
    <StoreContext.Provider value={store}>
      <UiStoreContext.Provider value={ui}>
        <KeyRouterContext.Provider value={router}>
          <Shell controller={controller} callbacks={callbacks} views={views} />
        </KeyRouterContext.Provider>
      </UiStoreContext.Provider>
    </StoreContext.Provider>
  );
}

/**
 * Rows of the frame outside the view (which draws its own footer): the header and the
 * status line (or the open prompt), plus one spare row, because Ink repaints the whole
 * screen on every frame when its output is as tall as the terminal.
 */
const CHROME_ROWS = HEADER_LINES + 1 + 1;

/** The fewest rows a view gets, even on a tiny terminal. */
const MIN_VIEW_ROWS = 3;

interface ShellProps {
  readonly controller: ShellController;
  readonly callbacks: AppCallbacks;
  readonly views: readonly ViewSpec[];
}

function Shell({ controller, callbacks, views }: ShellProps): ReactElement {
  const { columns, rows } = useTerminalSize();
  const epoch = useUi(uiEpoch);
  const viewId = useUi(currentView);
  const instance = useUi((s) => viewInstance(s, viewId));
  const params = useUi((s) => s.params[viewId]?.value);
  const filter = useUi((s) => s.filters[viewId] ?? '');
  const modal = useUi((s) => s.modal);
  const view = views.find((v) => v.id === viewId) ?? views[0];
  // One column spare: writing the last column makes some terminals wrap the cursor.
  const width = Math.max(20, columns - 1);
  const viewHeight = Math.max(MIN_VIEW_ROWS, rows - CHROME_ROWS);
  const keymap = useMemo(() => globalKeymap(views), [views]);
  const readonly = useAppStore((s) => s.cluster.readonly);
  useRouterSettings(readonly);
  useKeymap(ALWAYS_KEYMAP, controller.global, { scope: 'always' });
  useKeymap(keymap, controller.global, { scope: 'global' });

  const shell: ShellApi = {
    width,
    height: viewHeight,
    globalBindings: visibleBindings(keymap, controller.global, readonly) as KeyBinding<never>[],
    filter,
    confirm: controller.confirm,
    openView: controller.openView,
    params,
    callbacks,
    switchContext: controller.switchContext,
    setBackHandler: controller.setBackHandler,
  };
  const hidesView = modal.type === 'help' || modal.type === 'dialog';
  const ViewComponent = view.component;
  return (
    <Box flexDirection="column" width={columns}>
      <Header width={width} />
      <Box flexDirection="column" height={viewHeight} overflowY="hidden">
        <ShellModal modal={modal} view={view} globalKeymap={keymap} controller={controller} note={callbacks.helpNote} width={width} height={viewHeight} />
        {/* The view stays mounted under a modal so its cursor, sort and marks survive. */}
        <Box display={hidesView ? 'none' : 'flex'} flexDirection="column">
          <ShellContext.Provider value={shell}>
            <TableScopeContext.Provider value={instance}>
              <ViewComponent key={instance} />
            </TableScopeContext.Provider>
          </ShellContext.Provider>
        </Box>
      </Box>
      <ShellPrompt modal={modal} filter={filter} controller={controller} views={views} width={width} />
      <KeysReady epoch={epoch} />
    </Box>
  );
}

/** The router's read-only flag and its voice on the status line. */
function useRouterSettings(readonly: boolean): void {
  const router = useContext(KeyRouterContext);
  const store = useContext(StoreContext);
  router?.setReadonly(readonly);
  router?.setUnavailableHandler((why) => store?.getState().pushMessage('warning', why));
}

/**
 * Drawn last, after the view and the modal have bound their keys: tells the router the
 * screen of `epoch` is up, so keys that waited for it go on.
 */
function KeysReady({ epoch }: { readonly epoch: string }): null {
  const router = useContext(KeyRouterContext);
  useLayoutEffect(() => router?.markRendered(epoch), [router, epoch]);
  return null;
}
