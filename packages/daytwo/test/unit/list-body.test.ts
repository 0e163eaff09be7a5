import { describe, expect, it } from 'vitest';
import { continueTokenOfHead, ManagedFieldsCut, withoutManagedFields } from '../../src/kube/list-body.js';

/** mulberry32: the same cases on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings made to confuse a scanner: brackets, braces, quotes, backslashes, the key itself. */
const NASTY = ['[', ']', '{', '}', '"', '\\', '\\"', ',', ':', '"managedFields":[', ']},"spec":{', 'é', '\u2028', 'k:{"ip":"[::1]"}'];

function text(rnd: () => number): string {
  let s = '';
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) s += rnd() < 0.5 ? NASTY[Math.floor(rnd() * NASTY.length)] : String.fromCharCode(97 + Math.floor(rnd() * 26));
  return s;
}

function value(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.3) return text(rnd);
  if (r < 0.4) return Math.floor(rnd() * 1000);
  if (r < 0.45) return rnd() < 0.5;
  if (r < 0.5) return null;
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [text(rnd), value(rnd, depth + 1)]));
}

/** A managedFields array shaped like the server's, its keys and values made of {@link NASTY} strings. */
function managedFields(rnd: () => number): unknown[] {
  return Array.from({ length: Math.floor(rnd() * 3) }, () => ({
    manager: text(rnd),
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-12-06T02:19:22Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { [`f:${text(rnd)}`]: { [`k:{"name":"${text(rnd)}"}`]: { '.': {} } }, [`v:${text(rnd)}`]: {} },
  }));
}

/** A list of objects whose metadata holds managedFields first, midway, last or alone. */
function list(rnd: () => number): { kind: string; metadata: object; items: { metadata: Record<string, unknown> }[] } {
  const items = Array.from({ length: Math.floor(rnd() * 5) }, () => {
    const fields: [string, unknown][] = Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [`f${i}`, value(rnd, 0)]);
    if (rnd() < 0.9) fields.splice(Math.floor(rnd() * (fields.length + 1)), 0, ['managedFields', managedFields(rnd)]);
    return { metadata: Object.fromEntries(fields), spec: value(rnd, 0) };
  });
  return { kind: 'PodList', metadata: { resourceVersion: '7' }, items };
}

function stripped<T extends { items: { metadata: Record<string, unknown> }[] }>(l: T): T {
  const copy = structuredClone(l);
  for (const item of copy.items) delete item.metadata.managedFields;
  return copy;
}

describe('withoutManagedFields', () => {
  it('gives what parsing and then deleting each managedFields would, over 2,000 random lists', () => {
    const rnd = random(1);
    let cut = 0;
    for (let i = 0; i < 2000; i++) {
      const l = list(rnd);
      const body = JSON.stringify(l);
      const out = withoutManagedFields(body);
      if (out !== body) cut++;
      expect(JSON.parse(out)).toEqual(stripped(l));
    }
    // The cases did exercise the cut.
    expect(cut).toBeGreaterThan(1000);
  });

  it('cuts the same from a body that comes in chunks, wherever they are cut, over 2,000 random lists', () => {
    const rnd = random(2);
    for (let i = 0; i < 2000; i++) {
      const body = JSON.stringify(list(rnd));
      const cut = new ManagedFieldsCut();
      // Chunks of 1 to 40 bytes: every place a key, a string, an escape or a character can be split.
      const bytes = Buffer.from(body, 'utf8');
      for (let at = 0; at < bytes.length; ) {
        const next = at + 1 + Math.floor(rnd() * 40);
        cut.push(bytes.subarray(at, next));
        at = next;
      }
      expect(cut.end()).toBe(withoutManagedFields(body));
    }
  });

  it('leaves the key where it is a string value, or inside one', () => {
    const body = JSON.stringify({ items: [{ metadata: { name: '"managedFields":[1]', annotations: { managedFields: '[' } } }] });
    expect(withoutManagedFields(body)).toBe(body);
  });

  it('leaves a body that ends inside the array as it was, for JSON.parse to report', () => {
    const body = '{"items":[{"metadata":{"name":"a","managedFields":[{"manager":"x]"}';
    expect(withoutManagedFields(body)).toBe(body);
  });

  it('leaves a key it cannot cut cleanly, written with spaces', () => {
    const body = '{"metadata":{"a":1, "managedFields":[{"m":"x"}]}}';
    expect(JSON.parse(withoutManagedFields(body))).toEqual(JSON.parse(body));
  });
});

describe('continueTokenOfHead', () => {
  // As kube-apiserver writes a page (metadata before items), its token base64url.
  const TOKEN = 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzLCJzdGFydCI6ImEvYlx1MDAwMCJ9';
  const page = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"123","continue":"${TOKEN}","remainingItemCount":29500},"items":[{"metadata":{"name":"a","continue":"not-this"}}]}`;

  it('reads the token from a head cut anywhere after the list metadata', () => {
    for (let end = page.indexOf('"items"'); end <= page.length; end++) expect(continueTokenOfHead(page.slice(0, end))).toBe(TOKEN);
  });

  it('reads nothing from a head that ends inside the metadata', () => {
    for (let end = 0; end < page.indexOf('},"items"') + 1; end++) expect(continueTokenOfHead(page.slice(0, end))).toBeUndefined();
  });

  it('reads nothing on the last page, or where items come first', () => {
    expect(continueTokenOfHead('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}')).toBeUndefined();
    expect(continueTokenOfHead('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":""},"items":[]}')).toBeUndefined();
    expect(continueTokenOfHead('{"items":[{"metadata":{"continue":"x"}}],"metadata":{"continue":"y"}}')).toBeUndefined();
    expect(continueTokenOfHead('{"kind":"Status","metadata":{"continue":7}}')).toBeUndefined();
  });
});
