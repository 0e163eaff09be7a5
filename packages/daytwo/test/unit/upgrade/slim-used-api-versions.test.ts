import { describe, expect, it } from 'vitest';
import { liveApiFindings } from '../../../src/domain/upgrade/api-findings.js';
import { parseKubeVersion } from '../../../src/domain/version.js';
import { slimObject } from '../../../src/store/app-store.js';

describe('the store keeps the apiVersions an object was written through', () => {
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: { team: 'data', 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"policy/v1beta1","kind":"PodDisruptionBudget","metadata":{"name":"db"}}\n' },
      managedFields: [
        { manager: 'kubectl-client-side-apply', operation: 'Update' as const, apiVersion: 'policy/v1beta1', fieldsType: 'FieldsV1' as const, fieldsV1: { 'f:spec': {} } },
        { manager: 'kube-controller-manager', operation: 'Update' as const, apiVersion: 'policy/v1', fieldsType: 'FieldsV1' as const, fieldsV1: { 'f:status': {} }, subresource: 'status' },
      ],
    },
  };

  it('drops managedFields and the last-applied annotation but keeps the apiVersions that differ from the object', () => {
    const slim = slimObject(pdb);
    expect(slim.metadata.managedFields).toBeUndefined();
    expect(slim.metadata.annotations).toEqual({ team: 'data' });
    expect(slim.usedApiVersions).toEqual([
      { apiVersion: 'policy/v1beta1', via: 'last-applied' },
      { apiVersion: 'policy/v1beta1', via: 'managedFields: kubectl-client-side-apply' },
    ]);
    // Slimming twice (a relist of what is stored) keeps them.
    expect(slimObject(slim).usedApiVersions).toEqual(slim.usedApiVersions);
    const target = parseKubeVersion('1.31');
    if (!target) throw new Error('target');
    expect(liveApiFindings([slim], target).map((f) => f.source)).toEqual(['live (last-applied)']);
  });

  it('adds nothing when every apiVersion is the object own', () => {
    const slim = slimObject({ ...pdb, metadata: { name: 'x', managedFields: [pdb.metadata.managedFields[1]] } });
    expect(slim.usedApiVersions).toBeUndefined();
  });
});
