/**
 * The `:` command line: parsing and Tab completion, as pure functions over the commands
 * the view registry offers.
 */

/** A command the line accepts: a view with its names, or a built-in. */
export interface CommandTarget {
  /** The view id, or `quit` / `help`. */
  readonly id: string;
  readonly kind: 'view' | 'quit' | 'help';
  /** Every name typed for it: `ns`, `namespaces`, … */
  readonly names: readonly string[];
  /** Views only: whether a namespace argument (`:ns all`, `:pods kube-system`) applies. */
  readonly takesNamespace?: boolean;
  /** Views only: the rest of the line is the view's own argument (`:logs app=web`), handed over unparsed. */
  readonly takesArgs?: boolean;
}

/** The argument that clears the namespace scope: `:ns all`. */
export const ALL_NAMESPACES = 'all';

/** The result of running a command line. */
export type ParsedCommand =
  | {
      readonly type: 'view';
      readonly view: string;
      readonly scope?: { readonly namespace: string | undefined };
      /** The text after the name, for a target that `takesArgs`. */
      readonly args?: string;
    }
  | { readonly type: 'quit' }
  | { readonly type: 'help' }
  | { readonly type: 'none' }
  | { readonly type: 'error'; readonly message: string };

/**
 * Parses `name [namespace|all]`. Unknown names and unknown namespaces are errors; an empty
 * line does nothing. `namespaces` is undefined when the namespace list is not known (then
 * any name is accepted).
 */
export function parseCommand(
  line: string,
  targets: readonly CommandTarget[],
  namespaces: readonly string[] | undefined,
): ParsedCommand {
  const [name, arg, ...extra] = line.trim().split(/\s+/).filter(Boolean);
  if (name === undefined) return { type: 'none' };
  const target = targets.find((t) => t.names.includes(name));
  if (!target) return { type: 'error', message: `unknown command ":${name}" (Tab completes, ? lists the views)` };
  if (target.kind === 'view' && target.takesArgs && arg !== undefined) {
    return { type: 'view', view: target.id, args: line.trim().slice(name.length).trim() };
  }
  if (extra.length > 0 || (arg !== undefined && !target.takesNamespace)) {
    return { type: 'error', message: `too many arguments for ":${name}"` };
  }
  if (target.kind !== 'view') return { type: target.kind };
  if (arg === undefined) return { type: 'view', view: target.id };
  if (arg === ALL_NAMESPACES) return { type: 'view', view: target.id, scope: { namespace: undefined } };
  if (namespaces && !namespaces.includes(arg)) return { type: 'error', message: `namespace "${arg}" not found` };
  return { type: 'view', view: target.id, scope: { namespace: arg } };
}

/** What Tab does to a command line: the completed line and the candidates when ambiguous. */
export interface Completion {
  readonly line: string;
  readonly candidates: readonly string[];
}

/**
 * Completes the word being typed: a command name first, then (after a view taking one) a
 * namespace or `all`. A unique match is completed with a trailing space; several are
 * completed to their longest common prefix and listed.
 */
export function completeCommand(
  line: string,
  targets: readonly CommandTarget[],
  namespaces: readonly string[],
): Completion {
  const words = line.trimStart().split(/\s+/);
  if (words.length <= 1) {
    const names = [...new Set(targets.flatMap((t) => t.names))].sort();
    return completeWord('', words[0] ?? '', names);
  }
  if (words.length > 2) return { line, candidates: [] };
  const target = targets.find((t) => t.names.includes(words[0]));
  if (!target?.takesNamespace) return { line, candidates: [] };
  return completeWord(`${words[0]} `, words[1], [ALL_NAMESPACES, ...[...namespaces].sort()]);
}

function completeWord(before: string, word: string, options: readonly string[]): Completion {
  const matches = options.filter((o) => o.startsWith(word));
  if (matches.length === 0) return { line: before + word, candidates: [] };
  if (matches.length === 1) return { line: `${before}${matches[0]} `, candidates: [] };
  return { line: before + commonPrefix(matches), candidates: matches };
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0];
  for (const w of words) {
    while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
