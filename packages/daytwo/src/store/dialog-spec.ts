/** What a confirmation dialog asks: plain data and callbacks, kept in the UI store while the dialog is open. */

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
  /** The key that moves to the next value: a digit, so it never shadows y/n. */
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
