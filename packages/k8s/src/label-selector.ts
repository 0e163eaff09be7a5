/**
 * Label selectors as k8s.io/apimachinery parses, converts and matches them: selector strings
 * (pkg/labels/selector.go: its lexer, parser and error messages), metav1.LabelSelector objects
 * (apis/meta/v1/helpers.go `LabelSelectorAsSelector`) and their string form
 * (`labels.Selector.String()`). The simulated API server and the product share this one.
 */
import { labelValueErrors, qualifiedNameErrors } from './validation.js';

/** A metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** A metav1.LabelSelector as JSON. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/** Operators of a parsed requirement, spelled as upstream's `selection.Operator`. */
export type SelectorOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/** One parsed requirement of a selector (labels.Requirement); a selector is the AND of its requirements. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | null | undefined;

/** A selector string or object that does not parse; the message is the API server's. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

// ---------------------------------------------------------------------------
// Matching

/** labels.Requirement.Matches */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && labels !== null && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const actual = parseInt64(value as string);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Whether every requirement holds: an empty list selects everything, `null` (upstream's `Nothing()`) nothing. */
export function requirementsMatch(requirements: readonly Requirement[] | null, labels: Labels): boolean {
  return requirements?.every((r) => requirementMatches(r, labels)) ?? false;
}

/**
 * Whether a metav1.LabelSelector selects these labels: a missing (null) selector selects
 * nothing, an empty one (`{}`) everything; an invalid selector (unknown operator, `In`
 * without values, `Exists` with values) selects nothing, as callers of
 * `LabelSelectorAsSelector` skip objects whose selector fails to convert.
 */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Labels): boolean {
  return requirementsMatch(labelSelectorRequirements(selector) ?? null, labels);
}

/** True when the selector object has neither matchLabels nor matchExpressions (selects everything). */
export function isEmptyLabelSelector(selector: LabelSelector | null | undefined): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

// ---------------------------------------------------------------------------
// metav1.LabelSelector objects

const SELECTOR_OBJECT_OPERATORS: Record<string, SelectorOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

const byKey = (a: Requirement, b: Requirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Converts a metav1.LabelSelector as `LabelSelectorAsSelector` does, requirements sorted by
 * key: `null`/absent is `null` (selects nothing), `{}` an empty list (selects everything).
 * Throws SelectorParseError on an unknown operator or a values list that does not fit it.
 */
export function labelSelectorAsRequirements(selector: LabelSelector | null | undefined): Requirement[] | null {
  if (selector === null || selector === undefined) return null;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: '=', values: [value] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = SELECTOR_OBJECT_OPERATORS[expression.operator];
    if (!operator) throw new SelectorParseError(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    const given = expression.values ?? [];
    const values = operator === 'in' || operator === 'notin' ? [...given] : [];
    if ((operator === 'in' || operator === 'notin') && values.length === 0) {
      throw new SelectorParseError("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
    }
    if ((operator === 'exists' || operator === '!') && given.length > 0) {
      throw new SelectorParseError('values: Invalid value: values set must be empty for exists and does not exist');
    }
    requirements.push({ key: expression.key, operator, values });
  }
  return requirements.sort(byKey);
}

/** The requirements of a metav1.LabelSelector; undefined for a null or invalid selector (which selects nothing). */
export function labelSelectorRequirements(selector: LabelSelector | null | undefined): Requirement[] | undefined {
  try {
    return labelSelectorAsRequirements(selector) ?? undefined;
  } catch (err) {
    if (err instanceof SelectorParseError) return undefined;
    throw err;
  }
}

/**
 * A metav1.LabelSelector in its string form, as `labels.Selector.String()` prints it after
 * `LabelSelectorAsSelector`: requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a)`,
 * `k`, `!k`; empty for an empty, missing or invalid selector.
 */
export function labelSelectorString(selector: LabelSelector | null | undefined): string {
  return (labelSelectorRequirements(selector) ?? []).map(requirementString).join(',');
}

function requirementString(r: Requirement): string {
  const values = [...r.values].sort();
  switch (r.operator) {
    case '=':
    case '==':
      return `${r.key}=${values[0]}`;
    case '!=':
      return `${r.key}!=${values[0]}`;
    case 'in':
      return `${r.key} in (${values.join(',')})`;
    case 'notin':
      return `${r.key} notin (${values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    default:
      return `${r.key}${r.operator === 'gt' ? '>' : '<'}${values[0]}`;
  }
}

// ---------------------------------------------------------------------------
// Selector strings (labels.Parse)

type TokenKind =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  kind: TokenKind;
  literal: string;
}

const LITERAL_TOKENS: Record<string, TokenKind> = {
  ')': 'closedPar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  in: 'in',
  '<': 'lessThan',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
};

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

const OPERATOR_TOKENS: Partial<Record<TokenKind, SelectorOperator>> = {
  in: 'in',
  equals: '=',
  doubleEquals: '==',
  greaterThan: 'gt',
  lessThan: 'lt',
  notIn: 'notin',
  notEquals: '!=',
};

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos])) pos++;
    if (pos >= input.length) {
      tokens.push({ kind: 'eos', literal: '' });
      return tokens;
    }
    if (isSpecialSymbol(input[pos])) {
      // Longest special-symbol run that is still a known token, like upstream's scanSpecialSymbol.
      let buffer = '';
      let last: Token | undefined;
      while (pos < input.length && isSpecialSymbol(input[pos])) {
        buffer += input[pos];
        const kind = LITERAL_TOKENS[buffer];
        if (kind) {
          last = { kind, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      tokens.push(last ?? { kind: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < input.length && !isSpecialSymbol(input[pos]) && !isWhitespace(input[pos])) {
      buffer += input[pos];
      pos++;
    }
    tokens.push({ kind: LITERAL_TOKENS[buffer] ?? 'identifier', literal: buffer });
  }
}

/** In a values context the keywords `in`/`notin` are plain identifiers (`a in (in)`). */
function asValue(token: Token, valuesContext: boolean): Token {
  if (valuesContext && (token.kind === 'in' || token.kind === 'notIn')) return { kind: 'identifier', literal: token.literal };
  return token;
}

class LabelParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  private lookahead(valuesContext: boolean): Token {
    return asValue(this.tokens[this.position], valuesContext);
  }

  private consume(valuesContext: boolean): Token {
    const token = this.tokens[this.position];
    this.position++;
    return asValue(token, valuesContext);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const token = this.lookahead(true);
      if (token.kind === 'eos') return requirements;
      if (token.kind !== 'identifier' && token.kind !== 'doesNotExist') {
        throw new SelectorParseError(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      let requirement: Requirement;
      try {
        requirement = this.parseRequirement();
      } catch (err) {
        throw new SelectorParseError(`unable to parse requirement: ${(err as Error).message}`);
      }
      requirements.push(requirement);
      const next = this.consume(true);
      if (next.kind === 'eos') return requirements;
      if (next.kind === 'comma') {
        const after = this.lookahead(true);
        if (after.kind !== 'identifier' && after.kind !== 'doesNotExist') {
          throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`);
        }
        continue;
      }
      throw new SelectorParseError(`found '${next.literal}', expected: ',' or 'end of string'`);
    }
  }

  private parseRequirement(): Requirement {
    let token = this.consume(true);
    let operator: SelectorOperator | undefined;
    if (token.kind === 'doesNotExist') {
      operator = '!';
      token = this.consume(true);
    }
    if (token.kind !== 'identifier') throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length > 0) {
      // Upstream validates the key against a nil field path, which prints as "<nil>".
      throw new SelectorParseError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
    }
    const peek = this.lookahead(true).kind;
    if (operator === '!') return newRequirement(key, '!', []);
    if (peek === 'eos' || peek === 'comma') return newRequirement(key, 'exists', []);

    const opToken = this.consume(false);
    const op = OPERATOR_TOKENS[opToken.kind];
    if (!op) throw new SelectorParseError(`found '${opToken.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, values);
  }

  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.kind !== 'openPar') throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const token = this.lookahead(true);
    if (token.kind === 'closedPar') {
      this.consume(true);
      return [''];
    }
    if (token.kind !== 'identifier' && token.kind !== 'comma') {
      throw new SelectorParseError(`found '${token.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    if (this.consume(true).kind !== 'closedPar') throw new SelectorParseError(`found '${token.literal}', expected: ')'`);
    return values;
  }

  /** A set, listed sorted (upstream's `sets.List`). */
  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume(true);
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const next = this.lookahead(true);
        if (next.kind === 'comma') continue;
        if (next.kind === 'closedPar') return [...values].sort();
        throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead(true);
        if (next.kind === 'closedPar') {
          values.add('');
          return [...values].sort();
        }
        if (next.kind === 'comma') {
          this.consume(true);
          values.add('');
        }
        continue;
      }
      throw new SelectorParseError(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const peek = this.lookahead(true);
    if (peek.kind === 'eos' || peek.kind === 'comma') return [''];
    const token = this.consume(true);
    if (token.kind === 'identifier') return [token.literal];
    throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
  }
}

/** NewRequirement's validation of values (the key is validated by the caller). */
function newRequirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const errors: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (parseInt64(v) === undefined) {
        errors.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
    });
  }
  values.forEach((v, i) => {
    const valueErrors = labelValueErrors(v);
    if (valueErrors.length > 0) {
      errors.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${valueErrors.join('; ')}`);
    }
  });
  if (errors.length === 1) throw new SelectorParseError(errors[0]);
  if (errors.length > 1) throw new SelectorParseError(`[${errors.join(', ')}]`);
  return { key, operator, values };
}

/**
 * Parses a selector string as `labels.Parse` does (`app=web,tier in (a,b),!canary`, `n>1`),
 * requirements sorted by key. The empty string selects everything. Throws SelectorParseError
 * with the API server's message.
 */
export function parseSelector(text: string): Requirement[] {
  return new LabelParser(lex(text)).parse().sort(byKey);
}
