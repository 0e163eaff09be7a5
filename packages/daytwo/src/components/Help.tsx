import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useState } from 'react';
import { textWidth, truncate } from '../domain/table.js';
import { displayKey, KEY_CATEGORIES, type KeyBinding, type Keymap } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/use-keymap.js';

/** One section of the help screen: the bindings of one scope (the view, the dialog, …). */
export interface HelpSection {
  readonly title: string;
  readonly bindings: readonly KeyBinding<never>[];
}

interface HelpContext {
  close(): void;
  scroll(by: number): void;
}

/** Keys of the help screen itself. */
export const HELP_KEYMAP: Keymap<HelpContext> = [
  { id: 'help.close', keys: ['escape', '?', 'q'], description: 'Close the help', category: 'General', action: (c) => c.close() },
  { id: 'help.down', keys: ['j', 'down'], description: 'Scroll down', category: 'Navigation', action: (c) => c.scroll(1) },
  { id: 'help.up', keys: ['k', 'up'], description: 'Scroll up', category: 'Navigation', action: (c) => c.scroll(-1) },
  {
    id: 'help.pageDown',
    keys: ['pagedown', 'space'],
    description: 'Scroll a page down',
    category: 'Navigation',
    action: (c) => c.scroll(10),
  },
  { id: 'help.pageUp', keys: ['pageup'], description: 'Scroll a page up', category: 'Navigation', action: (c) => c.scroll(-10) },
];

/**
 * The lines of the help screen, generated from keymaps (never written by hand): per
 * section, the bindings grouped by category, each as `keys  description`.
 */
export function helpLines(sections: readonly HelpSection[]): string[] {
  const lines: string[] = [];
  const keysOf = (b: KeyBinding<never>) => b.keys.map(displayKey).join(' ');
  const keyWidth = Math.max(0, ...sections.flatMap((s) => s.bindings.map((b) => textWidth(keysOf(b)))));
  for (const section of sections) {
    if (section.bindings.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(`${section.title}`);
    for (const category of KEY_CATEGORIES) {
      const inCategory = section.bindings.filter((b) => b.category === category);
      if (inCategory.length === 0) continue;
      lines.push(`  ${category}`);
      for (const b of inCategory) {
        lines.push(`    ${keysOf(b).padEnd(keyWidth)}  ${b.description}${b.dangerous ? ' (asks first; not under --readonly)' : ''}`);
      }
    }
  }
  return lines;
}

/** Props of {@link Help}. */
export interface HelpProps {
  readonly sections: readonly HelpSection[];
  /** Lines shown before the key reference. */
  readonly note?: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly onClose: () => void;
}

/** The `?` screen: every key of the current scope, scrollable, generated from the keymaps. */
export function Help({ sections, note, width, height, onClose }: HelpProps): ReactElement {
  const lines = useMemo(() => [...(note ?? []), ...helpLines(sections)], [note, sections]);
  const page = Math.max(1, height - 1);
  const [top, setTop] = useState(0);
  const maxTop = Math.max(0, lines.length - page);
  useKeymap(
    HELP_KEYMAP,
    { close: onClose, scroll: (by: number) => setTop((t) => Math.min(maxTop, Math.max(0, t + by))) },
    { scope: 'help' },
  );
  const more = lines.length > page ? `  ${top + 1}-${Math.min(lines.length, top + page)}/${lines.length} (j/k scroll)` : '';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{`Help — Esc or ? closes${more}`}</Text>
      {lines.slice(top, top + page).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <Text key={i} wrap="truncate" bold={!line.startsWith(' ')}>
          {truncate(line, width - 1)}
        </Text>
      ))}
    </Box>
  );
}
