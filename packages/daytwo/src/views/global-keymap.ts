import type { Keymap } from '../hooks/keymap.js';

/** What the global keys do; implemented by `<App>`. */
export interface GlobalContext {
  quit(): void;
  openHelp(): void;
  openCommand(): void;
  openFilter(): void;
  /** Clears the filter, else returns to the previous view. */
  back(): void;
  dismissMessage(): void;
  clearScope(): void;
  showView(id: string): void;
}

/** Keys active in every scope, modals included. */
export const ALWAYS_KEYMAP: Keymap<Pick<GlobalContext, 'quit'>> = [
  { id: 'app.forceQuit', keys: ['ctrl+c'], description: 'Quit, from anywhere', category: 'General', action: (c) => c.quit() },
];

/** Keys of every view while no modal is open, plus one number key per view. */
export function globalKeymap(views: readonly { id: string; title: string; hotkey?: string; commands: readonly string[] }[]): Keymap<GlobalContext> {
  return [
    {
      id: 'table.filter',
      keys: ['/'],
      description: 'Filter rows: text, or /regex/ (case-insensitive)',
      category: 'Table',
      action: (c) => c.openFilter(),
      hint: 'filter',
    },
    {
      id: 'app.command',
      keys: [':'],
      description: 'Command line: a view (:ns), :ns <namespace>|all, :q',
      category: 'General',
      action: (c) => c.openCommand(),
      hint: 'command',
    },
    {
      id: 'app.back',
      keys: ['escape'],
      description: 'Cancel what the view is running (a drain), else clear the filter, else go back to the previous view',
      category: 'General',
      action: (c) => c.back(),
    },
    {
      id: 'app.dismiss',
      keys: ['x'],
      description: 'Dismiss the message on the status line (errors stay until then)',
      category: 'General',
      action: (c) => c.dismissMessage(),
    },
    {
      id: 'scope.clear',
      keys: ['0'],
      description: 'Show all namespaces: clear the scope (also :ns all)',
      category: 'General',
      action: (c) => c.clearScope(),
      hint: 'all-ns',
    },
    { id: 'app.help', keys: ['?'], description: 'Show every key', category: 'General', action: (c) => c.openHelp(), hint: 'help' },
    { id: 'app.quit', keys: ['q'], description: 'Quit', category: 'General', action: (c) => c.quit(), hint: 'quit' },
    ...views.flatMap((v) => (v.hotkey ? [{ ...v, hotkey: v.hotkey }] : [])).map((v) => ({
      id: `view.${v.id}`,
      keys: [v.hotkey],
      description: `Show the ${v.title} view (:${v.commands.join(', :')})`,
      category: 'Views' as const,
      action: (c: GlobalContext) => c.showView(v.id),
    })),
  ];
}
