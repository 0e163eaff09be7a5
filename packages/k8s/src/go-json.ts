/**
 * JSON as Go's encoding/json writes a map-based object (unstructured.Unstructured, a
 * ControllerRevision's data): object keys sorted at every level, and `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as `\u003c` … (json.Encoder's default SetEscapeHTML(true)). Such text is
 * compared byte for byte by clients (kubectl's last-applied annotation, revision hashes).
 */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
