import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { describe, expect, it } from 'vitest';
import { selectorText } from '../../src/domain/describe/deployment.js';
import { eventLine } from '../../src/domain/describe/events.js';
import { smartLabel } from '../../src/domain/describe/generic.js';
import { describeObject } from '../../src/domain/describe/index.js';
import { nodeRoles } from '../../src/domain/describe/node.js';
import { tabwrite } from '../../src/domain/describe/tabwriter.js';
import { maskSecretValues, objectYaml } from '../../src/domain/object-yaml.js';
import { eventFieldSelector } from '../../src/kube/objects.js';

describe("Go's tabwriter as kubectl describe configures it", () => {
  it('aligns each column over the run of lines that have it, two spaces past the widest cell', () => {
    expect(tabwrite(['Name:\tweb', 'Namespace:\tshop', 'Labels:\tapp=web', '\tteam=a'])).toEqual([
      'Name:       web',
      'Namespace:  shop',
      'Labels:     app=web',
      '            team=a',
    ]);
  });

  it('ends every column at a line without a tab, as a flush does', () => {
    expect(tabwrite(['A:\t1', 'Events:', '  Type\tReason', '  ----\t------', '  Normal\tScheduled'])).toEqual([
      'A:  1',
      'Events:',
      '  Type    Reason',
      '  ----    ------',
      '  Normal  Scheduled',
    ]);
  });

  it('aligns an inner column over each run of lines that reach it: a line without it starts a new run', () => {
    expect(tabwrite(['a\tbb\tc', 'aaaa\tb', 'x\ty\tz'])).toEqual(['a     bb  c', 'aaaa  b', 'x     y  z']);
  });
});

describe('describe helpers', () => {
  it("smartLabelFor: kubectl's labels of unstructured fields", () => {
    expect(['apiVersion', 'creationTimestamp', 'uid', 'podIP', 'app.kubernetes.io/name', 'replicas'].map(smartLabel)).toEqual([
      'API Version',
      'Creation Timestamp',
      'UID',
      'Pod IP',
      'app.kubernetes.io/name',
      'Replicas',
    ]);
  });

  it('prints a selector as LabelSelectorAsSelector does, keys sorted', () => {
    expect(selectorText({ matchLabels: { tier: 'web', app: 'shop' } })).toBe('app=shop,tier=web');
    expect(selectorText({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] })).toBe('env in (dev,prod)');
    expect(selectorText({})).toBe('<none>');
  });

  it('finds node roles in node-role.kubernetes.io/* and kubernetes.io/role labels', () => {
    expect(nodeRoles({ 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' })).toEqual([
      'control-plane',
      'worker',
    ]);
  });

  it("says FROM an event's source component, else its reporting controller (core/v1 JSON `reportingComponent`)", () => {
    const base = { metadata: { name: 'web-1.1' }, involvedObject: { kind: 'Pod', name: 'web-1' }, type: 'Normal', reason: 'Scheduled', message: 'assigned' };
    expect(eventLine({ ...base, source: { component: 'kubelet' }, reportingComponent: 'other' }, 0).from).toBe('kubelet');
    // An event written through events.k8s.io/v1 (reportingController) reads back from core/v1 as reportingComponent.
    expect(eventLine({ ...base, reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-cp-1' }, 0).from).toBe('default-scheduler');
  });

  it("searches events as client-go's GetFieldSelector builds it: keys sorted", () => {
    expect(eventFieldSelector({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1' }, 'u-1')).toBe(
      'involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=shop,involvedObject.uid=u-1',
    );
    expect(eventFieldSelector({ apiVersion: 'v1', kind: 'Node', name: 'n1' }, undefined)).toBe(
      'involvedObject.kind=Node,involvedObject.name=n1,involvedObject.namespace=',
    );
  });
});

describe('a Secret', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"hunter2"}}', team: 'a' },
    },
    data: { password: Buffer.from('hunter2').toString('base64'), empty: '' },
  } as unknown as KubeObject;

  it('describes the size of each value, never the value', () => {
    const text = describeObject({ object: secret }).join('\n');
    expect(text).toMatch(/^password:\s+7 bytes$/m);
    expect(text).toMatch(/^empty:\s+0 bytes$/m);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('aHVudGVyMg');
  });

  it('masks data, stringData and the last-applied annotation in the YAML', () => {
    const yaml = objectYaml(maskSecretValues(secret)).join('\n');
    expect(yaml).toContain('password: <redacted>');
    expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration: <redacted>');
    expect(yaml).toContain('team: a');
    expect(yaml).not.toContain('hunter2');
    expect(yaml).not.toContain('aHVudGVyMg');
  });
});

describe('kubectl get -o yaml', () => {
  it('sorts keys and leaves out managedFields', () => {
    const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', managedFields: [{ manager: 'x' }] }, spec: { b: 1, a: 2 } } as unknown as KubeObject;
    expect(objectYaml(pod)).toEqual(['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  a: 2', '  b: 1']);
  });
});
