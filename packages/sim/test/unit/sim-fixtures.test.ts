import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureError, loadFixtureFiles } from '../../src/fixtures.js';
import { MemoryStore } from '../../src/store.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'daytwo-fixtures-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function loadError(store: MemoryStore, paths: string[]): FixtureError {
  try {
    loadFixtureFiles(store, paths);
  } catch (err) {
    if (err instanceof FixtureError) return err;
    throw err;
  }
  throw new Error('expected a FixtureError');
}

describe('loadFixtureFiles', () => {
  it('creates every document, keeping status, uid and creationTimestamp', () => {
    const store = new MemoryStore();
    const path = file(
      'cluster.yaml',
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  uid: 11111111-2222-3333-4444-555555555555
  creationTimestamp: "2025-01-02T03:04:05Z"
  generation: 7
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx}]}
status:
  replicas: 2
  readyReplicas: 2
`,
    );
    loadFixtureFiles(store, [path]);
    const web = store.get('apps/deployments', 'shop', 'web')!;
    expect(web.status).toEqual({ replicas: 2, readyReplicas: 2 });
    expect(web.metadata.uid).toBe('11111111-2222-3333-4444-555555555555');
    expect(web.metadata.creationTimestamp).toBe('2025-01-02T03:04:05Z');
    expect(web.metadata.generation).toBe(7);
    expect(web.metadata.resourceVersion).toBeDefined();
  });

  it('puts namespaced objects without a namespace in default and creates referenced namespaces', () => {
    const store = new MemoryStore();
    const path = file(
      'objs.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: team-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
`,
    );
    loadFixtureFiles(store, [path]);
    expect(store.get('configmaps', 'default', 'settings')).toBeDefined();
    expect(store.get('configmaps', 'team-a', 'other')).toBeDefined();
    expect(store.get('namespaces', undefined, 'team-a')).toBeDefined();
    expect(store.get('namespaces', undefined, 'default')).toBeDefined();
    expect(store.get('nodes', undefined, 'node-1')?.metadata.namespace).toBeUndefined();
  });

  it('expands List documents and reads JSON files', () => {
    const store = new MemoryStore();
    const path = file(
      'list.json',
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' } },
            { apiVersion: 'v1', kind: 'Node', metadata: { name: 'b' } },
          ],
        },
        null,
        2,
      ),
    );
    loadFixtureFiles(store, [path]);
    expect(store.list('nodes').map((n) => n.metadata.name)).toEqual(['a', 'b']);
  });

  it('registers kinds it does not know, guessing the plural and scope', () => {
    const store = new MemoryStore();
    const path = file(
      'crs.yaml',
      `apiVersion: example.com/v1
kind: Policy
metadata: {name: strict, namespace: default}
---
apiVersion: example.com/v1alpha1
kind: ClusterClass
metadata: {name: gold}
`,
    );
    loadFixtureFiles(store, [path]);
    expect(store.resourceType('example.com/policies')).toMatchObject({ kind: 'Policy', namespaced: true, listKind: 'PolicyList' });
    expect(store.resourceType('example.com/clusterclasses')).toMatchObject({ kind: 'ClusterClass', namespaced: false });
    expect(store.get('example.com/policies', 'default', 'strict')).toBeDefined();
    expect(store.get('example.com/clusterclasses', undefined, 'gold')).toBeDefined();
  });

  it('reports a document without kind with file, document index and line', () => {
    const store = new MemoryStore();
    const path = file(
      'bad.yaml',
      `# leading comment
apiVersion: v1
kind: Namespace
metadata:
  name: ok
---
apiVersion: v1
metadata:
  name: broken
`,
    );
    const err = loadError(store, [path]);
    expect(err.message).toBe(`${path}: document 2 (line 7): missing kind`);
    expect(err).toMatchObject({ file: path, document: 2, line: 7, reason: 'missing kind' });
    // Nothing is created when any document is bad.
    expect(store.get('namespaces', undefined, 'ok')).toBeUndefined();
  });

  it('reports YAML syntax errors at their line', () => {
    const store = new MemoryStore();
    const path = file(
      'syntax.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  labels: {app: [unclosed
`,
    );
    const err = loadError(store, [path]);
    expect(err.document).toBe(2);
    expect(err.line).toBeGreaterThanOrEqual(10);
    expect(err.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: document 2 \\(line \\d+\\): `));
  });

  it('reports missing apiVersion, metadata.name and non-object documents', () => {
    const store = new MemoryStore();
    expect(loadError(store, [file('a.yaml', 'kind: Pod\nmetadata: {name: x}\n')]).reason).toBe('missing apiVersion');
    expect(loadError(store, [file('b.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n')]).reason).toBe('missing metadata.name');
    expect(loadError(store, [file('c.yaml', '- just\n- a list\n')]).reason).toMatch(/^not an object/);
  });

  it('reports an item of a List at its own line', () => {
    const store = new MemoryStore();
    const path = file(
      'list.yaml',
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: a}
- apiVersion: v1
  metadata: {name: b}
`,
    );
    const err = loadError(store, [path]);
    expect(err.message).toBe(`${path}: document 1 (line 7): items[1]: missing kind`);
  });

  it('reports objects the store refuses, e.g. an invalid name', () => {
    const store = new MemoryStore();
    const path = file(
      'bad-name.yaml',
      `apiVersion: v1
kind: Node
metadata: {name: a}
---
apiVersion: v1
kind: Node
metadata: {name: Not_Valid}
`,
    );
    expect(loadError(store, [path]).message).toMatch(new RegExp(`^${path}: document 2 \\(line 5\\): Node "Not_Valid" is invalid: metadata.name: Invalid value`));
  });

  it('applies a document twice as kubectl apply does: the second updates the first', () => {
    const store = new MemoryStore();
    const path = file('twice.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: a, labels: {v: "1"}}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: a, labels: {v: "2"}}\n');
    loadFixtureFiles(store, [path]);
    expect(store.get('nodes', undefined, 'a')?.metadata.labels).toEqual({ v: '2' });
  });

  it('skips empty documents but counts them', () => {
    const store = new MemoryStore();
    const path = file('empty.yaml', '---\n# nothing\n---\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\nkind: Node\n');
    const err = loadError(store, [path]);
    expect(err.document).toBe(3);
  });

  it('names an unreadable file', () => {
    const store = new MemoryStore();
    expect(() => loadFixtureFiles(store, [join(dir, 'missing.yaml')])).toThrow(/missing\.yaml: cannot read fixture file/);
  });
});
