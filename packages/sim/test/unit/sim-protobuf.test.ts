import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../src/api/protobuf.js';

/** A tiny protobuf writer for the test's inputs: strings and nested messages only. */
function field(n: number, value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint(n * 8 + 2), varint(bytes.length), bytes]);
}
function varint(v: number): Buffer {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'binary'), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);

describe('decodeProtobufObject', () => {
  it('reads a RoleBinding as kubectl create rolebinding sends it, by the field numbers of k8s.io/api', () => {
    const meta = Buffer.concat([field(1, 'rb'), field(3, 'shop'), field(11, Buffer.concat([field(1, 'team'), field(2, 'a')]))]);
    const subject = Buffer.concat([field(1, 'User'), field(2, 'rbac.authorization.k8s.io'), field(3, 'alice')]);
    const roleRef = Buffer.concat([field(1, 'rbac.authorization.k8s.io'), field(2, 'Role'), field(3, 'reader')]);
    const obj = decodeProtobufObject(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', Buffer.concat([field(1, meta), field(2, subject), field(3, roleRef)])));
    expect(obj).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'shop', labels: { team: 'a' } },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    });
  });

  it('answers 415 for a kind it cannot read as protobuf, and 400 without the k8s prefix', () => {
    expect(() => decodeProtobufObject(envelope('example.com/v1', 'Widget', Buffer.alloc(0)))).toThrow(expect.objectContaining({ code: 415 }));
    expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('decodeProtobufObject: what Go writes and JSON leaves out', () => {
  it('drops the zero values of non-pointer omitempty fields, keeps pointer zeros, and reads quantities and int-or-strings', () => {
    const varintField = (n: number, v: number) => Buffer.concat([varint(n * 8), varint(v)]);
    const port = Buffer.concat([field(1, ''), varintField(2, 0), varintField(3, 8080), field(4, 'TCP'), field(5, '')]);
    const requests = Buffer.concat([field(1, 'cpu'), field(2, field(1, '250m'))]);
    const container = Buffer.concat([field(1, 'app'), field(2, 'nginx'), field(6, port), field(8, field(2, requests))]);
    const template = Buffer.concat([field(1, Buffer.alloc(0)), field(2, field(2, container))]);
    const strategy = Buffer.concat([field(1, 'RollingUpdate'), field(2, field(2, Buffer.concat([varintField(1, 1), field(3, '25%')])))]);
    const spec = Buffer.concat([varintField(1, 0), field(3, template), field(4, strategy), varintField(5, 0)]);
    const obj = decodeProtobufObject(envelope('apps/v1', 'Deployment', Buffer.concat([field(1, field(1, 'web')), field(2, spec)]))) as Deployment;
    expect(obj.spec!.replicas).toBe(0);
    expect('minReadySeconds' in obj.spec!).toBe(false);
    expect(obj.spec!.template.spec!.containers[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(obj.spec!.template.spec!.containers[0].resources).toEqual({ requests: { cpu: '250m' } });
    expect(obj.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } });
  });
});
