import { Box, Text } from 'ink';
import { type ReactElement, useState } from 'react';
import type { Keymap } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/use-keymap.js';

/** A toggle offered by a confirmation dialog (e.g. drain's "delete emptyDir data"). */
export interface DialogOption {
  readonly id: string;
  readonly label: string;
  /** The key that toggles it: a digit, so it never shadows y/n. */
  readonly key: string;
  readonly value: boolean;
}

/** A setting a dialog cycles through a few values with one key (e.g. drain's grace period). */
export interface DialogChoice {
  readonly id: string;
  readonly label: string;
  /** The key that moves to the next value: a digit (or `+`), so it never shadows y/n. */
  readonly key: string;
  /** The key that moves to the previous value (e.g. `-` for a replica count), if any. */
  readonly backKey?: string;
  /** Values in cycling order, as shown. */
  readonly values: readonly string[];
  readonly value: string;
}

/** The current toggles and choices of an open dialog. */
export interface DialogValues {
  readonly options: Readonly<Record<string, boolean>>;
  readonly choices: Readonly<Record<string, string>>;
}

/** What a confirmation dialog asks. */
export interface DialogSpec {
  readonly title: string;
  /** Static lines, or lines drawn from the current toggles and choices (a plan that follows its options). */
  readonly body: string | readonly string[] | ((values: DialogValues) => readonly string[]);
  /**
   * Lines after the body, one row each, that scroll (j/k, up/down, PgUp/PgDn) when the
   * dialog would be taller than the screen; the title, body, toggles and buttons stay put.
   */
  readonly details?: (values: DialogValues) => readonly string[];
  readonly options?: readonly DialogOption[];
  readonly choices?: readonly DialogChoice[];
  readonly confirmLabel?: string;
  readonly cancelLabel?: string;
  /** Mutating actions: the focus starts on Cancel, so a stray Enter does nothing. */
  readonly dangerous?: boolean;
  /** Called with the options' final values (and the choices', when there are any). */
  readonly onConfirm: (options: Readonly<Record<string, boolean>>, choices: Readonly<Record<string, string>>) => void;
  readonly onCancel?: () => void;
}

/** The dialog's key context. */
export interface DialogContext {
  confirm(): void;
  cancel(): void;
  /** Enter: the focused button. */
  activate(): void;
  toggleFocus(): void;
  /** True when the details do not fit and scroll. */
  readonly scrollable: boolean;
  /** Moves the details by `lines` (negative: up; ±Infinity: to the end), or by pages. */
  scroll(lines: number): void;
  scrollPage(pages: number): void;
}

/** Keys of a confirmation dialog; option toggles are their own digits. */
export const DIALOG_KEYMAP: Keymap<DialogContext> = [
  { id: 'dialog.confirm', keys: ['y'], description: 'Confirm', category: 'Dialog', action: (c) => c.confirm(), hint: 'confirm' },
  {
    id: 'dialog.cancel',
    keys: ['n', 'escape'],
    description: 'Cancel',
    category: 'Dialog',
    action: (c) => c.cancel(),
    hint: 'cancel',
  },
  {
    id: 'dialog.activate',
    keys: ['enter'],
    description: 'Press the focused button',
    category: 'Dialog',
    action: (c) => c.activate(),
  },
  {
    id: 'dialog.focus',
    keys: ['tab', 'left', 'right', 'h', 'l'],
    description: 'Move the focus between the buttons',
    category: 'Dialog',
    action: (c) => c.toggleFocus(),
  },
  {
    id: 'dialog.scrollDown',
    keys: ['j', 'down'],
    description: 'Scroll the details (a drain plan) down a line',
    category: 'Dialog',
    action: (c) => c.scroll(1),
    visible: (c) => c.scrollable,
  },
  {
    id: 'dialog.scrollUp',
    keys: ['k', 'up'],
    description: 'Scroll the details up a line',
    category: 'Dialog',
    action: (c) => c.scroll(-1),
    visible: (c) => c.scrollable,
  },
  {
    id: 'dialog.pageDown',
    keys: ['pagedown'],
    description: 'Scroll the details down a page',
    category: 'Dialog',
    action: (c) => c.scrollPage(1),
    visible: (c) => c.scrollable,
  },
  {
    id: 'dialog.pageUp',
    keys: ['pageup'],
    description: 'Scroll the details up a page',
    category: 'Dialog',
    action: (c) => c.scrollPage(-1),
    visible: (c) => c.scrollable,
  },
  {
    id: 'dialog.top',
    keys: ['g', 'home'],
    description: 'Scroll the details to the top',
    category: 'Dialog',
    action: (c) => c.scroll(Number.NEGATIVE_INFINITY),
    visible: (c) => c.scrollable,
  },
  {
    id: 'dialog.bottom',
    keys: ['G', 'end'],
    description: 'Scroll the details to the bottom',
    category: 'Dialog',
    action: (c) => c.scroll(Number.POSITIVE_INFINITY),
    visible: (c) => c.scrollable,
  },
];

/** The widest a dialog gets, in cells, border included. */
export const DIALOG_MAX_WIDTH = 72;

/** A dialog's width on a terminal `width` cells wide. */
export function dialogWidth(width: number): number {
  return Math.max(20, Math.min(width, DIALOG_MAX_WIDTH));
}

/** Cells a dialog's body line has inside the border and padding. */
export function dialogTextWidth(width: number): number {
  return dialogWidth(width) - 4;
}

/** Rows of a dialog besides its body and details: the border (2), the title and the buttons. */
const DIALOG_CHROME_ROWS = 4;

/**
 * How many detail lines fit: the rows left of `height` after the chrome, the body (each
 * line wrapped to the text width), the toggles and choices, and the scroll position line.
 */
export function detailRows(height: number, textWidth: number, body: readonly string[], toggles: number, details: number): number {
  const bodyRows = body.reduce((n, line) => n + Math.max(1, Math.ceil(line.length / Math.max(1, textWidth))), 0);
  const room = height - DIALOG_CHROME_ROWS - bodyRows - toggles;
  if (details <= room) return details;
  return Math.max(1, room - 1);
}

/** Props of {@link Dialog}. */
export interface DialogProps {
  readonly spec: DialogSpec;
  readonly width: number;
  /** Rows the dialog may take; longer details scroll. Default: unbounded. */
  readonly height?: number;
  /** Called after the dialog was answered either way, to close it. */
  readonly onClose: () => void;
}

/** A modal confirmation: title, body, toggles and Yes/No buttons; `y`/`n`, Enter on the focused button, Esc cancels. */
export function Dialog({ spec, width, height = Number.POSITIVE_INFINITY, onClose }: DialogProps): ReactElement {
  const [focus, setFocus] = useState<'confirm' | 'cancel'>(spec.dangerous ? 'cancel' : 'confirm');
  const [values, setValues] = useState<Record<string, boolean>>(() =>
    Object.fromEntries((spec.options ?? []).map((o) => [o.id, o.value])),
  );
  const [choices, setChoices] = useState<Record<string, string>>(() =>
    Object.fromEntries((spec.choices ?? []).map((c) => [c.id, c.value])),
  );
  const [top, setTop] = useState(0);
  const body =
    typeof spec.body === 'string' ? [spec.body] : typeof spec.body === 'function' ? spec.body({ options: values, choices }) : spec.body;
  const details = spec.details?.({ options: values, choices }) ?? [];
  const toggles = (spec.options ?? []).length + (spec.choices ?? []).length;
  const shownRows = detailRows(height, dialogTextWidth(width), body, toggles, details.length);
  const maxTop = Math.max(0, details.length - shownRows);
  // Toggling an option re-plans: the details may get shorter than where the view was.
  const first = Math.min(top, maxTop);
  const scrollTo = (line: number) => setTop(Math.max(0, Math.min(maxTop, line)));
  // ±Infinity from g/G: the clamp makes them the first and last lines.
  const ctx: DialogContext = {
    confirm: () => {
      onClose();
      spec.onConfirm(values, choices);
    },
    cancel: () => {
      onClose();
      spec.onCancel?.();
    },
    activate: () => (focus === 'confirm' ? ctx.confirm() : ctx.cancel()),
    toggleFocus: () => setFocus((f) => (f === 'confirm' ? 'cancel' : 'confirm')),
    scrollable: maxTop > 0,
    scroll: (lines) => scrollTo(first + lines),
    scrollPage: (pages) => scrollTo(first + pages * Math.max(1, shownRows - 1)),
  };
  useKeymap(DIALOG_KEYMAP, ctx, {
    scope: 'dialog',
    fallback: (input) => {
      const option = spec.options?.find((o) => o.key === input);
      if (option) setValues((v) => ({ ...v, [option.id]: !v[option.id] }));
      const choice = spec.choices?.find((c) => c.key === input || c.backKey === input);
      if (choice) {
        const step = choice.key === input ? 1 : choice.values.length - 1;
        setChoices((c) => ({ ...c, [choice.id]: choice.values[(choice.values.indexOf(c[choice.id]) + step) % choice.values.length] }));
      }
    },
  });
  const boxWidth = dialogWidth(width);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={spec.dangerous ? 'red' : 'cyan'} width={boxWidth} paddingX={1}>
      <Text bold wrap="truncate">
        {spec.title}
      </Text>
      {body.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static lines of one dialog
        <Text key={i} wrap="wrap">
          {line}
        </Text>
      ))}
      {details.slice(first, first + shownRows).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a window that scrolls
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
      {maxTop > 0 ? (
        <Text dimColor wrap="truncate">{`── lines ${first + 1}-${first + shownRows} of ${details.length} · j/k ↑/↓ PgUp/PgDn g/G scroll ──`}</Text>
      ) : null}
      {(spec.options ?? []).map((o) => (
        <Text key={o.id} wrap="truncate">{`[${values[o.id] ? 'x' : ' '}] ${o.key} ${o.label}`}</Text>
      ))}
      {(spec.choices ?? []).map((c) => (
        <Text key={c.id} wrap="truncate">{`<${choices[c.id]}> ${c.backKey ? `${c.backKey}/${c.key}` : c.key} ${c.label}`}</Text>
      ))}
      <Box gap={2}>
        <Text inverse={focus === 'confirm'} color={spec.dangerous ? 'red' : undefined}>
          {` ${spec.confirmLabel ?? 'Yes'} (y) `}
        </Text>
        <Text inverse={focus === 'cancel'}>{` ${spec.cancelLabel ?? 'No'} (n) `}</Text>
      </Box>
    </Box>
  );
}
