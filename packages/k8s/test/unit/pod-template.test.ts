import { describe, expect, it } from 'vitest';
import { byCreationTimestamp, type KubeObject } from '../../src/kube-object.js';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL, semanticEqual, withoutHashLabel } from '../../src/pod-template.js';

/** A pod template as these tests write it: Go's zero values (`null`, `[]`) included, so not a wire `PodTemplateSpec`. */
type Template = {
  metadata: { labels: Record<string, string>; creationTimestamp?: null };
  spec: { containers: { name: string; image: string; resources?: object; env?: undefined }[]; initContainers?: { name: string }[] };
};

function podTemplate(image: string, labels: Record<string, string> = {}, cpu = '100m'): Template {
  return {
    metadata: { labels: { app: 'web', ...labels } },
    spec: { containers: [{ name: 'web', image, resources: { requests: { cpu, memory: '128Mi' } } }] },
  };
}

describe('equalIgnoreHash (deploymentutil.EqualIgnoreHash)', () => {
  it('ignores the pod-template-hash label and nothing else', () => {
    expect(equalIgnoreHash(podTemplate('a:1', { [POD_TEMPLATE_HASH_LABEL]: 'abc' }), podTemplate('a:1'))).toBe(true);
    expect(equalIgnoreHash(podTemplate('a:1', { [POD_TEMPLATE_HASH_LABEL]: 'abc' }), podTemplate('a:2'))).toBe(false);
    expect(equalIgnoreHash(podTemplate('a:1', { tier: 'x' }), podTemplate('a:1'))).toBe(false);
  });

  it('compares quantities by value and treats empty and absent alike', () => {
    expect(equalIgnoreHash(podTemplate('a:1', {}, '0.1'), podTemplate('a:1', {}, '100m'))).toBe(true);
    expect(equalIgnoreHash(podTemplate('a:1', {}, '0.2'), podTemplate('a:1', {}, '100m'))).toBe(false);
    expect(semanticEqual({ a: [], b: null, c: {} }, {})).toBe(true);
    expect(semanticEqual({ image: '1' }, { image: 1 })).toBe(false);
    expect(semanticEqual({ name: '0.1' }, { name: '100m' })).toBe(false);
  });

  it("equals a template written with Go's zero values (kubectl's rollback patch) to the stored one", () => {
    const written = podTemplate('a:1');
    written.metadata.creationTimestamp = null;
    written.spec.initContainers = [];
    written.spec.containers[0].env = undefined;
    const sidecarless = { ...podTemplate('a:1'), spec: { containers: [{ ...podTemplate('a:1').spec.containers[0], resources: {} }] } };
    expect(equalIgnoreHash(written, podTemplate('a:1'))).toBe(true);
    expect(equalIgnoreHash(sidecarless, { ...podTemplate('a:1'), spec: { containers: [{ name: 'web', image: 'a:1' }] } })).toBe(true);
  });

  it('leaves the template it was given as it was', () => {
    const t = podTemplate('a:1', { [POD_TEMPLATE_HASH_LABEL]: 'abc' });
    expect(withoutHashLabel(t).metadata!.labels).toEqual({ app: 'web' });
    expect(t.metadata.labels[POD_TEMPLATE_HASH_LABEL]).toBe('abc');
    expect(withoutHashLabel({ metadata: { labels: { [POD_TEMPLATE_HASH_LABEL]: 'x' } } })).toEqual({ metadata: {} });
  });
});

describe('byCreationTimestamp (ReplicaSetsByCreationTimestamp)', () => {
  const obj = (name: string, creationTimestamp?: string): KubeObject => ({ metadata: { name, creationTimestamp } });

  it('orders oldest first, ties by name, a missing timestamp first', () => {
    const sorted = [obj('b', '2026-01-02T00:00:00Z'), obj('c', '2026-01-01T00:00:00Z'), obj('a', '2026-01-02T00:00:00Z'), obj('z')].sort(byCreationTimestamp);
    expect(sorted.map((o) => o.metadata.name)).toEqual(['z', 'c', 'a', 'b']);
  });
});
