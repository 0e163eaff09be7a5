import { describe, expect, it } from 'vitest';
import { completeCommand, parseCommand } from '../../src/components/command-model.js';
import { type ApiResource, resolveResource, resourceNames } from '../../src/domain/api-resources.js';
import { CONTEXT_COLUMNS, contextRows } from '../../src/domain/contexts.js';
import { cellText, resourceColumns, type ServerTable, tableRows } from '../../src/domain/resource-table.js';
import { commandTargets, VIEWS } from '../../src/views/registry.js';

const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const res = (group: string, version: string, resource: string, kind: string, extra: Partial<ApiResource> = {}): ApiResource => ({
  group,
  version,
  resource,
  singular: kind.toLowerCase(),
  kind,
  namespaced: true,
  shortNames: [],
  verbs: ALL,
  categories: [],
  ...extra,
});

// Discovery order: the core group, then the groups as /apis lists them.
const RESOURCES: ApiResource[] = [
  res('', 'v1', 'services', 'Service', { shortNames: ['svc'] }),
  res('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('', 'v1', 'nodes', 'Node', { namespaced: false, shortNames: ['no'] }),
  res('', 'v1', 'bindings', 'Binding', { verbs: ['create'] }),
  res('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'] }),
  res('events.k8s.io', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('cert-manager.io', 'v1', 'certificates', 'Certificate', { shortNames: ['cert', 'certs'] }),
  res('networking.example.com', 'v1beta1', 'certificates', 'Certificate'),
];

const name = (r: ApiResource | undefined) => r && `${r.resource}.${r.group}/${r.version}`;

describe('resolveResource (kubectl resource arguments)', () => {
  it('takes short names, plurals, singulars and kinds in any case', () => {
    expect(name(resolveResource('svc', RESOURCES))).toBe('services./v1');
    expect(name(resolveResource('service', RESOURCES))).toBe('services./v1');
    expect(name(resolveResource('Service', RESOURCES))).toBe('services./v1');
    expect(name(resolveResource('DEPLOY', RESOURCES))).toBe('deployments.apps/v1');
    expect(name(resolveResource('certs', RESOURCES))).toBe('certificates.cert-manager.io/v1');
  });

  it('prefers the earlier group in discovery order, and a group or version.group qualifies', () => {
    expect(name(resolveResource('events', RESOURCES))).toBe('events./v1');
    expect(name(resolveResource('events.events.k8s.io', RESOURCES))).toBe('events.events.k8s.io/v1');
    expect(name(resolveResource('certificate', RESOURCES))).toBe('certificates.cert-manager.io/v1');
    expect(name(resolveResource('certificates.networking.example.com', RESOURCES))).toBe('certificates.networking.example.com/v1beta1');
    expect(name(resolveResource('Certificate.networking.example.com', RESOURCES))).toBe('certificates.networking.example.com/v1beta1');
    expect(name(resolveResource('certificates.v1beta1.networking.example.com', RESOURCES))).toBe('certificates.networking.example.com/v1beta1');
    expect(resolveResource('certificates.v2.networking.example.com', RESOURCES)).toBeUndefined();
  });

  it('offers only what can be listed and watched', () => {
    expect(resolveResource('bindings', RESOURCES)).toBeUndefined();
    expect(resolveResource('', RESOURCES)).toBeUndefined();
    expect(resolveResource('nosuch', RESOURCES)).toBeUndefined();
    expect(resourceNames(RESOURCES)).not.toContain('bindings');
    expect(resourceNames(RESOURCES)).toEqual(expect.arrayContaining(['svc', 'service', 'services', 'cert', 'certificate', 'deploy']));
  });
});

describe('the : command line with resources', () => {
  const targets = commandTargets(VIEWS.filter((v) => v.id === 'namespaces' || v.id === 'workloads'));

  it('lets a view keep its name and opens any other resource', () => {
    expect(parseCommand('deploy', targets, undefined, RESOURCES)).toEqual({ type: 'view', view: 'workloads' });
    expect(parseCommand('svc', targets, undefined, RESOURCES)).toEqual({ type: 'resource', resource: RESOURCES[0] });
    expect(parseCommand('svc shop', targets, ['shop'], RESOURCES)).toEqual({ type: 'resource', resource: RESOURCES[0], scope: { namespace: 'shop' } });
    expect(parseCommand('svc all', targets, ['shop'], RESOURCES)).toEqual({ type: 'resource', resource: RESOURCES[0], scope: { namespace: undefined } });
    expect(parseCommand('svc nope', targets, ['shop'], RESOURCES)).toEqual({ type: 'error', message: 'namespace "nope" not found' });
    expect(parseCommand('no shop', targets, ['shop'], RESOURCES)).toEqual({ type: 'error', message: 'too many arguments for ":no"' });
    expect(parseCommand('gadgets', targets, undefined, RESOURCES)).toMatchObject({ type: 'error', unknown: true });
  });

  it('completes resource names, then namespaces after a namespaced resource', () => {
    expect(completeCommand('sv', targets, [], RESOURCES)).toEqual({ line: 'svc ', candidates: [] });
    expect(completeCommand('cert', targets, [], RESOURCES)).toEqual({ line: 'cert', candidates: ['cert', 'certificate', 'certificates', 'certs'] });
    expect(completeCommand('svc sh', targets, ['shop', 'kube-system'], RESOURCES)).toEqual({ line: 'svc shop ', candidates: [] });
    expect(completeCommand('no ku', targets, ['kube-system'], RESOURCES)).toEqual({ line: 'no ku', candidates: [] });
  });
});

describe('resource tables from the Table API', () => {
  const table: ServerTable = {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Replicas', type: 'integer' },
      { name: 'Ready', type: 'string' },
      { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
      { name: 'Containers', type: 'string', priority: 1 },
    ],
    rows: [
      { cells: ['web', 3, null, '5m', 'app'], object: { metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2026-01-01T00:00:00Z' } } },
      { cells: ['api', 12, 'True', '2h', 'app'], object: { metadata: { name: 'api', namespace: 'pay', creationTimestamp: '2025-12-31T22:00:00Z' } } },
      { cells: ['', null, null, null, null], object: { metadata: { resourceVersion: '9' } } },
    ],
  };
  const resource = { group: 'example.com', version: 'v1', kind: 'Gadget' };

  it('keeps each row\'s object reference and its cells as kubectl prints them (blank for no value)', () => {
    const rows = tableRows(table, resource);
    expect(rows.map((r) => r.ref)).toEqual([
      { apiVersion: 'example.com/v1', kind: 'Gadget', namespace: 'shop', name: 'web' },
      { apiVersion: 'example.com/v1', kind: 'Gadget', namespace: 'pay', name: 'api' },
    ]);
    expect(rows[0].cells).toEqual(['web', '3', '', '5m', 'app']);
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText(false)).toBe('false');
  });

  it('shows the server\'s default columns, NAMESPACE across namespaces, AGE from the creation time', () => {
    const rows = tableRows(table, resource);
    const now = Date.parse('2026-01-01T00:10:00Z');
    const columns = resourceColumns(table.columnDefinitions!, true, now);
    expect(columns.map((c) => c.header)).toEqual(['NAMESPACE', 'NAME', 'REPLICAS', 'READY', 'AGE']);
    expect(columns.map((c) => c.value(rows[0]))).toEqual(['shop', 'web', '3', '', '10m']);
    expect(columns.map((c) => c.value(rows[1]))).toEqual(['pay', 'api', '12', 'True', '130m']);
    // Numbers sort as numbers; AGE by creation time, youngest first.
    const replicas = columns[2].sortValue!;
    expect(replicas(rows[1]) > replicas(rows[0])).toBe(true);
    const age = columns[4].sortValue!;
    expect(age(rows[0]) < age(rows[1])).toBe(true);
    // Without a clock, the server's text.
    expect(resourceColumns(table.columnDefinitions!, false).map((c) => c.value(rows[0]))).toEqual(['web', '3', '', '5m']);
  });
});

describe('the :ctx table', () => {
  it('marks the current context as k9s does', () => {
    const rows = contextRows(
      [
        { name: 'prod', cluster: 'prod-eu', user: 'admin', server: 'https://prod:6443' },
        { name: 'staging', cluster: 'stg', user: 'me', namespace: 'web' },
      ],
      'staging',
    );
    expect(rows.map((r) => CONTEXT_COLUMNS.map((c) => c.value(r)))).toEqual([
      ['prod', 'prod-eu', 'admin', '', 'https://prod:6443'],
      ['staging (*)', 'stg', 'me', 'web', ''],
    ]);
  });
});
