import { describe, expect, it } from 'vitest';
import { Reachability } from '../../src/kube/reachability.js';

describe('Reachability', () => {
  it('turns unreachable only when every kind fails to reach the server', () => {
    const seen: boolean[] = [];
    const r = new Reachability((v) => seen.push(v));
    r.report('pods', 'network-error');
    expect(seen).toEqual([false]);
    r.report('nodes', 'ok');
    expect(seen).toEqual([false, true]);
    r.report('nodes', 'network-error');
    expect(seen).toEqual([false, true, false]);
  });

  it('counts an API error (the server answered) as reachable', () => {
    const seen: boolean[] = [];
    const r = new Reachability((v) => seen.push(v));
    r.report('pods', 'network-error');
    r.report('events', 'api-error');
    expect(seen).toEqual([false, true]);
  });

  it('reports only changes', () => {
    const seen: boolean[] = [];
    const r = new Reachability((v) => seen.push(v));
    r.report('pods', 'ok');
    r.report('nodes', 'ok');
    r.report('pods', 'network-error');
    expect(seen).toEqual([true]);
  });
});

describe('Reachability with idle forbidden kinds', () => {
  it('does not stay reachable on the strength of an older API error', () => {
    const seen: boolean[] = [];
    const r = new Reachability((v) => seen.push(v));
    r.report('events', 'api-error');
    r.report('pods', 'ok');
    r.report('pods', 'network-error');
    expect(seen).toEqual([true, false]);
  });
});
