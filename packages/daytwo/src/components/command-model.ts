/**
 * The `:` command line: parsing and Tab completion, as pure functions over the commands
 * the view registry offers and the resources discovery found. A view's name wins over a
 * resource of the same name (`:deploy` is the Workloads view, `:ns` the Namespaces view);
 * any other name that resolves to a resource (`:svc`, `:cm`, `:crd`, `:gadgets.example.com`)
 * opens the generic table of that resource.
 */
import { type ApiResource, resolveResource, resourceNames } from '../domain/api-resources.js';

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
  | {
      readonly type: 'resource';
      readonly resource: ApiResource;
      readonly scope?: { readonly namespace: string | undefined };
    }
  | { readonly type: 'quit' }
  | { readonly type: 'help' }
  | { readonly type: 'none' }
  /** `unknown`: the name is neither a view nor a known resource (discovery may be stale). */
  | { readonly type: 'error'; readonly message: string; readonly unknown?: boolean };

/**
 * Parses `name [namespace|all]`. Unknown names and unknown namespaces are errors; an empty
 * line does nothing. `namespaces` is undefined when the namespace list is not known (then
 * any name is accepted).
 */
export function parseCommand(
  line: string,
  targets: readonly CommandTarget[],
  namespaces: readonly string[] | undefined,
  resources: readonly ApiResource[] = [],
): ParsedCommand {
  const [name, arg, ...extra] = line.trim().split(/\s+/).filter(Boolean);
  if (name === undefined) return { type: 'none' };
  const target = targets.find((t) => t.names.includes(name));
  if (!target) {
    const resource = resolveResource(name, resources);
    if (!resource) return { type: 'error', message: `unknown command ":${name}" (Tab completes, ? lists the views)`, unknown: true };
    if (extra.length > 0 || (arg !== undefined && !resource.namespaced)) return { type: 'error', message: `too many arguments for ":${name}"` };
    const scope = namespaceScope(arg, namespaces);
    if (scope && 'error' in scope) return { type: 'error', message: scope.error };
    return { type: 'resource', resource, ...(scope ? { scope } : {}) };
  }
  if (target.kind === 'view' && target.takesArgs && arg !== undefined) {
    return { type: 'view', view: target.id, args: line.trim().slice(name.length).trim() };
  }
  if (extra.length > 0 || (arg !== undefined && !target.takesNamespace)) {
    return { type: 'error', message: `too many arguments for ":${name}"` };
  }
  if (target.kind !== 'view') return { type: target.kind };
  const scope = namespaceScope(arg, namespaces);
  if (scope && 'error' in scope) return { type: 'error', message: scope.error };
  return { type: 'view', view: target.id, ...(scope ? { scope } : {}) };
}

/** The scope a namespace argument asks for: none, all namespaces, or a known namespace. */
function namespaceScope(
  arg: string | undefined,
  namespaces: readonly string[] | undefined,
): { readonly namespace: string | undefined } | { readonly error: string } | undefined {
  if (arg === undefined) return undefined;
  if (arg === ALL_NAMESPACES) return { namespace: undefined };
  if (namespaces && !namespaces.includes(arg)) return { error: `namespace "${arg}" not found` };
  return { namespace: arg };
}

/** What Tab does to a command line: the completed line and the candidates when ambiguous. */
export interface Completion {
  readonly line: string;
  readonly candidates: readonly string[];
  /** Said instead of candidates when there are none yet to offer. */
  readonly note?: string;
}

/** Tab before discovery has answered: the resource names are not known yet. */
export const RESOURCES_LOADING = 'resource names are still loading: Tab again in a moment';

/**
 * Completes the word being typed: a command name first, then (after a view taking one) a
 * namespace or `all`. A unique match is completed with a trailing space; several are
 * completed to their longest common prefix and listed.
 */
export function completeCommand(
  line: string,
  targets: readonly CommandTarget[],
  namespaces: readonly string[],
  resources: readonly ApiResource[] = [],
): Completion {
  const words = line.trimStart().split(/\s+/);
  if (words.length <= 1) {
    const names = [...new Set([...targets.flatMap((t) => t.names), ...resourceNames(resources)])].sort();
    const completion = completeWord('', words[0] ?? '', names);
    const unchanged = completion.line === line && completion.candidates.length === 0;
    return resources.length === 0 && unchanged ? { ...completion, note: RESOURCES_LOADING } : completion;
  }
  if (words.length > 2) return { line, candidates: [] };
  const target = targets.find((t) => t.names.includes(words[0]));
  const takesNamespace = target ? target.takesNamespace : resolveResource(words[0], resources)?.namespaced;
  if (!takesNamespace) return { line, candidates: [] };
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
