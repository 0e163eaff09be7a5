/**
 * node's `parseArgs` refuses `--tail -1` ("argument is ambiguous"): a value that starts
 * with a dash looks like an option to it. kubectl (pflag) takes it, so numeric options that
 * may be negative are rejoined as `--tail=-1` before parsing.
 */

/**
 * `argv` with `NAME -N` (N a number or a duration such as `-5s`) rewritten as `NAME=-N` for each option in `names`
 * (`--tail`, or a short `-t`). Everything else, and everything after `--`, is left alone.
 */
export function joinNegativeOptionValues(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (names.includes(arg) && next !== undefined && /^-\d+(\.\d+)?([a-zµ][\d.a-zµ]*)?$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
