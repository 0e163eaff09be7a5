import { Box, Text } from 'ink';
import { type ReactElement, useMemo, useRef, useState } from 'react';
import type { Keymap } from '../hooks/keymap.js';
import { useKeymap } from '../hooks/use-keymap.js';
import type { DialogSpec, DialogValues } from '../store/dialog-spec.js';

export type { DialogChoice, DialogOption, DialogSpec, DialogValues } from '../store/dialog-spec.js';

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
  /** Flips a toggle, or moves a choice to its next value (`step` -1: the previous one). */
  toggle(id: string, step?: 1 | -1): void;
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
  // Keys may come faster than renders (`1 y` in one read): answers and toggles read the latest values.
  const latest = useRef<DialogValues>(initialValues(spec));
  const [{ options: values, choices }, setValues] = useState(latest.current);
  const update = (next: DialogValues) => {
    latest.current = next;
    setValues(next);
  };
  const [top, setTop] = useState(0);
  const body =
    typeof spec.body === 'string' ? [spec.body] : typeof spec.body === 'function' ? spec.body({ options: values, choices }) : spec.body;
  const details = spec.details?.({ options: values, choices }) ?? [];
  const toggles = (spec.options ?? []).length + (spec.choices ?? []).length;
  const shownRows = detailRows(height, dialogTextWidth(width), body, toggles, details.length);
  const maxTop = Math.max(0, details.length - shownRows);
  // Toggling an option re-plans: the details may get shorter than where the view was.
  const first = Math.min(top, maxTop);
  // Relative to the latest position: scroll keys typed in one read add up.
  const scrollBy = (lines: number) => setTop((t) => Math.max(0, Math.min(maxTop, Math.min(t, maxTop) + lines)));
  // ±Infinity from g/G: the clamp makes them the first and last lines.
  const ctx: DialogContext = {
    confirm: () => {
      onClose();
      spec.onConfirm(latest.current.options, latest.current.choices);
    },
    cancel: () => {
      onClose();
      spec.onCancel?.();
    },
    activate: () => (focus === 'confirm' ? ctx.confirm() : ctx.cancel()),
    toggleFocus: () => setFocus((f) => (f === 'confirm' ? 'cancel' : 'confirm')),
    scrollable: maxTop > 0,
    scroll: scrollBy,
    scrollPage: (pages) => scrollBy(pages * Math.max(1, shownRows - 1)),
    toggle: (id, step) => update(toggled(spec, latest.current, id, step)),
  };
  const keymap = useMemo(() => dialogKeymap(spec), [spec]);
  useKeymap(keymap, ctx, { scope: 'dialog' });
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

/** The dialog's keys: the common ones, and one binding per toggle and choice (their digits). */
export function dialogKeymap(spec: DialogSpec): Keymap<DialogContext> {
  const toggles = [...(spec.options ?? []), ...(spec.choices ?? [])];
  return [
    ...DIALOG_KEYMAP,
    ...toggles.map((t) => ({
      id: `dialog.toggle.${t.id}`,
      keys: [t.key],
      description: t.label,
      category: 'Dialog' as const,
      action: (c: DialogContext) => c.toggle(t.id),
    })),
    ...(spec.choices ?? []).flatMap((c) =>
      c.backKey
        ? [
            {
              id: `dialog.back.${c.id}`,
              keys: [c.backKey],
              description: `${c.label}: the previous value`,
              category: 'Dialog' as const,
              action: (ctx: DialogContext) => ctx.toggle(c.id, -1),
            },
          ]
        : [],
    ),
  ];
}

function initialValues(spec: DialogSpec): DialogValues {
  return {
    options: Object.fromEntries((spec.options ?? []).map((o) => [o.id, o.value])),
    choices: Object.fromEntries((spec.choices ?? []).map((c) => [c.id, c.value])),
  };
}

/** The values after the toggle or choice `id` was pressed once. */
export function toggled(spec: DialogSpec, values: DialogValues, id: string, step: 1 | -1 = 1): DialogValues {
  if (spec.options?.some((o) => o.id === id)) return { ...values, options: { ...values.options, [id]: !values.options[id] } };
  const choice = spec.choices?.find((c) => c.id === id);
  if (!choice) return values;
  const next = choice.values[(choice.values.indexOf(values.choices[id]) + step + choice.values.length) % choice.values.length];
  return { ...values, choices: { ...values.choices, [id]: next } };
}
