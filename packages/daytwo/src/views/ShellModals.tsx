import type { ReactElement } from 'react';
import { completeCommand } from '../components/command-model.js';
import { DIALOG_KEYMAP, Dialog } from '../components/Dialog.js';
import { HELP_KEYMAP, Help, type HelpSection } from '../components/Help.js';
import { PROMPT_KEYMAP, Prompt } from '../components/Prompt.js';
import { StatusLine } from '../components/StatusLine.js';
import type { Keymap } from '../hooks/keymap.js';
import type { Modal } from '../store/ui-store.js';
import { ALWAYS_KEYMAP, type GlobalContext } from './global-keymap.js';
import { commandTargets, type ViewSpec } from './registry.js';
import type { ShellController } from './shell-controller.js';

/** The key that dismisses a status message (see the `app.dismiss` binding). */
const DISMISS_KEY = 'x';

interface ShellModalProps {
  readonly modal: Modal;
  readonly view: ViewSpec;
  readonly globalKeymap: Keymap<GlobalContext>;
  readonly controller: ShellController;
  readonly note?: readonly string[];
  readonly width: number;
  readonly height: number;
}

/** The help screen or the confirmation dialog over the view, when one is open. */
export function ShellModal({ modal, view, globalKeymap, controller, note, width, height }: ShellModalProps): ReactElement | null {
  if (modal.type === 'dialog') return <Dialog spec={modal.spec} width={width} height={height} onClose={controller.closeModal} />;
  if (modal.type !== 'help') return null;
  const sections: HelpSection[] = [
    { title: `${view.title} view`, bindings: view.keymap },
    { title: 'Everywhere', bindings: [...globalKeymap, ...ALWAYS_KEYMAP] },
    { title: 'Command line and filter input', bindings: PROMPT_KEYMAP },
    { title: 'Confirmation dialogs', bindings: DIALOG_KEYMAP },
    { title: 'This help', bindings: HELP_KEYMAP },
  ];
  return <Help sections={sections} note={note} width={width} height={height} onClose={controller.closeModal} />;
}

interface ShellPromptProps {
  readonly modal: Modal;
  readonly filter: string;
  readonly controller: ShellController;
  readonly views: readonly ViewSpec[];
  readonly width: number;
}

/** The bottom line: the `:` command line, the `/` filter input, or the status line. */
export function ShellPrompt({ modal, filter, controller, views, width }: ShellPromptProps): ReactElement {
  if (modal.type === 'command') {
    const targets = commandTargets(views);
    return (
      <Prompt
        prefix=":"
        width={width}
        onSubmit={controller.runCommand}
        onCancel={controller.closeModal}
        complete={(text) => completeCommand(text, targets, controller.namespaceNames() ?? [], controller.resources())}
      />
    );
  }
  if (modal.type === 'filter') {
    return (
      <Prompt
        prefix="/"
        initial={filter}
        width={width}
        onChange={controller.setFilter}
        onSubmit={controller.closeModal}
        onCancel={() => {
          controller.setFilter('');
          controller.closeModal();
        }}
      />
    );
  }
  return <StatusLine dismissKey={DISMISS_KEY} />;
}
