import { Box, type Key, useApp, useInput } from 'ink';
import { type ReactElement, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { completeCommand, parseCommand } from '../components/command-model.js';
import { DIALOG_KEYMAP, Dialog, type DialogSpec } from '../components/Dialog.js';
import { HEADER_LINES, Header } from '../components/Header.js';
import { HELP_KEYMAP, Help, type HelpSection } from '../components/Help.js';
import { PROMPT_KEYMAP, Prompt } from '../components/Prompt.js';
import { StatusLine } from '../components/StatusLine.js';
import { KeyRouter, KeyRouterContext } from '../hooks/key-router.js';
import { type KeyBinding, visibleBindings } from '../hooks/keymap.js';
import { StoreContext, useAppStore } from '../hooks/use-app-store.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { AppStore } from '../store/app-store.js';
import { quitQuestion, runningOperations } from '../domain/operations.js';
import { ALWAYS_KEYMAP, type GlobalContext, globalKeymap } from './global-keymap.js';
import { ACTIVE_SCOPES, commandTargets, VIEWS, type ViewSpec } from './registry.js';
import { type AppCallbacks, type ShellApi, ShellContext } from './shell.js';

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
 * The console: the store and the key router around the shell. This is the app's only
 * `useInput`; the router hands each key to the active scopes' keymaps.
 */
export function App({ store, ...rest }: AppProps): ReactElement {
  const [router] = useState(() => new KeyRouter());
  const dispatch = useCallback((input: string, key: Key) => router.dispatch(input, key), [router]);
  useInput(dispatch);
  return (
    <StoreContext.Provider value={store}>
      <KeyRouterContext.Provider value={router}>
        <Shell store={store} {...rest} />
      </KeyRouterContext.Provider>
    </StoreContext.Provider>
  );
}

/** The open modal; its type is the input mode that picks the active key scopes (`ACTIVE_SCOPES`). */
type Modal =
  | { readonly type: 'none' }
  | { readonly type: 'help' }
  | { readonly type: 'command' }
  | { readonly type: 'filter' }
  | { readonly type: 'dialog'; readonly spec: DialogSpec };

const NO_MODAL: Modal = { type: 'none' };

/** The key that dismisses a status message (see the `app.dismiss` binding). */
const DISMISS_KEY = 'x';

/**
 * Rows of the frame outside the view (which draws its own footer): the header and the
 * status line (or the open prompt), plus one spare row, because Ink repaints the whole
 * screen on every frame when its output is as tall as the terminal.
 */
const CHROME_ROWS = HEADER_LINES + 1 + 1;

/** Views remembered for Esc; older ones are forgotten so switching back and forth stays bounded. */
const MAX_HISTORY = 20;

/** The fewest rows a view gets, even on a tiny terminal. */
const MIN_VIEW_ROWS = 3;

function Shell({ store, initialView, callbacks = {}, views = VIEWS }: AppProps): ReactElement {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [stack, setStack] = useState<readonly string[]>(() => [initialView ?? views[0].id]);
  /** The active view's claim on Esc (see `ShellApi.setBackHandler`). */
  const backHandler = useRef<(() => boolean) | undefined>(undefined);
  const [modal, setModalState] = useState<Modal>(NO_MODAL);
  const router = useContext(KeyRouterContext);
  const setModal = (next: Modal) => {
    // Only a change of modal re-renders the shell, and queued keys wait for that render.
    if (next !== modal) router?.modeWillChange();
    setModalState(next);
  };
  const [filters, setFilters] = useState<Readonly<Record<string, string>>>({});
  // Params each view was last opened with; `seq` remounts the view when it is opened afresh.
  const [viewParams, setViewParams] = useState<Readonly<Record<string, { readonly value: unknown; readonly seq: number }>>>({});
  const view = views.find((v) => v.id === stack[stack.length - 1]) ?? views[0];
  const filter = filters[view.id] ?? '';
  const setFilter = (text: string) => setFilters((f) => ({ ...f, [view.id]: text }));
  // One column spare: writing the last column makes some terminals wrap the cursor.
  const width = Math.max(20, columns - 1);
  const viewHeight = Math.max(MIN_VIEW_ROWS, rows - CHROME_ROWS);
  const close = () => setModal(NO_MODAL);

  /** Set while the "quit and cancel?" question is open: a second Ctrl-C (or `:q`) answers yes. */
  const quitAsked = useRef(false);
  const quitNow = () => {
    // Cancelled operations write their audit "end" line; the CLI awaits this before exiting.
    void callbacks.actions?.cancelRunning?.();
    callbacks.onQuit?.();
    exit();
  };
  const quit = () => {
    const running = runningOperations(store.getState().operations);
    if (running.length === 0 || quitAsked.current) return quitNow();
    quitAsked.current = true;
    setModal({
      type: 'dialog',
      spec: {
        title: quitQuestion(running),
        body: [
          ...running.map((o) => `${o.action} ${o.target}`),
          running.some((o) => o.action === 'drain') ? 'A cancelled drain leaves its nodes cordoned.' : '',
        ].filter(Boolean),
        confirmLabel: 'Quit',
        cancelLabel: 'Stay',
        dangerous: true,
        onConfirm: quitNow,
        onCancel: () => {
          quitAsked.current = false;
        },
      },
    });
  };
  const showView = (id: string) =>
    setStack((s) => (s[s.length - 1] === id ? s : [...s, id].slice(-MAX_HISTORY)));
  const openView = (id: string, params?: unknown) => {
    if (!views.some((v) => v.id === id)) {
      store.getState().pushMessage('error', `no view "${id}"`);
      return;
    }
    setViewParams((p) => ({ ...p, [id]: { value: params, seq: (p[id]?.seq ?? 0) + 1 } }));
    showView(id);
  };
  const targets = useMemo(() => commandTargets(views), [views]);
  const keymap = useMemo(() => globalKeymap(views), [views]);
  const namespaceNames = () => {
    const names = [...store.getState().objects.namespaces.keys()];
    return names.length > 0 ? names : undefined;
  };
  const runCommand = (line: string) => {
    close();
    const parsed = parseCommand(line, targets, namespaceNames());
    switch (parsed.type) {
      case 'view': {
        const spec = views.find((v) => v.id === parsed.view);
        if (spec?.commandParams && parsed.args !== undefined) {
          const result = spec.commandParams(parsed.args, store.getState().scope);
          if ('error' in result) store.getState().pushMessage('error', result.error);
          else openView(parsed.view, result.params);
          return;
        }
        showView(parsed.view);
        if (parsed.scope) store.getState().setScope(parsed.scope.namespace);
        return;
      }
      case 'quit':
        return quit();
      case 'help':
        return setModal({ type: 'help' });
      case 'error':
        store.getState().pushMessage('error', parsed.message);
        return;
      case 'none':
        return;
    }
  };

  const globalCtx: GlobalContext = {
    quit,
    openHelp: () => setModal({ type: 'help' }),
    openCommand: () => setModal({ type: 'command' }),
    openFilter: () => setModal({ type: 'filter' }),
    back: () => {
      if (backHandler.current?.()) return;
      if (filter !== '') setFilter('');
      else if (stack.length > 1) setStack((s) => s.slice(0, -1));
    },
    dismissMessage: () => store.getState().dismissMessage(),
    clearScope: () => store.getState().setScope(undefined),
    showView,
  };
  const readonly = useAppStore((s) => s.cluster.readonly);
  // Set while rendering: the scopes switch in the same render that opens or closes a modal.
  router?.setActive(ACTIVE_SCOPES[modal.type]);
  router?.setReadonly(readonly);
  router?.setUnavailableHandler((why) => store.getState().pushMessage('warning', why));
  useKeymap(ALWAYS_KEYMAP, globalCtx, { scope: 'always' });
  useKeymap(keymap, globalCtx, { scope: 'global' });

  const shell: ShellApi = {
    width,
    height: viewHeight,
    globalBindings: visibleBindings(keymap, globalCtx, readonly) as KeyBinding<never>[],
    filter,
    confirm: (spec) => setModal({ type: 'dialog', spec }),
    openView,
    params: viewParams[view.id]?.value,
    callbacks,
    setBackHandler: (handler) => {
      backHandler.current = handler;
    },
  };
  const helpSections: HelpSection[] = [
    { title: `${view.title} view`, bindings: view.keymap },
    { title: 'Everywhere', bindings: [...keymap, ...ALWAYS_KEYMAP] },
    { title: 'Command line and filter input', bindings: PROMPT_KEYMAP },
    { title: 'Confirmation dialogs', bindings: DIALOG_KEYMAP },
    { title: 'This help', bindings: HELP_KEYMAP },
  ];
  const hidesView = modal.type === 'help' || modal.type === 'dialog';
  const ViewComponent = view.component;

  return (
    <Box flexDirection="column" width={columns}>
      <Header width={width} />
      <Box flexDirection="column" height={viewHeight} overflowY="hidden">
        {modal.type === 'help' ? <Help sections={helpSections} note={callbacks.helpNote} width={width} height={viewHeight} onClose={close} /> : null}
        {modal.type === 'dialog' ? <Dialog spec={modal.spec} width={width} height={viewHeight} onClose={close} /> : null}
        {/* The view stays mounted under a modal so its cursor, sort and marks survive. */}
        <Box display={hidesView ? 'none' : 'flex'} flexDirection="column">
          <ShellContext.Provider value={shell}>
            <ViewComponent key={`${view.id}#${viewParams[view.id]?.seq ?? 0}`} />
          </ShellContext.Provider>
        </Box>
      </Box>
      {modal.type === 'command' ? (
        <Prompt
          prefix=":"
          width={width}
          onSubmit={runCommand}
          onCancel={close}
          complete={(text) => completeCommand(text, targets, namespaceNames() ?? [])}
        />
      ) : modal.type === 'filter' ? (
        <Prompt
          prefix="/"
          initial={filter}
          width={width}
          onChange={setFilter}
          onSubmit={close}
          onCancel={() => {
            setFilter('');
            close();
          }}
        />
      ) : (
        <StatusLine dismissKey={DISMISS_KEY} />
      )}
    </Box>
  );
}
