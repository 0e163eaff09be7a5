import { describe, expect, it } from 'vitest';
import { customResourceTypes } from '../../src/api/custom-resources.js';
import { customResourcePrinter, printerFor, toTable } from '../../src/api/table.js';
import { findJsonPath, parseJsonPath } from '../../src/jsonpath.js';

const now = Date.parse('2026-11-21T12:00:00Z');

describe('printer column JSONPath (client-go subset)', () => {
  const obj = { spec: { size: 3, 'a.b': 'dotted', list: [{ n: 1 }, { n: 2 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] } };
  const find = (path: string) => findJsonPath(obj, parseJsonPath(path)!);
  it('follows fields, quoted fields, indices, wildcards and equality filters', () => {
    expect(find('.spec.size')).toEqual([3]);
    expect(find(".spec['a.b']")).toEqual(['dotted']);
    expect(find('.spec.list[1].n')).toEqual([2]);
    expect(find('.spec.list[-1].n')).toEqual([2]);
    expect(find('.spec.list[*].n')).toEqual([1, 2]);
    expect(find('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(find(".status.conditions[?(@.type!='Ready')].type")).toEqual(['Synced']);
    expect(find('.spec.missing.deeper')).toEqual([]);
    expect(parseJsonPath('.spec[?(@.x > 1)]')).toBeUndefined();
  });
});

describe('custom resource printing (apiextensions tableconvertor)', () => {
  it('prints Name and the declared columns, each typed as upstream converts them', () => {
    const printer = customResourcePrinter([
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
      { name: 'On', type: 'boolean', jsonPath: '.spec.on' },
      { name: 'Labels', type: 'string', jsonPath: '.metadata.labels', priority: 1 },
      { name: 'Wrong', type: 'integer', jsonPath: '.spec.name' },
      { name: 'Seen', type: 'date', jsonPath: '.status.seen' },
    ]);
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g', labels: { a: 'b' } },
      spec: { size: 3.7, ratio: 0.5, on: false, name: 'x' },
      status: { seen: '2026-11-21T11:00:00Z' },
    };
    expect(printer.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', undefined],
      ['Size', 'integer', 0],
      ['Ratio', 'number', 0],
      ['On', 'boolean', 0],
      ['Labels', 'string', 1],
      ['Wrong', 'integer', 0],
      ['Seen', 'date', 0],
    ]);
    expect(printer.columns[1].description).toBe('Custom resource definition column (in JSONPath format): .spec.size');
    expect(printer.cells(obj, now)).toEqual(['g', 3, 0.5, false, '{"a":"b"}', null, '60m']);
  });

  it('prints Age when the version declares no columns', () => {
    const printer = customResourcePrinter([]);
    expect(printer.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(printer.cells({ metadata: { name: 'g', creationTimestamp: '2026-11-21T11:59:00Z' } } as never, now)).toEqual(['g', '60s']);
  });

  it('serves kinds without a printer with the default Name and Created At', () => {
    const table = toTable('apiextensions.k8s.io/customresourcedefinitions', [{ metadata: { name: 'x.example.com', creationTimestamp: '2026-11-21T10:00:00Z' } } as never], {}, null, now, printerFor({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }));
    expect((table.columnDefinitions as { name: string; type: string }[]).map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect((table.rows as { cells: unknown[] }[])[0].cells).toEqual(['x.example.com', '2026-11-21T10:00:00Z']);
  });
});

describe('customResourceTypes', () => {
  it('serves each served version, with names, scope, subresources and printer columns', () => {
    const types = customResourceTypes({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gdg'], categories: ['all'] },
        versions: [
          { name: 'v1', served: true, storage: true, subresources: { status: {}, scale: {} }, additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] },
          { name: 'v1alpha1', served: false, storage: false },
        ],
      },
    });
    expect(types).toEqual([
      {
        group: 'example.com',
        version: 'v1',
        resource: 'gadgets',
        singularName: 'gadget',
        kind: 'Gadget',
        listKind: 'GadgetList',
        namespaced: false,
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['gdg'],
        categories: ['all'],
        subresources: ['status', 'scale'],
        printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
      },
    ]);
    expect(customResourceTypes({ metadata: { name: 'broken' }, spec: { group: 'x' } } as never)).toEqual([]);
  });
});
