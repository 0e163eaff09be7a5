import { builtinStrategies } from '@daytwo/k8s/list-map-keys.js';
import type { Deployment, Node, Service } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError, parsePointer } from '../../src/patch.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:1',
            args: ['--a', '--b'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80, name: 'http' }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'sidecar', image: 'side:1' },
        ],
        tolerations: [{ key: 'x', operator: 'Exists' }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, deletes nulls and replaces lists', () => {
    const result = applyMergePatch(deployment(), {
      metadata: { labels: { tier: null, team: 'sre' } },
      spec: { replicas: 3, template: { spec: { tolerations: [] } } },
    });
    expect(result.metadata.labels).toEqual({ app: 'web', team: 'sre' });
    expect(result.spec.replicas).toBe(3);
    expect(result.spec.template.spec.tolerations).toEqual([]);
    expect(result.spec.template.spec.containers).toHaveLength(2);
  });

  it('does not mutate its inputs', () => {
    const original = deployment();
    const patch = { spec: { replicas: 5 } };
    applyMergePatch(original, patch);
    expect(original.spec.replicas).toBe(2);
    expect(patch).toEqual({ spec: { replicas: 5 } });
  });

  it('replaces a non-object value with an object patch (RFC 7386 example)', () => {
    expect(applyMergePatch({ a: 'b' }, { a: { c: 'd' } })).toEqual({ a: { c: 'd' } });
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  it('adds, replaces, removes, moves and copies', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'replace', path: '/spec/replicas', value: 4 },
      { op: 'add', path: '/metadata/labels/team', value: 'sre' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/1', value: '--mid' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--end' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/team', path: '/metadata/labels/owner' },
    ]);
    expect(result.spec.replicas).toBe(4);
    expect(result.metadata.labels).toEqual({ app: 'web', copied: 'web', owner: 'sre' });
    expect(result.spec.template.spec.containers[0].args).toEqual(['--a', '--mid', '--b', '--end']);
  });

  it('escapes ~1 and ~0 in pointers', () => {
    expect(parsePointer('/metadata/annotations/a~1b~0c')).toEqual(['metadata', 'annotations', 'a/b~c']);
    const result = applyJsonPatch({ metadata: { annotations: {} as Record<string, string> } }, [
      { op: 'add', path: '/metadata/annotations/example.com~1team', value: 'x' },
    ]);
    expect(result.metadata.annotations).toEqual({ 'example.com/team': 'x' });
  });

  it('passes a matching test and fails the whole patch on a mismatching one', () => {
    const original = deployment();
    expect(applyJsonPatch(original, [{ op: 'test', path: '/spec/replicas', value: 2 }]).spec.replicas).toBe(2);
    expect(() =>
      applyJsonPatch(original, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/metadata/name', value: 'other' },
      ]),
    ).toThrow(/test failed/);
    expect(original.spec.replicas).toBe(2);
  });

  it('refuses paths that do not exist', () => {
    expect(() => applyJsonPatch(deployment(), [{ op: 'remove', path: '/spec/nothing' }])).toThrow(PatchError);
    expect(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/template/spec/containers/5', value: {} }])).toThrow(
      PatchError,
    );
    expect(() => applyJsonPatch(deployment(), [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(PatchError);
  });
});

describe('applyStrategicMergePatch', () => {
  /** The patched object, read as the kind `T` it is (the default original is a Deployment). */
  const smp = <T = Deployment>(patch: unknown, original: object = deployment()) => applyStrategicMergePatch(original, patch, builtinStrategies) as T;

  it('merges containers by name and env by name, keeping the others', () => {
    const result = smp({
      spec: {
        template: {
          spec: { containers: [{ name: 'app', image: 'web:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] },
        },
      },
    });
    const [app, sidecar] = result.spec!.template.spec!.containers;
    expect(app.image).toBe('web:2');
    expect(app.args).toEqual(['--a', '--b']);
    expect(app.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'side:1' });
  });

  it('appends new list items and replaces lists without a merge key', () => {
    const result = smp({
      spec: {
        template: {
          spec: {
            containers: [{ name: 'new', image: 'n:1', args: ['--only'] }],
            tolerations: [{ key: 'y', operator: 'Exists' }],
          },
        },
      },
    });
    expect(result.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['app', 'sidecar', 'new']);
    expect(result.spec!.template.spec!.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
  });

  it('merges container ports by containerPort and volume mounts by mountPath', () => {
    const result = smp({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
                volumeMounts: [{ mountPath: '/data', readOnly: true }],
              },
            ],
          },
        },
      },
    });
    const app = result.spec!.template.spec!.containers[0];
    expect(app.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }]);
    expect(app.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  it('merges service ports by port', () => {
    const service = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } };
    const result = smp<Service>({ spec: { ports: [{ port: 443, targetPort: 9443 }] } }, service);
    expect(result.spec!.ports).toEqual([
      { port: 80, targetPort: 8080 },
      { port: 443, targetPort: 9443 },
    ]);
  });

  it('honours $patch: delete on list items and replace on maps and lists', () => {
    const deleted = smp({ spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    expect(deleted.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['app']);

    const replacedMap = smp({ metadata: { labels: { only: 'this', $patch: 'replace' } } });
    expect(replacedMap.metadata.labels).toEqual({ only: 'this' });

    const replacedList = smp({
      spec: { template: { spec: { containers: [{ name: 'solo', image: 's:1' }, { $patch: 'replace' }] } } },
    });
    expect(replacedList.spec!.template.spec!.containers).toEqual([{ name: 'solo', image: 's:1' }]);

    const deletedMap = smp({ spec: { strategy: { $patch: 'delete' } } });
    expect(deletedMap.spec!.strategy).toBeUndefined();
  });

  it('deletes map keys set to null', () => {
    expect(smp({ metadata: { labels: { tier: null } } }).metadata.labels).toEqual({ app: 'web' });
  });

  it('clears keys not listed in $retainKeys (deployment strategy switch)', () => {
    const result = smp({ spec: { strategy: { type: 'Recreate', $retainKeys: ['type'] } } });
    expect(result.spec!.strategy).toEqual({ type: 'Recreate' });
  });

  it('unions merge-strategy primitive lists and honours $deleteFromPrimitiveList', () => {
    const added = smp({ metadata: { finalizers: ['b', 'a'] } });
    expect(added.metadata.finalizers).toEqual(['a', 'b']);
    const removed = smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(removed.metadata.finalizers).toEqual([]);
  });

  it('orders a merged list by $setElementOrder', () => {
    const result = smp({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
            containers: [{ name: 'app', image: 'web:3' }],
          },
        },
      },
    });
    expect(result.spec!.template.spec!.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'sidecar=side:1',
      'app=web:3',
    ]);
  });

  it('merges conditions by type (status patches)', () => {
    const node = {
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'DiskPressure', status: 'False' },
        ],
      },
    };
    const result = smp<Node>({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletDown' }] } }, node);
    expect(result.status!.conditions).toEqual([
      { type: 'Ready', status: 'False', reason: 'KubeletDown' },
      { type: 'DiskPressure', status: 'False' },
    ]);
  });

  it('refuses a list item without its merge key', () => {
    expect(() => smp({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toThrow(/merge key/);
  });

  it('does not mutate its inputs', () => {
    const original = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:9' }] } } } };
    smp(patch, original);
    expect(original.spec.template.spec.containers[0].image).toBe('web:1');
    expect(patch.spec.template.spec.containers[0].image).toBe('web:9');
  });
});
