import { describe, expect, it } from 'vitest';
import { isManifestFile, parseManifestFile, resolveDeclared } from '../../../src/domain/drift/manifests.js';

const scope = (_group: string, kind: string) => ({ ConfigMap: true, Namespace: false, Deployment: true })[kind];

describe('parseManifestFile', () => {
  it('reads multi-document YAML with the line of each document', () => {
    const text = `# comment
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
`;
    const { objects, errors } = parseManifestFile('apps/all.yaml', text);
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.group, o.kind, o.namespace, o.name, o.source])).toEqual([
      ['', 'ConfigMap', undefined, 'a', { file: 'apps/all.yaml', line: 2 }],
      ['apps', 'Deployment', 'shop', 'web', { file: 'apps/all.yaml', line: 7 }],
    ]);
  });

  it('reads JSON and expands a List', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] }, null, 2);
    expect(parseManifestFile('ns.json', text).objects.map((o) => o.name)).toEqual(['shop']);
  });

  it('reports a malformed document with file, line and reason, and keeps reading the others', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
 data: x
---
apiVersion: v1
kind: ConfigMap
metadata: {name: after}
`;
    const { objects, errors } = parseManifestFile('cm.yaml', text);
    expect(objects.map((o) => o.name)).toEqual(['ok', 'after']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'cm.yaml', line: 9 });
    expect(errors[0].reason).not.toBe('');
  });

  it('reports documents that are not objects or lack apiVersion, kind or name', () => {
    const text = `- a list\n---\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n`;
    const { objects, errors } = parseManifestFile('bad.yaml', text);
    expect(objects).toEqual([]);
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [1, 'not a Kubernetes object (expected a mapping with apiVersion and kind)'],
      [3, "missing apiVersion (Object 'apiVersion' is missing)"],
      [6, "missing kind (Object 'Kind' is missing)"],
      [9, 'ConfigMap: missing metadata.name'],
    ]);
  });

  it('recognizes manifest files by extension', () => {
    expect(['a.yaml', 'b.YML', 'c.json', 'README.md', 'x.yaml.bak'].map(isManifestFile)).toEqual([true, true, true, false, false]);
  });
});

describe('resolveDeclared', () => {
  it('gives namespaced objects without a namespace the default one, and cluster-scoped ones none', () => {
    const parsed = parseManifestFile('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: ignored}\n');
    const { objects } = resolveDeclared(parsed, scope, 'team');
    expect(objects.map((o) => [o.kind, o.namespace, o.manifest.metadata?.namespace])).toEqual([
      ['ConfigMap', 'team', 'team'],
      ['Namespace', undefined, undefined],
    ]);
  });

  it('reports kinds the cluster does not serve and duplicates', () => {
    const parsed = parseManifestFile('a.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n');
    const { objects, errors } = resolveDeclared(parsed, scope, 'default');
    expect(objects).toHaveLength(1);
    expect(errors).toEqual([
      { file: 'a.yaml', line: 1, reason: 'no matches for kind "Widget" in version "example.com/v1"' },
      { file: 'a.yaml', line: 9, reason: 'ConfigMap default/a is also declared in a.yaml:5; that one is compared' },
    ]);
  });
});
