/**
 * Reads the Kubernetes protobuf encoding that kubectl 1.32 and later sends for its typed
 * commands (`kubectl create namespace|secret|deployment|rolebinding|...`, drain's
 * evictions): the `k8s\0` envelope, a runtime.Unknown naming apiVersion and kind, and the
 * object as the message of k8s.io/api's generated.proto, turned into the JSON the rest of
 * the sim reads. Field numbers come from protobuf-schema.json (scripts/gen-protobuf-schema.mjs).
 */

import { formatGoDuration } from '@daytwo/k8s/duration.js';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import protobufSchema from './protobuf-schema.json' with { type: 'json' };

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** keepZero: 0 for a non-pointer `omitempty` field, whose zero value JSON leaves out. */
type FieldSpec = [number: number, name: string, type: string, label: string, keepZero: number];
const MESSAGES = protobufSchema.messages as unknown as Record<string, FieldSpec[]>;
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

interface RawField {
  wire: number;
  value: bigint | Buffer;
}

function readFields(buf: Buffer): Map<number, RawField[]> {
  const fields = new Map<number, RawField[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(number) ?? [];
    list.push({ wire, value });
    fields.set(number, list);
  }
  return fields;
}

const signed64 = (v: bigint) => Number(BigInt.asIntN(64, v));

function scalar(type: string, field: RawField): unknown {
  const { value } = field;
  switch (type) {
    case 'string':
      return (value as Buffer).toString('utf8');
    case 'bytes':
      return (value as Buffer).toString('base64');
    case 'bool':
      return value !== 0n;
    case 'int32':
    case 'int64':
      return signed64(value as bigint);
    case 'uint32':
    case 'uint64':
      return Number(value as bigint);
    case 'double':
      return (value as Buffer).readDoubleLE(0);
    case 'float':
      return (value as Buffer).readFloatLE(0);
    default:
      return decodeMessage(type, value as Buffer);
  }
}

function packedVarints(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  let current = 0n;
  let shift = 0n;
  for (const byte of buf) {
    current |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) {
      out.push(current);
      current = 0n;
      shift = 0n;
    }
  }
  return out;
}

/** Repeated scalars may arrive packed (one length-delimited run). */
function repeatedValues(type: string, fields: RawField[]): unknown[] {
  const out: unknown[] = [];
  for (const f of fields) {
    if (f.wire === 2 && /^(bool|u?int(32|64))$/.test(type)) {
      for (const v of packedVarints(f.value as Buffer)) out.push(scalar(type, { wire: 0, value: v }));
    } else out.push(scalar(type, f));
  }
  return out;
}

/** The JSON form of one message; the apimachinery types with their own JSON forms first. */
function decodeMessage(type: string, buf: Buffer): unknown {
  const fields = readFields(buf);
  const first = (n: number) => fields.get(n)?.at(-1);
  switch (type) {
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return first(1) ? (first(1)!.value as Buffer).toString('utf8') : '0';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return first(1) && first(1)!.value === 1n ? ((first(3)?.value as Buffer | undefined)?.toString('utf8') ?? '') : signed64((first(2)?.value as bigint | undefined) ?? 0n);
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const seconds = signed64((first(1)?.value as bigint | undefined) ?? 0n);
      const nanos = signed64((first(2)?.value as bigint | undefined) ?? 0n);
      const iso = new Date(seconds * 1000).toISOString();
      return type.endsWith('MicroTime') ? `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso.slice(0, 19)}Z`;
    }
    case `${META}.Duration`:
      return formatGoDuration(signed64((first(1)?.value as bigint | undefined) ?? 0n) / 1e9);
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const raw = first(1)?.value as Buffer | undefined;
      return raw && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    }
  }
  const spec = MESSAGES[type];
  if (!spec) throw new Error(`no schema for ${type}`);
  const out: Record<string, unknown> = {};
  for (const [number, name, fieldType, label, keepZero] of spec) {
    const values = fields.get(number);
    if (!values) continue;
    if (label.startsWith('m:')) {
      const map: Record<string, unknown> = {};
      for (const entry of values) {
        const kv = readFields(entry.value as Buffer);
        const key = kv.get(1)?.at(-1);
        const value = kv.get(2)?.at(-1);
        map[key ? String(scalar(label.slice(2), key)) : ''] = value ? scalar(fieldType, value) : fieldType === 'string' ? '' : {};
      }
      out[name] = map;
    } else if (label === 'r') out[name] = repeatedValues(fieldType, values);
    else {
      const value = scalar(fieldType, values.at(-1)!);
      if (keepZero || (value !== '' && value !== 0 && value !== false)) out[name] = value;
    }
  }
  return out;
}

/** The proto package of an apiVersion: `apps/v1` -> `k8s.io.api.apps.v1`, `v1` -> `k8s.io.api.core.v1`. */
function protoPackage(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? 'core' : apiVersion.slice(0, slash).split('.')[0];
  return `k8s.io.api.${group}.${slash < 0 ? apiVersion : apiVersion.slice(slash + 1)}`;
}

/** Decodes a protobuf request body; 415 for a kind without a schema here, 400 for a broken body. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    const unknown = readFields(body.subarray(MAGIC.length));
    const typeMeta = unknown.get(1)?.at(-1)?.value as Buffer | undefined;
    if (typeMeta) {
      const tm = readFields(typeMeta);
      apiVersion = (tm.get(1)?.at(-1)?.value as Buffer | undefined)?.toString('utf8') ?? '';
      kind = (tm.get(2)?.at(-1)?.value as Buffer | undefined)?.toString('utf8') ?? '';
    }
    raw = unknown.get(2)?.at(-1)?.value as Buffer | undefined;
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `unable to decode protobuf body: ${(err as Error).message}`);
  }
  const type = `${protoPackage(apiVersion)}.${kind}`;
  if (!raw || !MESSAGES[type]) {
    throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  }
  try {
    return { apiVersion, kind, ...(decodeMessage(type, raw) as object) } as KubeObject;
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `unable to decode protobuf body: ${(err as Error).message}`);
  }
}
