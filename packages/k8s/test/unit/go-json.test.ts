import { describe, expect, it } from 'vitest';
import { goJson } from '../../src/go-json.js';

describe('goJson', () => {
  it("sorts keys at every level and escapes HTML characters as Go's encoder does", () => {
    const value = { spec: { b: 1, a: [{ z: true, y: 'x<y && y>z' }] }, apiVersion: 'v1', kind: 'ConfigMap' };
    expect(goJson(value)).toBe('{"apiVersion":"v1","kind":"ConfigMap","spec":{"a":[{"y":"x\\u003cy \\u0026\\u0026 y\\u003ez","z":true}],"b":1}}');
  });

  it('escapes the line and paragraph separators and drops undefined fields', () => {
    expect(goJson({ text: 'a\u2028b\u2029c', gone: undefined })).toBe('{"text":"a\\u2028b\\u2029c"}');
  });
});
