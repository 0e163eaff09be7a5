import { describe, expect, it } from 'vitest';
import {
  isEmptyLabelSelector,
  labelSelectorAsRequirements,
  labelSelectorMatches,
  labelSelectorString,
  parseSelector,
  requirementsMatch,
  SelectorParseError,
} from '../../src/label-selector.js';

const labels = { app: 'web', tier: 'frontend', replicas: '3' };

describe('labelSelectorMatches (metav1.LabelSelector)', () => {
  it('selects nothing for a null selector and everything for an empty one', () => {
    expect(labelSelectorMatches(undefined, labels)).toBe(false);
    expect(labelSelectorMatches(null, labels)).toBe(false);
    expect(labelSelectorMatches({}, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: {}, matchExpressions: [] }, undefined)).toBe(true);
    expect(isEmptyLabelSelector({})).toBe(true);
    expect(isEmptyLabelSelector(undefined)).toBe(false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, labels)).toBe(false);
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] };
    expect(labelSelectorMatches(sel, labels)).toBe(true);
    expect(labelSelectorMatches(sel, { app: 'web' })).toBe(false);
  });

  it('implements In, NotIn, Exists, DoesNotExist', () => {
    const m = (operator: string, values?: string[], key = 'tier') => labelSelectorMatches({ matchExpressions: [{ key, operator, values }] }, labels);
    expect(m('In', ['frontend'])).toBe(true);
    expect(m('In', ['backend'])).toBe(false);
    expect(m('NotIn', ['backend'])).toBe(true);
    expect(m('NotIn', ['frontend'])).toBe(false);
    expect(m('NotIn', ['x'], 'missing')).toBe(true);
    expect(m('Exists')).toBe(true);
    expect(m('Exists', [], 'missing')).toBe(false);
    expect(m('DoesNotExist', [], 'missing')).toBe(true);
    expect(m('DoesNotExist')).toBe(false);
  });

  it('selects nothing when the selector is invalid', () => {
    const m = (operator: string, values?: string[]) => labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator, values }] }, labels);
    expect(m('In', [])).toBe(false);
    expect(m('NotIn', [])).toBe(false);
    expect(m('Exists', ['frontend'])).toBe(false);
    expect(m('Gt', ['1'])).toBe(false);
  });
});

describe('parseSelector (labels.Parse)', () => {
  const matches = (s: string, l: Record<string, string> | undefined = labels) => requirementsMatch(parseSelector(s), l);

  it('selects everything for the empty string', () => {
    expect(parseSelector('')).toEqual([]);
    expect(matches('')).toBe(true);
  });

  it('parses equality, inequality and existence', () => {
    expect(matches('app=web')).toBe(true);
    expect(matches('app==web,tier=frontend')).toBe(true);
    expect(matches('app!=web')).toBe(false);
    expect(matches('app!=db')).toBe(true);
    expect(matches('missing!=x')).toBe(true);
    expect(matches('tier')).toBe(true);
    expect(matches('!tier')).toBe(false);
    expect(matches('!missing')).toBe(true);
  });

  it('parses set-based requirements with spaces', () => {
    expect(matches('tier in (frontend, edge)')).toBe(true);
    expect(matches('tier notin (frontend)')).toBe(false);
    expect(matches(' app = web , tier notin ( backend ) ')).toBe(true);
    expect(parseSelector('env in (in,notin)')[0].values).toEqual(['in', 'notin']);
    // A value set, listed sorted as upstream's sets.List does.
    expect(parseSelector('env in (b,a,)')[0].values).toEqual(['', 'a', 'b']);
    expect(parseSelector('env notin ()')[0].values).toEqual(['']);
  });

  it('parses numeric comparisons', () => {
    expect(matches('replicas>2')).toBe(true);
    expect(matches('replicas<3')).toBe(false);
    expect(matches('app>1')).toBe(false);
  });

  it('accepts an empty value', () => {
    expect(matches('app=', { app: '' })).toBe(true);
    expect(matches('app=', labels)).toBe(false);
  });

  it('rejects malformed selectors', () => {
    for (const bad of ['app in web', 'app in (web', '=web', 'app=web,', 'replicas>x', 'a b']) {
      expect(() => parseSelector(bad), bad).toThrow(SelectorParseError);
    }
  });
});

describe('labelSelectorAsRequirements and labelSelectorString (LabelSelectorAsSelector, Selector.String)', () => {
  const selector = {
    matchLabels: { tier: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'NotIn', values: ['qa', 'dev'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'app', operator: 'Exists' },
    ],
  };

  it('sorts the requirements by key and each value set', () => {
    expect(labelSelectorString(selector)).toBe('app,!canary,env notin (dev,qa),tier=web');
    expect(labelSelectorAsRequirements(selector)?.map((r) => r.key)).toEqual(['app', 'canary', 'env', 'tier']);
  });

  it('is null (nothing) for a missing selector, empty (everything) for {}', () => {
    expect(labelSelectorAsRequirements(undefined)).toBeNull();
    expect(labelSelectorAsRequirements({})).toEqual([]);
    expect(requirementsMatch(null, { a: 'b' })).toBe(false);
    expect(requirementsMatch([], { a: 'b' })).toBe(true);
    expect(labelSelectorString({})).toBe('');
  });

  it('refuses an invalid selector with the API server message; the string form is then empty', () => {
    const bad = { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] };
    expect(() => labelSelectorAsRequirements(bad)).toThrow(new SelectorParseError('"Equals" is not a valid label selector operator'));
    expect(labelSelectorString(bad)).toBe('');
  });

  it('validates keys and values as labels.Parse does', () => {
    expect(() => parseSelector('-bad=x')).toThrow(/^unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist of/);
    expect(() => parseSelector('n>99999999999999999999')).toThrow(/for 'Gt', 'Lt' operators, the value must be an integer/);
  });
});
