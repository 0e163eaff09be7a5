/**
 * A list's body, cut before it is parsed. A pod's managed fields are a quarter to half of
 * its JSON (27.5% on the `large` scenario, more on clusters where several managers write a
 * pod) and daytwo keeps none of a pod's or node's: parsing them only to drop them cost a
 * third of the parse of every page, and the garbage of thousands of tiny objects.
 */

import { StringDecoder } from 'node:string_decoder';

const MANAGED_FIELDS = Buffer.from('"managedFields":[', 'latin1');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NONE = -1;

/**
 * `body` (compact JSON, as the API server writes it) without the `managedFields` arrays of
 * its objects: {@link ManagedFieldsCut} given the body in one piece.
 */
export function withoutManagedFields(body: string): string {
  const cut = new ManagedFieldsCut();
  cut.push(Buffer.from(body, 'utf8'));
  return cut.end();
}

/**
 * Cuts the `managedFields` arrays out of a body as its chunks arrive, read as the bytes of
 * JSON text: strings are skipped whole, so brackets and quotes inside them (a
 * `k:{"ip":"[::1]"}` key) do not count. A key that is not followed by its array and a
 * neighbouring comma exactly as the server writes it is left in place, as is an array the
 * body ends inside (for JSON.parse to report).
 *
 * What is cut is never decoded; what is kept is decoded as it is kept, so a chunk's buffer is
 * not held until the page ends (holding a page's chunks left glibc with 30 MiB more RSS).
 * Cutting at ASCII bytes cannot split a UTF-8 character; one decoder carries a character that
 * spans two chunks.
 *
 * Only for kinds whose schema has no other field of that name holding an array (Pod, Node):
 * an unescaped `"managedFields":[` can only be a key, since quotes inside strings are escaped.
 */
export class ManagedFieldsCut {
  private readonly kept: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  /**
   * Looking for a key: the last bytes seen, not yet kept, which may begin a key (and the one
   * before it, which decides the cut). Inside an array: the key's neighbour, the key and the
   * array so far, kept if the array cannot be cut.
   */
  private held: Buffer[] = [];
  private inArray = false;
  /** Inside an array: its depth, whether in a string, whether the next byte is escaped. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The byte before the key (a comma or an opening brace to cut) and, once the array closed, the one after it. */
  private before = NONE;
  private closed = false;

  push(chunk: Buffer): void {
    let text = chunk;
    let from = 0;
    if (!this.inArray && this.held.length > 0) {
      const tail = this.held[0];
      this.held = [];
      // The held tail joins the chunk only where a key may start in it or just after it (its
      // neighbour is in the tail), or where the chunk is too short to tell.
      const probe = Buffer.concat([tail, chunk.subarray(0, MANAGED_FIELDS.length)]);
      const key = probe.indexOf(MANAGED_FIELDS);
      if (chunk.length < MANAGED_FIELDS.length || (key >= 0 && key <= tail.length)) text = Buffer.concat([tail, chunk]);
      else this.keep(tail);
    }
    while (from < text.length) {
      if (this.inArray) {
        if (!this.closed) {
          const end = this.scanArray(text, from);
          if (end < 0) {
            this.held.push(text.subarray(from));
            return;
          }
          this.held.push(text.subarray(from, end));
          this.closed = true;
          from = end;
          if (from === text.length) return;
        }
        from = this.decide(text[from], from);
        continue;
      }
      const at = text.indexOf(MANAGED_FIELDS, from);
      if (at < 0) {
        // The end may begin a key; it and the byte before it wait for the next chunk.
        const keep = Math.max(from, text.length - MANAGED_FIELDS.length);
        if (keep > from) this.keep(text.subarray(from, keep));
        this.held = [text.subarray(keep)];
        return;
      }
      const neighbour = Math.max(from, at - 1);
      if (neighbour > from) this.keep(text.subarray(from, neighbour));
      this.before = at > 0 ? text[at - 1] : NONE;
      this.held = [text.subarray(neighbour, at + MANAGED_FIELDS.length)];
      this.inArray = true;
      this.closed = false;
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
      from = at + MANAGED_FIELDS.length;
    }
  }

  /** The body without what was cut. */
  end(): string {
    if (this.inArray && this.closed) this.decide(NONE, 0);
    for (const part of this.held) this.keep(part);
    this.held = [];
    this.kept.push(this.decoder.end());
    return this.kept.join('');
  }

  private keep(part: Buffer): void {
    this.kept.push(this.decoder.write(part));
  }

  /** Scans the array from `from`; the index just past its closing bracket, or -1 when `text` ends first. */
  private scanArray(text: Buffer, from: number): number {
    let depth = this.depth;
    let i = from;
    if (this.inString) {
      i = this.closeString(text, i);
      if (i < 0) return -1;
    }
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === QUOTE) {
        this.inString = true;
        i = this.closeString(text, i + 1);
        if (i < 0) {
          this.depth = depth;
          return -1;
        }
        i--;
      } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
        depth++;
      } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && --depth === 0) {
        this.depth = 0;
        return i + 1;
      }
    }
    this.depth = depth;
    return -1;
  }

  /**
   * Reads a string from `from` (just inside it, or the start of a chunk after one that ended
   * inside it, `from` < `text.length`) to its closing quote: the index after it, or -1 when
   * `text` ends inside the string (noting whether it ended on an escaping backslash).
   */
  private closeString(text: Buffer, from: number): number {
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    for (;;) {
      const quote = text.indexOf(QUOTE, i);
      const end = quote < 0 ? text.length : quote;
      let backslashes = 0;
      while (end - 1 - backslashes >= i && text[end - 1 - backslashes] === BACKSLASH) backslashes++;
      if (quote < 0) {
        this.escaped = backslashes % 2 === 1;
        return -1;
      }
      if (backslashes % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      i = quote + 1;
    }
  }

  /**
   * The array closed and `after` follows it (at `at`): cuts the key and array with the comma
   * before them, or with the comma after them when they come first in their object, or leaves
   * them. Answers where to go on reading.
   */
  private decide(after: number, at: number): number {
    const held = this.held;
    this.held = [];
    this.inArray = false;
    if (this.before === COMMA) return at;
    if (this.before === OPEN_BRACE && (after === COMMA || after === CLOSE_BRACE)) {
      this.keep(held[0].subarray(0, 1));
      return after === COMMA ? at + 1 : at;
    }
    for (const part of held) this.keep(part);
    return at;
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
