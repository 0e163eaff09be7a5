import { Box, Text } from 'ink';
import { type ReactElement, useRef, useState } from 'react';
import type { Completion } from './command-model.js';
import type { Keymap } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { truncate } from '../domain/table.js';

/** The key context of a one-line prompt. */
export interface PromptContext {
  readonly canComplete: boolean;
  submit(): void;
  cancel(): void;
  complete(): void;
  erase(): void;
}

/** Keys of the `:` command line and the `/` filter input; other printable keys are typed. */
export const PROMPT_KEYMAP: Keymap<PromptContext> = [
  { id: 'input.submit', keys: ['enter'], description: 'Run the command / keep the filter', category: 'Input', action: (c) => c.submit() },
  {
    id: 'input.cancel',
    keys: ['escape'],
    description: 'Close the input (a filter is cleared)',
    category: 'Input',
    action: (c) => c.cancel(),
  },
  {
    id: 'input.complete',
    keys: ['tab'],
    description: 'Complete the command or namespace',
    category: 'Input',
    action: (c) => c.complete(),
    visible: (c) => c.canComplete,
  },
  {
    id: 'input.erase',
    keys: ['backspace', 'delete'],
    description: 'Delete the last character',
    category: 'Input',
    action: (c) => c.erase(),
  },
];

/** Props of {@link Prompt}. */
export interface PromptProps {
  /** `:` or `/`. */
  readonly prefix: string;
  readonly initial?: string;
  readonly width: number;
  /** Called on every edit (the filter applies while typing). */
  readonly onChange?: (text: string) => void;
  readonly onSubmit: (text: string) => void;
  readonly onCancel: () => void;
  /** Tab completion; the prompt lists the candidates when several match. */
  readonly complete?: (text: string) => Completion;
}

/** A one-line text input that owns the keyboard while it is open. */
export function Prompt({ prefix, initial = '', width, onChange, onSubmit, onCancel, complete }: PromptProps): ReactElement {
  const [text, setText] = useState(initial);
  // Keys can arrive faster than renders: edits build on the latest text, not the rendered one.
  const latest = useRef(initial);
  const [completionHint, setCompletionHint] = useState('');
  const edit = (next: string) => {
    latest.current = next;
    setText(next);
    setCompletionHint('');
    onChange?.(next);
  };
  const ctx: PromptContext = {
    canComplete: complete !== undefined,
    submit: () => onSubmit(latest.current),
    cancel: onCancel,
    complete: () => {
      if (!complete) return;
      const result = complete(latest.current);
      edit(result.line);
      setCompletionHint(result.candidates.length > 0 ? result.candidates.join(' ') : (result.note ?? ''));
    },
    erase: () => edit(latest.current.slice(0, -1)),
  };
  useKeymap(PROMPT_KEYMAP, ctx, {
    scope: 'prompt',
    fallback: (input, key) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: typed text excludes control characters
      if (!key.ctrl && !key.meta && input.length > 0 && !/[\x00-\x1f\x7f]/.test(input)) edit(latest.current + input);
    },
  });
  const hint = completionHint ? `   ${completionHint}` : '';
  return (
    <Box>
      <Text wrap="truncate">
        <Text color="yellow">{prefix}</Text>
        {text}
        <Text inverse> </Text>
        <Text dimColor>{truncate(hint, Math.max(0, width - text.length - 3))}</Text>
      </Text>
    </Box>
  );
}
