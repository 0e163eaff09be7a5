import { labelSelectorMatches, requirementsMatch } from '@daytwo/k8s/label-selector.js';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import {
  labelSelectorFromObject,
  matchesFieldSelector,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/selectors.js';
import type { KubeObject } from '../../src/types.js';

function parseError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

const web = { app: 'web', tier: 'frontend', version: '3' };

function matches(selector: string, labels: Record<string, string>): boolean {
  return requirementsMatch(parseLabelSelector(selector), labels);
}

describe('label selector strings', () => {
  it('parses every operator into requirements sorted by key', () => {
    expect(parseLabelSelector('tier in (b, a),app=web,!canary,env,x!=y,z==1,n notin (q)')).toEqual([
      { key: 'app', operator: '=', values: ['web'] },
      { key: 'canary', operator: '!', values: [] },
      { key: 'env', operator: 'exists', values: [] },
      { key: 'n', operator: 'notin', values: ['q'] },
      { key: 'tier', operator: 'in', values: ['a', 'b'] },
      { key: 'x', operator: '!=', values: ['y'] },
      { key: 'z', operator: '==', values: ['1'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
  });

  it('matches equality, set, existence and their negations', () => {
    expect(matches('app=web', web)).toBe(true);
    expect(matches('app==web', web)).toBe(true);
    expect(matches('app=db', web)).toBe(false);
    expect(matches('app!=db', web)).toBe(true);
    expect(matches('missing!=x', web)).toBe(true);
    expect(matches('tier in (frontend,backend)', web)).toBe(true);
    expect(matches('tier in (backend)', web)).toBe(false);
    expect(matches('tier notin (backend)', web)).toBe(true);
    expect(matches('missing notin (x)', web)).toBe(true);
    expect(matches('app', web)).toBe(true);
    expect(matches('missing', web)).toBe(false);
    expect(matches('!missing', web)).toBe(true);
    expect(matches('!app', web)).toBe(false);
    expect(matches('app=web,tier=backend', web)).toBe(false);
    expect(matches('', {})).toBe(true);
    expect(matches('version>2', web)).toBe(true);
    expect(matches('version<3', web)).toBe(false);
  });

  it('accepts keywords as values and empty values', () => {
    expect(matches('x in (in,notin)', { x: 'notin' })).toBe(true);
    expect(matches('x=', { x: '' })).toBe(true);
    expect(matches('x in (a,)', { x: '' })).toBe(true);
  });

  it('refuses malformed selectors with the API server messages', () => {
    const cases: [string, string][] = [
      ['app=web,', "found '', expected: identifier after ','"],
      ['app=web tier=x', "found 'tier', expected: ',' or 'end of string'"],
      ['app in web', "unable to parse requirement: found 'web' expected: '('"],
      ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
      ['app = (x)', "unable to parse requirement: found '(', expected: identifier"],
      ['=x', "found '=', expected: !, identifier, or 'end of string'"],
      ['app (x)', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ];
    for (const [selector, message] of cases) {
      const err = parseError(() => parseLabelSelector(selector));
      expect(err.code, selector).toBe(400);
      expect(err.reason).toBe('BadRequest');
      expect(err.message, selector).toBe(message);
    }
  });

  it('validates keys and values like NewRequirement', () => {
    expect(parseError(() => parseLabelSelector('-bad=x')).message).toBe(
      "unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(parseError(() => parseLabelSelector('app=-x')).message).toMatch(
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-x": a valid label must be an empty string/,
    );
    expect(parseError(() => parseLabelSelector('n>x')).message).toContain("for 'Gt', 'Lt' operators, the value must be an integer");
    expect(parseLabelSelector('example.com/app=x')[0].key).toBe('example.com/app');
    expect(parseError(() => parseLabelSelector('Example_.com/app=x')).message).toContain('prefix part a lowercase RFC 1123 subdomain');
  });
});

describe('metav1.LabelSelector objects', () => {
  it('ANDs matchLabels and matchExpressions', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'version', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    };
    expect(labelSelectorMatches(selector, web)).toBe(true);
    expect(labelSelectorMatches(selector, { ...web, canary: 'true' })).toBe(false);
    expect(labelSelectorMatches(selector, { ...web, tier: 'backend' })).toBe(false);
    expect(labelSelectorMatches(selector, { ...web, zone: 'b' })).toBe(false);
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, { app: 'db' })).toBe(false);
  });

  it('selects everything with an empty selector and nothing with a missing one', () => {
    expect(labelSelectorMatches({}, { any: 'thing' })).toBe(true);
    expect(labelSelectorMatches({}, undefined)).toBe(true);
    expect(labelSelectorMatches(undefined, { any: 'thing' })).toBe(false);
    expect(labelSelectorMatches(null, {})).toBe(false);
    expect(labelSelectorFromObject(null)).toBeNull();
  });

  it('refuses unknown operators and misplaced values', () => {
    expect(parseError(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] })).message).toBe(
      '"Equals" is not a valid label selector operator',
    );
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(ApiError);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, { a: 'x' })).toBe(false);
  });
});

describe('field selectors', () => {
  const pod: KubeObject = {
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { nodeName: 'node-a', restartPolicy: 'Always' },
    status: { phase: 'Running', podIP: '10.0.0.7' },
  };

  it('matches =, == and != terms, ANDed', () => {
    const match = (s: string, obj: KubeObject = pod) => matchesFieldSelector(parseFieldSelector(s, 'pods'), obj);
    expect(match('metadata.name=web-1')).toBe(true);
    expect(match('metadata.namespace==shop')).toBe(true);
    expect(match('spec.nodeName=node-a,status.phase=Running')).toBe(true);
    expect(match('spec.nodeName=node-a,status.phase!=Running')).toBe(false);
    expect(match('status.phase!=Succeeded,status.phase!=Failed')).toBe(true);
    expect(match('spec.nodeName=')).toBe(false);
    expect(match('spec.nodeName=', { metadata: { name: 'p' }, spec: {} })).toBe(true);
    expect(match('')).toBe(true);
  });

  it('unescapes values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b\\=c\\\\d')).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' }]);
    expect(parseError(() => parseFieldSelector('metadata.name=a\\x')).message).toBe(
      'invalid field selector: invalid escape sequence: \\x',
    );
  });

  it('refuses fields the resource does not support with the server messages', () => {
    expect(parseError(() => parseFieldSelector('spec.hostname=x', 'pods')).message).toBe('field label not supported: spec.hostname');
    expect(parseError(() => parseFieldSelector('spec.replicas=1', 'apps/deployments')).message).toBe(
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(parseFieldSelector('spec.unschedulable=true', 'nodes')).toHaveLength(1);
    expect(parseFieldSelector('involvedObject.name=web', 'events')).toHaveLength(1);
  });

  it('refuses terms without an operator', () => {
    expect(parseError(() => parseFieldSelector('metadata.name')).message).toBe(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });

  it('renders booleans and the node field of unscheduled pods like the server', () => {
    const node: KubeObject = { metadata: { name: 'n' }, spec: { unschedulable: true } };
    expect(matchesFieldSelector(parseFieldSelector('spec.unschedulable=true', 'nodes'), node)).toBe(true);
    expect(matchesFieldSelector(parseFieldSelector('spec.unschedulable=false', 'nodes'), { metadata: { name: 'm' } })).toBe(true);
  });

  it("reads a Job's status.successful from status.succeeded, as JobToSelectableFields does", () => {
    const job: KubeObject = { metadata: { name: 'j', namespace: 'shop' }, status: { succeeded: 3 } };
    const match = (s: string, obj: KubeObject = job) => matchesFieldSelector(parseFieldSelector(s, 'batch/jobs'), obj);
    expect(match('status.successful=3')).toBe(true);
    expect(match('status.successful=0')).toBe(false);
    expect(match('status.successful=0', { metadata: { name: 'k', namespace: 'shop' } })).toBe(true);
  });
});
