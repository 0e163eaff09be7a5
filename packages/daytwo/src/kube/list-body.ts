/**
 * A list's body, cut before it is parsed. A pod's managed fields are a quarter to half of
 * its JSON (27.5% on the `large` scenario, more on clusters where several managers write a
 * pod) and daytwo keeps none of a pod's or node's: parsing them only to drop them cost a
 * third of the parse of every page, and the garbage of thousands of tiny objects.
 */

const MANAGED_FIELDS = '"managedFields":[';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * `body` (compact JSON, as the API server writes it) without the `managedFields` arrays of
 * its objects, read as JSON text: strings are skipped whole, so brackets and quotes inside
 * them (a `k:{"ip":"[::1]"}` key) do not count. A key that is not followed by its array
 * and a neighbouring comma exactly as the server writes it is left in place, and a body that
 * ends early comes back as it was, for JSON.parse to report.
 *
 * Only for kinds whose schema has no other field of that name holding an array (Pod, Node):
 * an unescaped `"managedFields":[` can only be a key, since quotes inside strings are escaped.
 */
export function withoutManagedFields(body: string): string {
  let at = body.indexOf(MANAGED_FIELDS);
  if (at < 0) return body;
  const kept: string[] = [];
  let from = 0;
  while (at >= 0) {
    const end = endOfValue(body, at + MANAGED_FIELDS.length - 1);
    if (end < 0) return body;
    const before = body.charCodeAt(at - 1);
    const after = body.charCodeAt(end);
    if (before === COMMA) {
      kept.push(body.slice(from, at - 1));
      from = end;
    } else if (before === OPEN_BRACE && after === COMMA) {
      kept.push(body.slice(from, at));
      from = end + 1;
    } else if (before === OPEN_BRACE && after === CLOSE_BRACE) {
      kept.push(body.slice(from, at));
      from = end;
    }
    at = body.indexOf(MANAGED_FIELDS, end);
  }
  kept.push(body.slice(from));
  return kept.join('');
}

/** The index just past the array or object that opens at `open`, or -1 when the text ends first. */
function endOfValue(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The index of the quote that closes the string opening at `open`: one not escaped by an odd run of backslashes. */
function closingQuote(text: string, open: number): number {
  let i = open;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}

const LIST_METADATA = '"metadata":{';
const ITEMS = '"items":';

/**
 * The continue token of a list page read from the head of its body, before the rest has
 * arrived: the API server writes a list's `kind`, `apiVersion` and `metadata` (ListMeta, whose
 * fields are all scalars) before its `items`. Undefined when the head does not hold the whole
 * metadata, or names no next page.
 */
export function continueTokenOfHead(head: string): string | undefined {
  const items = head.indexOf(ITEMS);
  const at = head.indexOf(LIST_METADATA);
  if (at < 0 || (items >= 0 && items < at)) return undefined;
  const open = at + LIST_METADATA.length - 1;
  const close = head.indexOf('}', open);
  if (close < 0 || (items >= 0 && close > items)) return undefined;
  try {
    const meta = JSON.parse(head.slice(open, close + 1)) as { continue?: unknown };
    return typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
  } catch {
    return undefined;
  }
}
