/**
 * YAML read as kubectl and the API server read it. Both decode YAML with sigs.k8s.io/yaml
 * (YAMLToJSON over its fork of go-yaml v2), whose plain scalars follow go-yaml v2's
 * `resolve` (resolve.go) rather than YAML 1.2's core schema:
 * - booleans: y Y yes Yes YES on On ON true True TRUE, and n N no No NO off Off OFF false False FALSE;
 * - null: empty, `~`, null Null NULL;
 * - integers: `_` removed, then Go's `strconv.ParseInt(s, 0, 64)`: `0644` and `0o644` are
 *   octal (420), `0x1F` hex, `0b101` binary, an optional sign;
 * - floats: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (so `08` is 8), `.inf`, `.nan`;
 * - no sexagesimal numbers (`1:20` stays a string); timestamps stay strings when decoded into
 *   interface{} (decode.go keeps the text "for backward compatibility");
 * - `<<` merge keys.
 * Quoted scalars are always strings. Non-string map keys become strings in YAMLToJSON
 * (`yes: x` has the key "true", `0644: x` the key "420"), which JavaScript objects do too.
 */
import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags, ToJSOptions } from 'yaml';

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** What `strconv.ParseInt(s, 0, 64)` (or ParseUint) accepts: sign, then a base prefix or a leading 0 for octal. */
const GO_INT = /^([-+]?)(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2 yamlStyleFloat. */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function goInt(plain: string): number | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const digits = m[2];
  const lower = digits.toLowerCase();
  let n: bigint;
  if (lower.startsWith('0b') || lower.startsWith('0o') || lower.startsWith('0x')) n = BigInt(`0${lower[1]}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  if (m[1] === '-') n = -n;
  // Beyond int64 and uint64, ParseInt and ParseUint fail and decimal digits fall through to the float rule.
  if (n < -(2n ** 63n) || n >= 2n ** 64n) return undefined;
  return Number(n);
}

/**
 * The value go-yaml v2 resolves an untagged plain scalar to; `undefined` when it stays a
 * string. Mirrors resolve.go: the first character picks what is tried.
 */
export function resolvePlainScalar(s: string): { readonly value: unknown } | undefined {
  if (NULL_WORDS.has(s)) return { value: null };
  if (TRUE_WORDS.has(s)) return { value: true };
  if (FALSE_WORDS.has(s)) return { value: false };
  const special = SPECIAL_FLOATS.get(s);
  if (special !== undefined) return { value: special };
  const first = s[0];
  if (first === '.') return GO_FLOAT.test(s) ? { value: Number(s) } : undefined;
  if (!/[-+0-9]/.test(first)) return undefined;
  const plain = s.replaceAll('_', '');
  const int = goInt(plain);
  if (int !== undefined) return { value: int };
  if (GO_FLOAT.test(plain)) return { value: Number(plain) };
  return undefined;
}

/** A RegExp-shaped test (the `yaml` library calls `tag.test.test(source)`). */
function tester(accepts: (s: string) => boolean): RegExp {
  return { test: accepts } as unknown as RegExp;
}

const resolved = (s: string): unknown => resolvePlainScalar(s)?.value;

const nullTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:null',
  default: true,
  identify: (v) => v === null || v === undefined,
  test: tester((s) => NULL_WORDS.has(s)),
  resolve: () => null,
};

const boolTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  identify: (v) => typeof v === 'boolean',
  test: tester((s) => TRUE_WORDS.has(s) || FALSE_WORDS.has(s)),
  resolve: (s) => TRUE_WORDS.has(s),
};

const isGoInt = (s: string): boolean => /[-+0-9]/.test(s[0] ?? '') && goInt(s.replaceAll('_', '')) !== undefined;

const intTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  identify: (v) => typeof v === 'number' && Number.isInteger(v),
  test: tester(isGoInt),
  resolve: (s, onError) => {
    const v = resolved(s);
    if (typeof v !== 'number') onError(`cannot decode !!str \`${s}\` as a !!int`);
    return v;
  },
};

const floatTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (v) => typeof v === 'number',
  test: tester((s) => !isGoInt(s) && typeof resolved(s) === 'number'),
  resolve: (s, onError) => {
    const v = resolved(s);
    if (typeof v !== 'number') onError(`cannot decode !!str \`${s}\` as a !!float`);
    return v;
  },
};

const GO_SCALARS = [nullTag, boolTag, intTag, floatTag];

/** Keeps the collections and strings of the core schema; scalars resolve as go-yaml v2 does. */
function kubeTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t !== 'string' && (('collection' in t && t.collection) || t.tag === 'tag:yaml.org,2002:str'));
  return [...kept, ...GO_SCALARS];
}

/** Options for `parseAllDocuments` / `parse` of the `yaml` library: see the module comment. */
export const KUBE_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: kubeTags,
  merge: true,
};

/** Options for `toJS`. */
export const KUBE_TO_JS_OPTIONS: ToJSOptions = { maxAliasCount: 100 };
