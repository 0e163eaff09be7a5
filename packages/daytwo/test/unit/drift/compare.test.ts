/**
 * Normalisation and comparison against objects shaped as an API server returns them after
 * `kubectl apply -f fixtures/applied.yaml` (fixtures/*.live.json; fixtures/edited/ after
 * `kubectl edit`, `kubectl set env`, `kubectl scale` and `kubectl patch`). They were read
 * back from the simulated cluster and edited where a real API server differs from it:
 * `omitempty` zero values (`args: []`, `value: ""`, `readOnly: false`, `nodeSelector: {}`)
 * are dropped and the pod template has `creationTimestamp: null`.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '@daytwo/k8s/kube-object.js';
import { parseSelector } from '@daytwo/k8s/label-selector.js';
import type { Deployment } from '@daytwo/k8s/wire-types.js';
import { describe, expect, it } from 'vitest';
import { computeDrift, isExtraCandidate, type LiveScope } from '../../../src/domain/drift/compare.js';
import { parseManifestFile, resolveDeclared } from '../../../src/domain/drift/manifests.js';
import type { DeclaredObject, DriftItem } from '../../../src/domain/drift/types.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const read = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');
const live = (file: string): KubeObject => JSON.parse(read(file));

const KINDS: Record<string, boolean> = { Deployment: true, Service: true, ConfigMap: true, Secret: true, Namespace: false };

function declare(text: string, file = 'app.yaml'): DeclaredObject[] {
  const { objects, errors } = resolveDeclared(parseManifestFile(file, text), (_g, k) => KINDS[k], 'default');
  expect(errors).toEqual([]);
  return objects;
}

function scopesOf(objects: readonly KubeObject[]): LiveScope[] {
  const scopes = new Map<string, LiveScope & { objects: KubeObject[] }>();
  for (const o of objects) {
    const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
    const key = `${group}/${o.kind}/${o.metadata?.namespace}`;
    if (!scopes.has(key)) scopes.set(key, { group, kind: o.kind ?? '', namespace: o.metadata?.namespace, objects: [] });
    scopes.get(key)?.objects.push(o);
  }
  return [...scopes.values()];
}

function drift(declared: DeclaredObject[], liveObjects: KubeObject[], pruneSelector?: string): DriftItem[] {
  return computeDrift({ declared, live: scopesOf(liveObjects), pruneSelector: pruneSelector ? parseSelector(pruneSelector) : undefined });
}

function only(items: DriftItem[], kind: string): DriftItem {
  const found = items.filter((i) => i.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const APPLIED = ['deployment-web', 'service-web', 'configmap-web-config', 'secret-web-secret'];
const appliedLive = () => APPLIED.map((n) => live(`${n}.live.json`));
const editedLive = () => APPLIED.map((n) => live(`edited/${n}.live.json`));

describe('objects as the API server returns them after kubectl apply', () => {
  it('are Synced: defaults, status, bookkeeping and canonicalized values are not drift', () => {
    const items = drift(declare(read('applied.yaml')), appliedLive());
    expect(items.map((i) => [i.kind, i.status, i.diffs, i.liveOnly])).toEqual([
      ['Deployment', 'Synced', [], []],
      ['Service', 'Synced', [], []],
      ['ConfigMap', 'Synced', [], []],
      ['Secret', 'Synced', [], []],
    ]);
  });

  it('are Synced against a manifest as `kubectl create --dry-run -o yaml` writes it (nulls and empty status)', () => {
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: web-config
  namespace: shop
data:
  FEATURES: a,b
  LOG_LEVEL: info
`;
    const items = drift(declare(manifest), [live('configmap-web-config.live.json')]);
    expect(items[0].status).toBe('Synced');
  });

  it('reports each field changed live with Git and live values and the manager that changed it', () => {
    const items = drift(declare(read('applied.yaml')), editedLive());
    const deployment = only(items, 'Deployment');
    expect(deployment.status).toBe('OutOfSync');
    expect(deployment.diffs).toEqual([
      { path: 'spec.replicas', git: 2, live: 5, manager: 'kubectl' },
      { path: 'spec.template.spec.containers[name=app].image', git: 'nginx:1.25', live: 'nginx:1.26', manager: 'kubectl-edit' },
    ]);
    const configMap = only(items, 'ConfigMap');
    expect(configMap.diffs).toEqual([{ path: 'data.LOG_LEVEL', git: 'info', live: 'debug', manager: 'kubectl-patch' }]);
    expect(only(items, 'Service').status).toBe('Synced');
  });

  it('lists live edits of fields Git does not set apart, by manager, one entry per added list item', () => {
    const items = drift(declare(read('applied.yaml')), editedLive());
    expect(only(items, 'Deployment').liveOnly.map(({ time: _t, ...e }) => e)).toEqual([
      { path: 'spec.template.spec.containers[name=app].env[name=EXTRA]', live: { name: 'EXTRA', value: '1' }, manager: 'kubectl-set' },
      { path: 'metadata.labels.debug', live: 'true', manager: 'kubectl-edit' },
    ]);
    expect(only(items, 'ConfigMap').liveOnly.map((e) => [e.path, e.live, e.manager])).toEqual([['data.NEW', '1', 'kubectl-patch']]);
  });

  it('compares Secret data (stringData included) but never shows a value', () => {
    const items = drift(declare(read('applied.yaml')), editedLive());
    const secret = only(items, 'Secret');
    expect(secret.status).toBe('OutOfSync');
    expect(secret.diffs).toEqual([{ path: 'data.password', git: '<redacted>', live: '<redacted>', manager: 'kubectl-patch' }]);
    const text = JSON.stringify(items);
    for (const secretValue of ['hunter2', 'aHVudGVyMg==', 'changed', 'Y2hhbmdlZA==', 'c2VjcmV0LXRva2Vu']) expect(text).not.toContain(secretValue);
  });
});

/** One Deployment manifest and its live counterpart, each adjusted by a test. */
function deploymentPair() {
  const [git] = declare(read('applied.yaml'));
  return { git: structuredClone(git), live: live('deployment-web.live.json') };
}

function diffsOf(git: DeclaredObject, liveObject: KubeObject): DriftItem['diffs'] {
  return only(computeDrift({ declared: [git], live: scopesOf([liveObject]) }), git.kind).diffs;
}

/** The objects here are Deployments (read from the fixtures). */
const templateOf = (o: KubeObject) => (o as Deployment).spec!.template;
const containerOf = (o: KubeObject) => templateOf(o).spec!.containers[0];

describe('normalisation', () => {
  it('compares quantities by amount: 500m = 0.5, 1Gi = 1024Mi, 1 = "1"', () => {
    const { git, live: l } = deploymentPair();
    Object.assign(containerOf(git.manifest).resources!, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1000m', memory: 1073741824 } });
    expect(diffsOf(git, l)).toEqual([]);
    containerOf(git.manifest).resources!.requests!.cpu = '0.6';
    expect(diffsOf(git, l)).toEqual([{ path: 'spec.template.spec.containers[name=app].resources.requests.cpu', git: '0.6', live: '500m', manager: 'kubectl-client-side-apply' }]);
  });

  it('compares int-or-string ports by their text', () => {
    const { git, live: l } = deploymentPair();
    containerOf(git.manifest).livenessProbe!.tcpSocket!.port = '80';
    expect(diffsOf(git, l)).toEqual([]);
    containerOf(git.manifest).livenessProbe!.tcpSocket!.port = 8080;
    expect(diffsOf(git, l).map((d) => d.path)).toEqual(['spec.template.spec.containers[name=app].livenessProbe.tcpSocket.port']);
  });

  it('treats empty and absent maps and lists, and omitted zero values, as equal', () => {
    const { git, live: l } = deploymentPair();
    const spec = templateOf(git.manifest).spec!;
    Object.assign(spec, { affinity: {}, imagePullSecrets: [], hostNetwork: false });
    Object.assign(containerOf(git.manifest), { command: [], workingDir: '' });
    expect(diffsOf(git, l)).toEqual([]);
  });

  it('ignores map key order and matches keyed lists by key, not position', () => {
    const { git, live: l } = deploymentPair();
    const c = containerOf(git.manifest);
    c.env = [...c.env!].reverse();
    git.manifest.metadata.labels = { app: 'web' };
    (git.manifest as Deployment).spec!.template = Object.fromEntries(Object.entries(templateOf(git.manifest)).reverse());
    expect(diffsOf(git, l)).toEqual([]);
  });

  it('reports a keyed item Git declares that is not live, by its key', () => {
    const { git, live: l } = deploymentPair();
    containerOf(git.manifest).env!.push({ name: 'ADDED', value: 'x' });
    expect(diffsOf(git, l)).toEqual([{ path: 'spec.template.spec.containers[name=app].env[name=ADDED]', git: { name: 'ADDED', value: 'x' } }]);
  });

  it('matches container ports by containerPort and the defaulted protocol', () => {
    const { git, live: l } = deploymentPair();
    containerOf(git.manifest).ports = [{ containerPort: 80, protocol: 'TCP', name: 'http' }];
    expect(diffsOf(git, l)).toEqual([]);
    containerOf(git.manifest).ports = [{ containerPort: 80, protocol: 'UDP', name: 'http' }];
    expect(diffsOf(git, l).map((d) => d.path)).toEqual(['spec.template.spec.containers[name=app].ports[containerPort=80,protocol=UDP]']);
  });

  it('compares lists without a merge key by position: a changed length or item is drift', () => {
    const { git, live: l } = deploymentPair();
    const spec = templateOf(git.manifest).spec!;
    spec.tolerations!.push({ key: 'extra', operator: 'Exists' });
    expect(diffsOf(git, l).map((d) => d.path)).toEqual(['spec.template.spec.tolerations']);
    spec.tolerations = [{ ...spec.tolerations![0], value: 'other' }];
    expect(diffsOf(git, l).map((d) => [d.path, d.git, d.live])).toEqual([['spec.template.spec.tolerations[0].value', 'other', 'shop']]);
  });

  it('compares label selectors whole: an extra live key is drift', () => {
    const { git, live: l } = deploymentPair();
    (l as Deployment).spec!.selector.matchLabels!.tier = 'front';
    expect(diffsOf(git, l)).toEqual([{ path: 'spec.selector.matchLabels.tier', live: 'front', manager: 'kubectl-client-side-apply' }]);
  });
});

describe('Missing and Extra', () => {
  it('reports an object Git declares that is not live as Missing', () => {
    const declared = declare(read('applied.yaml'));
    const items = drift(declared, [live('deployment-web.live.json'), live('service-web.live.json'), live('secret-web-secret.live.json')]);
    // The ConfigMap scope exists only through Git's declaration: its (empty) list is the live state.
    const withEmptyScope = computeDrift({ declared, live: [...scopesOf(appliedLive().filter((o) => o.kind !== 'ConfigMap')), { group: '', kind: 'ConfigMap', namespace: 'shop', objects: [] }] });
    expect(only(withEmptyScope, 'ConfigMap').status).toBe('Missing');
    expect(items.some((i) => i.kind === 'ConfigMap')).toBe(false);
  });

  const applied = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => {
    const o = live('configmap-web-config.live.json');
    return { ...o, metadata: { ...o.metadata, name, uid: `uid-${name}`, ...extra } };
  };

  it('reports live objects of a declared kind and namespace that an applier created as Extra', () => {
    const declared = declare(read('applied.yaml'));
    const stray = applied('stray');
    const items = drift(declared, [...appliedLive(), stray]);
    expect(items.filter((i) => i.status === 'Extra').map((i) => [i.kind, i.namespace, i.name])).toEqual([['ConfigMap', 'shop', 'stray']]);
  });

  it('counts server-side applied objects and prune-selector matches, but not owned or hand-created ones', () => {
    const { annotations: _a, managedFields: _m, ...bare } = applied('x').metadata;
    const handMade: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...bare, name: 'kube-root-ca.crt', labels: { team: 'shop' } } };
    const ssa: KubeObject = { ...handMade, metadata: { ...handMade.metadata, name: 'ssa', managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }] } };
    const owned = applied('owned', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true }] });
    expect(isExtraCandidate(handMade)).toBe(false);
    expect(isExtraCandidate(handMade, parseSelector('team=shop'))).toBe(true);
    expect(isExtraCandidate(ssa)).toBe(true);
    expect(isExtraCandidate(owned)).toBe(false);
    const items = drift(declare(read('applied.yaml')), [...appliedLive(), handMade, ssa, owned], 'team=shop');
    expect(items.filter((i) => i.status === 'Extra').map((i) => i.name).sort()).toEqual(['kube-root-ca.crt', 'ssa']);
  });
});
