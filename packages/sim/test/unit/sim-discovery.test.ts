import { describe, expect, it } from 'vitest';
import { apiGroupList, apiResourceList, compareKubeVersions, versionInfo } from '../../src/api/discovery.js';
import { acceptsJson, fieldManagerFromUserAgent } from '../../src/api/http.js';
import { parseApiPath } from '../../src/api/paths.js';
import { builtinResourceTypes } from '../../src/resources.js';

describe('versionInfo', () => {
  it('reports the minor as providers print it', () => {
    expect(versionInfo('v1.31.0')).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.0' });
    expect(versionInfo('v1.31.5-eks-abc1234')).toMatchObject({ major: '1', minor: '31+' });
    expect(versionInfo('v1.30.5-gke.1014001')).toMatchObject({ minor: '30+' });
    expect(versionInfo('v1.31.1+k3s1')).toMatchObject({ minor: '31' });
  });

  it('refuses malformed versions', () => {
    expect(() => versionInfo('1.31')).toThrow(/invalid server version/);
    expect(() => versionInfo('v1.31')).toThrow(/invalid server version/);
  });
});

describe('compareKubeVersions', () => {
  it('orders GA before beta before alpha, newest first', () => {
    expect(['v1beta1', 'v1alpha1', 'v2', 'v1', 'v2beta2', 'v2beta1'].sort(compareKubeVersions)).toEqual([
      'v2',
      'v1',
      'v2beta2',
      'v2beta1',
      'v1beta1',
      'v1alpha1',
    ]);
  });
});

describe('discovery documents', () => {
  const types = builtinResourceTypes();

  it('lists named groups with their preferred version', () => {
    const list = apiGroupList(types) as { groups: { name: string; preferredVersion: { groupVersion: string } }[] };
    expect(list.groups.find((g) => g.name === 'apps')?.preferredVersion.groupVersion).toBe('apps/v1');
    expect(list.groups.some((g) => g.name === '')).toBe(false);
  });

  it('lists subresources after their resource', () => {
    const list = apiResourceList(types, 'apps', 'v1') as { resources: Record<string, unknown>[] };
    const scale = list.resources.find((r) => r.name === 'deployments/scale');
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'], namespaced: true });
  });
});

describe('parseApiPath', () => {
  it('splits resource paths as RequestInfoFactory does', () => {
    expect(parseApiPath('/api/v1/namespaces/shop/pods/web-1/log')).toEqual({
      type: 'resource',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'shop',
      name: 'web-1',
      subresource: 'log',
      legacyWatch: false,
    });
    expect(parseApiPath('/apis/apps/v1/deployments')).toMatchObject({ type: 'resource', group: 'apps', resource: 'deployments', namespace: undefined });
    expect(parseApiPath('/api/v1/watch/namespaces/shop/pods')).toMatchObject({ resource: 'pods', namespace: 'shop', legacyWatch: true });
  });

  it('addresses the namespace object itself, with its status and finalize subresources', () => {
    expect(parseApiPath('/api/v1/namespaces/shop')).toMatchObject({ resource: 'namespaces', name: 'shop', namespace: undefined });
    expect(parseApiPath('/api/v1/namespaces/shop/status')).toMatchObject({ resource: 'namespaces', name: 'shop', subresource: 'status' });
  });

  it('recognises discovery and unknown paths', () => {
    expect(parseApiPath('/version')).toEqual({ type: 'version' });
    expect(parseApiPath('/api')).toEqual({ type: 'apiVersions' });
    expect(parseApiPath('/apis')).toEqual({ type: 'apiGroups' });
    expect(parseApiPath('/apis/apps/v1')).toEqual({ type: 'groupVersion', group: 'apps', version: 'v1' });
    expect(parseApiPath('/healthz')).toEqual({ type: 'health' });
    expect(parseApiPath('/metrics')).toEqual({ type: 'unknown' });
    expect(parseApiPath('/api/v1/a/b/c/d/e')).toEqual({ type: 'unknown' });
  });
});

describe('request helpers', () => {
  it('derives the field manager from the User-Agent as the API server does', () => {
    expect(fieldManagerFromUserAgent('kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc')).toBe('kubectl-edit');
    expect(fieldManagerFromUserAgent('daytwo')).toBe('daytwo');
    expect(fieldManagerFromUserAgent(undefined)).toBe('');
    expect(fieldManagerFromUserAgent('bad\u0007name/1.0')).toBe('badname');
    expect(fieldManagerFromUserAgent(`${'é'.repeat(100)}/1`)).toBe('é'.repeat(64));
  });

  it('accepts plain JSON, also as the fallback of Table and aggregated discovery requests', () => {
    expect(acceptsJson(undefined)).toBe(true);
    expect(acceptsJson('*/*')).toBe(true);
    expect(acceptsJson('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(true);
    expect(acceptsJson('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe(false);
    expect(acceptsJson('application/vnd.kubernetes.protobuf')).toBe(false);
  });
});
