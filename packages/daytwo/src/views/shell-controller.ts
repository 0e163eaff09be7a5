import { type CommandTarget, type ParsedCommand, parseCommand } from '../components/command-model.js';
import type { ApiResource } from '../domain/api-resources.js';
import type { AppStore } from '../store/app-store.js';
import type { DialogSpec } from '../store/dialog-spec.js';
import { quitQuestion, runningOperations } from '../domain/operations.js';
import { currentView, NO_MODAL, type UiStore } from '../store/ui-store.js';
import type { GlobalContext } from './global-keymap.js';
import type { ViewSpec } from './registry.js';
import type { AppCallbacks } from './shell.js';

/** What the shell does for keys, commands and views; it acts on the stores, not on React state. */
export interface ShellController {
  readonly global: GlobalContext;
  runCommand(line: string): void;
  closeModal(): void;
  confirm(spec: DialogSpec): void;
  openView(id: string, params?: unknown): void;
  /** Sets the shown view's filter. */
  setFilter(text: string): void;
  setBackHandler(handler: (() => boolean) | undefined): void;
  namespaceNames(): string[] | undefined;
  /** The resources discovery found, for `:` names and Tab completion. */
  resources(): readonly ApiResource[];
  /** Moves the console to kubeconfig context `name` (`:ctx`); the outcome becomes a status message. */
  switchContext(name: string): void;
}

export interface ShellDeps {
  readonly ui: UiStore;
  readonly store: AppStore;
  readonly views: readonly ViewSpec[];
  readonly targets: readonly CommandTarget[];
  readonly callbacks: AppCallbacks;
  /** Told the new context's callbacks after `:ctx` switched (the views get its actions). */
  readonly onCallbacks?: (callbacks: AppCallbacks) => void;
  /** Ends the Ink app. */
  readonly exit: () => void;
}

export function createShellController({ ui, store, views, targets, callbacks: initial, onCallbacks, exit }: ShellDeps): ShellController {
  /** The current context's callbacks: replaced when `:ctx` switches. */
  let callbacks = initial;
  /** The active view's claim on Esc (see `ShellApi.setBackHandler`). */
  let backHandler: (() => boolean) | undefined;
  /** Set while the "quit and cancel?" question is open: a second Ctrl-C (or `:q`) answers yes. */
  let quitAsked = false;
  const message = (text: string) => store.getState().pushMessage('error', text);
  const closeModal = () => ui.getState().setModal(NO_MODAL);
  const confirm = (spec: DialogSpec) => ui.getState().setModal({ type: 'dialog', spec });
  const setFilter = (text: string) => ui.getState().setFilter(currentView(ui.getState()), text);

  const quitNow = () => {
    // Cancelled operations write their audit "end" line; the CLI awaits this before exiting.
    void callbacks.actions?.cancelRunning?.();
    callbacks.onQuit?.();
    exit();
  };
  const quit = () => {
    const running = runningOperations(store.getState().operations);
    if (running.length === 0 || quitAsked) return quitNow();
    quitAsked = true;
    confirm({
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
        quitAsked = false;
      },
    });
  };
  const openView = (id: string, params?: unknown) => {
    if (!views.some((v) => v.id === id)) message(`no view "${id}"`);
    else ui.getState().openView(id, params);
  };
  const namespaceNames = () => {
    const names = [...store.getState().objects.namespaces.keys()];
    return names.length > 0 ? names : undefined;
  };
  const resources = () => store.getState().apiResources;
  const openResource = (parsed: Extract<ParsedCommand, { type: 'resource' }>) => {
    openView('resource', { resource: parsed.resource });
    if (parsed.scope) store.getState().setScope(parsed.scope.namespace);
  };
  const runCommand = (line: string) => {
    closeModal();
    const parsed = parseCommand(line, targets, namespaceNames(), resources());
    const refresh = callbacks.actions?.refreshResources;
    if (parsed.type === 'error' && parsed.unknown && refresh) {
      // A CRD installed since discovery ran: look again before calling the name unknown.
      void refresh().then(() => {
        const again = parseCommand(line, targets, namespaceNames(), resources());
        if (again.type === 'resource') openResource(again);
        else message(again.type === 'error' ? again.message : parsed.message);
      });
      return;
    }
    switch (parsed.type) {
      case 'resource':
        return openResource(parsed);
      case 'view': {
        const spec = views.find((v) => v.id === parsed.view);
        if (spec?.commandParams && parsed.args !== undefined) {
          const result = spec.commandParams(parsed.args, store.getState().scope);
          if ('error' in result) message(result.error);
          else openView(parsed.view, result.params);
          return;
        }
        ui.getState().showView(parsed.view);
        if (parsed.scope) store.getState().setScope(parsed.scope.namespace);
        return;
      }
      case 'quit':
        return quit();
      case 'help':
        return ui.getState().setModal({ type: 'help' });
      case 'error':
        return message(parsed.message);
      case 'none':
        return;
    }
  };

  const switchContext = (name: string) => {
    const state = store.getState();
    const switcher = callbacks.switchContext;
    if (!switcher) return void message('this console cannot switch contexts (no kubeconfig session)');
    if (name === state.cluster.context) return void state.pushMessage('info', `already on context ${name}`);
    state.pushMessage('info', `switching to context ${name}…`);
    switcher(name).then(
      (next) => {
        callbacks = { ...initial, ...next };
        onCallbacks?.(callbacks);
        store.getState().pushMessage('success', `context ${name}`);
      },
      (err: unknown) => message(`cannot switch to context "${name}": ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  const global: GlobalContext = {
    quit,
    openHelp: () => ui.getState().setModal({ type: 'help' }),
    openCommand: () => ui.getState().setModal({ type: 'command' }),
    openFilter: () => ui.getState().setModal({ type: 'filter' }),
    back: () => {
      if (backHandler?.()) return;
      const state = ui.getState();
      if ((state.filters[currentView(state)] ?? '') !== '') setFilter('');
      else state.popView();
    },
    dismissMessage: () => store.getState().dismissMessage(),
    clearScope: () => store.getState().setScope(undefined),
    showView: (id) => ui.getState().showView(id),
  };
  return {
    global,
    runCommand,
    closeModal,
    confirm,
    openView,
    setFilter,
    setBackHandler: (handler) => {
      backHandler = handler;
    },
    namespaceNames,
    resources,
    switchContext,
  };
}
