/**
 * The log view's `/` filter: the same query language as the tables' (`compileFilter` in
 * table.ts: a case-insensitive substring, or a case-insensitive regular expression between
 * slashes), plus where it matches, for highlighting.
 */
import { compileFilter } from './table.js';

/** A half-open range of characters `[start, end)`. */
export type TextRange = readonly [start: number, end: number];

/** A compiled log filter. */
export type LogFilter =
  | {
      readonly ok: true;
      /** False for the empty query: everything passes and nothing is highlighted. */
      readonly active: boolean;
      readonly test: (text: string) => boolean;
      /** Every non-overlapping match, left to right. */
      readonly ranges: (text: string) => TextRange[];
    }
  | { readonly ok: false; readonly error: string };

const NO_FILTER: LogFilter = { ok: true, active: false, test: () => true, ranges: () => [] };

/** Compiles a `/` query; a bad regular expression yields `{ ok: false, error }` instead of throwing. */
export function compileLogFilter(query: string): LogFilter {
  const compiled = compileFilter(query);
  if (!compiled.ok) return compiled;
  if (!compiled.active) return NO_FILTER;
  const regex = /^\/(.+)\/$/.exec(query);
  if (regex) {
    const global = new RegExp(regex[1], 'gi');
    return {
      ok: true,
      active: true,
      test: compiled.test,
      ranges: (text) => {
        const out: TextRange[] = [];
        global.lastIndex = 0;
        for (let m = global.exec(text); m !== null; m = global.exec(text)) {
          // An empty match (`/x*/`) highlights nothing; step past it so the scan ends.
          if (m[0].length === 0) global.lastIndex++;
          else out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    };
  }
  const needle = query.toLowerCase();
  return {
    ok: true,
    active: true,
    test: compiled.test,
    ranges: (text) => {
      const out: TextRange[] = [];
      const hay = text.toLowerCase();
      for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
      return out;
    },
  };
}
