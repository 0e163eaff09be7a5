/**
 * Just enough of the Kubernetes protobuf encoding to read what kubectl sends that way:
 * `kubectl create rolebinding` and `create clusterrolebinding` post protobuf (every other
 * `kubectl create` posts JSON). The envelope is `k8s\0` and a runtime.Unknown whose raw
 * bytes are the object (k8s.io/api/rbac/v1/generated.proto); other kinds answer 415.
 */

import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, (Buffer | number)[]>;

/** Reads one message's fields: length-delimited values as Buffers, varints as numbers. */
function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = 0;
      pos += 8;
    } else if (wire === 5) {
      value = 0;
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};
const messages = (f: Fields, n: number): Fields[] => (f.get(n) ?? []).filter(Buffer.isBuffer).map((b) => readFields(b as Buffer));

function stringMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = messages(f, n);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((e) => [str(e, 1) ?? '', str(e, 2) ?? '']));
}

function objectMeta(f: Fields | undefined): KubeObject['metadata'] {
  if (!f) return {};
  const meta: KubeObject['metadata'] = {};
  const set = (key: 'name' | 'generateName' | 'namespace', n: number) => {
    const v = str(f, n);
    if (v) meta[key] = v;
  };
  set('name', 1);
  set('generateName', 2);
  set('namespace', 3);
  const labels = stringMap(f, 11);
  if (labels) meta.labels = labels;
  const annotations = stringMap(f, 12);
  if (annotations) meta.annotations = annotations;
  return meta;
}

function defined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const DECODERS: Record<string, (f: Fields) => Omit<KubeObject, 'apiVersion' | 'kind'>> = {
  // message RoleBinding { metadata = 1; repeated Subject subjects = 2; RoleRef roleRef = 3 }
  'rbac.authorization.k8s.io/v1/RoleBinding': decodeBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': decodeBinding,
};

function decodeBinding(f: Fields) {
  const subjects = messages(f, 2).map((s) => defined({ kind: str(s, 1), apiGroup: str(s, 2), name: str(s, 3), namespace: str(s, 4) }));
  const ref = messages(f, 3)[0];
  return {
    metadata: objectMeta(messages(f, 1)[0]),
    ...(subjects.length > 0 ? { subjects } : {}),
    ...(ref ? { roleRef: defined({ apiGroup: str(ref, 1), kind: str(ref, 2), name: str(ref, 3) }) } : {}),
  };
}

/** Decodes a protobuf request body; 415 for kinds this sim cannot read that way, 400 for a broken body. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ApiError(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let unknown: Fields;
  try {
    unknown = readFields(body.subarray(MAGIC.length));
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `unable to decode protobuf body: ${(err as Error).message}`);
  }
  const typeMeta = messages(unknown, 1)[0];
  const apiVersion = typeMeta ? str(typeMeta, 1) : undefined;
  const kind = typeMeta ? str(typeMeta, 2) : undefined;
  const decode = DECODERS[`${apiVersion}/${kind}`];
  const raw = unknown.get(2)?.at(-1);
  if (!decode || !Buffer.isBuffer(raw)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  return { apiVersion, kind, ...decode(readFields(raw)) } as KubeObject;
}
