/**
 * Hashes the controllers use to name ReplicaSets and ControllerRevisions, after
 * k8s.io/kubernetes/pkg/controller/controller_utils.go `ComputeHash` and
 * pkg/controller/history/controller_history.go `HashControllerRevision`.
 *
 * Upstream feeds a spew dump of the Go struct to the hash; here the object is rendered as
 * canonical JSON (sorted keys) instead, so names are stable but not byte-identical to a
 * real cluster's.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bit (Go `hash/fnv.New32a`), over the UTF-8 bytes of `parts` in order. */
export function fnv32a(...parts: (string | Uint8Array)[]): number {
  let h = FNV_OFFSET;
  for (const part of parts) {
    for (const b of toBytes(part)) {
      h ^= b;
      h = Math.imul(h, FNV_PRIME) >>> 0;
    }
  }
  return h >>> 0;
}

/** FNV-1, 32 bit (Go `hash/fnv.New32`): multiply before xor. */
export function fnv32(...parts: (string | Uint8Array)[]): number {
  let h = FNV_OFFSET;
  for (const part of parts) {
    for (const b of toBytes(part)) {
      h = Math.imul(h, FNV_PRIME) >>> 0;
      h ^= b;
    }
  }
  return h >>> 0;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * k8s.io/apimachinery/pkg/util/rand `SafeEncodeString`: maps every byte to an alphabet
 * without vowels (so no words) and without look-alike characters.
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of toBytes(s)) out += SAFE_ALPHANUMS[b % SAFE_ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted at every level, like Go's `json.Marshal` of a map. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * `controller.ComputeHash`: FNV-32a of the pod template, then of the collision count as a
 * little-endian uint32 in 8 bytes when set, rendered as the decimal text of the sum
 * through `SafeEncodeString` (so the hash is 6 to 10 characters long).
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  const parts: (string | Uint8Array)[] = [canonicalJson(template)];
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    parts.push(bytes);
  }
  return safeEncodeString(String(fnv32a(...parts)));
}

/**
 * `history.HashControllerRevision`: FNV-32 (not 32a) of the revision's raw data, then of
 * the decimal collision count when set.
 */
export function hashControllerRevision(rawData: string, collisionCount?: number): string {
  const parts = [rawData];
  if (collisionCount !== undefined && collisionCount !== null) parts.push(String(collisionCount));
  return safeEncodeString(String(fnv32(...parts)));
}

const encoder = new TextEncoder();

function toBytes(part: string | Uint8Array): Uint8Array {
  return typeof part === 'string' ? encoder.encode(part) : part;
}
