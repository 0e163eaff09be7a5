/**
 * Label selectors, matched as k8s.io/apimachinery does: `metav1.LabelSelector` objects
 * (apis/meta/v1/helpers.go `LabelSelectorAsSelector`) and selector strings such as
 * kubectl's `--pod-selector` (pkg/labels/selector.go `Parse`).
 */

/** A metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A metav1.LabelSelector as JSON. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Operators of a parsed selector requirement (labels.Requirement). */
export type SelectorOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/** One parsed requirement of a selector. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

/**
 * Whether a metav1.LabelSelector selects these labels: a missing (null) selector selects
 * nothing, an empty one (`{}`) everything; an invalid selector (unknown operator, `In`
 * without values, `Exists` with values) selects nothing, as callers of
 * `LabelSelectorAsSelector` skip objects whose selector fails to convert.
 */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Labels): boolean {
  const requirements = labelSelectorRequirements(selector);
  return requirements?.every((r) => requirementMatches(r, labels)) ?? false;
}

/**
 * The requirements of a metav1.LabelSelector; undefined for a null or invalid selector
 * (which selects nothing), an empty list for `{}` (which selects everything).
 */
export function labelSelectorRequirements(selector: LabelSelector | null | undefined): Requirement[] | undefined {
  if (!selector) return undefined;
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    out.push({ key, operator: '=', values: [value] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        out.push({ key: expr.key, operator: expr.operator === 'In' ? 'in' : 'notin', values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        out.push({ key: expr.key, operator: expr.operator === 'Exists' ? 'exists' : '!', values: [] });
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** True when the selector object has neither matchLabels nor matchExpressions (selects everything). */
export function isEmptyLabelSelector(selector: LabelSelector | null | undefined): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** labels.Requirement.Matches */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Whether every requirement holds (an empty list selects everything). */
export function requirementsMatch(requirements: readonly Requirement[], labels: Labels): boolean {
  return requirements.every((r) => requirementMatches(r, labels));
}

/** Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

/** A selector string that does not parse. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

/**
 * Parses a selector string as `labels.Parse` does: comma-separated requirements of the forms
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * `key>1`, `key<1`. The empty string selects everything. Throws SelectorParseError.
 */
export function parseSelector(text: string): Requirement[] {
  const tokens = tokenize(text);
  const out: Requirement[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const next = (): Token | undefined => tokens[i++];
  while (i < tokens.length) {
    let tok = next()!;
    if (tok.kind === '!') {
      const key = next();
      if (key?.kind !== 'id') throw new SelectorParseError(`found '${key?.text ?? 'EOS'}', expected: identifier after '!'`);
      out.push({ key: key.text, operator: '!', values: [] });
    } else if (tok.kind === 'id') {
      const key = tok.text;
      const op = peek();
      if (!op || op.kind === ',') {
        out.push({ key, operator: 'exists', values: [] });
      } else if (op.kind === 'in' || op.kind === 'notin') {
        next();
        out.push({ key, operator: op.kind, values: parseValueSet(next, peek) });
      } else if (op.kind === '=' || op.kind === '==' || op.kind === '!=' || op.kind === 'gt' || op.kind === 'lt') {
        next();
        const v = peek();
        let value = '';
        if (v && isWord(v)) value = next()!.text;
        else if (v && v.kind !== ',') throw new SelectorParseError(`found '${v.text}', expected: identifier`);
        if ((op.kind === 'gt' || op.kind === 'lt') && parseInt64(value) === undefined) {
          throw new SelectorParseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        }
        out.push({ key, operator: op.kind, values: [value] });
      } else {
        throw new SelectorParseError(`found '${op.text}', expected: '=', '!=', '==', 'in', notin'`);
      }
    } else {
      throw new SelectorParseError(`found '${tok.text}', expected: !, identifier, or 'end of string'`);
    }
    tok = peek();
    if (tok) {
      if (tok.kind !== ',') throw new SelectorParseError(`found '${tok.text}', expected: ',' or 'end of string'`);
      next();
      if (!peek()) throw new SelectorParseError(`found 'EOS', expected: identifier after ','`);
    }
  }
  return out;
}

function parseValueSet(next: () => Token | undefined, peek: () => Token | undefined): string[] {
  const open = next();
  if (open?.kind !== '(') throw new SelectorParseError(`found '${open?.text ?? 'EOS'}', expected: '('`);
  const values: string[] = [];
  for (;;) {
    const t = next();
    if (!t) throw new SelectorParseError(`found 'EOS', expected: ')'`);
    if (t.kind === ')') {
      if (values.length === 0) values.push('');
      return values;
    }
    if (isWord(t)) {
      values.push(t.text);
      if (peek()?.kind === ',') {
        next();
        // `(a,)` holds an empty value too, as upstream's parseIdentifiersList reads it.
        if (peek()?.kind === ')') values.push('');
      }
      continue;
    }
    if (t.kind === ',') {
      values.push('');
      continue;
    }
    throw new SelectorParseError(`found '${t.text}', expected: ',', ')' or identifier`);
  }
}

/** `in`/`notin` are keywords only where an operator is expected; as values they are words. */
function isWord(t: Token): boolean {
  return t.kind === 'id' || t.kind === 'in' || t.kind === 'notin';
}

interface Token {
  kind: 'id' | '!' | '=' | '==' | '!=' | 'gt' | 'lt' | 'in' | 'notin' | '(' | ')' | ',';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, text: two });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '>' || c === '<') {
      tokens.push({ kind: c === '>' ? 'gt' : 'lt', text: c });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s=!(),<>]/.test(text[j])) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: word === 'in' || word === 'notin' ? word : 'id', text: word });
      i = j;
    }
  }
  return tokens;
}
