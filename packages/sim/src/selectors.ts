/**
 * Label and field selectors as the API server parses and matches them.
 *
 * Label selector strings follow k8s.io/apimachinery/pkg/labels/selector.go (lexer, parser,
 * error messages); metav1.LabelSelector objects follow LabelSelectorAsSelector in
 * k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go; field selectors follow
 * k8s.io/apimachinery/pkg/fields/selector.go plus the per-kind field label conversions
 * registered by the API server (pkg/apis/core/v1/conversion.go and friends).
 */

import { requirementMatches } from '@daytwo/k8s/label-selector.js';
import { badRequest } from './errors.js';
import type { GroupResource, KubeObject } from './types.js';

/** A label requirement operator, spelled as upstream's `selection.Operator`. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a label selector; a selector is the AND of its requirements. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** A parsed label selector. `null` is upstream's `Nothing()`: it matches no object. */
export type LabelSelector = LabelRequirement[] | null;

/** metav1.LabelSelector as it appears in specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

// ---------------------------------------------------------------------------
// Label selector strings

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
    const kind = LITERAL_TOKENS[buffer];
    tokens.push({ kind: kind ?? 'identifier', literal: buffer });
  }
}

class LabelParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  /** In a values context the keywords `in`/`notin` are plain identifiers (`a in (in)`). */
  private lookahead(valuesContext: boolean): Token {
    return asValue(this.tokens[this.position], valuesContext);
  }

  private consume(valuesContext: boolean): Token {
    const token = this.tokens[this.position];
    this.position++;
    return asValue(token, valuesContext);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.lookahead(true);
      if (token.kind === 'eos') return requirements;
      if (token.kind !== 'identifier' && token.kind !== 'doesNotExist') {
        throw new Error(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      let requirement: LabelRequirement;
      try {
        requirement = this.parseRequirement();
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      requirements.push(requirement);
      const next = this.consume(true);
      if (next.kind === 'eos') return requirements;
      if (next.kind === 'comma') {
        const after = this.lookahead(true);
        if (after.kind !== 'identifier' && after.kind !== 'doesNotExist') {
          throw new Error(`found '${after.literal}', expected: identifier after ','`);
        }
        continue;
      }
      throw new Error(`found '${next.literal}', expected: ',' or 'end of string'`);
    }
  }

  private parseRequirement(): LabelRequirement {
    let token = this.consume(true);
    let operator: LabelOperator | undefined;
    if (token.kind === 'doesNotExist') {
      operator = '!';
      token = this.consume(true);
    }
    if (token.kind !== 'identifier') throw new Error(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length > 0) {
      // Upstream validates the key against a nil field path, which prints as "<nil>".
      throw new Error(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
    }
    const peek = this.lookahead(true).kind;
    if (operator === '!') return newRequirement(key, '!', []);
    if (peek === 'eos' || peek === 'comma') return newRequirement(key, 'exists', []);

    const opToken = this.consume(false);
    const op = OPERATOR_TOKENS[opToken.kind];
    if (!op) throw new Error(`found '${opToken.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, values);
  }

  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.kind !== 'openPar') throw new Error(`found '${open.literal}' expected: '('`);
    const token = this.lookahead(true);
    if (token.kind === 'closedPar') {
      this.consume(true);
      return [''];
    }
    if (token.kind !== 'identifier' && token.kind !== 'comma') {
      throw new Error(`found '${token.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    if (this.consume(true).kind !== 'closedPar') throw new Error(`found '${token.literal}', expected: ')'`);
    return values;
  }

  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume(true);
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const next = this.lookahead(true);
        if (next.kind === 'comma') continue;
        if (next.kind === 'closedPar') return sortedSet(values);
        throw new Error(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead(true);
        if (next.kind === 'closedPar') {
          values.add('');
          return sortedSet(values);
        }
        if (next.kind === 'comma') {
          this.consume(true);
          values.add('');
        }
        continue;
      }
      throw new Error(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const peek = this.lookahead(true);
    if (peek.kind === 'eos' || peek.kind === 'comma') return [''];
    const token = this.consume(true);
    if (token.kind === 'identifier') return [token.literal];
    throw new Error(`found '${token.literal}', expected: identifier`);
  }
}

const OPERATOR_TOKENS: Partial<Record<TokenKind, LabelOperator>> = {
  in: 'in',
  equals: '=',
  doubleEquals: '==',
  greaterThan: 'gt',
  lessThan: 'lt',
  notIn: 'notin',
  notEquals: '!=',
};

function asValue(token: Token, valuesContext: boolean): Token {
  if (valuesContext && (token.kind === 'in' || token.kind === 'notIn')) return { kind: 'identifier', literal: token.literal };
  return token;
}

function sortedSet(values: Set<string>): string[] {
  return [...values].sort();
}

/** Mirrors NewRequirement's validation of values (the key is validated by the caller). */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errors: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) {
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
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return { key, operator, values };
}

/**
 * Parses a label selector string (`app=web,tier in (a,b),!canary`). An empty string selects
 * everything. Throws a 400 BadRequest ApiError carrying the API server's parse message.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  try {
    const requirements = new LabelParser(lex(selector)).parse();
    return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

/** Whether `labels` satisfy every requirement; a `null` selector (Nothing) matches nothing. */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> | undefined | null): boolean {
  if (selector === null) return false;
  for (const requirement of selector) {
    if (!requirementMatches(requirement, labels ?? {})) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// metav1.LabelSelector objects

const SELECTOR_OBJECT_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a metav1.LabelSelector to requirements as LabelSelectorAsSelector does:
 * `null`/absent selects nothing, `{}` selects everything. Throws (400) on an unknown
 * operator or a values list that does not fit its operator.
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelSelector {
  if (selector === null || selector === undefined) return null;
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: '=', values: [value] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = SELECTOR_OBJECT_OPERATORS[expression.operator];
    if (!operator) throw badRequest(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    const values = operator === 'in' || operator === 'notin' ? [...(expression.values ?? [])] : [];
    if ((operator === 'in' || operator === 'notin') && values.length === 0) {
      throw badRequest("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
    }
    if ((operator === 'exists' || operator === '!') && (expression.values ?? []).length > 0) {
      throw badRequest('values: Invalid value: values set must be empty for exists and does not exist');
    }
    requirements.push({ key: expression.key, operator, values });
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Whether `labels` match a metav1.LabelSelector (`matchLabels` AND `matchExpressions`).
 * A missing selector matches nothing; an empty one matches everything; an invalid one
 * matches nothing (controllers treat it as selecting no pods).
 */
export function matchesSelectorObject(
  selector: LabelSelectorObject | null | undefined,
  labels: Record<string, string> | undefined | null,
): boolean {
  let parsed: LabelSelector;
  try {
    parsed = labelSelectorFromObject(selector);
  } catch {
    return false;
  }
  return matchesLabelSelector(parsed, labels);
}

// ---------------------------------------------------------------------------
// Field selectors

/** One term of a field selector: `field=value` or `field!=value`. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/**
 * Parses a field selector (`metadata.name=web,status.phase!=Running`; `\,`, `\=` and `\\`
 * escape). With `gr`, every field must be one the API server supports for that resource,
 * else 400 with the server's message (`field label not supported: x`). Throws 400 ApiErrors.
 */
export function parseFieldSelector(selector: string, gr?: GroupResource): FieldRequirement[] {
  const terms = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = unescapeFieldValue(split.rhs);
    requirements.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value });
  }
  if (gr !== undefined) {
    for (const r of requirements) checkFieldSupported(gr, r.field);
  }
  return requirements;
}

function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    if (escaped) {
      escaped = false;
    } else if (selector[i] === '\\') {
      escaped = true;
    } else if (selector[i] === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Field labels per resource, from the conversion functions the API server registers
 * (pkg/apis/core/v1/conversion.go, apps/v1, batch/v1). Resources not listed accept only
 * metadata.name and metadata.namespace, with runtime.DefaultMetaV1FieldSelectorConversion's message.
 */
const FIELD_LABELS: Record<GroupResource, string[]> = {
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
  secrets: ['metadata.name', 'metadata.namespace', 'type'],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  replicationcontrollers: ['metadata.name', 'metadata.namespace', 'status.replicas'],
  'apps/replicasets': ['metadata.name', 'metadata.namespace', 'status.replicas'],
  'batch/jobs': ['metadata.name', 'metadata.namespace', 'status.successful'],
};

function checkFieldSupported(gr: GroupResource, field: string): void {
  const supported = FIELD_LABELS[gr];
  if (supported) {
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return;
  }
  if (field !== 'metadata.name' && field !== 'metadata.namespace') {
    throw badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

/** The value a field label has on an object, as the server's field set renders it (absent -> ''). */
export function fieldValue(obj: KubeObject, field: string): string {
  switch (field) {
    case 'metadata.name':
      return obj.metadata?.name ?? '';
    case 'metadata.namespace':
      return obj.metadata?.namespace ?? '';
    case 'spec.hostNetwork':
    case 'spec.unschedulable':
      return String(Boolean(obj.spec?.[field.slice('spec.'.length)]));
    case 'status.podIPs':
      // The pod field set holds only the primary IP (pkg/registry/core/pod/strategy.go podIPs).
      return obj.status?.podIPs?.[0]?.ip ?? '';
    case 'source':
      return obj.source?.component ?? '';
    case 'status.replicas':
    case 'status.successful':
      return String(obj.status?.[field.slice('status.'.length)] ?? 0);
    default: {
      let value: unknown = obj;
      for (const part of field.split('.')) {
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      }
      return value === undefined || value === null ? '' : String(value);
    }
  }
}

/** Whether an object satisfies every term of a parsed field selector. */
export function matchesFieldSelector(selector: FieldRequirement[], obj: KubeObject): boolean {
  for (const r of selector) {
    const equal = fieldValue(obj, r.field) === r.value;
    if (r.operator === '=' ? !equal : equal) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Label key/value validation (k8s.io/apimachinery/pkg/util/validation/validation.go)

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** Upstream's RegexError: the message, examples and the regex, with its exact spacing. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const shown = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

/** IsDNS1123Subdomain: the errors for a name such as a pod's or a label key prefix. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errors.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errors;
}

/** IsQualifiedName: the errors for a label key (`[prefix/]name`). */
export function qualifiedNameErrors(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME_RE.test(name)) {
    errors.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errors;
}

/** IsValidLabelValue: the errors for a label value. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) errors.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errors;
}
